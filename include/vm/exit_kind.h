/* What a guest exit was, for the counters each vCPU keeps (struct vcpu
 * exits[]; vm_exits sums a VM's) and AETHER_HC_EXIT_COUNT. */
#ifndef AETHER_VM_EXIT_KIND_H
#define AETHER_VM_EXIT_KIND_H

enum exit_kind {
	EXIT_HVC,
	EXIT_SMC,
	EXIT_SYSREG,
	EXIT_DABT_MMIO,
	EXIT_ABORT_INJECTED,
	EXIT_WFX,
	EXIT_IRQ,
	EXIT_UNDEF_INJECTED,
	EXIT_OTHER,
	EXIT_KINDS,
};

#endif
