/* vCPU power state and idling. */
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "vm/vcpu_ops.h"
#include "vm/vm.h"
#include "lib.h"
#include "percpu.h"
#include "vm/sched.h"

void vcpu_power_on(struct vcpu *v, u64 entry, u64 context_id)
{
	memset(&v->ctx, 0, sizeof(v->ctx));
	v->ctx.pc = entry;
	v->ctx.x[0] = context_id;
	v->ctx.pstate = PSR_MODE_EL1H | PSR_DAIF;
	v->fresh = true;
	v->state = VCPU_RUNNABLE;
	vcpu_kick(v);
}

void vcpu_power_off(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool any_on = false;

	spin_lock(&vm->lock);
	v->state = VCPU_OFF;
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		any_on |= vm->vcpus[i].state == VCPU_RUNNABLE;
	spin_unlock(&vm->lock);
	if (!any_on)
		vm_end(vm, VM_END_ALL_CPUS_OFF);
}

#define WFI_MAX_SLEEP_US 10000

void vcpu_wait(struct vcpu *v)
{
	/* The CPU is this vCPU's alone, so idle it for real.  WFI at EL2 with
	 * interrupts masked still wakes on any pending physical interrupt: the
	 * guest's timer, a kick from another CPU, console input.  The EL2
	 * timer bounds the sleep, so a guest that waits with nothing armed is
	 * only re-checked, never lost; WFI may complete early by definition. */
	if (vgic_vcpu_has_pending(v) || v->state != VCPU_RUNNABLE)
		return;
	if (sched_cpu_shared()) {
		/* Others could use the CPU: give it up until there is cause. */
		v->waiting = true;
		v->wait_until = read_cntpct_el0() + read_cntfrq_el0() / 1000000 * WFI_MAX_SLEEP_US;
		this_cpu()->need_resched = true;
		return;
	}
	write_cnthp_tval_el2(read_cntfrq_el0() / 1000000 * WFI_MAX_SLEEP_US);
	write_cnthp_ctl_el2(CNT_CTL_ENABLE);
	isb();
	wfi();
	write_cnthp_ctl_el2(0);
}
