/* The short path of a synchronous exit (arch/arm64/entry.S saves only
 * x0-x19 and x30 before calling it, and restores only those after).
 * It handles an exit completely or not at all: either the guest resumes at
 * once (non-zero), or nothing has changed and the vectors complete the save
 * for handle_guest_sync (0).  It runs only while this CPU's exit_work word
 * is zero, so the general path would have done nothing else: no list
 * register to sync, no reschedule (vm/exit/exit.c). */
#include "arch/entry.h"
#include "arch/percpu.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "vm/exit/hypercall.h"

/* ESR_EL2 of HVC #0 from AArch64: any other immediate is not SMCCC. */
#define ESR_HVC64_IMM0 ((u64)EC_HVC64 << ESR_EC_SHIFT | ESR_IL)

u64 handle_guest_sync_fast(u64 x0, struct vcpu *v)
{
	u64 esr = read_esr_el2();

	if (unlikely(this_cpu()->exit_work))
		return 0;
	if (esr == ESR_HVC64_IMM0)
		return hcall_fast(x0, v);
	return 0;
}
