FUZZERS += fdt
fuzz_fdt_SRCS := tests/fuzz/fuzz_fdt.c lib/fdt.c
