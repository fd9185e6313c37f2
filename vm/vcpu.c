/* vCPU power states, and kicks: telling the CPU a vCPU is pinned to that
 * something about it changed. */
#include "vm/vcpu_ops.h"
#include "arch/percpu.h"
#include "arch/regs.h"
#include "drivers/gic.h"
#include "lib.h"
#include "vm/vm.h"

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

__cold bool vcpu_power_off(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool any_on = false;

	this_cpu()->cur_changed = true; /* CPU_OFF: only the vCPU itself calls it */
	spin_lock(&vm->lock);
	v->state = VCPU_OFF;
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		any_on |= vm->vcpus[i].state == VCPU_RUNNABLE;
	spin_unlock(&vm->lock);
	return !any_on;
}

void vcpu_kick(struct vcpu *v)
{
	__atomic_store_n(&v->vgic.dirty, true, __ATOMIC_RELEASE);
	if (v->pcpu != this_cpu()->cpu_id && percpu_data[v->pcpu].online) {
		__atomic_store_n(&percpu_data[v->pcpu].need_resched, true, __ATOMIC_RELEASE);
		gic_send_sgi(percpu_data[v->pcpu].mpidr, INTID_KICK);
	} else if (v != this_cpu()->current) {
		this_cpu()->need_resched = true;
	} else {
		this_cpu()->vgic_work = true; /* rebuild its list registers on the way out */
	}
}
