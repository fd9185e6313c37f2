/* vm/ptimer.c against the Arm ARM's CNTP_* definitions (D11.2.4), with the
 * architecture's numbers written out here rather than the header's. */
#include "check.h"
#include "vm/ptimer.h"

static struct ptimer t;

static void test_reset_is_disabled(void)
{
	ptimer_reset(&t);
	CHECK_EQ(ptimer_read(&t, PTIMER_CTL, 1000), 0);
	CHECK(!ptimer_line(&t, ~0UL));
	u64 when = 1;
	CHECK(!ptimer_deadline(&t, 0, &when));
}

static void test_ctl_keeps_enable_imask_only(void)
{
	ptimer_reset(&t);
	ptimer_write(&t, PTIMER_CTL, ~0UL, 0);
	CHECK_EQ(t.ctl, 3);
	ptimer_write(&t, PTIMER_CVAL, 500, 0);
	CHECK_EQ(ptimer_read(&t, PTIMER_CTL, 499), 3);
	CHECK_EQ(ptimer_read(&t, PTIMER_CTL, 500), 7); /* ISTATUS at CVAL exactly */
	ptimer_write(&t, PTIMER_CTL, 0, 0);
	CHECK_EQ(ptimer_read(&t, PTIMER_CTL, 1000), 0); /* no ISTATUS while disabled */
}

static void test_tval_views(void)
{
	ptimer_reset(&t);
	ptimer_write(&t, PTIMER_TVAL, 100, 1000);
	CHECK_EQ(t.cval, 1100);
	CHECK_EQ(ptimer_read(&t, PTIMER_TVAL, 1000), 100);
	CHECK_EQ(ptimer_read(&t, PTIMER_TVAL, 1100), 0);
	CHECK_EQ(ptimer_read(&t, PTIMER_TVAL, 1101), 0xffffffffUL); /* -1, 32 bits */
	/* Negative TVAL: sign-extended, CVAL in the past; upper bits ignored. */
	ptimer_write(&t, PTIMER_TVAL, 0xabcd0000fffffc18UL, 5000); /* -1000 */
	CHECK_EQ(t.cval, 4000);
	/* Wraps around the 64-bit count. */
	ptimer_write(&t, PTIMER_TVAL, 0x10, ~0UL - 4);
	CHECK_EQ(t.cval, 0xb);
	CHECK_EQ(ptimer_read(&t, PTIMER_CVAL, 0), 0xb);
}

static void test_line_and_deadline(void)
{
	u64 when = 0;

	ptimer_reset(&t);
	ptimer_write(&t, PTIMER_CVAL, 2000, 0);
	ptimer_write(&t, PTIMER_CTL, 1, 0);
	CHECK(!ptimer_line(&t, 1999));
	CHECK(ptimer_line(&t, 2000));
	CHECK(ptimer_deadline(&t, 1000, &when));
	CHECK_EQ(when, 2000);
	CHECK(!ptimer_deadline(&t, 2000, &when)); /* already expired: the line is up */
	ptimer_write(&t, PTIMER_CTL, 3, 0);	  /* IMASK */
	CHECK(!ptimer_line(&t, 5000));
	CHECK(!ptimer_deadline(&t, 1000, &when));
	CHECK_EQ(ptimer_read(&t, PTIMER_CTL, 5000), 7); /* ISTATUS regardless of IMASK */
	ptimer_write(&t, PTIMER_CTL, 1, 0);
	ptimer_write(&t, PTIMER_CVAL, ~0UL, 0);
	CHECK(!ptimer_line(&t, ~0UL - 1));
	CHECK(ptimer_line(&t, ~0UL));
}

int main(void)
{
	RUN_TEST(test_reset_is_disabled);
	RUN_TEST(test_ctl_keeps_enable_imask_only);
	RUN_TEST(test_tval_views);
	RUN_TEST(test_line_and_deadline);
	return check_done();
}
