/* The EL1 physical timer (Arm ARM D11.2: CNTP_CTL_EL0, CNTP_CVAL_EL0,
 * CNTP_TVAL_EL0; PPI 30 in the device tree's arm,armv8-timer node).
 *
 * Register semantics: CVAL reads back what was written; TVAL reads
 * CVAL - CNTPCT as a signed 32-bit value and a TVAL write sets CVAL to
 * CNTPCT + sign-extended TVAL; CTL keeps ENABLE and IMASK and shows ISTATUS
 * when enabled and CNTPCT >= CVAL.  Delivery: the interrupt arrives within
 * 10 ms after the deadline and never before it, set through TVAL and
 * through CVAL, while spinning and while waiting in WFI, and twice in a row;
 * none while disabled or masked.  CNTPCT - CNTVCT stays constant (the
 * counter the guest already reads through CNTVCT is the same time base).
 * Passes on plain QEMU at EL1 too. */
#include "guest.h"

void guest_main(u64 dtb);

#define PTIMER 30
#define SGI_BASE (GICR_BASE + 0x10000)
#define ISENABLER0 (SGI_BASE + 0x100)
#define CTL_ENABLE 1UL
#define CTL_IMASK 2UL
#define CTL_ISTATUS 4UL

static volatile u64 fired_at;  /* CNTPCT when the interrupt was taken */
static volatile u32 keep_high; /* takes to complete with the line still high */

static u64 cntpct(void)
{
	u64 v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

#define RD(reg)                                                    \
	({                                                         \
		u64 _v;                                            \
		__asm__ volatile("isb; mrs %0, " #reg : "=r"(_v)); \
		_v;                                                \
	})
#define WR(reg, v) __asm__ volatile("msr " #reg ", %0; isb" : : "r"((u64)(v)) : "memory")

static void irq_hook(u32 intid)
{
	if (intid == PTIMER) {
		fired_at = cntpct();
		if (keep_high) {
			keep_high--; /* EOI with the timer still asserting it */
			return;
		}
		WR(cntp_ctl_el0, 0);
	}
}

static u64 ms_ticks(u64 ms)
{
	return read_cntfrq() / 1000 * ms;
}

static void check_counter(void)
{
	/* p0 <= v0 + offset <= p1: each bracket bounds the offset (signed). */
	u64 p0 = cntpct(), v0 = read_cntvct(), p1 = cntpct();
	s64 lo0 = (s64)(p0 - v0), hi0 = (s64)(p1 - v0);
	u64 end = read_cntvct() + ms_ticks(5);

	while (read_cntvct() < end)
		;
	u64 p2 = cntpct(), v1 = read_cntvct(), p3 = cntpct();
	s64 lo1 = (s64)(p2 - v1), hi1 = (s64)(p3 - v1);
	/* One offset between the counters: the two brackets overlap. */
	g_check("cntpct-cntvct-offset-constant", MAX(lo0, lo1) <= MIN(hi0, hi1),
		"offset in [%ld, %ld] then [%ld, %ld]", (long)lo0, (long)hi0, (long)lo1, (long)hi1);
	g_check("cntpct-advances", p2 > p1 && p2 - p1 >= ms_ticks(5), "%lu -> %lu",
		(unsigned long)p1, (unsigned long)p2);
}

static void check_registers(void)
{
	u64 t0, t1, cval, tval;

	WR(cntp_ctl_el0, 0);
	WR(cntp_cval_el0, 0x123456789abcUL);
	CHECK_EQ("cval-reads-back", RD(cntp_cval_el0), 0x123456789abcUL);
	t0 = cntpct();
	WR(cntp_tval_el0, ms_ticks(1000));
	t1 = cntpct();
	cval = RD(cntp_cval_el0);
	g_check("tval-write-sets-cval", cval >= t0 + ms_ticks(1000) && cval <= t1 + ms_ticks(1000),
		"cval %lu, counter %lu..%lu", (unsigned long)cval, (unsigned long)t0,
		(unsigned long)t1);
	t0 = cntpct();
	tval = RD(cntp_tval_el0) & 0xffffffffUL;
	t1 = cntpct();
	g_check("tval-reads-cval-minus-count", tval <= cval - t0 && tval >= cval - t1,
		"tval %lu, cval-count %lu..%lu", (unsigned long)tval, (unsigned long)(cval - t1),
		(unsigned long)(cval - t0));
	/* TVAL is signed: a write of -1000 puts CVAL in the past. */
	t0 = cntpct();
	WR(cntp_tval_el0, (u64)(u32)-1000);
	cval = RD(cntp_cval_el0);
	g_check("tval-negative-sign-extended", cval + 1000 >= t0 && cval + 1000 <= cntpct(),
		"cval %lu counter %lu", (unsigned long)cval, (unsigned long)t0);
	tval = RD(cntp_tval_el0) & 0xffffffffUL;
	g_check("tval-reads-negative", tval >= 0x80000000UL, "tval 0x%lx", (unsigned long)tval);
	WR(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
	CHECK_EQ("ctl-enable-imask-istatus", RD(cntp_ctl_el0),
		 CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
	WR(cntp_cval_el0, cntpct() + ms_ticks(1000));
	CHECK_EQ("ctl-istatus-clear-in-future", RD(cntp_ctl_el0), CTL_ENABLE | CTL_IMASK);
	WR(cntp_ctl_el0, 0);
	CHECK_EQ("ctl-disabled", RD(cntp_ctl_el0) & (CTL_ENABLE | CTL_IMASK), 0);
}

/* Arms the timer for a deadline ms ahead (through TVAL or CVAL) and waits
 * (WFI or spinning) for at most 200 ms. */
static void fire(const char *name, bool use_tval, bool use_wfi, u64 ms)
{
	u64 deadline, start = cntpct(), late;

	fired_at = 0;
	if (use_tval) {
		WR(cntp_tval_el0, ms_ticks(ms));
		deadline = RD(cntp_cval_el0);
	} else {
		deadline = start + ms_ticks(ms);
		WR(cntp_cval_el0, deadline);
	}
	WR(cntp_ctl_el0, CTL_ENABLE);
	while (!fired_at && cntpct() - start < ms_ticks(200)) {
		if (use_wfi)
			__asm__ volatile("wfi");
	}
	late = fired_at - deadline;
	g_check(name, fired_at && fired_at >= deadline && late <= ms_ticks(10),
		"deadline %lu, taken at %lu (%ld us late)", (unsigned long)deadline,
		(unsigned long)fired_at, (long)((s64)late / (s64)(read_cntfrq() / 1000000)));
	WR(cntp_ctl_el0, 0);
}

/* A level interrupt completed while its line is still high is taken again
 * at once, with no exit the guest makes: it spins without trapping. */
static void refires_while_high(void)
{
	u32 before = g_irq_count[0][PTIMER];
	u64 start = cntpct();

	keep_high = 2;
	WR(cntp_cval_el0, cntpct() - 1);
	WR(cntp_ctl_el0, CTL_ENABLE);
	while (g_irq_count[0][PTIMER] - before < 3 && cntpct() - start < ms_ticks(50))
		;
	g_check("refires-while-line-high", g_irq_count[0][PTIMER] - before == 3,
		"%u interrupt(s) in 50 ms", g_irq_count[0][PTIMER] - before);
	keep_high = 0;
	WR(cntp_ctl_el0, 0);
}

static void quiet(const char *name, u64 ctl)
{
	u32 before = g_irq_count[0][PTIMER];
	u64 end;

	WR(cntp_cval_el0, cntpct() - 1);
	WR(cntp_ctl_el0, ctl);
	end = read_cntvct() + ms_ticks(20);
	while (read_cntvct() < end) /* no WFI: nothing would wake it */
		;
	g_check(name, g_irq_count[0][PTIMER] == before, "%u interrupt(s)",
		g_irq_count[0][PTIMER] - before);
	WR(cntp_ctl_el0, 0);
}

void guest_main(u64 dtb)
{
	g_irq_hook = irq_hook;
	gic_init_dist();
	gic_init_cpu(0);
	mmio_write32(ISENABLER0, 1u << PTIMER);
	check_counter();
	check_registers();
	irq_enable();
	fire("fires-tval-spin", true, false, 3);
	fire("fires-cval-spin", false, false, 3);
	fire("fires-tval-wfi", true, true, 5);
	fire("fires-cval-wfi", false, true, 5);
	fire("fires-again-cval-wfi", false, true, 2);
	fire("fires-long-tval-wfi", true, true, 50);
	quiet("not-fired-while-disabled", 0);
	quiet("not-fired-while-masked", CTL_ENABLE | CTL_IMASK);
	fire("fires-after-disabled", false, true, 1);
	refires_while_high();
	g_check("irq-count", g_irq_count[0][PTIMER] == 10, "%u interrupts", g_irq_count[0][PTIMER]);
	irq_disable();
	g_printf("ptimer: physical timer checks done\n");
}
