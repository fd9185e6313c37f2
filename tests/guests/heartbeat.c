/* A bare-metal heartbeat for the demo node: a virtual-timer interrupt every
 * 10 ms, WFI in between; every second it reports the beats so far and the
 * longest gap between two beats.  Runs for 120 s of guest time, or for ever
 * when its command line (/chosen/bootargs) says "forever" (the central
 * node's long-running workload). */
#include "lib/fdt.h"
#include "guest.h"

void guest_main(u64 dtb);

#define BEAT_MS 10
#define REPORT_MS 1000
#define RUN_S 120

static int forever(u64 dtb)
{
	struct fdt f;
	const char *args = NULL;
	u32 len = 0;

	if (fdt_open(&f, (const void *)dtb, SZ_2M) == 0)
		args = fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "bootargs", &len);
	for (u32 i = 0; args && i + 7 <= len; i++)
		if (!memcmp(args + i, "forever", 7))
			return 1;
	return 0;
}

void guest_main(u64 dtb)
{
	int endless = forever(dtb);
	u64 tick = read_cntfrq() / 1000, t0 = read_cntvct(), last = t0, report = t0;
	u64 beats = 0, max_gap = 0, seen = 0;

	gic_init_dist();
	gic_init_cpu(0);
	gic_enable_private(0, 27);
	irq_enable();
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(t0 + BEAT_MS * tick), "r"(1UL));
	while (endless || read_cntvct() - t0 < RUN_S * 1000 * tick) {
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
		if (now - report >= REPORT_MS * tick) {
			report = now;
			g_printf("heartbeat t=%lus beats=%lu max_gap_us=%lu\n",
				 (unsigned long)((now - t0) / tick / 1000), (unsigned long)beats,
				 (unsigned long)(max_gap * 1000 / tick));
		}
	}
	irq_disable();
	g_check("heartbeat-ran", beats > 0, "no beats");
}
