/* EL1 physical timer semantics (Arm ARM D11.2.4, "The CompareValue and
 * TimerValue views"): the condition is met when CNTPCT >= CVAL, both
 * unsigned 64-bit; TVAL reads CVAL - CNTPCT
 * truncated to 32 bits and a write sets CVAL = CNTPCT + SignExtend(TVAL).
 * Pure arithmetic on the state and the count, so the scheduler, the trap
 * handler and the host tests share it. */
#include "vm/ptimer.h"

void ptimer_reset(struct ptimer *t)
{
	/* ENABLE resets to 0; CVAL is UNKNOWN at reset: 0 here. */
	t->ctl = 0;
	t->cval = 0;
}

static bool expired(const struct ptimer *t, u64 now)
{
	return now >= t->cval;
}

u64 ptimer_read(const struct ptimer *t, enum ptimer_reg r, u64 now)
{
	switch (r) {
	case PTIMER_CTL:
		/* ISTATUS is only meaningful while enabled (UNKNOWN otherwise:
		 * read as 0, as QEMU and common cores do). */
		if ((t->ctl & PTIMER_CTL_ENABLE) && expired(t, now))
			return t->ctl | PTIMER_CTL_ISTATUS;
		return t->ctl;
	case PTIMER_CVAL: return t->cval;
	case PTIMER_TVAL: return (t->cval - now) & PTIMER_TVAL_MASK;
	}
	return 0;
}

void ptimer_write(struct ptimer *t, enum ptimer_reg r, u64 val, u64 now)
{
	switch (r) {
	case PTIMER_CTL: t->ctl = val & (PTIMER_CTL_ENABLE | PTIMER_CTL_IMASK); break;
	case PTIMER_CVAL: t->cval = val; break;
	case PTIMER_TVAL: t->cval = now + (u64)(s64)(int32_t)(u32)(val & PTIMER_TVAL_MASK); break;
	}
}

bool ptimer_line(const struct ptimer *t, u64 now)
{
	return (t->ctl & (PTIMER_CTL_ENABLE | PTIMER_CTL_IMASK)) == PTIMER_CTL_ENABLE &&
	       expired(t, now);
}

bool ptimer_deadline(const struct ptimer *t, u64 now, u64 *when)
{
	if ((t->ctl & (PTIMER_CTL_ENABLE | PTIMER_CTL_IMASK)) != PTIMER_CTL_ENABLE ||
	    expired(t, now))
		return false;
	*when = t->cval;
	return true;
}
