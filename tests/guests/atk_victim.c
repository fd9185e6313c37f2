/* The victim of the hostile-guest suite: a virtual-timer heartbeat every
 * 10 ms for RUN_MS of guest time, WFI in between, then one line with the
 * beats and the longest gap between two beats (tests/hostile/cases.py holds
 * the bound for each setup) and power-off. */
#include "guest.h"

void guest_main(u64 dtb);

#define BEAT_MS 10
#define RUN_MS 3000

void guest_main(u64 dtb)
{
	u64 tick = read_cntfrq() / 1000, t0, last, beats = 0, max_gap = 0, seen = 0;

	gic_init_dist();
	gic_init_cpu(0);
	gic_enable_private(0, 27);
	irq_enable();
	t0 = last = read_cntvct();
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(t0 + BEAT_MS * tick), "r"(1UL));
	while (read_cntvct() - t0 < RUN_MS * tick) {
		__asm__ volatile("wfi");
		if (g_irq_count[0][27] == seen)
			continue;
		u64 now = read_cntvct();
		seen = g_irq_count[0][27];
		beats++;
		max_gap = MAX(max_gap, now - last);
		last = now;
		__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
				 :
				 : "r"(now + BEAT_MS * tick), "r"(1UL));
	}
	irq_disable();
	__asm__ volatile("msr cntv_ctl_el0, xzr");
	g_printf("victim: beats=%lu max_gap_us=%lu over %u ms\n", (unsigned long)beats,
		 (unsigned long)(max_gap * 1000 / tick), RUN_MS);
	/* Under icount, while the other physical CPU runs without pause, QEMU's
	 * round-robin scheduling delays each beat by up to one period (even
	 * for a busy loop that never exits), so half the rate is the floor;
	 * tests/hostile/cases.py bounds the longest gap. */
	g_check("victim-heartbeat-kept", beats >= RUN_MS / BEAT_MS / 2 * 9 / 10, "only %lu beats",
		(unsigned long)beats);
	u32 foreign = 0;
	for (int i = 0; i < 64; i++)
		foreign += i == 27 ? 0 : g_irq_count[0][i];
	CHECK_EQ("victim-no-foreign-interrupts", foreign, 0);
	/* Another VM's debug state never reaches this one: no exception taken,
	 * MDSCR_EL1 and the first breakpoint and watchpoint as at reset. */
	u64 mdscr, bcr0, wcr0;
	__asm__ volatile("mrs %0, mdscr_el1; mrs %1, dbgbcr0_el1; mrs %2, dbgwcr0_el1"
			 : "=r"(mdscr), "=r"(bcr0), "=r"(wcr0));
	CHECK_EQ("victim-no-synchronous-exceptions", g_last_exc.count, 0);
	CHECK_EQ("victim-debug-state-its-own", mdscr | bcr0 | wcr0, 0);
}
