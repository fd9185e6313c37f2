/* Hostile guest, scenarios 1 and 2: loads, stores and instruction fetches at
 * IPAs with nothing behind them - holes below RAM, just past the VM's RAM,
 * the top of the IPA space and beyond the IPA size - and accesses that
 * straddle the end of RAM.  The guest's MMU is on (atk_lib.c) so accesses
 * are Normal memory and unaligned ones reach Stage-2.  Each must come back as
 * an exception (external abort from the hypervisor, or an address size fault
 * the CPU raises at Stage-1 for an output address beyond PARange); the data
 * in RAM next to the hole must be intact. */
#include "atk_lib.c"

void guest_main(u64 dtb);

typedef void (*fn_t)(void);

static u64 before;

static void expect(const char *what, u64 addr, bool want_extabt)
{
	char name[64];
	u64 fsc = g_last_exc.esr & 0x3f, ec = atk_ec();
	bool ok = atk_exc_since(&before) && (ec == 0x25 || ec == 0x21);

	if (want_extabt)
		ok = ok && fsc == 0x10;
	else /* external abort, or an address size fault at level 0..3 */
		ok = ok && (fsc == 0x10 || fsc <= 3);
	snprintf(name, sizeof(name), "%s-0x%lx", what, (unsigned long)addr);
	g_check(name, ok, "esr 0x%lx far 0x%lx", (unsigned long)g_last_exc.esr,
		(unsigned long)g_last_exc.far);
}

void guest_main(u64 dtb)
{
	u64 ram_end = ATK_RAM_BASE + (16UL << 20), v;
	u64 a;

	atk_mmu_on();
	g_printf("attacker: MMU on, PA size %lu bits\n", (unsigned long)atk_pa_bits);
	before = g_last_exc.count;

	/* Fetches first, while the hypervisor's log budget (10 lines/s) is
	 * untouched, so each is named in its log. */
	g_resume_mode = RESUME_LR;
	((fn_t)0x41000000UL)();
	expect("fetch", 0x41000000UL, true);
	((fn_t)(ATK_NORMAL_ALIAS + 0x10000000UL))(); /* PA 0x1000_0000: a hole */
	expect("fetch", ATK_NORMAL_ALIAS + 0x10000000UL, true);
	((fn_t)(ATK_TOP_VA + 0x3ffff000UL))();
	expect("fetch-top-of-ipa", ATK_TOP_VA + 0x3ffff000UL, true);
	((fn_t)ATK_BEYOND_VA)();
	expect("fetch-beyond-ipa", ATK_BEYOND_VA, false);
	g_resume_mode = RESUME_SKIP;
	/* Scenario 1: unmapped IPAs that Stage-2 must refuse (external abort). */
	static const u64 holes[] = {0x0,	0x1000,	    0x08010000, 0x09001000,
				    0x0a000000, 0x3ffff000, 0x41000000, 0x7ffffff8};
	for (unsigned i = 0; i < ARRAY_SIZE(holes); i++) {
		a = holes[i];
		(void)*(volatile u64 *)a;
		expect("load", a, true);
		*(volatile u32 *)(a + 4) = 0xdeadbeef;
		expect("store", a + 4, true);
	}
	/* Top of the IPA space (VA 0xC000_0000 maps its last GiB). */
	for (u64 off = 0; off < 0x40000000UL; off += 0x10000000UL) {
		a = ATK_TOP_VA + off + 0xff8;
		(void)*(volatile u64 *)a;
		expect("top-of-ipa-load", a, true);
		*(volatile u64 *)a = 1;
		expect("top-of-ipa-store", a, true);
	}
	a = ATK_TOP_VA + 0x3ffffff8UL; /* the very last 8 bytes of the IPA space */
	(void)*(volatile u64 *)a;
	expect("last-ipa-load", a, true);
	/* Beyond the IPA size: the CPU's own address size fault, or an abort. */
	a = ATK_BEYOND_VA;
	(void)*(volatile u64 *)a;
	expect("beyond-ipa-load", a, false);
	*(volatile u64 *)(a + 0x1000) = 1;
	expect("beyond-ipa-store", a + 0x1000, false);

	/* Scenario 2: straddling the end of RAM (last mapped byte at ram_end-1). */
	*(volatile u64 *)(ram_end - 8) = 0x1122334455667788UL;
	__asm__ volatile("dsb sy" ::: "memory");
	v = 0;
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(ram_end - 4) : "memory");
	expect("straddle-load64", ram_end - 4, true);
	__asm__ volatile("str %0, [%1]" : : "r"(0xaaaaaaaaaaaaaaaaUL), "r"(ram_end - 2) : "memory");
	expect("straddle-store64", ram_end - 2, true);
	{
		u64 x, y;
		__asm__ volatile("ldp %0, %1, [%2]"
				 : "=r"(x), "=r"(y)
				 : "r"(ram_end - 8)
				 : "memory");
		expect("straddle-ldp", ram_end - 8, true);
		__asm__ volatile("stp %0, %0, [%1]"
				 :
				 : "r"(0xbbbbbbbbbbbbbbbbUL), "r"(ram_end - 12)
				 : "memory");
		expect("straddle-stp", ram_end - 12, true);
		__asm__ volatile("ldr q0, [%0]" : : "r"(ram_end - 8) : "v0", "memory");
		expect("straddle-ldr-q", ram_end - 8, true);
	}
	/* An instruction stream running off the end of RAM: a NOP in the last
	 * word, the next fetch is outside. */
	*(volatile u32 *)(ram_end - 4) = 0xd503201f; /* nop */
	__asm__ volatile("dc cvau, %0; dsb ish; ic ivau, %0; dsb ish; isb"
			 :
			 : "r"(ram_end - 4)
			 : "memory");
	g_resume_mode = RESUME_LR;
	((fn_t)(ram_end - 4))();
	g_resume_mode = RESUME_SKIP;
	expect("fetch-runs-off-ram", ram_end, true);
	g_check("fetch-far-is-ram-end", g_last_exc.far == ram_end, "far 0x%lx",
		(unsigned long)g_last_exc.far);
	/* A refused straddling store may have written the mapped part (the
	 * architecture allows it), but never beyond; the word before is intact. */
	g_check("ram-before-straddle-intact",
		*(volatile u32 *)(ram_end - 16) == 0 ||
			*(volatile u32 *)(ram_end - 16) == 0xbbbbbbbb,
		"0x%x", *(volatile u32 *)(ram_end - 16));
	g_printf("attacker: contained after %lu exceptions\n", (unsigned long)g_last_exc.count);
}
