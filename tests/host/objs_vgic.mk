HOST_TESTS += vgic
test_vgic_SRCS = tests/host/test_vgic.c $(HOST_VGIC_SRCS)
HOST_TESTS += vgic_v2
test_vgic_v2_SRCS = tests/host/test_vgic_v2.c tests/host/fake_gic_lr.c $(HOST_VGIC_SRCS) vm/vgic/lr.c arch/arm64/gic_lr_v2.c
HOST_TESTS += vtimer_fast
test_vtimer_fast_SRCS = tests/host/test_vtimer_fast.c tests/host/fake_gic_lr.c $(HOST_VGIC_SRCS) vm/vgic/lr.c
HOST_TESTS += vgic_lr
test_vgic_lr_SRCS = tests/host/test_vgic_lr.c tests/host/fake_gic_lr.c $(HOST_VGIC_SRCS) vm/vgic/lr.c
