/* Emulated MMIO: a per-VM registry of IPA windows with read/write callbacks,
 * and the decoding of a Stage-2 data abort into an access description. */
#ifndef AETHER_VM_MMIO_H
#define AETHER_VM_MMIO_H

#include "arch/regs.h"
#include "lib.h"
#include "types.h"

#define VM_MAX_MMIO_REGIONS 8

struct vcpu;

/* One decoded guest load or store, from ESR_EL2 ISS (Arm ARM D17.2.40). */
struct mmio_access {
	ipaddr_t ipa;
	u8 size; /* bytes: 1, 2, 4 or 8 */
	u8 reg;	 /* Rt; 31 means xzr */
	bool write;
	bool sign_extend;
	bool reg64; /* SF: destination is an X register */
};

struct mmio_ops {
	u64 (*read)(void *dev, struct vcpu *v, u64 off, unsigned size);
	void (*write)(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val);
	u8 widths; /* allowed access sizes: bit n set = 2^n bytes allowed */
	/* Never on the exit short path (vm/exit/exit_fast.c): the device
	 * reads the vGIC model, which only the general path brings up to
	 * date with the list registers first. */
	bool general_only;
	u64 impl_size; /* bytes of implemented registers; beyond reads 0, writes ignored */
};

/* The layout serves the short path (vm/exit/exit_fast.c): the mask is
 * indexed without an add, and each handler sits next to dev (one load
 * pair); both are copies of ops' handlers. */
struct mmio_region {
	/* The short path's test, by SAS (an access of 2^SAS bytes): the offset
	 * bits, with bit 63 standing for "width not allowed", that send it to
	 * the general path (mmio_fast_mask; set by mmio_register). */
	u64 fast_mask[4];
	ipaddr_t base;
	u64 size;
	u64 (*read)(void *dev, struct vcpu *v, u64 off, unsigned size);
	void *dev;
	void (*write)(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val);
	const struct mmio_ops *ops;
};

enum mmio_result {
	MMIO_DONE = 0,
	MMIO_NO_REGION, /* nothing behind this IPA */
	MMIO_BAD_WIDTH,
	MMIO_MISALIGNED,
};

#define MMIO_W8 BIT(0)
#define MMIO_W16 BIT(1)
#define MMIO_W32 BIT(2)
#define MMIO_W64 BIT(3)

int mmio_register(struct mmio_region *table, u32 *count, ipaddr_t base, u64 size,
		  const struct mmio_ops *ops, void *dev);
/* The fast_mask entry for accesses of 2^sas bytes to a device with ops in
 * a region of region_size bytes: an offset passes, (off | MMIO_FAST_GUARD)
 * & mask == 0, exactly when such an access is an allowed width, aligned and
 * inside the largest power of two of implemented registers that also fits
 * the region; all ones (nothing passes) for a width the device refuses.  A
 * pass means the offset is inside the region and mmio_access_region would
 * call the device, so no other range test is needed. */
#define MMIO_FAST_GUARD BIT(63)
u64 mmio_fast_mask(const struct mmio_ops *ops, u64 region_size, unsigned sas);
extern const struct mmio_region mmio_no_region;

/* Decodes a data abort syndrome, once, into the access; false when the
 * access cannot be emulated (no valid instruction syndrome, FAR not valid,
 * or a walk fault). */
static inline bool mmio_decode(u64 esr, u64 far, u64 hpfar, struct mmio_access *acc)
{
	u64 iss = esr & ESR_ISS_MASK;

	if ((iss & (DABT_ISV | DABT_FNV | DABT_S1PTW)) != DABT_ISV)
		return false;
	acc->ipa = ipa_init(((hpfar & HPFAR_FIPA_MASK) << 8) | (far & 0xfff));
	acc->size = (u8)(1u << FIELD_GET(DABT_SAS_MASK, iss));
	acc->reg = (u8)FIELD_GET(DABT_SRT_MASK, iss);
	acc->write = (iss & DABT_WNR) != 0;
	acc->sign_extend = (iss & DABT_SSE) != 0;
	acc->reg64 = (iss & DABT_SF) != 0;
	return true;
}

static inline const struct mmio_region *mmio_find(const struct mmio_region *table, u32 count,
						  ipaddr_t ipa)
{
	u64 a = ipa_addr(ipa);

	/* Newest first: a VM's devices are attached after its vGIC and take
	 * most of the traffic (the UART above all).  Windows never overlap,
	 * so the order changes nothing but the time taken. */
	for (const struct mmio_region *r = table + count; r-- != table;)
		if (a - ipa_addr(r->base) < r->size)
			return r;
	return NULL;
}

/* Checks width, then alignment, then range, then calls the device.  The
 * common case (an allowed width, aligned, inside the implemented registers)
 * is one test: the access's size bit against the region's widths, and its
 * low offset bits and its end against the register block. */
static inline enum mmio_result mmio_access_region(const struct mmio_region *r, struct vcpu *v,
						  const struct mmio_access *acc, u64 *val)
{
	u64 off = ipa_addr(acc->ipa) - ipa_addr(r->base);
	const struct mmio_ops *ops = r->ops;
	unsigned size = acc->size;

	if (unlikely(!(ops->widths & size) || (off & (size - 1)) || off + size > ops->impl_size)) {
		if (!(ops->widths & size))
			return MMIO_BAD_WIDTH;
		if (off & (size - 1))
			return MMIO_MISALIGNED;
		if (!acc->write) /* past the implemented registers: RAZ/WI */
			*val = 0;
		return MMIO_DONE;
	}
	if (acc->write) /* only the bytes the guest stored */
		ops->write(r->dev, v, off, size,
			   size == 8 ? *val : *val & ((1UL << (size * 8)) - 1));
	else
		*val = ops->read(r->dev, v, off, size);
	return MMIO_DONE;
}

/* The short path's test (vm/exit/exit_fast.c): an access of 2^sas bytes
 * at offset off into r is the common case of mmio_access_region (an
 * allowed width, aligned, inside the implemented registers): one AND. */
static inline bool mmio_fast_ok(const struct mmio_region *r, u64 off, unsigned sas)
{
	return ((off | MMIO_FAST_GUARD) & r->fast_mask[sas]) == 0;
}

/* Value written back to Rt for a load of acc->size bytes: sign extension
 * only for LDRS* (SSE), narrowing to 32 bits only for a W register. */
static inline u64 mmio_load_result(const struct mmio_access *acc, u64 raw)
{
	unsigned bits = acc->size * 8;
	u64 v = bits == 64 ? raw : raw & ((1UL << bits) - 1);

	if (unlikely(acc->sign_extend) && bits < 64 && (v & (1UL << (bits - 1))))
		v |= ~0UL << bits;
	if (!acc->reg64)
		v &= 0xffffffffUL;
	return v;
}

#endif
