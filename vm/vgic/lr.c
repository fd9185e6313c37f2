/* Moving virtual interrupts between the vGIC model and the list registers.
 *
 * On exit, the state of every used list register is copied back into the
 * model (the guest may have acknowledged or completed interrupts); on entry,
 * the list registers are rebuilt from the model, highest priority first.
 * Both are skipped when nothing is in flight, so a plain trap with no
 * interrupts around costs two branches here. */
#include "arch/gic_lr.h"
#include "arch/percpu.h"
#include "drivers/gic.h"
#include "internal.h"
#include "platform.h"
#include "vm/vcpu_ops.h"
#include "vm/vgic.h"
#include "vm/vm.h"

u32 vgic_nr_lrs = 4;

/* vGICv2 SGIs: one source per list register (GICH_LR.CPUID).  Back from
 * the LR: a source still pending joins the others, an active one is
 * remembered so it goes back with the same CPUID the guest will EOI. */
static void sync_sgi_v2(const struct vm *vm, struct virq *irq, u64 lr)
{
	u32 src = (u32)FIELD_GET(GIC_LR_SGI_SRC, lr);

	if (src >= vm->nr_vcpus)
		src = 0; /* never written so: the LR held one of this VM's vCPUs */
	if (lr & ICH_LR_PENDING)
		irq->sgi_src |= (u8)BIT(src);
	if (lr & ICH_LR_ACTIVE)
		irq->sgi_act_src = (u8)src;
	irq->pending = irq->sgi_src != 0;
}

/* List register 0 holds the virtual timer the short path placed
 * (vm/vgic_fast.h) without the model knowing: the model learns it
 * now, as vgic_hw_line(true) and the rebuild would have left it, and the
 * loop below reads the list register back like any other. */
static void fold_vtimer(struct vcpu *v)
{
	struct virq *irq = &v->vgic.priv[INTID_VIRT_TIMER];

	irq->level = true;
	irq->in_lr = true;
	irq->lr_latch = false;
	v->vgic.lr_used |= BIT(0);
	vgic_mark(&v->vm->vgic, &v->vgic, INTID_VIRT_TIMER);
	this_cpu()->vtimer_lr = false;
}

static bool irq_wants_lr(const struct vm *vm, const struct virq *irq)
{
	return irq->active || vgic_irq_deliverable(vm, irq);
}

/* Back from the list registers into the model.  The rebuild is asked for
 * only when one of them may still want a list register (pending, active,
 * or a level line still high): anything else that changed since the last
 * rebuild kicked the vCPU (vgic_change_end, vcpu_kick), which marks it
 * dirty, and an overflow left it dirty. */
void vgic_sync_lrs(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;
	struct vm *vm = v->vm;
	bool again = false;

	if (likely(!c->lr_used) && likely(!this_cpu()->vtimer_lr))
		return;
	spin_lock(&vm->vgic.lock);
	if (this_cpu()->vtimer_lr)
		fold_vtimer(v);
	for (u32 n = 0; n < vgic_nr_lrs; n++) {
		if (!(c->lr_used & BIT(n)))
			continue;
		u64 lr = arch_read_lr(n);
		struct virq *irq = vgic_get_irq(vm, v, (u32)(lr & ICH_LR_VINTID_MASK));
		arch_write_lr(n, 0);
		if (!irq)
			continue;
		irq->in_lr = false;
		irq->active = (lr & ICH_LR_ACTIVE) != 0;
		if (unlikely(vm->vgic.v2) && (lr & ICH_LR_VINTID_MASK) < VGIC_NR_SGIS)
			sync_sgi_v2(vm, irq, lr);
		/* Still pending in the LR and it came from the latch (an edge,
		 * a hardware interrupt or a software ISPENDR write): latch it
		 * again.  A level's line state stays in irq->level. */
		else if ((lr & ICH_LR_PENDING) && irq->lr_latch)
			irq->pending = true;
		irq->lr_latch = false;
		/* Whether it may want a list register again, judged loosely
		 * (enable and group not looked at): a needless rebuild only
		 * costs time. */
		if (irq->pending || irq->active || (!irq->edge && irq->level)) {
			vgic_mark(&vm->vgic, c, (u32)(lr & ICH_LR_VINTID_MASK));
			again = true;
		}
	}
	c->lr_used = 0;
	if (again)
		c->dirty = true; /* rebuild on the way back in */
	spin_unlock(&vm->vgic.lock);
}

/* Drops intid from the candidate bitmaps once it is neither pending nor
 * active: the bitmaps are a superset kept by vgic_mark. */
static void trim(struct vm *vm, struct vcpu *v, u32 intid, const struct virq *irq)
{
	if (irq->pending || irq->level || irq->active || irq->in_lr)
		return;
	if (intid < VGIC_NR_PRIVATE)
		v->vgic.cand &= ~(1u << intid);
	else
		vm->vgic.cand_spi &= ~(1UL << (intid - VGIC_NR_PRIVATE));
}

/* The best candidates not yet placed, lowest priority value first and, at
 * equal priority, in scan order (SGIs and PPIs by INTID, then SPIs).  One
 * more than there are list registers is kept: that one only says the list
 * registers overflow. */
struct lr_picks {
	u32 n, cap;
	struct {
		struct virq *irq;
		u32 intid;
	} e[VGIC_MAX_LRS + 1];
};

static void picks_add(struct lr_picks *p, struct virq *irq, u32 intid)
{
	u32 pos = p->n;

	while (pos > 0 && p->e[pos - 1].irq->priority > irq->priority)
		pos--;
	if (pos >= p->cap)
		return;
	for (u32 i = MIN(p->n, p->cap - 1); i > pos; i--)
		p->e[i] = p->e[i - 1];
	p->e[pos].irq = irq;
	p->e[pos].intid = intid;
	p->n = MIN(p->n + 1, p->cap);
}

static void consider(struct vm *vm, struct vcpu *v, u32 i, struct lr_picks *p)
{
	struct virq *irq = vgic_get_irq(vm, v, i);

	trim(vm, v, i, irq);
	if (irq->in_lr || !irq_wants_lr(vm, irq))
		return;
	if (i >= VGIC_NR_PRIVATE && vgic_target(vm, v, i) != v)
		return;
	picks_add(p, irq, i);
}

/* One scan over the interrupts marked in the candidate bitmaps, keeping the
 * best ones: the rebuild used to scan once per list register. */
static void pick(struct vm *vm, struct vcpu *v, struct lr_picks *p)
{
	u64 spi = vm->vgic.cand_spi;

	for (u32 bits = v->vgic.cand; bits; bits &= bits - 1)
		consider(vm, v, (u32)__builtin_ctz(bits), p);
	for (; spi; spi &= spi - 1)
		consider(vm, v, VGIC_NR_PRIVATE + (u32)__builtin_ctzl(spi), p);
}

/* A vGICv2 SGI takes one list register for one source: the active one if
 * there is one (the guest still has to complete it), else the lowest
 * pending source.  With other sources still pending, the LR asks for a
 * maintenance interrupt on deactivation, so the next one follows then. */
static u64 make_lr_sgi_v2(struct virq *irq, u64 lr)
{
	u32 src;

	if (irq->active) {
		lr |= ICH_LR_ACTIVE | FIELD_PREP(GIC_LR_SGI_SRC, irq->sgi_act_src);
	} else {
		src = irq->sgi_src ? (u32)__builtin_ctz(irq->sgi_src) : 0;
		irq->sgi_src &= (u8)~BIT(src);
		lr |= ICH_LR_PENDING | FIELD_PREP(GIC_LR_SGI_SRC, src);
	}
	irq->pending = irq->sgi_src != 0;
	if (irq->pending)
		lr |= ICH_LR_EOI;
	irq->lr_latch = false;
	irq->in_lr = true;
	return lr;
}

static u64 make_lr(struct vm *vm, struct virq *irq, u32 intid)
{
	u64 lr = intid | ((u64)irq->priority << ICH_LR_PRIO_SHIFT) |
		 (irq->group1 ? ICH_LR_GROUP1 : 0);

	if (unlikely(vm->vgic.v2) && intid < VGIC_NR_SGIS)
		return make_lr_sgi_v2(irq, lr);
	bool pend = irq->pending || (!irq->edge && irq->level);

	if (irq->active)
		lr |= ICH_LR_ACTIVE;
	/* Never pending and active with HW = 1 (IHI 0069H, ICH_LR<n>_EL2.HW):
	 * the physical interrupt holds that state; once the guest's EOI
	 * deactivates it, a line still high fires it again. */
	if (pend && !(irq->hw && irq->active))
		lr |= ICH_LR_PENDING;
	if (irq->hw)
		lr |= ICH_LR_HW | ((u64)irq->hw_intid << ICH_LR_PINTID_SHIFT);
	/* A level-sensitive virtual interrupt with nothing physical behind it
	 * (the emulated physical timer, the vPL011): its line may still be
	 * high when the guest completes it, and on hardware it would be
	 * pending again at once.  Ask for a maintenance interrupt on its
	 * deactivation so EL2 looks at the line then, not at some later exit. */
	else if (!irq->edge && irq->level)
		lr |= ICH_LR_EOI;
	/* The LR now carries the latched pending state; the guest's
	 * acknowledge consumes it (GICv3: activation clears the latch). */
	irq->lr_latch = irq->pending;
	irq->pending = false;
	irq->in_lr = true;
	return lr;
}

void vgic_flush_lrs(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;
	struct vm *vm = v->vm;
	struct lr_picks p;
	bool overflow;
	u32 n;

	if (likely(!c->dirty)) {
		this_cpu()->vgic_work = c->lr_used != 0;
		return;
	}
	p.n = 0;
	p.cap = vgic_nr_lrs + 1;
	spin_lock(&vm->vgic.lock);
	c->dirty = false;
	pick(vm, v, &p);
	for (n = 0; n < p.n && n < vgic_nr_lrs; n++) {
		u64 lr = make_lr(vm, p.e[n].irq, p.e[n].intid);
		arch_write_lr(n, lr);
		vm->irqs_injected += (lr & ICH_LR_PENDING) != 0;
		c->lr_used |= BIT(n);
	}
	overflow = p.n > vgic_nr_lrs;
	spin_unlock(&vm->vgic.lock);
	/* More pending than list registers: ask for a maintenance interrupt
	 * when they drain, and refill then. */
	arch_gic_hcr_write(ICH_HCR_EN | (overflow ? ICH_HCR_UIE : 0));
	if (overflow)
		c->dirty = true;
	this_cpu()->vgic_work = c->lr_used || c->dirty;
}

void vgic_inject_hw(struct vm *vm, struct vcpu *v, u32 intid)
{
	struct virq *irq;

	struct vcpu *target;

	spin_lock(&vm->vgic.lock);
	irq = vgic_get_irq(vm, v, intid);
	if (irq) {
		irq->pending = true;
		vgic_mark(&vm->vgic, &v->vgic, intid);
	}
	target = vgic_target(vm, v, intid);
	spin_unlock(&vm->vgic.lock);
	if (target)
		vcpu_kick(target);
}

/* The line of a hardware-linked private interrupt (the virtual timer's
 * output) sampled on v's own CPU: its level, not a latch, so the guest sees
 * it pending exactly while the source asserts it.  When it has dropped and
 * the guest does not hold the interrupt active, the physical interrupt EL2
 * acknowledged (and left active so it could not fire again) is deactivated:
 * the next assertion reaches EL2 again. */
void vgic_hw_line(struct vcpu *v, u32 intid, bool level)
{
	struct vm *vm = v->vm;
	struct vgic_kicks k = {0};
	struct vgic_change c;
	struct virq *irq;
	bool release = false;

	spin_lock(&vm->vgic.lock);
	irq = vgic_get_irq(vm, v, intid);
	if (irq && irq->hw && intid < VGIC_NR_PRIVATE) {
		vgic_change_begin(vm, v, intid, &c);
		irq->level = level;
		vgic_mark(&vm->vgic, &v->vgic, intid);
		vgic_change_end(vm, v, intid, &c, &k);
		release = !level && !irq->active && !irq->in_lr;
	}
	spin_unlock(&vm->vgic.lock);
	if (release)
		gic_deactivate(irq->hw_intid);
	vgic_kicks_run(vm, &k);
}

void vgic_map_hw(struct vcpu *v, u32 intid, u32 hw_intid)
{
	struct virq *irq = vgic_get_irq(v->vm, v, intid);

	if (irq) {
		irq->hw = true;
		irq->hw_intid = (u16)hw_intid;
		if (intid < VGIC_NR_PRIVATE)
			v->vgic.hw_priv |= 1u << intid;
	}
}

void vgic_vcpu_stop(struct vcpu *v)
{
	for (u32 n = 0; n < vgic_nr_lrs; n++)
		arch_write_lr(n, 0);
	/* A forwarded physical interrupt may still be active on this CPU
	 * (in a list register, or latched while the guest had it disabled);
	 * deactivating an inactive interrupt has no effect. */
	for (u32 m = v->vgic.hw_priv; m; m &= m - 1)
		gic_deactivate(v->vgic.priv[__builtin_ctz(m)].hw_intid);
	v->vgic.lr_used = 0;
	this_cpu()->vtimer_lr = false; /* list register 0 is empty too */
	this_cpu()->lrs_zero = true;
	arch_gic_hcr_write(0);
}
