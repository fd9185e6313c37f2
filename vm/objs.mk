EL2_SRCS += vm/vm.c vm/vcpu.c vm/sched.c vm/exit.c vm/trap.c vm/trap_dabt.c \
	vm/sysreg_trap.c vm/hypercall.c vm/psci.c vm/mmio.c vm/vdev.c vm/loader_plan.c vm/vgic_lr.c vm/vcpu_switch.c
