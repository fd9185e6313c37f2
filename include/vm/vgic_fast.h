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
 * the model under the lock before it acts (vgic_sync_lrs), so the model is
 * current whenever anything decides from it.  Meanwhile another vCPU
 * reading this one's redistributor sees the timer idle, as if its line had
 * risen a moment later; a write it makes there kicks this vCPU, and that
 * exit folds first.
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

static inline bool vgic_vtimer_place(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;
	const struct virq *irq = &c->priv[INTID_VIRT_TIMER];

	/* Idle in the model (nothing to merge), a level-sensitive interrupt
	 * backed by the PPI, enabled with its group, and no list register in
	 * use or to be rebuilt; anything else is the general path's.  dirty
	 * may be set by another CPU at any moment: it kicks this one after. */
	if (c->lr_used || __atomic_load_n(&c->dirty, __ATOMIC_RELAXED) || !irq->hw || irq->edge ||
	    irq->level || irq->pending || irq->active || irq->in_lr ||
	    !vgic_ctlr_armed(v->vm->vgic.ctlr, irq))
		return false;
	arch_write_lr0_v3(INTID_VIRT_TIMER | ((u64)irq->priority << ICH_LR_PRIO_SHIFT) |
			  (irq->group1 ? ICH_LR_GROUP1 : 0) | ICH_LR_PENDING | ICH_LR_HW |
			  ((u64)irq->hw_intid << ICH_LR_PINTID_SHIFT));
	c->fast_injected++; /* this vCPU's own counter: no lock, no race */
	this_cpu()->vtimer_lr = true;
	return true;
}

#endif
