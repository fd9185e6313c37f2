/* Hostile guest, scenarios 7 and 8: MRS and MSR over the whole system
 * register encoding space (op0 2..3, op1 0..7, CRn 0..15, CRm 0..15,
 * op2 0..7: 32768 encodings, both directions), generated at run time as
 * self-modifying code; then set/way cache maintenance and self-modifying
 * code checked for coherence.
 *
 * Each encoding gets a stub "mrs x0, R; msr R, x0; ret" - the write puts
 * back the value just read (0 if the read was UNDEF), so registers the
 * guest owns natively (SCTLR, VBAR, TTBR*, DAIF, SPSel, ELR/SPSR...) are not
 * disturbed.  Skipped (documented): nothing - no EL1-visible register is
 * harmed by writing back its own value.  The interrupt acknowledge
 * registers (ICC_IAR0/1, ICC_NMIAR1) are read with interrupts masked and
 * none pending, so they return 1023 and acknowledge nothing.
 *
 * Checked: every EL2 (op1=4) and EL3 (op1=6) encoding UNDEFs in both
 * directions, so no hypervisor register leaks; the feature ID registers
 * show no EL2/EL3/SVE/pointer auth; the hypervisor survives. */
#include "atk_lib.c"

void guest_main(u64 dtb);

#define MRS(op0, op1, crn, crm, op2) \
	(0xd5300000u | ((op0)-2) << 19 | (op1) << 16 | (crn) << 12 | (crm) << 8 | (op2) << 5)
#define MSR_BIT (1u << 21) /* L = 0: MSR; 0xd5100000 */

static u32 stubs[32768 * 4] __attribute__((aligned(64)));

typedef u64 (*stub_fn)(u64);

static void sync_icache(void *p, u64 len)
{
	for (u64 a = (u64)p & ~63UL; a < (u64)p + len; a += 64)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish" ::: "memory");
	for (u64 a = (u64)p & ~63UL; a < (u64)p + len; a += 64)
		__asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish; isb" ::: "memory");
}

static void sweep(void)
{
	u32 n = 0, el23_bad = 0, mrs_undef = 0, msr_undef = 0, readable = 0;

	for (u32 op0 = 2; op0 <= 3; op0++)
		for (u32 op1 = 0; op1 < 8; op1++)
			for (u32 crn = 0; crn < 16; crn++)
				for (u32 crm = 0; crm < 16; crm++)
					for (u32 op2 = 0; op2 < 8; op2++, n++) {
						u32 mrs = MRS(op0, op1, crn, crm, op2);
						stubs[n * 4 + 0] = mrs;
						stubs[n * 4 + 1] = mrs & ~MSR_BIT;
						stubs[n * 4 + 2] = 0xd65f03c0; /* ret */
						stubs[n * 4 + 3] = 0xd503201f; /* nop */
					}
	sync_icache(stubs, sizeof(stubs));
	n = 0;
	for (u32 op0 = 2; op0 <= 3; op0++)
		for (u32 op1 = 0; op1 < 8; op1++)
			for (u32 crn = 0; crn < 16; crn++)
				for (u32 crm = 0; crm < 16; crm++)
					for (u32 op2 = 0; op2 < 8; op2++, n++) {
						u64 c0 = g_last_exc.count;
						u64 elr0 = (u64)&stubs[n * 4];
						((stub_fn)&stubs[n * 4])(0);
						bool r_undef = false, w_undef = false;
						/* Which of the two instructions trapped? */
						if (g_last_exc.count - c0 >= 1) {
							r_undef = g_last_exc.count - c0 == 2 ||
								  g_last_exc.elr == elr0;
							w_undef = g_last_exc.elr == elr0 + 4;
						}
						mrs_undef += r_undef;
						msr_undef += w_undef;
						readable += !r_undef;
						if (op0 == 3 && (op1 == 4 || op1 == 6) &&
						    g_last_exc.count - c0 != 2) {
							if (el23_bad++ < 8)
								g_printf("EL2/EL3 encoding "
									 "S%u_%u_C%u_C%u_%u did "
									 "not UNDEF\n",
									 op0, op1, crn, crm, op2);
						}
					}
	g_printf("attacker: swept %u encodings: %u reads and %u writes UNDEF, %u readable\n", n,
		 mrs_undef, msr_undef, readable);
	CHECK_EQ("sweep-count", n, 32768);
	CHECK_EQ("el2-el3-encodings-all-undef", el23_bad, 0);
}

static void id_regs(void)
{
	u64 pfr0, isar1, dfr0;

	__asm__ volatile(
		"mrs %0, id_aa64pfr0_el1; mrs %1, id_aa64isar1_el1; mrs %2, id_aa64dfr0_el1"
		: "=r"(pfr0), "=r"(isar1), "=r"(dfr0));
	CHECK_EQ("pfr0-no-el2-el3", (pfr0 >> 8) & 0xff, 0);
	CHECK_EQ("pfr0-no-sve", (pfr0 >> 32) & 0xf, 0);
	CHECK_EQ("isar1-no-pauth", isar1 & 0xff000ff0UL, 0);
}

static void set_way(void)
{
	volatile u64 *buf = (volatile u64 *)(ATK_RAM_BASE + (8UL << 20));
	u64 clidr, ccsidr, bad = 0, ops = 0;

	for (int i = 0; i < 512; i++)
		buf[i] = 0x5a5a0000UL + i;
	__asm__ volatile("mrs %0, clidr_el1" : "=r"(clidr));
	/* Level 1 data cache, every set and way, each of DC ISW/CSW/CISW;
	 * bounded to 64 sets: each trapped op cleans the whole VM's RAM. */
	__asm__ volatile("msr csselr_el1, xzr; isb; mrs %0, ccsidr_el1" : "=r"(ccsidr));
	u32 line = (ccsidr & 7) + 4, ways = ((ccsidr >> 3) & 0x3ff) + 1;
	u32 sets = MIN(((ccsidr >> 13) & 0x7fff) + 1, 64UL);
	u32 wshift = ways > 1 ? 32 - (32 - __builtin_clz(ways - 1)) : 0;
	for (u32 s = 0; s < sets; s++)
		for (u32 w = 0; w < ways; w++) {
			u64 sw = ((u64)w << wshift) | ((u64)s << line);
			__asm__ volatile("dc csw, %0; dc cisw, %0" : : "r"(sw) : "memory");
			ops += 2;
		}
	/* DC ISW by the guest: the hypervisor cleans before invalidating, so
	 * nothing the guest wrote is lost. */
	__asm__ volatile("dc isw, %0; dc isw, %1" : : "r"(0UL), "r"(~0UL) : "memory");
	ops += 2;
	__asm__ volatile("dsb sy" ::: "memory");
	for (int i = 0; i < 512; i++)
		bad += buf[i] != 0x5a5a0000UL + i;
	g_printf("attacker: %lu set/way operations (clidr 0x%lx)\n", (unsigned long)ops,
		 (unsigned long)clidr);
	CHECK_EQ("set-way-keeps-data", bad, 0);
}

static void self_modifying(void)
{
	u32 *code = &stubs[0], bad = 0;

	for (u32 i = 0; i < 2000; i++) {
		code[0] = 0xd2800000 | ((i & 0xffff) << 5); /* movz x0, #i */
		code[1] = 0xd65f03c0;			    /* ret */
		sync_icache(code, 8);
		bad += ((stub_fn)code)(0) != i;
	}
	CHECK_EQ("self-modifying-code-coherent", bad, 0);
}

void guest_main(u64 dtb)
{
	atk_mmu_on(); /* caches on, so set/way and SMC have something to do */
	id_regs();
	sweep();
	set_way();
	self_modifying();
	g_printf("attacker: system register sweep contained\n");
}
