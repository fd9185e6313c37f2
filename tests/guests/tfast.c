/* The virtual timer's exit short path (vm/irq.c, irq_vtimer_fast) and its
 * fallback to the general path.  Three cases, each with the guest's own
 * IRQs masked while the interrupts reach the hypervisor, then unmasked:
 *   - the timer fires with nothing else in a list register (the short path
 *     puts it in list register 0);
 *   - the timer fires while an SGI the guest sent itself waits in a list
 *     register (exit work pending: the general path places the timer);
 *   - the SGI is sent while the timer the short path placed waits in list
 *     register 0 (the general path merges them).
 * Each interrupt must be delivered exactly once, and nothing after.  A
 * timer with the guest's IRQs unmasked, the common case, runs first. */
#include "guest.h"

void guest_main(u64 dtb);

#define VTIMER 27
#define SGI 3
#define CTL_ISTATUS 4UL

static void timer_arm(u64 ticks)
{
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(read_cntvct() + ticks), "r"(1UL)
			 : "memory");
}

/* Until the timer's condition is met, and a little longer, so that its
 * physical interrupt has certainly taken the CPU to EL2. */
static bool timer_wait_fired(void)
{
	u64 end = read_cntvct() + read_cntfrq() / 10, ctl = 0;

	while (read_cntvct() < end) {
		__asm__ volatile("isb; mrs %0, cntv_ctl_el0" : "=r"(ctl));
		if (ctl & CTL_ISTATUS)
			break;
	}
	end = read_cntvct() + read_cntfrq() / 20000; /* 50 us */
	while (read_cntvct() < end)
		;
	return (ctl & CTL_ISTATUS) != 0;
}

static bool wait_counts(u32 timer_want, u32 sgi_want)
{
	u64 end = read_cntvct() + read_cntfrq() / 10;

	while ((g_irq_count[0][VTIMER] < timer_want || g_irq_count[0][SGI] < sgi_want) &&
	       read_cntvct() < end)
		;
	/* Then nothing more may arrive. */
	end = read_cntvct() + read_cntfrq() / 500; /* 2 ms */
	while (read_cntvct() < end)
		;
	return g_irq_count[0][VTIMER] == timer_want && g_irq_count[0][SGI] == sgi_want;
}

static void check(const char *name, u32 timer_want, u32 sgi_want)
{
	bool ok = wait_counts(timer_want, sgi_want);

	g_check(name, ok, "timer %u (want %u), sgi %u (want %u)", g_irq_count[0][VTIMER],
		timer_want, g_irq_count[0][SGI], sgi_want);
}

void guest_main(u64 dtb)
{
	u64 tick = read_cntfrq() / 10000; /* 100 us */
	u32 t = 0, s = 0;

	gic_init_dist();
	gic_init_cpu(0);
	gic_enable_private(0, VTIMER);
	gic_enable_private(0, SGI);

	irq_enable();
	timer_arm(tick);
	check("timer-alone-unmasked", ++t, s);
	irq_disable();

	timer_arm(tick);
	g_check("timer-fired-masked", timer_wait_fired(), "no ISTATUS");
	irq_enable();
	check("timer-alone-masked", ++t, s);
	irq_disable();

	gic_send_sgi(SGI, 0); /* now in a list register, the guest masked */
	timer_arm(tick);
	g_check("timer-fired-behind-sgi", timer_wait_fired(), "no ISTATUS");
	irq_enable();
	check("timer-while-sgi-in-lr", ++t, ++s);
	irq_disable();

	timer_arm(tick);
	g_check("timer-fired-before-sgi", timer_wait_fired(), "no ISTATUS");
	gic_send_sgi(SGI, 0); /* while the timer waits in list register 0 */
	irq_enable();
	check("sgi-while-timer-in-lr", ++t, ++s);
	irq_disable();

	for (int i = 0; i < 20; i++) { /* back to back, the short path each time */
		irq_enable();
		timer_arm(tick);
		wait_counts(++t, s);
		irq_disable();
	}
	check("timer-20-more", t, s);
}
