HOST_TESTS += fdt
test_fdt_SRCS := tests/host/test_fdt.c lib/fdt.c
