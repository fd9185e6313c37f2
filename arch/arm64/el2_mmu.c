/* The hypervisor's own Stage-1 translation (EL2 regime): an identity map of
 * RAM and of the few devices EL2 touches, with W^X over its image: text RX,
 * read-only data R, everything writable never executable.  Tables come from a
 * static pool because this runs before the page allocator exists. */
#include "arch/el2_mmu.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "lib.h"

/* VMSAv8-64 Stage-1 block/page descriptor bits (Arm ARM D8.3) */
#define S1_VALID BIT(0)
#define S1_TABLE BIT(1) /* table at levels 0-2, page at level 3 */
#define S1_ATTRIDX(n) ((u64)(n) << 2)
#define S1_AP_RO BIT(7)
#define S1_SH_INNER (3UL << 8)
#define S1_AF BIT(10)
#define S1_XN BIT(54)
#define S1_OA_MASK GENMASK(47, 12)

/* MAIR_EL2 attribute indices */
#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_VALUE (0xffUL | (0x04UL << 8)) /* WB RW-alloc; Device-nGnRE */

/* TCR_EL2 (non-VHE layout) */
#define TCR_T0SZ(bits) ((u64)(64 - (bits)))
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER (3UL << 12)
#define TCR_PS_SHIFT 16
#define TCR_RES1 (BIT(23) | BIT(31))

#define VA_BITS 48
#define EL2_PT_PAGES 64

static u64 el2_pt[EL2_PT_PAGES][512] __attribute__((aligned(PAGE_SIZE)));
static u32 el2_pt_used = 1; /* page 0 is the level-0 root */

static u64 *next_table(u64 *slot)
{
	if (*slot & S1_VALID)
		return pa_to_ptr(pa_init(*slot & S1_OA_MASK));
	if (el2_pt_used == EL2_PT_PAGES)
		return NULL;
	u64 *t = el2_pt[el2_pt_used++];
	*slot = pa_addr(ptr_to_pa(t)) | S1_VALID | S1_TABLE;
	return t;
}

static u64 leaf_attrs(enum el2_map_kind kind)
{
	u64 a = S1_VALID | S1_AF | S1_SH_INNER;

	switch (kind) {
	case EL2_MAP_TEXT: return a | S1_ATTRIDX(MAIR_IDX_NORMAL) | S1_AP_RO;
	case EL2_MAP_RODATA: return a | S1_ATTRIDX(MAIR_IDX_NORMAL) | S1_AP_RO | S1_XN;
	case EL2_MAP_DEVICE: return a | S1_ATTRIDX(MAIR_IDX_DEVICE) | S1_XN;
	default: return a | S1_ATTRIDX(MAIR_IDX_NORMAL) | S1_XN;
	}
}

/* Maps one 2 MiB block or one 4 KiB page at addr; returns bytes mapped. */
static u64 map_one(u64 addr, u64 end, u64 attrs)
{
	u64 *t = el2_pt[0];

	for (int level = 0; level < 2; level++) {
		t = next_table(&t[(addr >> (39 - 9 * level)) & 511]);
		if (!t)
			return 0;
	}
	u64 *l2 = &t[(addr >> 21) & 511];
	if (IS_ALIGNED(addr, SZ_2M) && end - addr >= SZ_2M && !(*l2 & S1_VALID)) {
		*l2 = addr | attrs; /* block descriptor: bit 1 clear */
		return SZ_2M;
	}
	t = next_table(l2);
	if (!t)
		return 0;
	t[(addr >> 12) & 511] = addr | attrs | S1_TABLE;
	return PAGE_SIZE;
}

int el2_map(paddr_t base, u64 size, enum el2_map_kind kind)
{
	u64 addr = ALIGN_DOWN(pa_addr(base), PAGE_SIZE);
	u64 end = ALIGN_UP(pa_addr(base) + size, PAGE_SIZE);
	u64 attrs = leaf_attrs(kind);

	if (end > BIT(VA_BITS))
		return -E_RANGE;
	while (addr < end) {
		u64 n = map_one(addr, end, attrs);
		if (!n)
			return -E_NOMEM;
		addr += n;
	}
	return 0;
}

void el2_mmu_enable(void)
{
	u64 ps = read_id_aa64mmfr0_el1() & MMFR0_PARANGE_MASK;

	write_mair_el2(MAIR_VALUE);
	write_tcr_el2(TCR_RES1 | TCR_T0SZ(VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
		      TCR_SH0_INNER | (MIN(ps, 5UL) << TCR_PS_SHIFT));
	write_ttbr0_el2(pa_addr(ptr_to_pa(el2_pt[0])));
	__asm__ volatile("dsb ish; tlbi alle2; dsb ish; isb" : : : "memory");
	write_sctlr_el2(read_sctlr_el2() | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I | SCTLR_EL2_SA |
			SCTLR_EL2_WXN);
	isb();
}

u32 el2_mmu_tables_used(void)
{
	return el2_pt_used;
}
