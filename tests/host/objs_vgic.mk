HOST_TESTS += vgic
test_vgic_SRCS = tests/host/test_vgic.c $(HOST_VGIC_SRCS)
