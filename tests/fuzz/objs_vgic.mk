FUZZERS += vgic
fuzz_vgic_SRCS = tests/fuzz/fuzz_vgic.c $(HOST_VGIC_SRCS)
FUZZERS += vgic_v2
fuzz_vgic_v2_SRCS = tests/fuzz/fuzz_vgic_v2.c $(HOST_VGIC_SRCS) vm/vgic/lr.c arch/arm64/gic_lr_v2.c
