/* VMSAv8-64 Stage-2 translation table descriptors, 4 KiB granule.
 *
 * Layout per the Arm ARM, D8.3 "Translation table descriptor formats":
 * Stage-2 table, block and page descriptors (VMSAv8-64, 48-bit OA, no LPA2).
 * Only pure helpers live here: no memory accesses, so the encoding can be
 * unit-tested on the host.  Storing a descriptor where a walker can see it is
 * arch_pte_store()'s job (include/arch/mm.h). */
#ifndef AETHER_ARCH_PTE_H
#define AETHER_ARCH_PTE_H

#include "types.h"

/* Geometry: 4 KiB tables of 512 eight-byte descriptors, levels 0..3, each
 * level resolving 9 IPA bits. */
#define PTE_GRANULE_SHIFT 12
#define PTE_LEVEL_BITS 9
#define PTE_ENTRIES (1U << PTE_LEVEL_BITS)
#define PTE_LAST_LEVEL 3U

/* Descriptor bits[1:0]: bit 0 valid; bit 1 is "table" at levels 0-2 (0 there
 * means block) and must be 1 for a page at level 3 (0 there is reserved and
 * behaves as invalid). */
#define PTE_VALID BIT(0)
#define PTE_TYPE BIT(1)
#define PTE_TYPE_MASK (PTE_VALID | PTE_TYPE)

/* Output address (block/page) or next-level table address, bits 47:12. */
#define PTE_OA_MASK GENMASK(47, 12)
#define PTE_OA_LIMIT BIT(48)

/* Stage-2 lower attributes, bits 11:2. */
/* MemAttr[5:2] with HCR_EL2.FWB == 0: [5:4] outer (or 00 = Device), [3:2]
 * inner (or the Device type when [5:4] == 00). */
#define PTE_S2_MEMATTR_SHIFT 2
#define PTE_S2_MEMATTR_MASK GENMASK(5, 2)
#define PTE_S2_MEMATTR_NORMAL_WB 0xfUL		/* Outer WB, Inner WB */
#define PTE_S2_MEMATTR_DEVICE_nGnRE 0x1UL	/* Device-nGnRE */
#define PTE_S2_MEMATTR_OUTER_MASK GENMASK(5, 4) /* 00: one of the Device types */
/* S2AP[7:6]: stage-2 data access permission, bit 6 read, bit 7 write. */
#define PTE_S2AP_SHIFT 6
#define PTE_S2AP_MASK GENMASK(7, 6)
#define PTE_S2AP_R BIT(6)
#define PTE_S2AP_W BIT(7)
/* SH[9:8]: shareability of Normal memory (ignored for Device). */
#define PTE_SH_SHIFT 8
#define PTE_SH_MASK GENMASK(9, 8)
#define PTE_SH_NON 0x0UL
#define PTE_SH_INNER 0x3UL
/* AF, bit 10: set up front; we never want Access flag faults at Stage 2. */
#define PTE_AF BIT(10)

/* Stage-2 upper attributes. */
/* XN[1:0], bits 54:53 (bit 53 is RES0 without FEAT_XNX, where bit 54 alone
 * is XN).  0b00: executable at EL1 and EL0; 0b10: executable at neither,
 * which means the same with or without FEAT_XNX. */
#define PTE_S2_XN_SHIFT 53
#define PTE_S2_XN_MASK GENMASK(54, 53)
#define PTE_S2_XN_NONE 0x0UL
#define PTE_S2_XN_EL1_EL0 0x2UL

/* Every attribute bit a leaf carries; what protect may rewrite. */
#define PTE_S2_ATTR_MASK \
	(PTE_S2_MEMATTR_MASK | PTE_S2AP_MASK | PTE_SH_MASK | PTE_AF | PTE_S2_XN_MASK)

/* Lowest IPA bit a descriptor at @level resolves. */
static inline u32 pte_level_shift(u32 level)
{
	return PTE_GRANULE_SHIFT + PTE_LEVEL_BITS * (PTE_LAST_LEVEL - level);
}

/* Bytes of IPA space one descriptor at @level covers. */
static inline u64 pte_level_size(u32 level)
{
	return BIT(pte_level_shift(level));
}

/* 4 KiB granule without LPA2: blocks at levels 1 and 2, pages at level 3. */
static inline bool pte_level_has_leaf(u32 level)
{
	return level >= 1 && level <= PTE_LAST_LEVEL;
}

static inline bool pte_is_valid(u64 d)
{
	return (d & PTE_VALID) != 0;
}

static inline bool pte_is_table(u64 d, u32 level)
{
	return level < PTE_LAST_LEVEL && (d & PTE_TYPE_MASK) == PTE_TYPE_MASK;
}

/* A block (levels 1-2) or page (level 3) descriptor. */
static inline bool pte_is_leaf(u64 d, u32 level)
{
	if (!pte_level_has_leaf(level))
		return false;
	if (level == PTE_LAST_LEVEL)
		return (d & PTE_TYPE_MASK) == PTE_TYPE_MASK;
	return (d & PTE_TYPE_MASK) == PTE_VALID;
}

static inline paddr_t pte_oa(u64 d)
{
	return pa_init(d & PTE_OA_MASK);
}

static inline u64 pte_attr(u64 d)
{
	return d & PTE_S2_ATTR_MASK;
}

static inline u64 pte_make_table(paddr_t table)
{
	return (pa_addr(table) & PTE_OA_MASK) | PTE_TYPE | PTE_VALID;
}

/* @oa must be aligned to pte_level_size(level); @attr from pte_s2_attr(). */
static inline u64 pte_make_leaf(paddr_t oa, u32 level, u64 attr)
{
	u64 type = level == PTE_LAST_LEVEL ? PTE_TYPE : 0;

	return (pa_addr(oa) & PTE_OA_MASK) | (attr & PTE_S2_ATTR_MASK) | type | PTE_VALID;
}

/* Attribute bits of a Stage-2 leaf.  Normal memory is Inner Shareable
 * write-back so guest and hypervisor agree on coherency; Device memory is
 * nGnRE, the type Linux drivers expect for MMIO. */
static inline u64 pte_s2_attr(bool device, bool r, bool w, bool x)
{
	u64 a = PTE_AF;

	if (device) {
		a |= FIELD_PREP(PTE_S2_MEMATTR_MASK, PTE_S2_MEMATTR_DEVICE_nGnRE);
		a |= FIELD_PREP(PTE_SH_MASK, PTE_SH_NON);
	} else {
		a |= FIELD_PREP(PTE_S2_MEMATTR_MASK, PTE_S2_MEMATTR_NORMAL_WB);
		a |= FIELD_PREP(PTE_SH_MASK, PTE_SH_INNER);
	}
	if (r)
		a |= PTE_S2AP_R;
	if (w)
		a |= PTE_S2AP_W;
	a |= FIELD_PREP(PTE_S2_XN_MASK, x ? PTE_S2_XN_NONE : PTE_S2_XN_EL1_EL0);
	return a;
}

static inline bool pte_s2_is_device(u64 d)
{
	return FIELD_GET(PTE_S2_MEMATTR_OUTER_MASK, d) == 0;
}

static inline bool pte_s2_readable(u64 d)
{
	return (d & PTE_S2AP_R) != 0;
}

static inline bool pte_s2_writable(u64 d)
{
	return (d & PTE_S2AP_W) != 0;
}

/* Executable at EL1 (and, with XN 0b00, EL0). */
static inline bool pte_s2_executable(u64 d)
{
	return FIELD_GET(PTE_S2_XN_MASK, d) == PTE_S2_XN_NONE;
}

#endif
