FUZZERS += vgic
fuzz_vgic_SRCS := tests/fuzz/fuzz_vgic.c vm/vgic.c vm/vgic_dist.c vm/vgic_redist.c vm/mmio.c \
	tests/host/fake_vgic_env.c
