/* Crashes on purpose until it has been restarted RESTART_RUNS times: it
 * points VBAR_EL1 at an unmapped address and faults, so its own exception
 * entry faults too, which the hypervisor treats as a crash.  Its VM has
 * on_exit = restart.  The last run powers off. */
#include "guest.h"

void guest_main(u64 dtb);

#define RESTART_RUNS 50

static u64 bss_marker;
extern char __bss_end[];

/* 8 MiB of RAM past the image and below the stack and DTB (which sit in
 * the top 2 MiB): every page of it is marked on each run and must read as
 * zero on the next, and on the first (the node trusts boot RAM to read as
 * zero: only pages the allocator handed out before are zeroed). */
#define SCAN_START 0x40400000UL
#define SCAN_END 0x40c00000UL

/* First non-zero word in the scan range, or 0: every word on the first
 * runs and the last, the words the run before marked on the others (a
 * whole scan on each of the 51 runs would slow the icount test down). */
static u64 scan_dirty(u64 n)
{
	bool whole = n < 3 || n == RESTART_RUNS;
	u64 step = whole ? 8 : 4096, off = whole ? 0 : ((n - 1) % 512) * 8;

	for (u64 a = SCAN_START + off; a < SCAN_END; a += step)
		if (*(volatile u64 *)a)
			return a;
	return 0;
}

static void mark_pages(u64 n)
{
	for (u64 a = SCAN_START; a < SCAN_END; a += 4096)
		*(volatile u64 *)(a + (n % 512) * 8) = 0xdead0000 + n;
}

void guest_main(u64 dtb)
{
	u64 n = hvc_call(AETHER_HC_RESTARTS, 0, 0, 0).a0;

	CHECK_EQ("bss-zero-after-restart", bss_marker, 0);
	CHECK_EQ("ram-zero-after-restart", scan_dirty(n), 0);
	CHECK_EQ("image-below-scan", (u64)__bss_end < SCAN_START, 1);
	bss_marker = n + 1;
	mark_pages(n);
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
