FUZZERS += vmcfg
fuzz_vmcfg_SRCS := tests/fuzz/fuzz_vmcfg.c tools/vmcfg_parse.c
