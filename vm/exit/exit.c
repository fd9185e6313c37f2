/* C side of the guest exception vectors.  An exit with list registers in
 * use copies their state back into the vGIC model first and rebuilds the
 * list registers of whichever vCPU runs next last.  A synchronous exit that
 * finds this CPU's exit_work word zero (no list register in use or to be
 * rebuilt, no reschedule, current vCPU unchanged, no guest timer line that
 * may have changed: vm/vcpu_timer.c) and leaves it zero goes
 * straight back to the guest: the vGIC and the scheduler would do nothing. */
#include "arch/entry.h"
#include "arch/percpu.h"
#include "arch/sysreg.h"
#include "vm/exit/trap.h"
#include "vm/irq.h"
#include "vm/lifecycle.h"
#include "vm/sched.h"
#include "vm/vcpu_timer.h"
#include "vm/vgic.h"
#include "vm/vm.h"

/* NULL when the run is over: the vectors then end it (el2_no_vm_left). */
static struct vcpu *resume(struct vcpu *v)
{
	struct vcpu *next = sched_next(v);

	this_cpu()->cur_changed = false;
	if (likely(next)) {
		vcpu_timers_sync(next);
		vcpu_timers_arm(next); /* sets timer_work again if needed */
		vgic_flush_lrs(next);  /* sets vgic_work again if needed */
	}
	return next;
}

struct vcpu *handle_guest_sync(struct vcpu *v)
{
	struct percpu *pc = this_cpu();
	u64 esr = read_esr_el2();

	if (unlikely(pc->sync_done)) { /* done by the short path but for this */
		pc->sync_done = false;
		/* The short path ran with no list register in use, but maybe
		 * with the virtual timer the IRQ short path left in list
		 * register 0: free it, or fold it into the model, before the
		 * rebuild below would write over it. */
		if (pc->vtimer_lr && !vgic_vtimer_reclaim())
			vgic_sync_lrs(v);
		return resume(v);
	}
	if (exit_work_none(pc)) {
		/* No list register in use: the model is already current. */
		trap_dispatch(v, esr);
		if (likely(!pc->exit_work))
			return v;
		return resume(v);
	}
	vgic_sync_lrs(v);
	vcpu_timers_sync(v); /* what the trap may observe: the timers' lines */
	trap_dispatch(v, esr);
	return resume(v);
}

struct vcpu *handle_guest_irq(struct vcpu *v)
{
	/* The first interrupt possibly handled by the short path
	 * (handle_guest_irq_fast), which always runs first; the exits it
	 * completes it counts as placements. */
	v->exits[EXIT_IRQ]++;
	vgic_sync_lrs(v);
	vcpu_timers_sync(v);
	irq_drain(v);
	return resume(v);
}

__cold struct vcpu *handle_guest_async(struct vcpu *v, u64 kind)
{
	vgic_sync_lrs(v);
	vcpu_timers_sync(v);
	if (kind == 3) { /* SError: the guest caused an uncontainable error */
		vm_log(v->vm, "vcpu %u: SError ESR=0x%lx ELR=0x%lx: terminating", v->id,
		       (unsigned long)read_esr_el2(), (unsigned long)v->ctx.pc);
		vm_end(v->vm, VM_END_FAULT);
	} else {
		vm_log(v->vm, "vcpu %u: unexpected FIQ ignored", v->id);
	}
	return resume(v);
}
