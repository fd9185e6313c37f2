/* Private to vm/vgic/: what the distributor (vm/vgic/dist.c) and the
 * redistributors (vm/vgic/redist.c) share with the interrupt model
 * (vm/vgic/vgic.c).  Everything here runs with vm->vgic.lock held unless the
 * comment says otherwise. */
#ifndef AETHER_VM_VGIC_INTERNAL_H
#define AETHER_VM_VGIC_INTERNAL_H

#include "vm/vgic_fast.h"
#include "vm/vgic.h"
#include "vm/vm.h"

#define VGIC_NR_SGIS 16

/* Interrupt-bank registers: the same offsets in the distributor (Arm IHI
 * 0069H, GICD_* register map) and in the redistributor SGI_base frame
 * (GICR_* SGI_base map), where only the first register of each bank
 * (INTIDs 0-31) exists. */
#define GIC_IGROUPR 0x0080
#define GIC_ISENABLER 0x0100
#define GIC_ICENABLER 0x0180
#define GIC_ISPENDR 0x0200
#define GIC_ICPENDR 0x0280
#define GIC_ISACTIVER 0x0300
#define GIC_ICACTIVER 0x0380
#define GIC_IPRIORITYR 0x0400
#define GIC_BANK_STRIDE 0x0080 /* each bit bank spans 0x80 bytes */
#define GIC_ICFGR 0x0c00
#define GIC_IGRPMODR 0x0d00

/* Identification registers at 0xFFD0-0xFFFC of GICD and GICR RD_base
 * (IHI 0069H, "Identification registers"; GICD_PIDR2/GICR_PIDR2). */
#define GIC_ID_BASE 0xffd0
#define GIC_ID_END 0x10000
#define GIC_PIDR2 0xffe8

/* GICD_IIDR / GICR_IIDR (IHI 0069H): ProductID [31:24],
 * Variant [19:16], Revision [15:12], Implementer [11:0] (JEP106). */
#define GIC_IIDR_PRODUCT GENMASK(31, 24)
#define GIC_IIDR_VARIANT GENMASK(19, 16)
#define GIC_IIDR_REVISION GENMASK(15, 12)
#define GIC_IIDR_IMPLEMENTER GENMASK(11, 0)
/* Product 0xAE ("AEther"), variant 0, revision 1.  Implementer 0x000: the
 * model is software with no JEP106 code of its own, and 0x000 is not a valid
 * JEP106 code, so no guest erratum workaround keyed on IIDR (Linux's GICv3
 * quirk table matches Arm 0x43B, Cavium 0x34C, ...) can ever apply. */
#define VGIC_IIDR                                                                     \
	((u32)(FIELD_PREP(GIC_IIDR_PRODUCT, 0xae) | FIELD_PREP(GIC_IIDR_VARIANT, 0) | \
	       FIELD_PREP(GIC_IIDR_REVISION, 1) | FIELD_PREP(GIC_IIDR_IMPLEMENTER, 0)))

/* GICD_IPRIORITYR: priority bits kept.  QEMU's ICH_VTR_EL2.PRIbits reports
 * 5 bits, so the low 3 bits of every priority byte are RAZ/WI. */
#define VGIC_PRIO_MASK 0xf8

/* GICD_IROUTER<n> (IHI 0069H): Aff3 [39:32], IRM [31], Aff2 [23:16],
 * Aff1 [15:8], Aff0 [7:0]; the rest RES0. */
#define GICD_IROUTER_AFF0 GENMASK(7, 0)
#define GICD_IROUTER_AFF1 GENMASK(15, 8)
#define GICD_IROUTER_AFF2 GENMASK(23, 16)
#define GICD_IROUTER_IRM BIT(31)
#define GICD_IROUTER_AFF3 GENMASK(39, 32)
#define GICD_IROUTER_MASK                                                               \
	(GICD_IROUTER_AFF0 | GICD_IROUTER_AFF1 | GICD_IROUTER_AFF2 | GICD_IROUTER_IRM | \
	 GICD_IROUTER_AFF3)

/* GICD_CTLR with GICD_CTLR.DS == 1 (IHI 0069H): EnableGrp0 [0] and
 * EnableGrp1 [1] (with vgic_ctlr_armed, in vm/vgic_fast.h), ARE [4], DS
 * [6], RWP [31]. */
static inline bool vgic_irq_armed(const struct vm *vm, const struct virq *irq)
{
	return vgic_ctlr_armed(vm->vgic.ctlr, irq);
}
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_DS BIT(6)
#define GICD_CTLR_RWP BIT(31)

/* vCPUs to kick once the lock is dropped: bit n = vm->vcpus[n]. */
struct vgic_kicks {
	u32 mask;
};

_Static_assert(MAX_VCPUS_PER_VM <= 32, "vgic_kicks holds one bit per vCPU");

void vgic_kicks_run(struct vm *vm, const struct vgic_kicks *k); /* lock NOT held */

/* Brackets every change of one virq so the right vCPUs are kicked: the new
 * target when the interrupt starts needing a list register there, and the
 * vCPU holding it in a list register when its state changes under that list
 * register (see vm/vgic/vgic.c). */
struct vgic_change {
	struct virq old;
	struct vcpu *old_target;
	bool needed_lr;
};

void vgic_change_begin(struct vm *vm, struct vcpu *cpu, u32 intid, struct vgic_change *c);
void vgic_change_end(struct vm *vm, struct vcpu *cpu, u32 intid, const struct vgic_change *c,
		     struct vgic_kicks *k);
/* GICD_CTLR.EnableGrp1 changed from old_ctlr: kick every vCPU something
 * became deliverable to, and every vCPU holding an interrupt in a list
 * register. */
void vgic_enable_changed(struct vm *vm, u32 old_ctlr, struct vgic_kicks *k);

/* The interrupt-bank registers, for the 32 (bit banks), 1-4 (priority) or
 * 16 (ICFGR) interrupts from intid on; cpu is the vCPU whose private
 * interrupts INTIDs 0-31 mean.  INTIDs with no virq are RAZ/WI. */
u32 vgic_bank_read(struct vm *vm, struct vcpu *cpu, u32 bank, u32 intid);
void vgic_bank_write(struct vm *vm, struct vcpu *cpu, u32 bank, u32 intid, u32 val,
		     struct vgic_kicks *k);
u32 vgic_prio_read(struct vm *vm, struct vcpu *cpu, u32 intid, unsigned n);
void vgic_prio_write(struct vm *vm, struct vcpu *cpu, u32 intid, unsigned n, u32 val,
		     struct vgic_kicks *k);
u32 vgic_cfg_read(struct vm *vm, struct vcpu *cpu, u32 intid);
void vgic_cfg_write(struct vm *vm, struct vcpu *cpu, u32 intid, u32 val, struct vgic_kicks *k);
/* PIDR0-7 / CIDR0-3 at off (GIC_ID_BASE <= off < GIC_ID_END). */
u32 vgic_id_read(u32 off);

static inline bool vgic_in(u64 off, u64 lo, u64 hi)
{
	return off >= lo && off < hi;
}

/* One register range of an MMIO frame (vm/vgic/regs.c).  A per-INTID
 * register (bits != 0) gives each INTID `bits` bits, counted from the
 * start of every `span` bytes (the bit banks repeat every 0x80). */
struct vgic_reg {
	u32 start, end, span;
	u8 bits;
	u8 widths; /* MMIO_W*: other sizes read 0 and are ignored */
	u64 (*read)(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size);
	void (*write)(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size, u64 val,
		      struct vgic_kicks *k); /* NULL: read-only */
};

#define VGIC_REG(s, e, sp, b, w, rd, wr) \
	{                                \
		s, e, sp, b, w, rd, wr   \
	}

/* Decodes off in the frame's table and calls the entry's handler; per-INTID
 * registers whose first INTID is outside [lo, hi) are RAZ/WI. */
u64 vgic_regs_read(const struct vgic_reg *t, u32 n, struct vm *vm, struct vcpu *cpu, u64 off,
		   unsigned size, u32 lo, u32 hi);
void vgic_regs_write(const struct vgic_reg *t, u32 n, struct vm *vm, struct vcpu *cpu, u64 off,
		     unsigned size, u64 val, u32 lo, u32 hi, struct vgic_kicks *k);

/* Handlers for the interrupt-bank registers both frames have. */
u64 vgic_reg_bank_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size);
void vgic_reg_bank_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size,
			 u64 val, struct vgic_kicks *k);
u64 vgic_reg_prio_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size);
void vgic_reg_prio_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size,
			 u64 val, struct vgic_kicks *k);
u64 vgic_reg_cfg_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size);
void vgic_reg_cfg_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size, u64 val,
			struct vgic_kicks *k);
u64 vgic_reg_id_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size);

#endif
