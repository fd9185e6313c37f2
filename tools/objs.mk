VMCONFIG_SRCS := tools/vmconfig.c tools/vmcfg_parse.c vm/loader_plan.c
