/* Emulated GICv3 distributor (Arm IHI 0069H, "The GIC Distributor register
 * descriptions"), 64 KiB at GUEST_GICD_BASE; dev is the struct vm.
 *
 * Affinity routing is always on, so every register or register field that
 * covers SGIs and PPIs (INTIDs 0-31) is RAZ/WI here: the redistributors own
 * them.  So are ITARGETSR, SGIR, C/SPENDSGIR, IGRPMODR, NSACR, the message
 * based SPI registers and every reserved offset, as are INTIDs from
 * VGIC_NR_IRQS up.
 *
 * Access sizes: 32 bits everywhere; also 8 bits for IPRIORITYR and
 * ITARGETSR, and 64 bits for IROUTER (which takes 32-bit halves too).  An
 * access of any other size to a register reads 0 and is ignored. */
#include "internal.h"
#include "vm/vm.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_STATUSR 0x0010
#define GICD_ITARGETSR 0x0800
#define GICD_IROUTER 0x6000
#define GICD_IROUTER_END 0x7fe0 /* IROUTER<1019> is the last */

/* GICD_TYPER: ITLinesNumber [4:0] = SPI INTID limit / 32 - 1, CPUNumber
 * [7:5] = 0 (meaningless with ARE), IDbits [23:19] = 9 (10-bit INTIDs),
 * A3V [24] = 1 (Aff3 is decoded: every vCPU has Aff3 = 0),
 * No1N [25] = 0 (IRM = 1 honoured).  SecurityExtn [10] = 0 (DS == 1),
 * no LPIs [17], MBIS [16], ESPI [8] or RSS [26] (Aff0 never exceeds 15). */
#define GICD_TYPER_ITLINES GENMASK(4, 0)
#define GICD_TYPER_IDBITS GENMASK(23, 19)
#define GICD_TYPER_A3V BIT(24)
#define VGIC_TYPER                                                     \
	((u32)(FIELD_PREP(GICD_TYPER_ITLINES, VGIC_NR_IRQS / 32 - 1) | \
	       FIELD_PREP(GICD_TYPER_IDBITS, 9) | GICD_TYPER_A3V))

_Static_assert(VGIC_NR_IRQS % 32 == 0, "ITLinesNumber counts blocks of 32 INTIDs");

/* ------------------------------------------------------------ control */

static u32 ctrl_read(struct vm *vm, u32 off)
{
	switch (off) {
	case GICD_CTLR: return vm->vgic.ctlr; /* RWP never set: writes complete at once */
	case GICD_TYPER: return VGIC_TYPER;
	case GICD_IIDR: return VGIC_IIDR;
	}
	return 0; /* TYPER2, STATUSR */
}

/* Only EnableGrp1 is writable: EnableGrp0 RAZ/WI (no Group 0), ARE and DS
 * RAO/WI. */
static void ctlr_write(struct vm *vm, u32 val, struct vgic_kicks *k)
{
	u32 old = vm->vgic.ctlr;

	vm->vgic.ctlr = (old & ~GICD_CTLR_ENABLE_G1) | (val & GICD_CTLR_ENABLE_G1);
	if (vm->vgic.ctlr != old)
		vgic_enable_changed(vm, old, k);
}

/* ------------------------------------------------------------ IROUTER */

/* IROUTER<n> of SPI n (32-bit halves or the whole register); the table
 * sends only n >= 32 here, and INTIDs from VGIC_NR_IRQS up have no virq. */
static u64 irouter_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	u64 val;

	if (intid >= VGIC_NR_IRQS)
		return 0;
	val = vm->vgic.spi[intid - VGIC_NR_PRIVATE].irouter;
	if (size == 4)
		val = (off & 4) ? val >> 32 : val & 0xffffffffUL;
	return val;
}

static void irouter_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size,
			  u64 val, struct vgic_kicks *k)
{
	struct virq *irq;
	struct vgic_change c;

	if (intid >= VGIC_NR_IRQS)
		return;
	irq = &vm->vgic.spi[intid - VGIC_NR_PRIVATE];
	if (size == 4 && (off & 4))
		val = (irq->irouter & 0xffffffffUL) | (val << 32);
	else if (size == 4)
		val = (irq->irouter & ~0xffffffffUL) | (val & 0xffffffffUL);
	vgic_change_begin(vm, NULL, intid, &c);
	irq->irouter = val & GICD_IROUTER_MASK;
	vgic_change_end(vm, NULL, intid, &c, k);
}

/* ------------------------------------------------------------ the map */

static u64 ctrl_reg_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	return ctrl_read(vm, (u32)off);
}

static void ctrl_reg_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size,
			   u64 val, struct vgic_kicks *k)
{
	if (off == GICD_CTLR)
		ctlr_write(vm, (u32)val, k);
}

/* Every implemented range of the distributor; anything else is RAZ/WI.
 * Per-INTID registers cover SPIs only (INTIDs 0-31 belong to the
 * redistributors): see vgic_regs_read's lo bound below. */
static const struct vgic_reg dist_regs[] = {
	VGIC_REG(GICD_CTLR, GIC_IGROUPR, 0, 0, MMIO_W32, ctrl_reg_read, ctrl_reg_write),
	VGIC_REG(GIC_IGROUPR, GIC_IPRIORITYR, GIC_BANK_STRIDE, 1, MMIO_W32, vgic_reg_bank_read,
		 vgic_reg_bank_write),
	VGIC_REG(GIC_IPRIORITYR, GICD_ITARGETSR, GICD_ITARGETSR - GIC_IPRIORITYR, 8,
		 MMIO_W8 | MMIO_W32, vgic_reg_prio_read, vgic_reg_prio_write),
	VGIC_REG(GIC_ICFGR, GIC_IGRPMODR, GIC_IGRPMODR - GIC_ICFGR, 2, MMIO_W32, vgic_reg_cfg_read,
		 vgic_reg_cfg_write),
	VGIC_REG(GICD_IROUTER, GICD_IROUTER_END, GICD_IROUTER_END - GICD_IROUTER, 64,
		 MMIO_W32 | MMIO_W64, irouter_read, irouter_write),
	VGIC_REG(GIC_ID_BASE, GIC_ID_END, 0, 0, MMIO_W32, vgic_reg_id_read, NULL),
};

static u64 dist_read(void *dev, struct vcpu *v, u64 off, unsigned size)
{
	struct vm *vm = dev;
	u64 val;

	spin_lock(&vm->vgic.lock);
	val = vgic_regs_read(dist_regs, ARRAY_SIZE(dist_regs), vm, NULL, off, size, VGIC_NR_PRIVATE,
			     ~0u);
	spin_unlock(&vm->vgic.lock);
	return val;
}

static void dist_write(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val)
{
	struct vm *vm = dev;
	struct vgic_kicks k = {0};

	spin_lock(&vm->vgic.lock);
	vgic_regs_write(dist_regs, ARRAY_SIZE(dist_regs), vm, NULL, off, size, val, VGIC_NR_PRIVATE,
			~0u, &k);
	spin_unlock(&vm->vgic.lock);
	vgic_kicks_run(vm, &k);
}

const struct mmio_ops vgic_dist_ops = {
	.read = dist_read,
	.write = dist_write,
	.widths = MMIO_W8 | MMIO_W32 | MMIO_W64,
	.impl_size = VGIC_DIST_SIZE,
	.general_only = true, /* the model must see the list registers */
};
