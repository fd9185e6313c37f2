/* The trap table (vm/exit/trap.c) and the handlers it dispatches to. */
#ifndef AETHER_VM_EXIT_TRAP_H
#define AETHER_VM_EXIT_TRAP_H

#include "arch/percpu.h"
#include "arch/regs.h"
#include "types.h"
#include "vm/vcpu.h"
#include "vm/vgic.h"

typedef void (*exit_handler_fn)(struct vcpu *v, u64 esr);

void trap_dispatch(struct vcpu *v, u64 esr);

/* Steps over the trapped instruction: 2 bytes for a 16-bit T32 one. */
static inline void skip_instr(struct vcpu *v, u64 esr)
{
	v->ctx.pc += (esr & ESR_IL) ? 4 : 2;
	/* The emulated instruction completed: a guest single-stepping it
	 * takes its step exception before the next one (PSTATE.SS = 0 is
	 * "active-pending", Arm ARM D2.12), as on hardware. */
	v->ctx.pstate &= ~PSR_SS;
}

/* Handlers in their own files */
void handle_dabt(struct vcpu *v, u64 esr);   /* vm/exit/trap_dabt.c */
void handle_sysreg(struct vcpu *v, u64 esr); /* vm/exit/sysreg_trap.c */
bool sysreg_table_ok(void);
/* This CPU's exit_work word is zero, or holds only the virtual timer the
 * IRQ short path left in list register 0 and the guest has completed it
 * (freed now: vgic_vtimer_reclaim).  The short and general paths' test. */
static inline bool exit_work_none(struct percpu *pc)
{
	/* exit_work with only vtimer_lr set (AArch64 and the host tests are
	 * little-endian: byte n of the word is the nth flag). */
	const u64 only_vtimer = 1ULL << (8 * (__builtin_offsetof(struct percpu, vtimer_lr) -
					      __builtin_offsetof(struct percpu, exit_work)));

	return likely(!pc->exit_work) || (pc->exit_work == only_vtimer && vgic_vtimer_reclaim());
}

#endif
