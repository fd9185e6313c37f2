/* The guest's EL1 timers as its vGIC sees them (vm/vcpu_timer.c): the
 * virtual timer runs in hardware and is forwarded (PPI 27, HW bit), the
 * physical timer is emulated (PPI 30, vm/ptimer.c); both are level-sensitive
 * interrupts whose pending state follows the timer output whenever EL2
 * looks, and the EL2 timer on each CPU serves the slice and the running
 * vCPU's physical-timer deadline. */
#ifndef AETHER_VM_VCPU_TIMER_H
#define AETHER_VM_VCPU_TIMER_H

#include "types.h"
#include "vm/ptimer.h"

struct vcpu;

/* v is loaded on this CPU: the virtual timer's line is read from the CPU,
 * the physical timer's computed; the vGIC updated when either changed.
 * On every exit, before the trap is handled, and before the list
 * registers of the vCPU to run are rebuilt. */
void vcpu_timers_sync(struct vcpu *v);
/* The physical timer's line into the vGIC, for a vCPU loaded or not. */
void vcpu_ptimer_sample(struct vcpu *v);
/* True with *when = CNTPCT of its next expiry if it is armed and pending. */
bool vcpu_ptimer_deadline(const struct vcpu *v, u64 *when);
/* A trapped CNTP_CTL/CVAL/TVAL_EL0 access. */
void vcpu_ptimer_access(struct vcpu *v, enum ptimer_reg r, bool read, u64 *val);
/* Arms this CPU's EL2 timer for the earlier of the slice end and v's
 * physical-timer deadline (v runs next); reprograms only on change. */
void vcpu_timers_arm(struct vcpu *v);
/* The EL2 timer fired or was used to sleep: it is off now. */
void vcpu_timers_disarmed(void);
/* A trapped access changed the running vCPU's physical timer: the way back
 * into the guest must sample and re-arm (not the exit fast path). */
void vcpu_timers_changed(void);

#endif
