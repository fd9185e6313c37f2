/* Register-descriptor dispatch for the vGIC's MMIO frames: a frame is a
 * table of register ranges, each with the access sizes it takes, how many
 * bits each INTID has in it, and one read and one write handler.  Reads
 * and writes are decoded from the same entry, so the two can never
 * disagree about what an offset means. */
#include "internal.h"

static const struct vgic_reg *reg_find(const struct vgic_reg *t, u32 n, u64 off)
{
	for (u32 i = 0; i < n; i++)
		if (vgic_in(off, t[i].start, t[i].end))
			return &t[i];
	return NULL;
}

/* The entry at off if size suits it and, for a per-INTID register, its
 * first INTID lies in [lo, hi) (the rest is RAZ/WI), else NULL. */
static const struct vgic_reg *reg_decode(const struct vgic_reg *t, u32 n, u64 off, unsigned size,
					 u32 lo, u32 hi, u32 *intid)
{
	const struct vgic_reg *r = reg_find(t, n, off);

	if (!r || !(r->widths & size))
		return NULL;
	*intid = 0;
	if (r->bits) {
		*intid = (u32)((off - r->start) % r->span * 8 / r->bits);
		if (*intid < lo || *intid >= hi)
			return NULL;
	}
	return r;
}

u64 vgic_regs_read(const struct vgic_reg *t, u32 n, struct vm *vm, struct vcpu *cpu, u64 off,
		   unsigned size, u32 lo, u32 hi)
{
	u32 intid;
	const struct vgic_reg *r = reg_decode(t, n, off, size, lo, hi, &intid);

	return r ? r->read(vm, cpu, off, intid, size) : 0;
}

void vgic_regs_write(const struct vgic_reg *t, u32 n, struct vm *vm, struct vcpu *cpu, u64 off,
		     unsigned size, u64 val, u32 lo, u32 hi, struct vgic_kicks *k)
{
	u32 intid;
	const struct vgic_reg *r = reg_decode(t, n, off, size, lo, hi, &intid);

	if (r && r->write)
		r->write(vm, cpu, off, intid, size, val, k);
}

u64 vgic_reg_bank_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	return vgic_bank_read(vm, cpu, (u32)ALIGN_DOWN(off, GIC_BANK_STRIDE), intid);
}

void vgic_reg_bank_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size,
			 u64 val, struct vgic_kicks *k)
{
	vgic_bank_write(vm, cpu, (u32)ALIGN_DOWN(off, GIC_BANK_STRIDE), intid, (u32)val, k);
}

u64 vgic_reg_prio_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	return vgic_prio_read(vm, cpu, intid, size);
}

void vgic_reg_prio_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size,
			 u64 val, struct vgic_kicks *k)
{
	vgic_prio_write(vm, cpu, intid, size, (u32)val, k);
}

u64 vgic_reg_cfg_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	return vgic_cfg_read(vm, cpu, intid);
}

void vgic_reg_cfg_write(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size, u64 val,
			struct vgic_kicks *k)
{
	vgic_cfg_write(vm, cpu, intid, (u32)val, k);
}

u64 vgic_reg_id_read(struct vm *vm, struct vcpu *cpu, u64 off, u32 intid, unsigned size)
{
	return vgic_id_read((u32)off);
}
