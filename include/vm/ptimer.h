/* The guest's EL1 physical timer, emulated per vCPU (vm/ptimer.c).
 *
 * CNTHCTL_EL2.EL1PCEN = 0 traps CNTP_CTL_EL0, CNTP_CVAL_EL0 and
 * CNTP_TVAL_EL0 to EL2; the counter itself (CNTPCT_EL0) stays readable
 * without a trap (EL1PCTEN = 1) and is not offset, so the compare value a
 * guest writes is against the very counter it reads.  Its output drives
 * PPI 30 of its vCPU as a level-sensitive line. */
#ifndef AETHER_VM_PTIMER_H
#define AETHER_VM_PTIMER_H

#include "types.h"

/* CNTP_CTL_EL0 (Arm ARM D19.11): ENABLE [0], IMASK [1], ISTATUS [2] (RO). */
#define PTIMER_CTL_ENABLE BIT(0)
#define PTIMER_CTL_IMASK BIT(1)
#define PTIMER_CTL_ISTATUS BIT(2)
/* CNTP_TVAL_EL0.TimerValue [31:0], signed; [63:32] RES0. */
#define PTIMER_TVAL_MASK GENMASK(31, 0)

struct ptimer {
	u64 ctl;  /* ENABLE and IMASK as written */
	u64 cval; /* CNTP_CVAL_EL0 */
};

enum ptimer_reg { PTIMER_CTL, PTIMER_CVAL, PTIMER_TVAL };

void ptimer_reset(struct ptimer *t);
/* Register reads and writes at physical count now. */
u64 ptimer_read(const struct ptimer *t, enum ptimer_reg r, u64 now);
void ptimer_write(struct ptimer *t, enum ptimer_reg r, u64 val, u64 now);
/* The timer's interrupt output: enabled, not masked, condition met. */
bool ptimer_line(const struct ptimer *t, u64 now);
/* When the output will rise by itself: true with *when = CVAL if it is
 * enabled, unmasked and not yet expired at now. */
bool ptimer_deadline(const struct ptimer *t, u64 now, u64 *when);

#endif
