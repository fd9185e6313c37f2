/* vCPU power state and idling. */
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "vm/vcpu_ops.h"
#include "vm/vm.h"
#include "lib.h"

void vcpu_power_on(struct vcpu *v, u64 entry, u64 context_id)
{
	memset(&v->ctx, 0, sizeof(v->ctx));
	v->ctx.pc = entry;
	v->ctx.x[0] = context_id;
	v->ctx.pstate = PSR_MODE_EL1H | PSR_DAIF;
	v->fresh = true;
	v->state = VCPU_RUNNABLE;
}

void vcpu_power_off(struct vcpu *v)
{
	struct vm *vm = v->vm;

	v->state = VCPU_OFF;
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].state == VCPU_RUNNABLE)
			return;
	vm_end(vm, VM_END_ALL_CPUS_OFF);
}

/* Armed, unmasked and not yet expired: its interrupt will wake us. */
static bool vtimer_will_fire(void)
{
	u64 ctl = read_cntv_ctl_el0();

	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) == CNT_CTL_ENABLE;
}

void vcpu_wait(struct vcpu *v)
{
	/* The CPU is this vCPU's alone, so idle it for real.  WFI at EL2 with
	 * interrupts masked still wakes on any pending interrupt, including
	 * the guest's timer; an interrupt already pending ends it at once.
	 * Returning early is always allowed: WFI may complete spuriously. */
	if (!v->vtimer_pending && vtimer_will_fire())
		wfi();
}
