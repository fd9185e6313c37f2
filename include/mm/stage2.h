/* Stage-2 (IPA -> PA) page tables for one VM, 4 KiB granule.
 *
 * Every operation is prepare-then-commit: a first walk checks the request
 * against the current tables and counts the table pages the change needs,
 * those pages are taken from the VM's pool, and only then is the change
 * applied, by a walk that cannot fail.  An error therefore means nothing
 * changed.  Valid descriptors are only ever replaced by break-before-make.
 *
 * All sizes and addresses are page aligned.  Ranges must lie inside
 * [0, 2^ipa_bits) for IPAs and below 2^48 for PAs.  Operations on one table
 * are serialised by the caller. */
#ifndef AETHER_MM_STAGE2_H
#define AETHER_MM_STAGE2_H

#include "arch/vtcr.h"
#include "mm/pool.h"
#include "types.h"

/* Mapping attributes.  Without S2_DEVICE memory is Normal write-back. */
#define S2_R BIT(0)
#define S2_W BIT(1)
#define S2_X BIT(2)
#define S2_DEVICE BIT(3)
#define S2_RW (S2_R | S2_W)
#define S2_RWX (S2_R | S2_W | S2_X)
#define S2_ATTRS_ALL (S2_R | S2_W | S2_X | S2_DEVICE)

struct s2_pgtable {
	paddr_t root;
	u16 vmid;
	u8 ipa_bits;
	u8 start_level;
	u8 root_pages;
	struct pt_pool *pool;
};

/* Take the root from @pool.  -E_INVAL for an inconsistent @cfg or a VMID the
 * VTCR's VMID size cannot hold; -E_NOMEM when the pool cannot supply it. */
/* This machine's Stage-2 configuration: computed once at boot from
 * ID_AA64MMFR0_EL1 (boot/init.c), then shared by every VM. */
extern struct s2_cfg s2_config;

int s2_init(struct s2_pgtable *pt, const struct s2_cfg *cfg, u16 vmid, struct pt_pool *pool);
/* Map [ipa, ipa + size) to [pa, pa + size), using 1 GiB and 2 MiB blocks
 * where alignment allows.  -E_EXIST if any page of the range is mapped. */
int s2_map(struct s2_pgtable *pt, ipaddr_t ipa, paddr_t pa, u64 size, u32 attrs);
/* Remove whatever is mapped in the range (holes are fine); splits blocks
 * that straddle its ends and frees tables left empty. */
int s2_unmap(struct s2_pgtable *pt, ipaddr_t ipa, u64 size);
/* Change the attributes of the range; -E_NOENT if any page is unmapped. */
int s2_protect(struct s2_pgtable *pt, ipaddr_t ipa, u64 size, u32 attrs);
/* Translate @ipa.  On a hit the out parameters (each may be NULL) receive
 * the PA of @ipa itself, its attributes and the size of the leaf mapping
 * it (4 KiB, 2 MiB or 1 GiB). */
bool s2_lookup(const struct s2_pgtable *pt, ipaddr_t ipa, paddr_t *pa, u32 *attrs,
	       u64 *mapping_size);
/* Free every table page back to the pool.  The caller guarantees no CPU
 * still runs with this table in VTTBR_EL2; the VMID's TLB entries are
 * invalidated before any page is reused. */
void s2_destroy(struct s2_pgtable *pt);

/* The VTTBR_EL2 value that runs this table. */
static inline u64 s2_vttbr(const struct s2_pgtable *pt)
{
	return (pa_addr(pt->root) & VTTBR_BADDR_MASK) | FIELD_PREP(VTTBR_VMID_MASK, pt->vmid);
}

#endif
