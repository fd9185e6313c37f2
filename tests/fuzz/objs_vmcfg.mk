FUZZERS += vmcfg
# tools/objs.mk, included after this file, sets VMCFG_PARSE_SRCS: expand late.
fuzz_vmcfg_SRCS = tests/fuzz/fuzz_vmcfg.c $(VMCFG_PARSE_SRCS)
