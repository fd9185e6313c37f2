/* The guest's EL1 timers as its vGIC sees them (include/vm/vcpu_timer.h).
 *
 * Both timer interrupts are level-sensitive (Arm ARM D11.2.4: asserted
 * while the condition is met, enabled and not masked).  The virtual timer's
 * physical PPI, once EL2 took it, stays active so it cannot fire again;
 * when EL2 next looks and the output has dropped (the guest disabled,
 * masked or re-armed the timer), the vGIC drops the pending state and the
 * physical PPI is released (vgic_hw_line).  The physical timer has no
 * hardware behind it: its line is computed from the emulated registers
 * and the counter, and its deadline is one of the two events the CPU's EL2
 * timer waits for. */
#include "vm/vcpu_timer.h"
#include "arch/percpu.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "arch/vcpu_ctx.h"
#include "platform.h"
#include "vm/vgic.h"
#include "vm/vm.h"

void vcpu_timers_sync(struct vcpu *v)
{
	/* Only a line EL2 saw high can have dropped unseen. */
	if (unlikely(v->vgic.priv[INTID_VIRT_TIMER].level) && !arch_vtimer_output())
		vgic_hw_line(v, INTID_VIRT_TIMER, false);
	vcpu_ptimer_sample(v);
}

void vcpu_timers_arm(struct vcpu *v)
{
	struct percpu *pc = this_cpu();
	u64 when = pc->slice_end, deadline;

	/* Exits must sample while a line EL2 saw high may drop, or while the
	 * physical timer runs (its trapped registers change it). */
	pc->timer_work = v->vgic.priv[INTID_VIRT_TIMER].level ||
			 v->vgic.priv[INTID_PHYS_TIMER].level ||
			 (v->ptimer.ctl & PTIMER_CTL_ENABLE);
	if (vcpu_ptimer_deadline(v, &deadline) && (!when || deadline < when))
		when = deadline;
	if (likely(when == pc->hyp_timer_cval))
		return;
	pc->hyp_timer_cval = when;
	if (!when) {
		write_cnthp_ctl_el2(0);
		return;
	}
	write_cnthp_cval_el2(when);
	write_cnthp_ctl_el2(CNT_CTL_ENABLE);
}

void vcpu_timers_disarmed(void)
{
	this_cpu()->hyp_timer_cval = 0;
}

void vcpu_timers_changed(void)
{
	this_cpu()->timer_work = true;
}
