/* Virtual GIC interrupt model (Arm IHI 0069H; the GICv2 differences in
 * vm/vgic/dist_v2.c): the state of every virtual interrupt, when one is deliverable, the
 * interrupt-bank registers that the distributor (vm/vgic/dist.c) and the redistributors
 * (vm/vgic/redist.c) share, and the inputs from outside the guest's MMIO: device lines, edges and
 * SGIs written to ICC_SGI1R_EL1.
 *
 * The guest sees one security state (GICD_CTLR.DS == 1), affinity routing
 * always on (ARE == 1), Group 1 only (EnableGrp0 RAZ/WI, so a Group 0
 * interrupt is never delivered), no LPIs.  vCPU n has virtual MPIDR
 * Aff3.Aff2.Aff1.Aff0 = 0.0.0.n.
 *
 * Deliverable (vgic_irq_deliverable), precisely:
 *   pending-state = pending latch || (level-sensitive && line level high)
 *   deliverable   = GICD_CTLR.EnableGrp1 && group 1 && enabled &&
 *                   pending-state && !in_lr
 * Active does not block delivery: an active level interrupt whose line is
 * still high is "pending and active", which the list-register code may
 * present as such.  The target is not part of the definition: an SPI whose
 * IROUTER names no vCPU is deliverable to nobody.
 *
 * Kicks: a vCPU is kicked (after the lock is dropped, at most once per
 * operation) when
 *   - an interrupt starts needing a list register of that vCPU: it becomes
 *     deliverable, or active while not in an LR (vm/vgic/lr.c carries
 *     active interrupts too, so the guest's deactivation finds them), having
 *     needed none before or having been routed elsewhere;
 *   - an interrupt it holds in a list register (in_lr) changes state;
 * so that its list registers are rebuilt from the model (vcpu_kick marks
 * them dirty).  in_lr belongs to the list-register code: nothing here ever
 * sets or clears it. */
#include "lib.h"
#include "internal.h"
#include "vm/vcpu_ops.h"
#include "vm/vm.h"

/* ICC_SGI1R_EL1 (Arm ARM D19.2, ICC_SGI1R_EL1). */
#define SGI1R_TARGETLIST GENMASK(15, 0)
#define SGI1R_AFF1 GENMASK(23, 16)
#define SGI1R_INTID GENMASK(27, 24)
#define SGI1R_AFF2 GENMASK(39, 32)
#define SGI1R_IRM BIT(40)
#define SGI1R_RS GENMASK(47, 44)
#define SGI1R_AFF3 GENMASK(55, 48)

/* PIDR4-7, PIDR0-3, CIDR0-3 in address order from 0xFFD0 (IHI 0069H,
 * "Identification registers").  PIDR2 = 0x3B: ArchRev 3 (GICv3) [7:4], JEDEC [3], JEP106
 * identity bits [6:4] = 3 [2:0]; PIDR1 [7:4] and PIDR4 [3:0] carry the rest
 * of that code (identity 0x3B, continuation 4) so the fields agree.  Part
 * number 0x0AE; PIDR4.SIZE 4 = 64 KiB frame.  CIDR0-3: the CoreSight
 * component preamble. */
static const u8 vgic_ids[12] = {
	0x44, 0x00, 0x00, 0x00, /* PIDR4-7 */
	0xae, 0xb0, 0x3b, 0x00, /* PIDR0-3 */
	0x0d, 0xf0, 0x05, 0xb1, /* CIDR0-3 */
};

static bool vcpu_of(const struct vm *vm, const struct vcpu *v)
{
	return v && v->id < vm->nr_vcpus && &vm->vcpus[v->id] == v;
}

static void virq_reset(struct virq *irq, u32 intid, bool v2)
{
	/* Priority 0, disabled, idle; SGIs edge, PPIs and SPIs level.  GICv3:
	 * Group 1 at reset (IMPLEMENTATION DEFINED with DS == 1): the only group
	 * a guest can enable, so a bare-metal guest that never writes IGROUPR
	 * still gets its interrupts.  GICv2: Group 0, as on a GIC without the
	 * Security Extensions, which is what Linux's GICv2 driver enables.
	 * IROUTER 0 = vCPU 0; on a GICv2, ITARGETSR names vCPU 0 to match. */
	*irq = (struct virq){.edge = intid < VGIC_NR_SGIS,
			     .group1 = !v2,
			     .targets = intid >= VGIC_NR_PRIVATE && v2 ? 1 : 0};
}

/* The lock is left alone: a zeroed struct vm holds a free lock, and a
 * re-initialisation (VM restart) must not break a ticket in flight. */
__cold void vgic_init(struct vm *vm)
{
	u32 n, i;

	bool v2 = vm->vgic.v2;

	vm->vgic.ctlr = v2 ? 0 : GICD_CTLR_ARE | GICD_CTLR_DS;
	vm->vgic.cand_spi = 0;
	for (i = 0; i < VGIC_NR_SPIS; i++)
		virq_reset(&vm->vgic.spi[i], VGIC_NR_PRIVATE + i, v2);
	for (n = 0; n < MAX_VCPUS_PER_VM; n++) {
		struct vgic_cpu *c = &vm->vcpus[n].vgic;

		/* The VM's totals survive: injections, and the IRQ exits the
		 * short path counted as them (vm_exits). */
		vm->irqs_injected += c->fast_injected;
		vm->vcpus[n].exits[EXIT_IRQ] += c->fast_injected;
		memset(c, 0, sizeof(*c));
		for (i = 0; i < VGIC_NR_PRIVATE; i++)
			virq_reset(&c->priv[i], i, v2);
		c->sleeping = true; /* GICR_WAKER.ProcessorSleep = 1 */
	}
}

struct virq *vgic_get_irq(struct vm *vm, struct vcpu *v, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu_of(vm, v) ? &v->vgic.priv[intid] : NULL;
	if (intid < VGIC_NR_IRQS)
		return &vm->vgic.spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

/* IRM = 1 (1 of N) is delivered to vCPU 0, always a participating PE. */
static struct vcpu *irouter_target(struct vm *vm, u64 irouter)
{
	u64 aff0 = FIELD_GET(GICD_IROUTER_AFF0, irouter);

	if (irouter & GICD_IROUTER_IRM)
		return vm->nr_vcpus ? &vm->vcpus[0] : NULL;
	if (irouter & (GICD_IROUTER_AFF1 | GICD_IROUTER_AFF2 | GICD_IROUTER_AFF3))
		return NULL;
	return aff0 < vm->nr_vcpus ? &vm->vcpus[aff0] : NULL;
}

/* Caller holds the lock (IROUTER is read). */
struct vcpu *vgic_target(struct vm *vm, struct vcpu *v, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu_of(vm, v) ? v : NULL;
	if (intid < VGIC_NR_IRQS)
		return irouter_target(vm, vm->vgic.spi[intid - VGIC_NR_PRIVATE].irouter);
	return NULL;
}

static bool virq_pending_state(const struct virq *irq)
{
	return irq->pending || (!irq->edge && irq->level);
}

static bool virq_deliverable(u32 ctlr, const struct virq *irq)
{
	return vgic_ctlr_armed(ctlr, irq) && virq_pending_state(irq) && !irq->in_lr;
}

bool vgic_irq_deliverable(const struct vm *vm, const struct virq *irq)
{
	return virq_deliverable(vm->vgic.ctlr, irq);
}

/* Wants a list register it does not have yet. */
static bool virq_needs_lr(u32 ctlr, const struct virq *irq)
{
	return virq_deliverable(ctlr, irq) || (irq->active && !irq->in_lr);
}

/* ------------------------------------------------------------ kicks */

static void kicks_add(struct vgic_kicks *k, const struct vcpu *v)
{
	if (v)
		k->mask |= 1u << v->id;
}

void vgic_kicks_run(struct vm *vm, const struct vgic_kicks *k)
{
	u32 n;

	for (n = 0; n < vm->nr_vcpus; n++)
		if (k->mask & (1u << n))
			vcpu_kick(&vm->vcpus[n]);
}

static bool virq_same(const struct virq *a, const struct virq *b)
{
	return a->priority == b->priority && a->enabled == b->enabled && a->pending == b->pending &&
	       a->level == b->level && a->active == b->active && a->edge == b->edge &&
	       a->group1 == b->group1 && a->hw == b->hw && a->hw_intid == b->hw_intid &&
	       a->irouter == b->irouter && a->sgi_src == b->sgi_src &&
	       a->sgi_act_src == b->sgi_act_src;
}

void vgic_change_begin(struct vm *vm, struct vcpu *cpu, u32 intid, struct vgic_change *c)
{
	const struct virq *irq = vgic_get_irq(vm, cpu, intid);

	c->old = *irq;
	c->old_target = vgic_target(vm, cpu, intid);
	c->needed_lr = virq_needs_lr(vm->vgic.ctlr, irq);
}

void vgic_change_end(struct vm *vm, struct vcpu *cpu, u32 intid, const struct vgic_change *c,
		     struct vgic_kicks *k)
{
	const struct virq *irq = vgic_get_irq(vm, cpu, intid);
	struct vcpu *target = vgic_target(vm, cpu, intid);

	if (irq->pending || irq->level || irq->active)
		vgic_mark(&vm->vgic, cpu ? &cpu->vgic : NULL, intid);

	if (virq_needs_lr(vm->vgic.ctlr, irq) && (!c->needed_lr || target != c->old_target))
		kicks_add(k, target);
	if (c->old.in_lr && !virq_same(&c->old, irq))
		kicks_add(k, c->old_target);
}

static __cold void enable_changed_one(struct vm *vm, u32 old_ctlr, struct vcpu *cpu, u32 intid,
				      struct vgic_kicks *k)
{
	const struct virq *irq = vgic_get_irq(vm, cpu, intid);

	if (irq->in_lr || (virq_needs_lr(vm->vgic.ctlr, irq) && !virq_needs_lr(old_ctlr, irq)))
		kicks_add(k, vgic_target(vm, cpu, intid));
}

__cold void vgic_enable_changed(struct vm *vm, u32 old_ctlr, struct vgic_kicks *k)
{
	u32 n, i;

	for (n = 0; n < vm->nr_vcpus; n++)
		for (i = 0; i < VGIC_NR_PRIVATE; i++)
			enable_changed_one(vm, old_ctlr, &vm->vcpus[n], i, k);
	for (i = VGIC_NR_PRIVATE; i < VGIC_NR_IRQS; i++)
		enable_changed_one(vm, old_ctlr, NULL, i, k);
}

/* ------------------------------------------------------------ register banks */

static bool bank_get(const struct virq *irq, u32 bank)
{
	switch (bank) {
	case GIC_IGROUPR: return irq->group1;
	case GIC_ISENABLER:
	case GIC_ICENABLER: return irq->enabled;
	case GIC_ISPENDR:
	case GIC_ICPENDR: return virq_pending_state(irq);
	case GIC_ISACTIVER:
	case GIC_ICACTIVER: return irq->active;
	}
	return false;
}

/* Applies bit b of a write: IGROUPR stores it, the others act on a 1.
 * Clearing the latch of a level interrupt whose line is high leaves it
 * pending: the pending state of a level-sensitive interrupt follows the
 * line until the latch is set again (IHI 0069H, GICD_ICPENDR<n>). */
static void bank_set(struct virq *irq, u32 bank, bool b)
{
	switch (bank) {
	case GIC_IGROUPR: irq->group1 = b; break;
	case GIC_ISENABLER: irq->enabled |= b; break;
	case GIC_ICENABLER: irq->enabled &= !b; break;
	case GIC_ISPENDR: irq->pending |= b; break;
	case GIC_ICPENDR: irq->pending &= !b; break;
	case GIC_ISACTIVER: irq->active |= b; break;
	case GIC_ICACTIVER: irq->active &= !b; break;
	}
}

__cold u32 vgic_bank_read(struct vm *vm, struct vcpu *cpu, u32 bank, u32 intid)
{
	u32 val = 0, i;

	for (i = 0; i < 32; i++) {
		const struct virq *irq = vgic_get_irq(vm, cpu, intid + i);

		if (irq && bank_get(irq, bank))
			val |= 1u << i;
	}
	return val;
}

__cold void vgic_bank_write(struct vm *vm, struct vcpu *cpu, u32 bank, u32 intid, u32 val,
			    struct vgic_kicks *k)
{
	u32 i;

	for (i = 0; i < 32; i++) {
		struct virq *irq = vgic_get_irq(vm, cpu, intid + i);
		struct vgic_change c;

		if (!irq)
			continue;
		vgic_change_begin(vm, cpu, intid + i, &c);
		bank_set(irq, bank, (val >> i) & 1);
		vgic_change_end(vm, cpu, intid + i, &c, k);
	}
}

__cold u32 vgic_prio_read(struct vm *vm, struct vcpu *cpu, u32 intid, unsigned n)
{
	u32 val = 0, i;

	for (i = 0; i < n; i++) {
		const struct virq *irq = vgic_get_irq(vm, cpu, intid + i);

		if (irq)
			val |= (u32)irq->priority << (8 * i);
	}
	return val;
}

__cold void vgic_prio_write(struct vm *vm, struct vcpu *cpu, u32 intid, unsigned n, u32 val,
			    struct vgic_kicks *k)
{
	u32 i;

	for (i = 0; i < n; i++) {
		struct virq *irq = vgic_get_irq(vm, cpu, intid + i);
		struct vgic_change c;

		if (!irq)
			continue;
		vgic_change_begin(vm, cpu, intid + i, &c);
		irq->priority = (val >> (8 * i)) & VGIC_PRIO_MASK;
		vgic_change_end(vm, cpu, intid + i, &c, k);
	}
}

/* ICFGR: two bits per interrupt, Int_config[1] = 1 for edge-triggered,
 * Int_config[0] RES0 (IHI 0069H, GICD_ICFGR<n>). */
__cold u32 vgic_cfg_read(struct vm *vm, struct vcpu *cpu, u32 intid)
{
	u32 val = 0, i;

	for (i = 0; i < 16; i++) {
		const struct virq *irq = vgic_get_irq(vm, cpu, intid + i);

		if (irq && irq->edge)
			val |= 2u << (2 * i);
	}
	return val;
}

/* Only SPIs are configurable: SGIs are always edge, PPIs always level. */
__cold void vgic_cfg_write(struct vm *vm, struct vcpu *cpu, u32 intid, u32 val,
			   struct vgic_kicks *k)
{
	u32 i;

	for (i = 0; i < 16; i++) {
		struct virq *irq = vgic_get_irq(vm, cpu, intid + i);
		struct vgic_change c;

		if (!irq || intid + i < VGIC_NR_PRIVATE)
			continue;
		vgic_change_begin(vm, cpu, intid + i, &c);
		irq->edge = (val >> (2 * i + 1)) & 1;
		vgic_change_end(vm, cpu, intid + i, &c, k);
	}
}

__cold u32 vgic_id_read(u32 off)
{
	u32 i = (off - GIC_ID_BASE) / 4;

	return i < ARRAY_SIZE(vgic_ids) ? vgic_ids[i] : 0;
}

/* ------------------------------------------------------------ inputs */

/* A rising line latches an edge-triggered interrupt; a level-sensitive one
 * is pending for as long as the line is high. */
void vgic_set_level(struct vm *vm, struct vcpu *v, u32 intid, bool level)
{
	struct vgic_kicks k = {0};
	struct vgic_change c;
	struct virq *irq;

	spin_lock(&vm->vgic.lock);
	irq = vgic_get_irq(vm, v, intid);
	if (irq) {
		vgic_change_begin(vm, v, intid, &c);
		if (irq->edge && level && !irq->level)
			irq->pending = true;
		irq->level = level;
		vgic_mark(&vm->vgic, v ? &v->vgic : NULL, intid);
		vgic_change_end(vm, v, intid, &c, &k);
	}
	spin_unlock(&vm->vgic.lock);
	vgic_kicks_run(vm, &k);
}

/* Latches the pending state whatever the configuration, as GICD_ISPENDR
 * does. */
void vgic_inject_edge(struct vm *vm, struct vcpu *v, u32 intid)
{
	struct vgic_kicks k = {0};
	struct vgic_change c;
	struct virq *irq;

	spin_lock(&vm->vgic.lock);
	irq = vgic_get_irq(vm, v, intid);
	if (irq) {
		vgic_change_begin(vm, v, intid, &c);
		irq->pending = true;
		vgic_change_end(vm, v, intid, &c, &k);
	}
	spin_unlock(&vm->vgic.lock);
	vgic_kicks_run(vm, &k);
}

/* vgic_change_begin/end specialised to the one field an SGI write changes
 * (the pending latch of t's private INTID): the target is t itself, so it
 * is kicked when the SGI newly wants a list register, or when it sits in
 * one and its state changed.  Every Linux IPI takes this path. */
static void sgi_raise(struct vm *vm, struct vcpu *t, u32 intid, struct vgic_kicks *k)
{
	struct virq *irq = &t->vgic.priv[intid];
	bool needed = virq_needs_lr(vm->vgic.ctlr, irq), was = irq->pending;

	irq->pending = true;
	vgic_mark(&vm->vgic, &t->vgic, intid);
	if ((!needed && virq_needs_lr(vm->vgic.ctlr, irq)) || (irq->in_lr && !was))
		kicks_add(k, t);
}

/* IRM = 1: every vCPU but the writer.  Otherwise the vCPUs whose affinity
 * is Aff3.Aff2.Aff1.(RS * 16 + b) for each set TargetList bit b; as every
 * vCPU has Aff3-Aff1 = 0, other affinities name nobody.  Targets that do not
 * exist are ignored: the write has no effect for them. */
static void sgi1r_targets(struct vm *vm, const struct vcpu *src, u64 val, struct vgic_kicks *k)
{
	u32 intid = (u32)FIELD_GET(SGI1R_INTID, val);
	u64 list = FIELD_GET(SGI1R_TARGETLIST, val);
	u64 base = FIELD_GET(SGI1R_RS, val) * 16;
	u32 n;

	if (val & SGI1R_IRM) {
		for (n = 0; n < vm->nr_vcpus; n++)
			if (&vm->vcpus[n] != src)
				sgi_raise(vm, &vm->vcpus[n], intid, k);
		return;
	}
	if (val & (SGI1R_AFF1 | SGI1R_AFF2 | SGI1R_AFF3) || base >= vm->nr_vcpus)
		return;
	/* Only the bits naming vCPUs that exist (nr_vcpus - base of them). */
	if (vm->nr_vcpus - base < 16)
		list &= BIT(vm->nr_vcpus - base) - 1;
	for (; list; list &= list - 1)
		sgi_raise(vm, &vm->vcpus[base + (u32)__builtin_ctzl(list)], intid, k);
}

void vgic_sgi1r_write(struct vcpu *v, u64 val)
{
	struct vm *vm = v ? v->vm : NULL;
	struct vgic_kicks k = {0};

	if (!vm || !vcpu_of(vm, v) || vm->vgic.v2) /* a GICv2 has no ICC_SGI1R_EL1 */
		return;
	spin_lock(&vm->vgic.lock);
	sgi1r_targets(vm, v, val, &k);
	spin_unlock(&vm->vgic.lock);
	vgic_kicks_run(vm, &k);
}

/* Whether v must not sleep in WFI: an interrupt routed to v that is armed
 * (EnableGrp1, group 1, enabled) and in the pending state, judged from the
 * model alone.  An interrupt marked in_lr counts when the model shows it
 * pending; the list registers themselves (or v->vgic.lr) are not decoded.
 * vm/vgic/lr.c folds them back into the model on every exit, before a WFI
 * is handled, so nothing pending hides in them then. */
static bool vcpu_may_take(struct vm *vm, struct vcpu *v, u32 i)
{
	const struct virq *irq = vgic_get_irq(vm, v, i);

	return vgic_ctlr_armed(vm->vgic.ctlr, irq) && virq_pending_state(irq) &&
	       vgic_target(vm, v, i) == v;
}

bool vgic_vcpu_has_pending(struct vcpu *v)
{
	struct vm *vm = v ? v->vm : NULL;
	bool found = false;
	u64 spi;
	u32 bits;

	if (!vm || !vcpu_of(vm, v))
		return false;
	spin_lock(&vm->vgic.lock);
	/* Only interrupts marked as possibly pending (vgic_mark) can be. */
	for (bits = v->vgic.cand; bits && !found; bits &= bits - 1)
		found = vcpu_may_take(vm, v, (u32)__builtin_ctz(bits));
	for (spi = vm->vgic.cand_spi; spi && !found; spi &= spi - 1)
		found = vcpu_may_take(vm, v, VGIC_NR_PRIVATE + (u32)__builtin_ctzl(spi));
	spin_unlock(&vm->vgic.lock);
	return found;
}
