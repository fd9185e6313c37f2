/* Guest exit dispatch (vm/exit/trap.c) and exception injection
 * (arch/arm64/inject.c): every exception class through trap_dispatch.
 * ESR/SPSR values are literals from the Arm ARM (D19.2.45 ESR_EL2, C5.2.18
 * SPSR_EL1, D1.10.2 vector offsets), not the header's macros. */
#include "arch/fault.h"
#include "arch/inject.h"
#include "check.h"
#include "fake_el2.h"
#include "vm/exit/inject.h"
#include "vm/exit/trap.h"

#define IL (1UL << 25)
#define EC(ec) ((u64)(ec) << 26)
#define M_EL0T 0x0
#define M_EL1T 0x4
#define M_EL1H 0x5
#define M_AARCH32 0x10
#define DAIF 0x3c0
#define NZCV 0xf0000000UL

static struct vm vm;
static struct vcpu *v;

static void setup(u64 pstate)
{
	fake_vm_init(&vm, 2);
	v = &vm.vcpus[0];
	v->ctx.pstate = pstate;
	for (int i = 0; i < 31; i++)
		v->ctx.x[i] = 0x7000 + (u64)i;
}

static bool handled(u32 ec)
{
	switch (ec) {
	case 0x01: /* WFI/WFE */
	case 0x16: /* HVC64 */
	case 0x17: /* SMC64 */
	case 0x18: /* MSR/MRS */
	case 0x20: /* instruction abort, lower EL */
	case 0x24: /* data abort, lower EL */
	case 0x2f: /* SError */ return true;
	default: return false;
	}
}

static unsigned total_calls(void)
{
	return fake_calls.vm_end + fake_calls.vm_reset + fake_calls.power_on +
	       fake_calls.power_off + fake_calls.wait + fake_calls.dcache + fake_calls.sgi1r;
}

/* An UNDEF as hardware would take it: EC 0 with IL, the old PC and PSTATE
 * saved, EL1h with DAIF masked at vector_off. */
static void check_undef(u64 pstate, u64 vector_off, u32 ec)
{
	u64 x_before[31];
	char want[32];

	setup(pstate);
	memcpy(x_before, v->ctx.x, sizeof(x_before));
	fake_far_el2 = 0x1234;
	trap_dispatch(v, EC(ec) | IL | 0x1ffffff);
	CHECK_EQ(fake_esr_el1, 0x02000000UL);
	CHECK_EQ(fake_elr_el1, FAKE_PC);
	CHECK_EQ(fake_spsr_el1, pstate);
	CHECK_EQ(v->ctx.pc, FAKE_VBAR + vector_off);
	CHECK_EQ(v->ctx.pstate, M_EL1H | DAIF);
	CHECK_EQ(fake_far_el1_writes, 0);
	CHECK_EQ(vm_exits(&vm, EXIT_UNDEF_INJECTED), 1);
	CHECK(memcmp(x_before, v->ctx.x, sizeof(x_before)) == 0);
	CHECK_EQ(total_calls(), 0);
	CHECK_EQ(vm.state, VM_RUNNING);
	snprintf(want, sizeof(want), "unhandled EC 0x%02x", ec);
	CHECK(strstr(fake_log, want) != NULL);
	if (v->ctx.pc != FAKE_VBAR + vector_off || fake_esr_el1 != 0x02000000UL)
		fprintf(stderr, "  (EC 0x%02x, pstate 0x%lx)\n", ec, (unsigned long)pstate);
}

static void test_unhandled_ecs_undef(void)
{
	unsigned n = 0;

	for (u32 ec = 0; ec < 64; ec++) {
		if (handled(ec))
			continue;
		check_undef(NZCV | M_EL1H, 0x200, ec);
		check_undef(M_EL0T, 0x400, ec);
		n++;
	}
	CHECK_EQ(n, 57);
}

static void test_undef_vector_by_mode(void)
{
	check_undef(M_EL1T | DAIF, 0x000, 0x00);
	check_undef(M_EL1H | 0x80, 0x200, 0x0e);
	check_undef(M_EL0T | NZCV, 0x400, 0x15);
	check_undef(M_AARCH32, 0x600, 0x12);
	CHECK_EQ(inject_vector_offset(M_EL0T), 0x400);
	CHECK_EQ(inject_vector_offset(M_EL1T), 0x000);
	CHECK_EQ(inject_vector_offset(M_EL1H | DAIF | NZCV), 0x200);
	CHECK_EQ(inject_vector_offset(M_AARCH32 | 0x3), 0x600);
}

/* ------------------------------------------------------------ HVC, SMC */

static void test_hvc(void)
{
	setup(M_EL1H);
	v->ctx.x[0] = 0xffffffff84000000UL; /* PSCI_VERSION, garbage above W0 */
	trap_dispatch(v, EC(0x16) | IL);
	CHECK_EQ(v->ctx.x[0], 0x10001);
	CHECK_EQ(v->ctx.x[1], 0x7001); /* one result: x1.. untouched */
	CHECK_EQ(v->ctx.pc, FAKE_PC);  /* ELR already points past HVC */
	CHECK_EQ(vm_exits(&vm, EXIT_HVC), 1);
	v->ctx.x[0] = 0x8600ff01; /* UID: four results */
	trap_dispatch(v, EC(0x16) | IL);
	CHECK_EQ(v->ctx.x[0], 0x61657468);
	CHECK_EQ(v->ctx.x[3], 0x6c6f7564);
	CHECK_EQ(v->ctx.x[4], 0x7004);
	CHECK_EQ(v->ctx.pc, FAKE_PC);
	CHECK_EQ(fake_esr_el1_writes, 0);
}

static void test_hvc_nonzero_imm(void)
{
	setup(M_EL1H);
	v->ctx.x[0] = 0x84000008; /* SYSTEM_OFF, but with HVC #1 */
	trap_dispatch(v, EC(0x16) | IL | 1);
	CHECK_EQ(v->ctx.x[0], ~0UL);
	CHECK_EQ(v->ctx.pc, FAKE_PC);
	CHECK_EQ(total_calls(), 0);
	CHECK_EQ(vm_exits(&vm, EXIT_HVC), 1);
	trap_dispatch(v, EC(0x16) | IL | 0x8000);
	CHECK_EQ(total_calls(), 0);
}

static void test_smc(void)
{
	setup(M_EL1H);
	v->ctx.x[0] = 0x84000000;
	trap_dispatch(v, EC(0x17) | IL);
	CHECK_EQ(v->ctx.x[0], 0x10001);
	CHECK_EQ(v->ctx.pc, FAKE_PC + 4); /* a trapped SMC is not retired */
	CHECK_EQ(vm_exits(&vm, EXIT_SMC), 1);
	v->ctx.x[0] = 0x84000000;
	trap_dispatch(v, EC(0x17)); /* IL = 0: a 16-bit instruction */
	CHECK_EQ(v->ctx.pc, FAKE_PC + 6);
	v->ctx.x[0] = 0x84000008;
	trap_dispatch(v, EC(0x17) | IL | 0x10);
	CHECK_EQ(v->ctx.x[0], ~0UL);
	CHECK_EQ(v->ctx.pc, FAKE_PC + 10);
	CHECK_EQ(total_calls(), 0);
	v->ctx.x[0] = 0x84000008; /* SYSTEM_OFF over SMC */
	trap_dispatch(v, EC(0x17) | IL);
	CHECK_EQ(fake_calls.vm_end, 1);
	CHECK_EQ(fake_calls.end_reason, VM_END_POWEROFF);
	CHECK_EQ(fake_esr_el1_writes, 0);
}

/* ------------------------------------------------------------ others */

static void test_wfx(void)
{
	setup(M_EL1H);
	trap_dispatch(v, EC(0x01) | IL); /* WFI */
	CHECK_EQ(v->ctx.pc, FAKE_PC + 4);
	CHECK_EQ(fake_calls.wait, 1);
	CHECK(fake_calls.wait_vcpu == v);
	trap_dispatch(v, EC(0x01) | IL | 1); /* WFE: no wait */
	CHECK_EQ(v->ctx.pc, FAKE_PC + 8);
	CHECK_EQ(fake_calls.wait, 1);
	trap_dispatch(v, EC(0x01)); /* 16-bit T32 WFI */
	CHECK_EQ(v->ctx.pc, FAKE_PC + 10);
	CHECK_EQ(vm_exits(&vm, EXIT_WFX), 3);
	CHECK_EQ(fake_esr_el1_writes, 0);
}

static void test_serror_ends_vm(void)
{
	setup(M_EL1H);
	trap_dispatch(v, EC(0x2f) | IL | 0x1234);
	CHECK_EQ(fake_calls.vm_end, 1);
	CHECK(fake_calls.end_vm == &vm);
	CHECK_EQ(fake_calls.end_reason, VM_END_FAULT);
	CHECK_EQ(vm.state, VM_ENDED);
	CHECK_EQ(v->ctx.pc, FAKE_PC);
	CHECK_EQ(fake_esr_el1_writes, 0);
	CHECK(strstr(fake_log, "SError") != NULL);
}

static void test_iabt(void)
{
	setup(M_EL1H);
	fake_far_el2 = 0x40100004;
	fake_hpfar_el2 = (0x40100000UL >> 12) << 4;
	trap_dispatch(v, EC(0x20) | IL | 0x07);
	CHECK_EQ(fake_esr_el1, EC(0x21) | IL | 0x10); /* current EL, external abort */
	CHECK_EQ(fake_far_el1, 0x40100004);
	CHECK_EQ(fake_elr_el1, FAKE_PC);
	CHECK_EQ(v->ctx.pc, FAKE_VBAR + 0x200);
	CHECK_EQ(vm_exits(&vm, EXIT_ABORT_INJECTED), 1);
	CHECK(strstr(fake_log, "instruction abort at IPA 0x40100004") != NULL);
	setup(M_EL0T);
	fake_far_el2 = 0x1000;
	trap_dispatch(v, EC(0x20) | IL);
	CHECK_EQ(fake_esr_el1, EC(0x20) | IL | 0x10); /* lower EL */
	CHECK_EQ(v->ctx.pc, FAKE_VBAR + 0x400);
}

static void test_sysreg_and_dabt_reach_handlers(void)
{
	setup(M_EL1H);
	v->dbg.r.mdscr = 0x8000;
	v->ctx.pstate |= 1UL << 21; /* PSTATE.SS: the guest single-steps this */
	/* mrs x2, mdscr_el1: op0 2, op1 0, CRn 0, CRm 2, op2 2, Rt 2, read */
	trap_dispatch(v, EC(0x18) | IL | (2UL << 20) | (2UL << 17) | (2UL << 5) | (2UL << 1) | 1);
	CHECK_EQ(v->ctx.x[2], 0x8000);
	CHECK_EQ(v->ctx.pc, FAKE_PC + 4);
	/* Emulated and stepped over: its step exception comes next (SS = 0). */
	CHECK_EQ(v->ctx.pstate, M_EL1H);
	CHECK_EQ(vm_exits(&vm, EXIT_SYSREG), 1);
	/* ldr w3, [UART FR] */
	fake_far_el2 = FAKE_UART_IPA + 0x18;
	fake_hpfar_el2 = (FAKE_UART_IPA >> 12) << 4;
	trap_dispatch(v, EC(0x24) | IL | (1UL << 24) | (2UL << 22) | (3UL << 16));
	CHECK_EQ(v->ctx.x[3], 0x90);
	CHECK_EQ(v->ctx.pc, FAKE_PC + 8);
	CHECK_EQ(vm_exits(&vm, EXIT_DABT_MMIO), 1);
	CHECK_EQ(fake_esr_el1_writes, 0);
}

static void test_helpers(void)
{
	CHECK_EQ(fault_ipa(0x123456780UL, 0xffffabc), 0x12345678abcUL);
	CHECK_EQ(fault_ipa(0xfffff0000000000fUL, 0), 0);
	CHECK(strcmp(ec_name(0x16), "HVC") == 0);
	CHECK(strcmp(ec_name(0x24), "data abort") == 0);
	CHECK(strcmp(ec_name(0x3f), "other") == 0);
}

int main(void)
{
	RUN_TEST(test_unhandled_ecs_undef);
	RUN_TEST(test_undef_vector_by_mode);
	RUN_TEST(test_hvc);
	RUN_TEST(test_hvc_nonzero_imm);
	RUN_TEST(test_smc);
	RUN_TEST(test_wfx);
	RUN_TEST(test_serror_ends_vm);
	RUN_TEST(test_iabt);
	RUN_TEST(test_sysreg_and_dabt_reach_handlers);
	RUN_TEST(test_helpers);
	return check_done();
}
