/* vm/vdebug.c: the debug registers' semantics while they are kept in
 * memory (Arm ARM D19.3: DBGBCR/DBGWCR field layouts, OSLAR/OSLSR), and
 * when the state must move into the CPU. */
#include "check.h"
#include "vm/vdebug.h"

static struct vdebug d;

static void test_reset(void)
{
	vdebug_reset(&d);
	CHECK_EQ(vdebug_oslsr_read(&d), 0xa); /* OSLM 0b10, OSLK 1 */
	u64 v = 1;
	vdebug_mdscr_access(&d, true, &v);
	CHECK_EQ(v, 0);
	CHECK(!vdebug_wants_cpu(&d, 6, 4));
}

static void test_implemented_registers_only(void)
{
	u64 v = 0x1234;

	vdebug_reset(&d);
	CHECK(vdebug_bpwp_access(&d, 5, 4, false, &v, 6, 4));  /* DBGBVR5 */
	CHECK(!vdebug_bpwp_access(&d, 6, 4, false, &v, 6, 4)); /* DBGBVR6: UNDEF */
	CHECK(!vdebug_bpwp_access(&d, 6, 5, true, &v, 6, 4));  /* DBGBCR6 */
	CHECK(vdebug_bpwp_access(&d, 3, 7, true, &v, 6, 4));   /* DBGWCR3 */
	CHECK(!vdebug_bpwp_access(&d, 4, 6, true, &v, 6, 4));  /* DBGWVR4 */
	CHECK(!vdebug_bpwp_access(&d, 16, 4, true, &v, 16, 16));
	CHECK(!vdebug_bpwp_access(&d, 0, 3, true, &v, 6, 4)); /* not a bp/wp register */
}

static void test_res0_fields_cleared(void)
{
	u64 v = ~0UL;

	vdebug_reset(&d);
	vdebug_bpwp_access(&d, 0, 4, false, &v, 6, 4);
	vdebug_bpwp_access(&d, 0, 5, false, &v, 6, 4);
	vdebug_bpwp_access(&d, 1, 6, false, &v, 6, 4);
	vdebug_bpwp_access(&d, 1, 7, false, &v, 6, 4);
	vdebug_mdscr_access(&d, false, &v);
	CHECK_EQ(d.r.bvr[0], ~3UL);
	CHECK_EQ(d.r.bcr[0], 0x00ffe1e7UL); /* BT LBN SSC HMC BAS PMC E */
	CHECK_EQ(d.r.wvr[1], ~7UL);
	CHECK_EQ(d.r.wcr[1], 0x1f1fffffUL); /* MASK WT LBN SSC HMC BAS LSC PAC E */
	CHECK_EQ(d.r.mdscr, 0xb001UL);	    /* MDE KDE TDCC SS */
	vdebug_bpwp_access(&d, 1, 7, true, &v, 6, 4);
	CHECK_EQ(v, 0x1f1fffffUL);
}

static void test_wants_cpu_when_armed_and_unlocked(void)
{
	u64 v;

	vdebug_reset(&d);
	v = 0x1e7; /* BCR with E */
	vdebug_bpwp_access(&d, 2, 5, false, &v, 6, 4);
	CHECK(!vdebug_wants_cpu(&d, 6, 4)); /* OS lock still set */
	vdebug_oslar_write(&d, 0);
	CHECK_EQ(vdebug_oslsr_read(&d), 0x8);
	CHECK(vdebug_wants_cpu(&d, 6, 4));
	CHECK(!vdebug_wants_cpu(&d, 2, 4)); /* breakpoint 2 not implemented */
	v = 0;
	vdebug_bpwp_access(&d, 2, 5, false, &v, 6, 4);
	CHECK(!vdebug_wants_cpu(&d, 6, 4));
	v = 1; /* WCR3 enabled */
	vdebug_bpwp_access(&d, 3, 7, false, &v, 6, 4);
	CHECK(vdebug_wants_cpu(&d, 6, 4));
	v = 0;
	vdebug_bpwp_access(&d, 3, 7, false, &v, 6, 4);
	v = 1; /* MDSCR.SS */
	vdebug_mdscr_access(&d, false, &v);
	CHECK(vdebug_wants_cpu(&d, 6, 4));
	v = 1U << 12; /* TDCC alone arms nothing */
	vdebug_mdscr_access(&d, false, &v);
	CHECK(!vdebug_wants_cpu(&d, 6, 4));
	vdebug_oslar_write(&d, ~0UL);
	CHECK_EQ(vdebug_oslsr_read(&d), 0xa);
}

static void test_dfr0(void)
{
	/* cortex-a57-like: PMUVer 4, CTX_CMPs 1, WRPs 3, BRPs 5, DebugVer 6,
	 * plus TraceVer 1 and PMSVer 1 that must go. */
	u64 hw = 0x10305116UL | (1UL << 32);

	CHECK_EQ(vdebug_sanitize_dfr0(hw, 0xf00), 0xf010305106UL);
}

int main(void)
{
	RUN_TEST(test_reset);
	RUN_TEST(test_implemented_registers_only);
	RUN_TEST(test_res0_fields_cleared);
	RUN_TEST(test_wants_cpu_when_armed_and_unlocked);
	RUN_TEST(test_dfr0);
	return check_done();
}
