/* Crashes on purpose until it has been restarted RESTART_RUNS times: it
 * points VBAR_EL1 at an unmapped address and faults, so its own exception
 * entry faults too, which the hypervisor treats as a crash.  Its VM has
 * on_exit = restart.  The last run powers off. */
#include "guest.h"

void guest_main(u64 dtb);

#define RESTART_RUNS 50

static u64 bss_marker;

void guest_main(u64 dtb)
{
	u64 n = hvc_call(AETHER_HC_RESTARTS, 0, 0, 0).a0;

	CHECK_EQ("bss-zero-after-restart", bss_marker, 0);
	CHECK_EQ("ram-zero-after-restart", *(volatile u64 *)0x40800000UL, 0);
	bss_marker = n + 1;
	*(volatile u64 *)0x40800000UL = 0xdead0000 + n;
	if (n < RESTART_RUNS) {
		g_printf("run %lu: crashing\n", (unsigned long)n);
		__asm__ volatile("msr vbar_el1, %0; isb; ldr x0, [%1]"
				 :
				 : "r"(0x30000000UL), "r"(0x30000000UL)
				 : "x0", "memory");
		g_printf("FAIL still-running-after-crash\n");
	}
	g_printf("run %lu: done restarting\n", (unsigned long)n);
}
