# The VM description parser (pure: the host tests and the fuzzer link it too)
# and the vmconfig tool around it.
VMCFG_PARSE_SRCS := tools/vmcfg_parse.c tools/vmcfg_lex.c tools/vmcfg_values.c \
	tools/vmcfg_keys.c tools/vmcfg_check.c tools/vmcfg_msg.c
VMCONFIG_SRCS := tools/vmconfig.c tools/vmconfig_dts.c tools/vmconfig_image.c $(VMCFG_PARSE_SRCS) vm/loader_plan.c
