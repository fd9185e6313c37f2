/* Trapped MSR/MRS/SYS (vm/exit/sysreg_trap.c): ISS decoding, the register table,
 * feature ID sanitisation, and what each access does to the vCPU.  The ISS
 * layout (Arm ARM D19.2.49, EC 0x18) and the ID register fields (D19.2) are
 * written as literals here, not with the header's macros. */
#include "check.h"
#include "drivers/gic.h"
#include "fake_debug.h"
#include "fake_el2.h"
#include "vm/vcpu_debug.h"
#include "vm/exit/sysreg_trap.h"
#include "vm/exit/trap.h"

#define UNDEF_ESR 0x02000000UL /* EC 0 (unknown), IL */
#define M_EL1H 0x5
#define M_EL0T 0x0

static struct vm vm;
static struct vcpu *v;

static u64 sys_iss(u32 op0, u32 op1, u32 crn, u32 crm, u32 op2, u32 rt, bool read)
{
	return ((u64)op0 << 20) | ((u64)op2 << 17) | ((u64)op1 << 14) | ((u64)crn << 10) |
	       ((u64)rt << 5) | ((u64)crm << 1) | (read ? 1 : 0);
}

static u64 sys_esr(u32 op0, u32 op1, u32 crn, u32 crm, u32 op2, u32 rt, bool read)
{
	return (0x18UL << 26) | (1UL << 25) | sys_iss(op0, op1, crn, crm, op2, rt, read);
}

static void setup(void)
{
	fake_vm_init(&vm, 1);
	fake_debug_reset();
	v = &vm.vcpus[0];
	vcpu_debug_reset(v); /* as a fresh vCPU: OS lock set */
	for (int i = 0; i < 31; i++)
		v->ctx.x[i] = 0x1000 + (u64)i;
}

/* Runs one access and checks it completed: PC + 4, nothing injected. */
static void emulated(u32 op0, u32 op1, u32 crn, u32 crm, u32 op2, u32 rt, bool read)
{
	u64 pc = v->ctx.pc;
	unsigned injected = fake_esr_el1_writes;

	handle_sysreg(v, sys_esr(op0, op1, crn, crm, op2, rt, read));
	CHECK_EQ(v->ctx.pc, pc + 4);
	CHECK_EQ(fake_esr_el1_writes, injected);
	if (v->ctx.pc != pc + 4)
		fprintf(stderr, "  (S%u_%u_C%u_C%u_%u %s)\n", op0, op1, crn, crm, op2,
			read ? "read" : "write");
}

/* Runs one access and checks it became UNDEF at the guest's vector with the
 * trapping instruction as ELR_EL1 and no register changed. */
static void undefined(u32 op0, u32 op1, u32 crn, u32 crm, u32 op2, bool read)
{
	struct cpu_ctx before;
	unsigned undefs = vm_exits(&vm, EXIT_UNDEF_INJECTED);

	v->ctx.pc = FAKE_PC;
	v->ctx.pstate = M_EL1H;
	before = v->ctx;
	handle_sysreg(v, sys_esr(op0, op1, crn, crm, op2, 3, read));
	CHECK_EQ(v->ctx.pc, FAKE_VBAR + 0x200);
	CHECK_EQ(fake_elr_el1, FAKE_PC);
	CHECK_EQ(fake_esr_el1, UNDEF_ESR);
	CHECK_EQ(fake_spsr_el1, M_EL1H);
	CHECK_EQ(v->ctx.pstate, 0x3c5); /* EL1h, DAIF masked */
	CHECK(memcmp(before.x, v->ctx.x, sizeof(before.x)) == 0);
	CHECK_EQ(vm_exits(&vm, EXIT_UNDEF_INJECTED), undefs + 1);
	if (v->ctx.pc != FAKE_VBAR + 0x200)
		fprintf(stderr, "  (S%u_%u_C%u_C%u_%u %s)\n", op0, op1, crn, crm, op2,
			read ? "read" : "write");
}

/* ------------------------------------------------------------ decode */

static void test_decode(void)
{
	unsigned bad = 0;

	for (u32 enc = 0; enc < 0x10000; enc++) {
		u32 op0 = enc >> 14, op1 = (enc >> 11) & 7, crn = (enc >> 7) & 15;
		u32 crm = (enc >> 3) & 15, op2 = enc & 7, rt = enc % 32;
		bool read = enc & 1;
		struct sysreg_access a;

		/* EC, IL and ISS bits 24:22 do not take part. */
		sysreg_decode(sys_esr(op0, op1, crn, crm, op2, rt, !read) | (7UL << 22) |
				      (0xfUL << 32),
			      &a);
		bad += a.key != enc || a.rt != rt || a.read != !read;
	}
	CHECK_EQ(bad, 0);
}

static void test_table_ok(void)
{
	CHECK(sysreg_table_ok());
}

/* ------------------------------------------------------------ ID registers */

static void test_sanitize_literals(void)
{
	/* ID_AA64PFR0: EL2 11:8, EL3 15:12, RAS 31:28, SVE 35:32, MPAM 43:40,
	 * AMU 47:44 cleared; EL0, EL1, FP, AdvSIMD, GIC, CSV2, CSV3 kept. */
	CHECK_EQ(sysreg_sanitize_id(4, 0, ~0UL), 0xffff00f00fff00ffUL);
	CHECK_EQ(sysreg_sanitize_id(4, 0, 0x1100000001112222UL), 0x1100000001110022UL);
	CHECK_EQ(sysreg_sanitize_id(4, 0, 0x0000110110000000UL), 0);
	/* GIC 27:24 stays on a GICv3 host, reads 0 on a GICv2 host. */
	CHECK_EQ(sysreg_sanitize_id(4, 0, 0x01000000UL), 0x01000000UL);
	gic_v2 = true;
	CHECK_EQ(sysreg_sanitize_id(4, 0, 0x01000000UL), 0);
	CHECK_EQ(sysreg_sanitize_id(4, 0, ~0UL), 0xffff00f000ff00ffUL);
	gic_v2 = false;
	/* ID_AA64PFR1: only BT 3:0 and SSBS 7:4 survive (MTE 11:8 and SME
	 * 27:24 among the hidden). */
	CHECK_EQ(sysreg_sanitize_id(4, 1, ~0UL), 0xff);
	CHECK_EQ(sysreg_sanitize_id(4, 1, 0x0000000001000221UL), 0x21);
	/* SVE, SME, DFR1, AFR0, AFR1: all zero. */
	CHECK_EQ(sysreg_sanitize_id(4, 4, ~0UL), 0);
	CHECK_EQ(sysreg_sanitize_id(4, 5, ~0UL), 0);
	CHECK_EQ(sysreg_sanitize_id(5, 1, ~0UL), 0);
	CHECK_EQ(sysreg_sanitize_id(5, 4, ~0UL), 0);
	CHECK_EQ(sysreg_sanitize_id(5, 5, ~0UL), 0);
	/* ID_AA64DFR0: DebugVer 3:0, PMUVer 11:8, BRPs 15:12, WRPs 23:20 and
	 * CTX_CMPs 31:28 kept as the CPU has them, DoubleLock 39:36 = 0xf (not
	 * offered), TraceVer, PMSVer, ... zero. */
	CHECK_EQ(sysreg_sanitize_id(5, 0, ~0UL), 0xf0f0f0ff0fUL);
	CHECK_EQ(sysreg_sanitize_id(5, 0, 0), 0xf000000000UL);
	CHECK_EQ(sysreg_sanitize_id(5, 0, 0x0000000110f53416UL), 0xf010f03406UL);
	/* ID_AA64ISAR1: APA 7:4, API 11:8, GPA 27:24, GPI 31:28 cleared. */
	CHECK_EQ(sysreg_sanitize_id(6, 1, ~0UL), 0xffffffff00fff00fUL);
	CHECK_EQ(sysreg_sanitize_id(6, 1, 0x0000000011100001UL), 0x0000000000100001UL);
	/* ID_AA64ISAR2: GPA3 11:8, APA3 15:12 cleared. */
	CHECK_EQ(sysreg_sanitize_id(6, 2, ~0UL), 0xffffffffffff00ffUL);
	/* ID_AA64MMFR1: VH 11:8; ID_AA64MMFR2: NV 27:24. */
	CHECK_EQ(sysreg_sanitize_id(7, 1, ~0UL), 0xfffffffffffff0ffUL);
	CHECK_EQ(sysreg_sanitize_id(7, 2, ~0UL), 0xfffffffff0ffffffUL);
	/* Others pass through: ISAR0, MMFR0, the AArch32 registers. */
	CHECK_EQ(sysreg_sanitize_id(6, 0, 0x1234567890abcdefUL), 0x1234567890abcdefUL);
	CHECK_EQ(sysreg_sanitize_id(7, 0, ~0UL), ~0UL);
	CHECK_EQ(sysreg_sanitize_id(1, 0, 0x31UL), 0x31UL);
	CHECK_EQ(sysreg_sanitize_id(3, 7, ~0UL), ~0UL);
}

static u64 pattern(u32 crm, u32 op2)
{
	return 0x0123456789abcdefUL * (crm * 8 + op2 + 1);
}

static void test_id_reads(void)
{
	setup();
	for (u32 crm = 1; crm < 8; crm++) {
		for (u32 op2 = 0; op2 < 8; op2++) {
			u32 rt = (crm * 8 + op2) % 31;

			fake_id_regs[crm][op2] = pattern(crm, op2);
			emulated(3, 0, 0, crm, op2, rt, true);
			CHECK_EQ(v->ctx.x[rt], sysreg_sanitize_id(crm, op2, pattern(crm, op2)));
		}
	}
	CHECK_EQ(vm_exits(&vm, EXIT_SYSREG), 56);
	CHECK_EQ(vm_exits(&vm, EXIT_UNDEF_INJECTED), 0);
	/* The value the guest sees really is sanitised. */
	fake_id_regs[4][0] = ~0UL;
	emulated(3, 0, 0, 4, 0, 2, true);
	CHECK_EQ(v->ctx.x[2], 0xffff00f00fff00ffUL);
}

static void test_id_writes_undef(void)
{
	setup();
	for (u32 crm = 1; crm < 8; crm++)
		for (u32 op2 = 0; op2 < 8; op2++)
			undefined(3, 0, 0, crm, op2, false);
	CHECK_EQ(vm_exits(&vm, EXIT_UNDEF_INJECTED), 56);
	CHECK_EQ(vm_exits(&vm, EXIT_SYSREG), 56);
}

/* ------------------------------------------------------------ unknown */

static void test_unknown_undef(void)
{
	setup();
	undefined(3, 0, 15, 0, 0, true);
	CHECK(strstr(fake_log, "read of system register S3_0_C15_C0_0 at ELR=0x40001000") != NULL);
	CHECK(strstr(fake_log, "vm " FAKE_VM_NAME ": vcpu 0:") != NULL);
	undefined(3, 0, 15, 0, 0, false);
	CHECK(strstr(fake_log, "write of system register S3_0_C15_C0_0") != NULL);
	/* Just outside the ID space: CRm 0 (MIDR...), CRm 8, op1 1, CRn 1. */
	undefined(3, 0, 0, 0, 0, true);
	undefined(3, 0, 0, 8, 0, true);
	undefined(3, 1, 0, 4, 0, true);
	undefined(3, 0, 1, 4, 0, true);
	undefined(2, 0, 0, 2, 0, true);	  /* MDCCINT_EL1 */
	undefined(2, 0, 1, 0, 0, true);	  /* MDRAR_EL1 */
	undefined(2, 0, 0, 0, 3, true);	  /* op2 3 is not a bp/wp register */
	undefined(2, 1, 0, 0, 4, true);	  /* op1 1 */
	undefined(1, 0, 7, 6, 1, false);  /* DC IVAC */
	undefined(3, 3, 14, 3, 1, false); /* CNTV_CTL_EL0 is not ours */
	undefined(0, 0, 0, 0, 0, false);
	undefined(3, 7, 15, 15, 7, true);
	/* From EL0 the exception is taken from a lower EL: VBAR + 0x400. */
	v->ctx.pc = FAKE_PC;
	v->ctx.pstate = M_EL0T;
	handle_sysreg(v, sys_esr(3, 0, 15, 0, 0, 1, true));
	CHECK_EQ(v->ctx.pc, FAKE_VBAR + 0x400);
	CHECK_EQ(fake_spsr_el1, M_EL0T);
	CHECK_EQ(fake_elr_el1, FAKE_PC);
}

/* ------------------------------------------------------------ debug */

/* Breakpoint and watchpoint registers while nothing is armed: trapped,
 * kept in memory with their RES0 fields cleared, UNDEF past the six
 * breakpoints and four watchpoints the (fake) CPU implements. */
static void test_debug_bp_wp_registers(void)
{
	setup();
	for (u32 n = 0; n < 16; n++) {
		for (u32 op2 = 4; op2 < 8; op2++) {
			bool bp = op2 < 6, impl = n < (bp ? FAKE_BRPS : FAKE_WRPS);
			u64 res0 = op2 == 4 ? 3 : op2 == 6 ? 7 : 0;

			if (!impl) {
				undefined(2, 0, 0, n, op2, true);
				undefined(2, 0, 0, n, op2, false);
				continue;
			}
			/* Values without E (bit 0 of a control register). */
			v->ctx.x[5] = (op2 & 1) ? 0x1e6 : 0x40001000UL + n * 0x100 + res0;
			emulated(2, 0, 0, n, op2, 5, false);
			v->ctx.x[6] = 0xdead;
			emulated(2, 0, 0, n, op2, 6, true);
			CHECK_EQ(v->ctx.x[6], (op2 & 1) ? 0x1e6 : 0x40001000UL + n * 0x100);
		}
	}
	CHECK(fake_dbg_trap);
	CHECK_EQ(fake_dbg_loads, 0);
	CHECK_EQ(vm_exits(&vm, EXIT_UNDEF_INJECTED),
		 2 * (16 - FAKE_BRPS) * 2 + 2 * (16 - FAKE_WRPS) * 2);
}

static void test_debug_table(void)
{
	static const u8 raz_wi[][5] = {
		{2, 0, 0, 0, 2}, {2, 0, 0, 3, 2}, {2, 0, 0, 6, 2}, {2, 0, 1, 3, 4}, {2, 0, 1, 4, 4},
		{2, 0, 7, 8, 6}, {2, 0, 7, 9, 6}, {2, 3, 0, 4, 0}, {2, 3, 0, 5, 0}, {3, 0, 1, 0, 1},
	};
	static const u8 raz_ro[][5] = {{2, 0, 7, 14, 6}, {2, 3, 0, 1, 0}};

	setup();
	for (u32 i = 0; i < ARRAY_SIZE(raz_wi); i++) {
		const u8 *k = raz_wi[i];

		v->ctx.x[7] = 0xdead;
		emulated(k[0], k[1], k[2], k[3], k[4], 7, true);
		CHECK_EQ(v->ctx.x[7], 0);
		emulated(k[0], k[1], k[2], k[3], k[4], 7, false);
	}
	for (u32 i = 0; i < ARRAY_SIZE(raz_ro); i++) {
		const u8 *k = raz_ro[i];

		v->ctx.x[7] = 0xdead;
		emulated(k[0], k[1], k[2], k[3], k[4], 7, true);
		CHECK_EQ(v->ctx.x[7], 0);
		undefined(k[0], k[1], k[2], k[3], k[4], false);
	}
}

static void test_os_lock(void)
{
	setup();
	emulated(2, 0, 1, 1, 4, 0, true); /* OSLSR: OSLM 0b10, locked at reset */
	CHECK_EQ(v->ctx.x[0], 0xa);
	v->ctx.x[1] = 0;
	emulated(2, 0, 1, 0, 4, 1, false); /* OSLAR = 0 */
	emulated(2, 0, 1, 1, 4, 0, true);
	CHECK_EQ(v->ctx.x[0], 0x8);
	v->ctx.x[1] = 1;
	emulated(2, 0, 1, 0, 4, 1, false); /* OSLAR = 1 */
	CHECK(v->dbg.os_lock);
	emulated(2, 0, 1, 1, 4, 0, true);
	CHECK_EQ(v->ctx.x[0], 0xa); /* OSLK, bit 1 */
	v->ctx.x[1] = 0xfffffffffffffffeUL;
	emulated(2, 0, 1, 0, 4, 1, false); /* only bit 0 counts */
	emulated(2, 0, 1, 1, 4, 0, true);
	CHECK_EQ(v->ctx.x[0], 0x8);
	undefined(2, 0, 1, 0, 4, true);	 /* OSLAR is write-only */
	undefined(2, 0, 1, 1, 4, false); /* OSLSR is read-only */
	CHECK(!v->dbg.os_lock);
}

static void test_mdscr(void)
{
	setup();
	v->ctx.x[4] = ~0UL;
	emulated(2, 0, 0, 2, 2, 4, false);
	emulated(2, 0, 0, 2, 2, 6, true);
	CHECK_EQ(v->ctx.x[6], 0xb001); /* MDE 15, KDE 13, TDCC 12, SS 0 */
	CHECK(fake_dbg_trap);	       /* the OS lock is set: nothing can fire */
	CHECK_EQ(fake_dbg_cpu.mdscr, 0);
	v->ctx.x[0] = ~0UL;
	emulated(2, 0, 0, 2, 2, 31, false); /* msr mdscr_el1, xzr */
	emulated(2, 0, 0, 2, 2, 6, true);
	CHECK_EQ(v->ctx.x[6], 0);
}

/* Arming moves the state into the CPU and lifts TDA; a switch saves it and
 * zeroes MDSCR_EL1; disarmed, it goes back to trapping. */
static void test_debug_lazy_switch(void)
{
	setup();
	v->ctx.x[1] = 0;
	emulated(2, 0, 1, 0, 4, 1, false); /* OSLAR = 0 */
	v->ctx.x[2] = 0x40002000UL;
	emulated(2, 0, 0, 1, 4, 2, false); /* DBGBVR1: nothing armed yet */
	CHECK(fake_dbg_trap);
	CHECK_EQ(fake_dbg_loads, 0);
	v->ctx.x[2] = 0x1e7;
	emulated(2, 0, 0, 1, 5, 2, false); /* DBGBCR1 with E: armed */
	CHECK(!fake_dbg_trap);
	CHECK_EQ(fake_dbg_loads, 1);
	CHECK(v->dbg.active);
	CHECK_EQ(fake_dbg_cpu.bvr[1], 0x40002000UL);
	CHECK_EQ(fake_dbg_cpu.bcr[1], 0x1e7);
	/* The guest now uses the CPU's registers directly. */
	fake_dbg_cpu.wvr[3] = 0x40003000UL;
	fake_dbg_cpu.wcr[3] = 0x1ff9;
	fake_dbg_cpu.mdscr = 0xa000;
	vcpu_debug_save(v);
	CHECK_EQ(fake_dbg_cpu.mdscr, 0); /* nothing fires for the next vCPU */
	CHECK(fake_dbg_trap);
	CHECK(v->dbg.active); /* still armed: goes back in with the vCPU */
	CHECK_EQ(v->dbg.r.wcr[3], 0x1ff9);
	memset(&fake_dbg_cpu, 0, sizeof(fake_dbg_cpu));
	vcpu_debug_load(v);
	CHECK(!fake_dbg_trap);
	CHECK_EQ(fake_dbg_cpu.mdscr, 0xa000);
	CHECK_EQ(fake_dbg_cpu.wvr[3], 0x40003000UL);
	CHECK_EQ(fake_dbg_cpu.bcr[1], 0x1e7);
	/* Setting the OS lock (always trapped) moves it back to memory. */
	v->ctx.x[1] = 1;
	emulated(2, 0, 1, 0, 4, 1, false);
	CHECK(fake_dbg_trap);
	CHECK_EQ(fake_dbg_cpu.mdscr, 0);
	emulated(2, 0, 0, 2, 2, 6, true); /* MDSCR as the guest set it */
	CHECK_EQ(v->ctx.x[6], 0xa000);
	v->ctx.x[1] = 0;
	emulated(2, 0, 1, 0, 4, 1, false);
	CHECK(!fake_dbg_trap);
	/* Everything disarmed in the CPU: trapped again after the switch. */
	memset(&fake_dbg_cpu, 0, sizeof(fake_dbg_cpu));
	vcpu_debug_save(v);
	CHECK(!v->dbg.active);
	unsigned loads = fake_dbg_loads;
	vcpu_debug_load(v);
	CHECK(fake_dbg_trap);
	CHECK_EQ(fake_dbg_loads, loads);
}

/* CNTP_*: the emulated EL1 physical timer over CNTPCT_EL0. */
static void test_cntp(void)
{
	setup();
	fake_cntpct_el0 = 1000;
	v->ctx.x[3] = 100;
	emulated(3, 3, 14, 2, 0, 3, false); /* TVAL = 100 */
	emulated(3, 3, 14, 2, 2, 4, true);  /* CVAL */
	CHECK_EQ(v->ctx.x[4], 1100);
	v->ctx.x[3] = 1;
	emulated(3, 3, 14, 2, 1, 3, false); /* CTL = ENABLE */
	fake_cntpct_el0 = 1200;
	emulated(3, 3, 14, 2, 1, 4, true);
	CHECK_EQ(v->ctx.x[4], 5); /* ISTATUS */
	emulated(3, 3, 14, 2, 0, 4, true);
	CHECK_EQ(v->ctx.x[4], 0xffffff9cUL); /* -100 */
	v->ctx.x[3] = 0x7000;
	emulated(3, 3, 14, 2, 2, 3, false);
	emulated(3, 3, 14, 2, 1, 4, true);
	CHECK_EQ(v->ctx.x[4], 1);
}

/* ------------------------------------------------------------ set/way, Rt */

/* ICC_SGI1R_EL1 goes to the vGIC; the Group 0 and alternate SGI registers
 * are write-ignored; none of the three can be read. */
static void test_sgi_registers(void)
{
	setup();
	v->ctx.x[8] = 0x00ff00000001ffffUL;
	emulated(3, 0, 12, 11, 5, 8, false);
	CHECK_EQ(fake_calls.sgi1r, 1);
	CHECK(fake_calls.sgi1r_vcpu == v);
	CHECK_EQ(fake_calls.sgi1r_val, 0x00ff00000001ffffUL);
	emulated(3, 0, 12, 11, 6, 8, false);
	emulated(3, 0, 12, 11, 7, 8, false);
	undefined(3, 0, 12, 11, 5, true);
	undefined(3, 0, 12, 11, 6, true);
	undefined(3, 0, 12, 11, 7, true);
	CHECK_EQ(fake_calls.sgi1r, 1);
}

static void test_set_way_cleans_ram(void)
{
	static const u8 crm[] = {6, 10, 14}; /* DC ISW, CSW, CISW */

	setup();
	for (u32 i = 0; i < ARRAY_SIZE(crm); i++) {
		fake_calls.dcache_va = NULL;
		fake_calls.dcache_size = 0;
		emulated(1, 0, 7, crm[i], 2, 0, false);
		CHECK_EQ(fake_calls.dcache, i + 1);
		CHECK(fake_calls.dcache_va == fake_ram);
		CHECK_EQ(fake_calls.dcache_size, FAKE_RAM_SIZE);
	}
}

/* A read into xzr changes no register: x[31] would be the PC. */
static void test_read_to_xzr(void)
{
	struct cpu_ctx before;

	setup();
	fake_id_regs[4][0] = ~0UL;
	v->dbg.r.mdscr = 0xa001;
	v->dbg.os_lock = true;
	before = v->ctx;
	emulated(3, 0, 0, 4, 0, 31, true);
	emulated(2, 0, 0, 2, 2, 31, true);
	emulated(2, 0, 1, 1, 4, 31, true);
	emulated(2, 0, 0, 5, 4, 31, true);
	CHECK_EQ(v->ctx.pc, before.pc + 16);
	CHECK(memcmp(before.x, v->ctx.x, sizeof(before.x)) == 0);
	CHECK_EQ(v->ctx.pstate, before.pstate);
}

int main(void)
{
	RUN_TEST(test_decode);
	RUN_TEST(test_table_ok);
	RUN_TEST(test_sanitize_literals);
	RUN_TEST(test_id_reads);
	RUN_TEST(test_id_writes_undef);
	RUN_TEST(test_unknown_undef);
	RUN_TEST(test_debug_bp_wp_registers);
	RUN_TEST(test_debug_table);
	RUN_TEST(test_os_lock);
	RUN_TEST(test_mdscr);
	RUN_TEST(test_debug_lazy_switch);
	RUN_TEST(test_cntp);
	RUN_TEST(test_sgi_registers);
	RUN_TEST(test_set_way_cleans_ram);
	RUN_TEST(test_read_to_xzr);
	return check_done();
}
