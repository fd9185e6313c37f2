/* Hostile guest, scenario 6: every exception class an EL1 guest can raise
 * on purpose - undefined instructions, SVE and SME instructions (never
 * offered to guests; on CPUs that have them the hypervisor traps them and
 * injects UNDEF), pointer authentication with SCTLR_EL1.EnIA set (hidden
 * from guests), BRK, HLT, DCPS, SVC, HVC/SMC with non-zero immediates, FP
 * with CPACR_EL1 disabling it, PC misalignment, software step and debug
 * registers.  Each must come back to the guest as an exception (or a
 * defined result) and never hang.  (An illegal exception return is left out:
 * the test runtime's handler returns with SPSR.IL still set.) */
#include "atk_lib.c"

void guest_main(u64 dtb);

static u64 before;

#define INSN(word) __asm__ volatile(".inst " #word ::: "memory")

static void expect_ec(const char *name, u64 ec)
{
	g_check(name, atk_exc_since(&before) && atk_ec() == ec, "count %lu esr 0x%lx",
		(unsigned long)g_last_exc.count, (unsigned long)g_last_exc.esr);
}

void guest_main(u64 dtb)
{
	u64 sctlr, x;

	before = g_last_exc.count;
	INSN(0x00000000); /* udf #0 */
	expect_ec("udf-0", 0x00);
	INSN(0x0000ffff); /* udf #0xffff */
	expect_ec("udf-ffff", 0x00);
	INSN(0xd4a00000); /* unallocated in the exception-generation space */
	expect_ec("unallocated-exception-gen", 0x00);
	/* SVE: ptrue p0.b; add z0.b, z0.b, z0.b; rdvl x0, #1 */
	INSN(0x2518e3e0);
	expect_ec("sve-ptrue", 0x00);
	INSN(0x04200000);
	expect_ec("sve-add", 0x00);
	INSN(0x04bf5020);
	expect_ec("sve-rdvl", 0x00);
	/* SME: smstart; zero {za} */
	INSN(0xd503477f);
	expect_ec("sme-smstart", 0x00);
	INSN(0xc00800ff);
	expect_ec("sme-zero-za", 0x00);
	/* MRS of ZCR_EL1 / SMCR_EL1 / SVCR */
	INSN(0xd5381200);
	expect_ec("mrs-zcr-el1", 0x00);
	INSN(0xd5381240);
	expect_ec("mrs-smcr-el1", 0x00);
	INSN(0xd53b4240);
	expect_ec("mrs-svcr", 0x00);
	/* Pointer authentication with the enable bits set: pacia x0, x1 and
	 * autia x0, x1 are UNDEF (not HINT-space), xpaclri and paciasp are
	 * NOPs in the hint space; blraa x0, x1 UNDEF. */
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	__asm__ volatile("msr sctlr_el1, %0; isb"
			 :
			 : "r"(sctlr | (1UL << 31) | (1UL << 30) | (1UL << 27) | (1UL << 13)));
	INSN(0xdac10020); /* pacia x0, x1 */
	expect_ec("pacia", 0x00);
	INSN(0xdac11020); /* autia x0, x1 */
	expect_ec("autia", 0x00);
	INSN(0xdac143e0); /* xpaci x0 */
	expect_ec("xpaci", 0x00);
	INSN(0xd503233f); /* paciasp: hint, must be a NOP */
	g_check("paciasp-is-nop", g_last_exc.count == before, "exception esr 0x%lx",
		(unsigned long)g_last_exc.esr);
	__asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr));
	/* Breakpoints and halting. */
	__asm__ volatile("brk #0x1234");
	expect_ec("brk", 0x3c);
	g_check("brk-comment", (g_last_exc.esr & 0xffff) == 0x1234, "esr 0x%lx",
		(unsigned long)g_last_exc.esr);
	INSN(0xd4400000); /* hlt #0: halting debug off -> UNDEF */
	expect_ec("hlt", 0x00);
	INSN(0xd4a00001); /* dcps1 */
	expect_ec("dcps1", 0x00);
	INSN(0xd4a00003); /* dcps3 */
	expect_ec("dcps3", 0x00);
	INSN(0xd6bf03e0); /* drps */
	expect_ec("drps", 0x00);
	__asm__ volatile("svc #7\n nop"); /* ELR is past the SVC: the handler skips the NOP */
	expect_ec("svc", 0x15);
	/* HVC/SMC with an immediate: not SMCCC, x0 = -1, no exception. */
	{
		register u64 r0 __asm__("x0") = PSCI_SYSTEM_OFF;
		__asm__ volatile("hvc #1" : "+r"(r0) : : "x1", "x2", "x3", "memory");
		CHECK_EQ("hvc-imm-1-refused", r0, ~0UL);
		r0 = PSCI_SYSTEM_OFF;
		__asm__ volatile("smc #0xffff" : "+r"(r0) : : "x1", "x2", "x3", "memory");
		CHECK_EQ("smc-imm-ffff-refused", r0, ~0UL);
	}
	/* FP/SIMD disabled by the guest's own CPACR_EL1: EC 0x07 at EL1. */
	__asm__ volatile("msr cpacr_el1, xzr; isb");
	__asm__ volatile("fmov d0, xzr" ::: "v0");
	expect_ec("fp-disabled-by-cpacr", 0x07);
	__asm__ volatile("msr cpacr_el1, %0; isb" : : "r"(3UL << 20));
	/* PC alignment: branch to an odd address. */
	g_resume_mode = RESUME_LR;
	__asm__ volatile("adr x9, 1f; add x9, x9, #2; blr x9; b 2f\n1: nop\n2:"
			 :
			 :
			 : "x9", "x30", "memory");
	g_resume_mode = RESUME_SKIP;
	expect_ec("pc-alignment", 0x22);
	/* Debug: the breakpoint registers keep what is written, but the OS
	 * lock is still set as after reset, so no debug exception can be
	 * generated (tests/guests/dbg.c covers debug with the lock clear);
	 * software step through MDSCR_EL1.SS is not armed either.  The guest
	 * keeps running. */
	__asm__ volatile("msr dbgbvr0_el1, %0; msr dbgbcr0_el1, %1; isb"
			 :
			 : "r"((u64)&guest_main), "r"((1UL << 0) | (0xfUL << 5)));
	__asm__ volatile("mrs %0, dbgbcr0_el1" : "=r"(x));
	CHECK_EQ("dbgbcr0-reads-back", x, (1UL << 0) | (0xfUL << 5));
	__asm__ volatile("msr mdscr_el1, %0; isb" : : "r"((1UL << 15) | (1UL << 13) | 1));
	__asm__ volatile("msr daifclr, #8; nop; nop; msr daifset, #8" ::: "memory");
	__asm__ volatile("msr mdscr_el1, xzr; isb");
	g_check("no-debug-exception-delivered", g_last_exc.count == before, "esr 0x%lx",
		(unsigned long)g_last_exc.esr);
	/* Unimplemented or trapped system instructions. */
	INSN(0xd508871f); /* sys #0, c8, c7, #0 (unallocated TLBI form) */
	g_check("sys-unallocated-contained", g_last_exc.count <= before + 1, "count");
	before = g_last_exc.count;
	__asm__ volatile("dc zva, %0" : : "r"(0UL) : "memory"); /* IPA 0 is a hole */
	g_check("dc-zva-hole-aborts", atk_exc_since(&before) && atk_ec() == 0x25, "esr 0x%lx",
		(unsigned long)g_last_exc.esr);
	g_printf("attacker: %lu exceptions, all returned\n", (unsigned long)g_last_exc.count);
}
