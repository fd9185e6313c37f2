/* WFI traps to EL2, which idles the CPU until the guest's armed virtual
 * timer fires.  With nothing armed the hypervisor still returns within its
 * 10 ms re-check period: a guest cannot park a CPU forever unnoticed. */
#include "guest.h"

void guest_main(u64 dtb);

void guest_main(u64 dtb)
{
	u64 freq = read_cntfrq(), ticks = freq / 100; /* 10 ms */
	u64 t0, t1, wfx0, wfx1;

	wfx0 = hvc_call(AETHER_HC_EXIT_COUNT, 5 /* WFX */, 0, 0).a0;
	t0 = read_cntvct();
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(t0 + ticks), "r"(1UL)
			 : "memory");
	do {
		__asm__ volatile("wfi" : : : "memory");
	} while (read_cntvct() < t0 + ticks && read_cntvct() - t0 < 100 * ticks);
	t1 = read_cntvct();
	wfx1 = hvc_call(AETHER_HC_EXIT_COUNT, 5, 0, 0).a0;
	g_check("wfi-waited-for-timer", t1 - t0 >= ticks, "only %lu of %lu ticks",
		(unsigned long)(t1 - t0), (unsigned long)ticks);
	g_check("wfi-trapped", wfx1 > wfx0, "WFx exits %lu -> %lu", (unsigned long)wfx0,
		(unsigned long)wfx1);
	g_check("wfi-few-wakeups", wfx1 - wfx0 <= 4, "%lu WFI exits for one timer period",
		(unsigned long)(wfx1 - wfx0));

	__asm__ volatile("msr cntv_ctl_el0, xzr; isb" : : : "memory");
	t0 = read_cntvct();
	__asm__ volatile("wfi" : : : "memory");
	t1 = read_cntvct();
	g_check("wfi-nothing-armed-returns", t1 - t0 < 3 * ticks,
		"WFI with no wake source took %lu ticks", (unsigned long)(t1 - t0));
	g_printf("virtual counter %lu Hz, timer period %lu ticks, wfi ok\n", (unsigned long)freq,
		 (unsigned long)ticks);
}
