/* Accesses to IPAs with nothing behind them are contained: the hypervisor
 * injects an external abort, logs it, and the guest carries on. */
#include "guest.h"

void guest_main(u64 dtb);

typedef void (*fn_t)(void);

static void expect_abort(const char *name, u64 count_before, u64 ec, u64 far)
{
	g_check(name,
		g_last_exc.count == count_before + 1 && (g_last_exc.esr >> 26) == ec &&
			(g_last_exc.esr & 0x3f) == 0x10 && g_last_exc.far == far,
		"count %lu esr 0x%lx far 0x%lx", (unsigned long)(g_last_exc.count - count_before),
		(unsigned long)g_last_exc.esr, (unsigned long)g_last_exc.far);
}

void guest_main(u64 dtb)
{
	static const u64 holes[] = {
		0x0, 0x10000000, 0x08100000, 0x3ffff000, 0x40000000UL + (16UL << 20), 0xff000000UL};
	u64 n;

	/* First, while the hypervisor's per-VM log budget is untouched. */
	n = g_last_exc.count;
	g_resume_mode = RESUME_LR;
	((fn_t)0x10000000UL)();
	g_resume_mode = RESUME_SKIP;
	expect_abort("fetch-0x10000000", n, 0x21, 0x10000000UL);
	for (unsigned i = 0; i < ARRAY_SIZE(holes); i++) {
		char name[40];
		n = g_last_exc.count;
		(void)*(volatile u32 *)holes[i];
		snprintf(name, sizeof(name), "load-0x%lx", (unsigned long)holes[i]);
		expect_abort(name, n, 0x25, holes[i]);
		n = g_last_exc.count;
		*(volatile u32 *)(holes[i] + 8) = 0x12345678;
		snprintf(name, sizeof(name), "store-0x%lx", (unsigned long)holes[i] + 8);
		expect_abort(name, n, 0x25, holes[i] + 8);
		g_check("store-wnr", g_last_exc.esr & (1 << 6), "WnR clear");
	}
	g_printf("still alive after %lu injected aborts\n", (unsigned long)g_last_exc.count);
}
