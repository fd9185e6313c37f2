HOST_TESTS += vmcfg
test_vmcfg_SRCS := tests/host/test_vmcfg.c tools/vmcfg_parse.c
