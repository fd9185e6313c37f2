/* EL2 implementation of the memory-management arch interface (arch/mm.h):
 * descriptor stores, table-walk synchronisation and Stage-2 TLB maintenance.
 *
 * Stage-2 TLBIs act on the VMID currently in VTTBR_EL2, so maintenance for
 * another VM briefly loads its VMID.  Only the VMID field matters to the
 * TLBI; BADDR is left zero because code at EL2 never translates through the
 * EL1&0 regime, and the architecture does not let the PE walk an
 * out-of-context regime speculatively.  (Parts with errata that do, such as
 * Cortex-A76 erratum 1165522, would need the VM's real root here.) */
#include "arch/mm.h"
#include "arch/vtcr.h"

/* Above this many pages one whole-VMID invalidation is cheaper than a
 * TLBI per page. */
#define S2_TLBI_MAX_PAGES 512

void arch_pte_store(u64 *slot, u64 value)
{
	/* One single-copy-atomic 64-bit store: the walker never sees half. */
	*(volatile u64 *)slot = value;
}

void arch_s2_sync_tables(void)
{
	__asm__ volatile("dsb ishst" : : : "memory");
}

static u64 vttbr_read(void)
{
	u64 v;

	__asm__ volatile("mrs %0, vttbr_el2" : "=r"(v));
	return v;
}

static void vttbr_write(u64 v)
{
	__asm__ volatile("msr vttbr_el2, %0\n\tisb" : : "r"(v) : "memory");
}

/* Make @vmid the current VMID; returns what to restore. */
static u64 s2_vmid_enter(u16 vmid)
{
	u64 saved = vttbr_read();

	if (FIELD_GET(VTTBR_VMID_MASK, saved) != vmid)
		vttbr_write(FIELD_PREP(VTTBR_VMID_MASK, vmid));
	return saved;
}

static void s2_vmid_exit(u64 saved)
{
	if (vttbr_read() != saved)
		vttbr_write(saved);
}

static void s2_tlbi_pages(u64 ipa, u64 npages)
{
	u64 i;

	for (i = 0; i < npages; i++) {
		/* Operand bits[35:0] are IPA[47:12]. */
		u64 arg = ((ipa >> PAGE_SHIFT) + i) & GENMASK(35, 0);

		__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(arg) : "memory");
	}
	/* IPAS2E1IS only drops Stage-2-only entries; entries combining
	 * Stage 1 and Stage 2 are tagged by VA and must all go. */
	__asm__ volatile("dsb ish\n\ttlbi vmalle1is" : : : "memory");
}

void arch_s2_tlbi_range(u16 vmid, ipaddr_t ipa, u64 size)
{
	u64 npages = ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT;
	u64 saved = s2_vmid_enter(vmid);

	/* The descriptor stores must reach the walker before the TLBI. */
	__asm__ volatile("dsb ishst" : : : "memory");
	if (npages > S2_TLBI_MAX_PAGES)
		__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	else
		s2_tlbi_pages(ipa_addr(ipa), npages);
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
	s2_vmid_exit(saved);
}

void arch_s2_tlbi_vmid(u16 vmid)
{
	u64 saved = s2_vmid_enter(vmid);

	__asm__ volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" : : : "memory");
	s2_vmid_exit(saved);
}
