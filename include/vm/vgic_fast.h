/* The virtual timer's short path through the list registers, without the
 * vGIC lock: inline, for the IRQ exit's short path (vm/irq.c). */
#ifndef AETHER_VM_VGIC_FAST_H
#define AETHER_VM_VGIC_FAST_H

/* Placing the virtual timer's short path through the list registers, without the
 * vGIC lock (vgic_vtimer_place here, vgic_vtimer_reclaim in include/vm/vgic.h).
 *
 * Why no lock is needed: the virtual timer is private to its vCPU, and with
 * the HW bit the physical GIC holds its state.  The physical PPI stays
 * active from EL2's acknowledge until the guest's EOI deactivates it
 * through the list register, and fires again then if the line is still
 * high.  So on the vCPU's own CPU, with no list register in use, the timer
 * goes straight into list register 0 and the model is not told; this CPU's
 * vtimer_lr (part of its exit_work word) records it.  Nothing but this CPU
 * touches its list registers, and every general path folds that state into
 * the model under the lock before it acts (vgic_sync_lrs), or frees list
 * register 0 when the guest has completed it (vgic_vtimer_reclaim), so the
 * model is current whenever anything decides from it.  The short paths of
 * other exits leave it as it is: they neither read nor change the model
 * (the vGIC's registers are general-path-only MMIO regions).  When the
 * timer fires again with vtimer_lr still set, the guest has completed it
 * (the PPI stayed active until then), and list register 0 is reused.
 * Meanwhile another vCPU reading this one's redistributor sees the timer
 * idle, as if its line had risen a moment later; a write it makes there
 * kicks this vCPU, and that exit folds first.
 *
 * GICv3 hosts only (the caller checks): these are ICH_LR0_EL2 values. */
#include "arch/gic_lr.h"
#include "arch/percpu.h"
#include "platform.h"
#include "vm/vgic.h"
#include "vm/vm.h"

/* GICD_CTLR with GICD_CTLR.DS == 1 (IHI 0069H): EnableGrp0 [0], EnableGrp1
 * [1]. */
#define GICD_CTLR_ENABLE_G0 BIT(0)
#define GICD_CTLR_ENABLE_G1 BIT(1)

/* Enabled for delivery apart from the pending state and the list registers,
 * under distributor control register value ctlr: its group enabled there
 * (EnableGrp0 is RAZ/WI on the vGICv3, so only Group 1 ever is).  No lock
 * needed: it reads what it is given. */
static inline bool vgic_ctlr_armed(u32 ctlr, const struct virq *irq)
{
	return irq->enabled && (ctlr & (irq->group1 ? GICD_CTLR_ENABLE_G1 : GICD_CTLR_ENABLE_G0));
}

/* The first 8 bytes of a struct virq as one little-endian word: byte 0
 * the priority, then enabled, pending, level, active, edge, group1, hw.
 * The virtual timer can be placed by the short path when the word, but for
 * its priority, is exactly: enabled, group 1 (Group 0 is never delivered:
 * EnableGrp0 is RAZ/WI), backed by the PPI, level-sensitive, and idle in
 * the model (not pending, not high, not active: nothing to merge). */
#define VIRQ_WORD_PRIO_MASK 0xffUL
#define VTIMER_WORD_PLACEABLE (1UL << 8 | 1UL << 48 | 1UL << 56)
_Static_assert(__builtin_offsetof(struct virq, enabled) == 1 &&
		       __builtin_offsetof(struct virq, pending) == 2 &&
		       __builtin_offsetof(struct virq, level) == 3 &&
		       __builtin_offsetof(struct virq, active) == 4 &&
		       __builtin_offsetof(struct virq, edge) == 5 &&
		       __builtin_offsetof(struct virq, group1) == 6 &&
		       __builtin_offsetof(struct virq, hw) == 7,
	       "struct virq: the layout VTIMER_WORD_PLACEABLE reads");

/* pc: this CPU. */
typedef u64 __attribute__((may_alias)) u64_alias;

static inline bool vgic_vtimer_place(struct vcpu *v, struct percpu *pc)
{
	struct vgic_cpu *c = &v->vgic;
	const struct virq *irq = &c->priv[INTID_VIRT_TIMER];
	u64 word;

	/* No list register in use or to be rebuilt (dirty may be set by
	 * another CPU at any moment: it kicks this one after); the virq as
	 * above, not in a list register, its group enabled in the
	 * distributor.  Anything else is the general path's. */
	if (*(const volatile u64 *)&c->lr_busy)
		return false;
	/* Placed here before: free unless, against the argument above, the
	 * guest has not completed it (then the general path sorts it out). */
	if (pc->vtimer_lr && (arch_read_lr0_v3() & (ICH_LR_PENDING | ICH_LR_ACTIVE)))
		return false;
	word = *(const u64_alias *)irq; /* 8-aligned: the virq holds a u64 */
	if ((word & ~VIRQ_WORD_PRIO_MASK) != VTIMER_WORD_PLACEABLE || irq->in_lr ||
	    !(v->vm->vgic.ctlr & GICD_CTLR_ENABLE_G1))
		return false;
	arch_write_lr0_v3(INTID_VIRT_TIMER | (word & VIRQ_WORD_PRIO_MASK) << ICH_LR_PRIO_SHIFT |
			  ICH_LR_GROUP1 | ICH_LR_PENDING | ICH_LR_HW |
			  (u64)irq->hw_intid << ICH_LR_PINTID_SHIFT);
	/* This vCPU's own counter (no lock, no race); also its count of the
	 * IRQ exits the short path completed (vm_exits adds it). */
	c->fast_injected++;
	pc->vtimer_lr = true;
	return true;
}

#endif
