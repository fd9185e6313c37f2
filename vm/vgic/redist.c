/* Emulated GICv3 redistributors (Arm IHI 0069H, "The GIC Redistributor
 * register descriptions"): one 128 KiB frame pair per vCPU, vCPU n at
 * n * VGIC_REDIST_STRIDE, its RD_base frame first and its SGI_base frame
 * 64 KiB above; dev is the struct vm.
 *
 * The ops are shared by every VM, so impl_size covers the largest VM; the
 * region is registered with nr_vcpus frame pairs, and a frame past the
 * VM's last vCPU is RAZ/WI here as well.
 *
 * No LPIs: GICR_CTLR, STATUSR, PROPBASER, PENDBASER and the LPI registers
 * are RAZ/WI; so are IGRPMODR0, NSACR, the extended PPI ranges and every
 * reserved offset.  Access sizes: 32 bits everywhere; also 64 bits for
 * GICR_TYPER (which takes 32-bit halves too) and 8 bits for IPRIORITYR<n>.
 * An access of any other size reads 0 and is ignored. */
#include "internal.h"
#include "vm/vm.h"

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_TYPER_HI 0x000c
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_SGI_BASE 0x10000
#define GICR_IPRIORITYR_END (GIC_IPRIORITYR + VGIC_NR_PRIVATE)
#define GICR_ICFGR0 (GIC_ICFGR + 0)
#define GICR_ICFGR1 (GIC_ICFGR + 4)

/* GICR_TYPER: Affinity_Value [63:32] (Aff3.Aff2.Aff1.Aff0),
 * Processor_Number [23:8], Last [4]; PLPIS, VLPIS, DirectLPI, DPGS,
 * CommonLPIAff and PPInum all 0 (no LPIs; 16 PPIs). */
#define GICR_TYPER_LAST BIT(4)
#define GICR_TYPER_PROC_NUM GENMASK(23, 8)
#define GICR_TYPER_AFFINITY GENMASK(63, 32)

/* GICR_WAKER: ProcessorSleep [1], ChildrenAsleep [2] (RO, follows
 * ProcessorSleep at once: nothing to quiesce). */
#define GICR_WAKER_PSLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)

_Static_assert(MAX_VCPUS_PER_VM <= 256, "vCPU index must fit Aff0");

static u64 typer(const struct vm *vm, u32 n)
{
	u64 val = FIELD_PREP(GICR_TYPER_AFFINITY, n) | FIELD_PREP(GICR_TYPER_PROC_NUM, n);

	return n + 1 == vm->nr_vcpus ? val | GICR_TYPER_LAST : val;
}

/* ------------------------------------------------------------ RD_base */

static u64 rd_read(struct vm *vm, struct vcpu *cpu, u64 off, unsigned size)
{
	if (off == GICR_TYPER && size == 8)
		return typer(vm, cpu->id);
	if (size != 4)
		return 0;
	switch (off) {
	case GICR_IIDR: return VGIC_IIDR;
	case GICR_TYPER: return typer(vm, cpu->id) & 0xffffffffUL;
	case GICR_TYPER_HI: return typer(vm, cpu->id) >> 32;
	case GICR_WAKER:
		return cpu->vgic.sleeping ? GICR_WAKER_PSLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0;
	}
	if (vgic_in(off, GIC_ID_BASE, GIC_ID_END))
		return vgic_id_read((u32)off);
	return 0; /* CTLR, STATUSR, LPI registers */
}

static void rd_write(struct vm *vm, struct vcpu *cpu, u64 off, unsigned size, u64 val)
{
	if (off == GICR_WAKER && size == 4)
		cpu->vgic.sleeping = (val & GICR_WAKER_PSLEEP) != 0;
}

/* ------------------------------------------------------------ SGI_base */

/* Bank registers exist only for INTIDs 0-31: the first of each bank. */
/* The SGI_base frame: the first register of each interrupt bank, the
 * priorities and ICFGR0/1 of INTIDs 0-31 (the lo/hi bounds below).
 * ICFGR0 (SGIs, always edge) and ICFGR1 (PPIs, always level) are
 * read-only. */
static const struct vgic_reg sgi_regs[] = {
	VGIC_REG(GIC_IGROUPR, GIC_IPRIORITYR, GIC_BANK_STRIDE, 1, MMIO_W32, vgic_reg_bank_read,
		 vgic_reg_bank_write),
	VGIC_REG(GIC_IPRIORITYR, GICR_IPRIORITYR_END, GICR_IPRIORITYR_END - GIC_IPRIORITYR, 8,
		 MMIO_W8 | MMIO_W32, vgic_reg_prio_read, vgic_reg_prio_write),
	VGIC_REG(GICR_ICFGR0, GICR_ICFGR1 + 4, 8, 2, MMIO_W32, vgic_reg_cfg_read, NULL),
};

/* ------------------------------------------------------------ dispatch */

/* The vCPU whose frame pair holds off, and off within that pair. */
static struct vcpu *frame_cpu(struct vm *vm, u64 *off)
{
	u64 n = *off / VGIC_REDIST_STRIDE;

	*off %= VGIC_REDIST_STRIDE;
	return n < vm->nr_vcpus ? &vm->vcpus[n] : NULL;
}

static u64 redist_read(void *dev, struct vcpu *v, u64 off, unsigned size)
{
	struct vm *vm = dev;
	struct vcpu *cpu = frame_cpu(vm, &off);
	u64 val = 0;

	if (!cpu)
		return 0;
	spin_lock(&vm->vgic.lock);
	if (off < GICR_SGI_BASE)
		val = rd_read(vm, cpu, off, size);
	else
		val = vgic_regs_read(sgi_regs, ARRAY_SIZE(sgi_regs), vm, cpu, off - GICR_SGI_BASE,
				     size, 0, VGIC_NR_PRIVATE);
	spin_unlock(&vm->vgic.lock);
	return val;
}

static void redist_write(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val)
{
	struct vm *vm = dev;
	struct vcpu *cpu = frame_cpu(vm, &off);
	struct vgic_kicks k = {0};

	if (!cpu)
		return;
	spin_lock(&vm->vgic.lock);
	if (off < GICR_SGI_BASE)
		rd_write(vm, cpu, off, size, val);
	else
		vgic_regs_write(sgi_regs, ARRAY_SIZE(sgi_regs), vm, cpu, off - GICR_SGI_BASE, size,
				val, 0, VGIC_NR_PRIVATE, &k);
	spin_unlock(&vm->vgic.lock);
	vgic_kicks_run(vm, &k);
}

const struct mmio_ops vgic_redist_ops = {
	.read = redist_read,
	.write = redist_write,
	.widths = MMIO_W8 | MMIO_W32 | MMIO_W64,
	.impl_size = MAX_VCPUS_PER_VM * VGIC_REDIST_STRIDE,
	.general_only = true, /* the model must see the list registers */
};
