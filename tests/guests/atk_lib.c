/* Shared helpers for the hostile-guest suite (tests/hostile/): included by
 * the atk_*.c guests, not a guest itself.
 *
 * atk_mmu_on() turns on the guest's own Stage-1 with 1 GiB identity-ish
 * blocks so that accesses reach the hypervisor as Normal memory (with the
 * MMU off every data access is Device memory and the CPU itself faults
 * misaligned accesses before Stage-2 is looked at):
 *   VA 0x0000_0000  -> PA 0x0000_0000  Device-nGnRnE (GIC, UART: the real map)
 *   VA 0x4000_0000  -> PA 0x4000_0000  Normal WB (RAM; past the VM's RAM: holes)
 *   VA 0x8000_0000  -> PA 0x0000_0000  Normal (device window as Normal memory)
 *   VA 0xC000_0000  -> PA top 1 GiB of the IPA space (PARange)
 *   VA 0x1_0000_0000 -> PA 1 << PARange bits (beyond the IPA size) */
#include "guest.h"

#define ATK_NORMAL_ALIAS 0x80000000UL
#define ATK_TOP_VA 0xC0000000UL
#define ATK_BEYOND_VA 0x100000000UL
#define ATK_RAM_BASE 0x40000000UL

static __attribute__((unused)) u64 atk_l1[512] __attribute__((aligned(4096)));
static __attribute__((unused)) u64 atk_pa_bits;

static __attribute__((unused)) u64 atk_parange_bits(void)
{
	static const u8 bits[] = {32, 36, 40, 42, 44, 48, 52};
	u64 mmfr0;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	return bits[MIN(mmfr0 & 0xf, 6UL)];
}

static __attribute__((unused)) void atk_mmu_on(void)
{
	const u64 block = 1 | (1UL << 10); /* valid block, AF */
	const u64 dev = block | (0UL << 2) | (1UL << 54) | (1UL << 53);
	const u64 normal = block | (1UL << 2) | (3UL << 8);
	u64 pa_bits = atk_parange_bits(), ips = 0, mmfr0, sctlr;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	ips = MIN(mmfr0 & 0xf, 5UL);
	atk_pa_bits = pa_bits;
	atk_l1[0] = 0x00000000UL | dev;
	atk_l1[1] = 0x40000000UL | normal;
	atk_l1[2] = 0x00000000UL | normal;
	atk_l1[3] = ((1UL << pa_bits) - 0x40000000UL) | normal;
	atk_l1[4] = (1UL << pa_bits) | normal; /* output address beyond PARange */
	__asm__ volatile("dsb ish" ::: "memory");
	__asm__ volatile("msr mair_el1, %0" : : "r"(0xff00UL));
	/* T0SZ 25 (39-bit VA, level-1 start), WB WA inner/outer, inner
	 * shareable, 4K granule, TTBR1 walks disabled, IPS = PARange. */
	__asm__ volatile(
		"msr tcr_el1, %0"
		:
		: "r"(25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | (ips << 32)));
	__asm__ volatile("msr ttbr0_el1, %0; isb; tlbi vmalle1; dsb nsh; isb" : : "r"(atk_l1));
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= 1 | (1 << 2) | (1 << 12); /* M, C, I */
	sctlr &= ~(1UL << 1);		   /* no alignment checks: let them reach EL2 */
	__asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr) : "memory");
}

/* Did exactly one exception arrive since *before (and update *before)? */
static __attribute__((unused)) bool atk_exc_since(u64 *before)
{
	bool hit = g_last_exc.count == *before + 1;
	*before = g_last_exc.count;
	return hit;
}

static __attribute__((unused)) u64 atk_ec(void)
{
	return g_last_exc.esr >> 26;
}

static __attribute__((unused)) u64 atk_ms(void)
{
	return read_cntvct() / (read_cntfrq() / 1000);
}
