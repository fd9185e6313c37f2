FUZZERS += vgic
fuzz_vgic_SRCS = tests/fuzz/fuzz_vgic.c $(HOST_VGIC_SRCS)
