HOST_TESTS += vmcfg
# tools/objs.mk, included after this file, sets VMCFG_PARSE_SRCS: expand late.
test_vmcfg_SRCS = tests/host/test_vmcfg.c $(VMCFG_PARSE_SRCS)
