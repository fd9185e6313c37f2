# The VM core: VMs and vCPUs, their memory, loading and lifecycle, the
# scheduler, physical interrupts, the MMIO registry and the device socket.
EL2_SRCS += vm/vm.c vm/guest_mem.c vm/load.c vm/lifecycle.c vm/passthrough.c vm/vcpu.c \
	vm/vcpu_switch.c vm/vcpu_timer.c vm/vcpu_ptimer.c vm/ptimer.c \
	vm/vcpu_debug.c vm/vdebug.c vm/sched.c vm/irq.c vm/mmio.c vm/vdev.c vm/loader_plan.c
EL2_COLD += vm/vm.c vm/load.c vm/lifecycle.c vm/passthrough.c vm/vdev.c vm/loader_plan.c \
	vm/con_buf.c
# Only a guest that uses the debug registers runs these.
EL2_COLD += vm/vcpu_debug.c vm/vdebug.c
