/* A vCPU's emulated EL1 physical timer (include/vm/vcpu_timer.h): the
 * trapped registers, its line into the vGIC and its next deadline.  The
 * counter is CNTPCT_EL0 itself, which the guest reads untrapped. */
#include "arch/sysreg.h"
#include "platform.h"
#include "vm/vcpu_timer.h"
#include "vm/vgic.h"
#include "vm/vm.h"

void vcpu_ptimer_sample(struct vcpu *v)
{
	bool level = v->vgic.priv[INTID_PHYS_TIMER].level, line;

	if (likely(!(v->ptimer.ctl & PTIMER_CTL_ENABLE) && !level))
		return;
	line = ptimer_line(&v->ptimer, read_cntpct_el0());
	if (line != level)
		vgic_set_level(v->vm, v, INTID_PHYS_TIMER, line);
}

bool vcpu_ptimer_deadline(const struct vcpu *v, u64 *when)
{
	if (likely(!(v->ptimer.ctl & PTIMER_CTL_ENABLE)))
		return false;
	return ptimer_deadline(&v->ptimer, read_cntpct_el0(), when);
}

void vcpu_ptimer_access(struct vcpu *v, enum ptimer_reg r, bool read, u64 *val)
{
	u64 now = read_cntpct_el0();

	if (read)
		*val = ptimer_read(&v->ptimer, r, now);
	else
		ptimer_write(&v->ptimer, r, *val, now);
}
