/* Emulated GICv2 distributor (Arm IHI 0048B, 4.3 "Distributor register
 * descriptions"), 4 KiB at GUEST_GICD_BASE for a VM with a virtual GICv2;
 * dev is the struct vm.  The guest's CPU interface is the host's GICV frame,
 * mapped by Stage-2 (vm/vm.c), so only the distributor traps.
 *
 * A GIC without the Security Extensions: GICD_CTLR has EnableGrp0 [0] and
 * EnableGrp1 [1], IGROUPR is writable, interrupts reset to Group 0.  The
 * registers of INTIDs 0-31 are banked: they act on the accessing vCPU's
 * SGIs and PPIs.  SGIs are sent by writing GICD_SGIR, to the VM's own vCPUs
 * only, and are pending per source vCPU (C/SPENDSGIR); ISPENDR/ICPENDR do
 * not reach SGIs.  ITARGETSR0-7 are read-only and read as the accessing
 * vCPU's own bit; an SPI's ITARGETSR keeps the bits of existing vCPUs and it
 * is delivered to the lowest of them (an SPI with no target to nobody).
 *
 * Access sizes: 32 bits everywhere; also 8 bits for IPRIORITYR, ITARGETSR,
 * CPENDSGIR and SPENDSGIR.  An access of any other size reads 0 and is
 * ignored, as are reserved offsets, read-only registers and INTIDs from
 * VGIC_NR_IRQS up. */
#include "internal.h"
#include "vm/vm.h"

#define GICD_V2_CTLR 0x0000
#define GICD_V2_TYPER 0x0004
#define GICD_V2_IIDR 0x0008
#define GICD_ITARGETSR 0x0800
#define GICD_ITARGETSR_END 0x0c00
#define GICD_SGIR 0x0f00
#define GICD_CPENDSGIR 0x0f10
#define GICD_SPENDSGIR 0x0f20
#define GICD_SGIR_END 0x0f30
#define GICD_V2_ID_BASE 0x0fd0
#define GICD_V2_ID_END 0x1000

/* GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16], NSATT [15]
 * (no Security Extensions: ignored), SGIINTID [3:0]. */
#define GICD_SGIR_FILTER GENMASK(25, 24)
#define GICD_SGIR_TARGETS GENMASK(23, 16)
#define GICD_SGIR_INTID GENMASK(3, 0)
#define SGIR_FILTER_LIST 0
#define SGIR_FILTER_OTHERS 1
#define SGIR_FILTER_SELF 2

/* GICD_TYPER: ITLinesNumber [4:0], CPUNumber [7:5] = vCPUs - 1,
 * SecurityExtn [10] = 0, LSPI [15:11] = 0. */
#define GICD_V2_TYPER_ITLINES GENMASK(4, 0)
#define GICD_V2_TYPER_CPUS GENMASK(7, 5)

#define GICD_V2_CTLR_MASK (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1)

_Static_assert(MAX_VCPUS_PER_VM <= 8, "a GICv2 has 8 CPU interfaces");

/* PIDR4-7, PIDR0-3, CIDR0-3 from 0xFD0 (IHI 0048B 4.3.16: the ID registers
 * are IMPLEMENTATION DEFINED; ARM's layout).  PIDR2 = 0x2B: ArchRev 2, JEDEC,
 * JEP106 identity [2:0] as on the vGICv3; part number 0x0AE. */
static const u8 v2_ids[12] = {
	0x04, 0x00, 0x00, 0x00, /* PIDR4-7 */
	0xae, 0xb0, 0x2b, 0x00, /* PIDR0-3 */
	0x0d, 0xf0, 0x05, 0xb1, /* CIDR0-3 */
};

static u8 vcpus_mask(const struct vm *vm)
{
	return (u8)(BIT(vm->nr_vcpus) - 1);
}

/* The accessing vCPU's CPU interface bit; 0 if it is not one of this VM's. */
static u8 own_mask(const struct vm *vm, const struct vcpu *v)
{
	return v && v->id < vm->nr_vcpus && &vm->vcpus[v->id] == v ? (u8)BIT(v->id) : 0;
}

static u64 raz(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	return 0;
}

/* ------------------------------------------------------------ control */

static u64 ctrl_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	switch (off) {
	case GICD_V2_CTLR: return vm->vgic.ctlr;
	case GICD_V2_TYPER:
		return FIELD_PREP(GICD_V2_TYPER_ITLINES, VGIC_NR_IRQS / 32 - 1) |
		       FIELD_PREP(GICD_V2_TYPER_CPUS, vm->nr_vcpus - 1);
	case GICD_V2_IIDR: return VGIC_IIDR;
	}
	return 0;
}

static void ctrl_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size, u64 val,
		       struct vgic_kicks *k)
{
	u32 old = vm->vgic.ctlr;

	if (off != GICD_V2_CTLR)
		return;
	vm->vgic.ctlr = (u32)val & GICD_V2_CTLR_MASK;
	if (vm->vgic.ctlr != old)
		vgic_enable_changed(vm, old, k);
}

/* ------------------------------------------------------------ banks */

/* ISPENDR0 and ICPENDR0 do not reach SGIs on a GICv2 (C/SPENDSGIR do). */
static void bank_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size, u64 val,
		       struct vgic_kicks *k)
{
	u32 bank = (u32)ALIGN_DOWN(off, GIC_BANK_STRIDE);

	if (intid == 0 && (bank == GIC_ISPENDR || bank == GIC_ICPENDR))
		val &= ~(u64)GENMASK(VGIC_NR_SGIS - 1, 0);
	vgic_bank_write(vm, cpu, bank, intid, (u32)val, k);
}

/* ------------------------------------------------------------ ITARGETSR */

static u64 targets_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	u64 val = 0;

	for (u32 i = 0; i < size; i++) {
		const struct virq *irq = vgic_get_irq(vm, cpu, intid + i);
		u8 t = intid + i < VGIC_NR_PRIVATE ? own_mask(vm, cpu) : irq ? irq->targets : 0;
		val |= (u64)t << (8 * i);
	}
	return val;
}

/* The lowest target vCPU becomes the routing (irouter = its Aff0); with no
 * target, an affinity no vCPU has (Aff1 = 1). */
static void targets_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size,
			  u64 val, struct vgic_kicks *k)
{
	for (u32 i = 0; i < size; i++) {
		struct virq *irq = vgic_get_irq(vm, cpu, intid + i);
		u8 t = (u8)(val >> (8 * i)) & vcpus_mask(vm);
		struct vgic_change c;

		if (!irq || intid + i < VGIC_NR_PRIVATE)
			continue;
		vgic_change_begin(vm, cpu, intid + i, &c);
		irq->targets = t;
		irq->irouter = t ? (u64)__builtin_ctz(t) : FIELD_PREP(GICD_IROUTER_AFF1, 1);
		vgic_change_end(vm, cpu, intid + i, &c, k);
	}
}

/* ------------------------------------------------------------ SGIs */

static void sgi_set(struct vm *vm, struct vcpu *t, u32 intid, u8 add, u8 clear,
		    struct vgic_kicks *k)
{
	struct virq *irq = &t->vgic.priv[intid];
	struct vgic_change c;

	vgic_change_begin(vm, t, intid, &c);
	irq->sgi_src = (u8)((irq->sgi_src | add) & ~clear & vcpus_mask(vm));
	irq->pending = irq->sgi_src != 0;
	vgic_mark(&vm->vgic, &t->vgic, intid);
	vgic_change_end(vm, t, intid, &c, k);
}

static void sgir_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size, u64 val,
		       struct vgic_kicks *k)
{
	u32 sgi = (u32)FIELD_GET(GICD_SGIR_INTID, val);
	u8 self = own_mask(vm, cpu), targets;

	if (off != GICD_SGIR || !self)
		return;
	switch (FIELD_GET(GICD_SGIR_FILTER, val)) {
	case SGIR_FILTER_LIST: targets = (u8)FIELD_GET(GICD_SGIR_TARGETS, val); break;
	case SGIR_FILTER_OTHERS: targets = (u8)~self; break;
	case SGIR_FILTER_SELF: targets = self; break;
	default: return; /* reserved */
	}
	targets &= vcpus_mask(vm); /* only this VM's own vCPUs */
	for (u32 n = 0; n < vm->nr_vcpus; n++)
		if (targets & BIT(n))
			sgi_set(vm, &vm->vcpus[n], sgi, self, 0, k);
}

/* C/SPENDSGIR<n>: one byte per SGI of the accessing vCPU, one bit per source. */
static u64 pendsgi_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	u64 val = 0;

	for (u32 i = 0; i < size && own_mask(vm, cpu); i++)
		val |= (u64)cpu->vgic.priv[intid + i].sgi_src << (8 * i);
	return val;
}

static void pendsgi_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size,
			  u64 val, struct vgic_kicks *k)
{
	bool set = off >= GICD_SPENDSGIR;

	for (u32 i = 0; i < size && own_mask(vm, cpu); i++) {
		u8 b = (u8)(val >> (8 * i));
		if (b)
			sgi_set(vm, cpu, intid + i, set ? b : 0, set ? 0 : b, k);
	}
}

static u64 id_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	u32 i = (u32)(off - GICD_V2_ID_BASE) / 4;

	return i < ARRAY_SIZE(v2_ids) ? v2_ids[i] : 0;
}

/* ------------------------------------------------------------ the map */

/* Every implemented range; anything else is RAZ/WI.  The C/SPENDSGIR
 * entries index SGIs by byte (16 bytes each, 8 bits per SGI). */
static const struct vgic_reg dist_v2_regs[] = {
	VGIC_REG(GICD_V2_CTLR, GIC_IGROUPR, 0, 0, MMIO_W32, ctrl_read, ctrl_write),
	VGIC_REG(GIC_IGROUPR, GIC_IPRIORITYR, GIC_BANK_STRIDE, 1, MMIO_W32, vgic_reg_bank_read,
		 bank_write),
	VGIC_REG(GIC_IPRIORITYR, GICD_ITARGETSR, GICD_ITARGETSR - GIC_IPRIORITYR, 8,
		 MMIO_W8 | MMIO_W32, vgic_reg_prio_read, vgic_reg_prio_write),
	VGIC_REG(GICD_ITARGETSR, GICD_ITARGETSR_END, GICD_ITARGETSR_END - GICD_ITARGETSR, 8,
		 MMIO_W8 | MMIO_W32, targets_read, targets_write),
	VGIC_REG(GIC_ICFGR, GIC_IGRPMODR, GIC_IGRPMODR - GIC_ICFGR, 2, MMIO_W32, vgic_reg_cfg_read,
		 vgic_reg_cfg_write),
	VGIC_REG(GICD_SGIR, GICD_CPENDSGIR, 0, 0, MMIO_W32, raz, sgir_write), /* write-only */
	VGIC_REG(GICD_CPENDSGIR, GICD_SPENDSGIR, 16, 8, MMIO_W8 | MMIO_W32, pendsgi_read,
		 pendsgi_write),
	VGIC_REG(GICD_SPENDSGIR, GICD_SGIR_END, 16, 8, MMIO_W8 | MMIO_W32, pendsgi_read,
		 pendsgi_write),
	VGIC_REG(GICD_V2_ID_BASE, GICD_V2_ID_END, 0, 0, MMIO_W32, id_read, NULL),
};

static u64 dist_v2_read(void *dev, struct vcpu *v, u64 off, unsigned size)
{
	struct vm *vm = dev;
	u64 val;

	spin_lock(&vm->vgic.lock);
	val = vgic_regs_read(dist_v2_regs, ARRAY_SIZE(dist_v2_regs), vm, v, off, size, 0, ~0u);
	spin_unlock(&vm->vgic.lock);
	return val;
}

static void dist_v2_write(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val)
{
	struct vm *vm = dev;
	struct vgic_kicks k = {0};

	spin_lock(&vm->vgic.lock);
	vgic_regs_write(dist_v2_regs, ARRAY_SIZE(dist_v2_regs), vm, v, off, size, val, 0, ~0u, &k);
	spin_unlock(&vm->vgic.lock);
	vgic_kicks_run(vm, &k);
}

const struct mmio_ops vgic_dist_v2_ops = {
	.read = dist_v2_read,
	.write = dist_v2_write,
	.widths = MMIO_W8 | MMIO_W32,
	.impl_size = VGIC_V2_DIST_SIZE,
	.general_only = true, /* the model must see the list registers */
};
