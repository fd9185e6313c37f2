# The slices of EL2 code that build on the host, one list each, shared by
# the host tests (tests/host/objs*.mk) and the fuzzers (tests/fuzz/objs*.mk).
# The fuzz fragments are read first, so they refer to these with `=`.
#
# The guest-facing VM code (the exit layer and what it calls) over the
# fakes in tests/host/fake_el2.c:
HOST_VM_SRCS := vm/exit/trap.c vm/exit/trap_dabt.c vm/exit/sysreg_trap.c \
	vm/exit/hypercall.c vm/exit/psci.c vm/exit/inject.c vm/mmio.c vm/vdev.c \
	vm/guest_mem.c vm/dev/uart.c vm/dev/vpl011.c vm/con_buf.c vm/vcpu_ptimer.c vm/ptimer.c vm/vcpu_debug.c vm/vdebug.c \
	arch/arm64/inject.c tests/host/fake_debug.c \
	arch/arm64/ec_name.c lib/ratelimit.c tests/host/fake_el2.c
# The vGIC model over tests/host/fake_vgic_env.c:
HOST_VGIC_SRCS := vm/vgic/vgic.c vm/vgic/dist.c vm/vgic/redist.c vm/vgic/regs.c vm/vgic/dist_v2.c \
	vm/mmio.c \
	tests/host/fake_vgic_env.c
# The Stage-2 manager over simulated memory (tests/host/fake_arch.c):
HOST_S2_SRCS := mm/stage2.c mm/pool.c mm/page_alloc.c tests/host/fake_arch.c
