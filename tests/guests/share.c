/* Two or more of these run on one physical CPU.  Each fills FP/SIMD and
 * EL1 registers with a pattern of its own and checks them while the CPU is
 * time-sliced between VMs, keeps a virtual-timer heartbeat and reports the
 * longest gap between beats, then idles in WFI (yielding) for a while. */
#include "guest.h"

void guest_main(u64 dtb);

#define BEAT_MS 5
#define BUSY_MS 300
#define IDLE_MS 100

static void fp_fill(u64 seed)
{
	__asm__ volatile("dup v0.2d, %0\n" : : "r"(seed) : "v0");
	for (int i = 0; i < 1; i++)
		__asm__ volatile("mov v1.16b, v0.16b\n mov v2.16b, v0.16b\n mov v3.16b, v0.16b\n"
				 "mov v8.16b, v0.16b\n mov v15.16b, v0.16b\n mov v16.16b, v0.16b\n"
				 "mov v24.16b, v0.16b\n mov v31.16b, v0.16b\n"
				 :
				 :
				 : "v1", "v2", "v3", "v8", "v15", "v16", "v24", "v31");
}

/* Returns the number of checked vector registers that lost the pattern. */
static int fp_check(u64 seed)
{
	u64 out[9][2];

	__asm__ volatile("str q0, [%0, #0]\n str q1, [%0, #16]\n str q2, [%0, #32]\n"
			 "str q3, [%0, #48]\n str q8, [%0, #64]\n str q15, [%0, #80]\n"
			 "str q16, [%0, #96]\n str q24, [%0, #112]\n str q31, [%0, #128]\n"
			 :
			 : "r"(out)
			 : "memory");
	int bad = 0;
	for (int i = 0; i < 9; i++)
		bad += out[i][0] != seed || out[i][1] != seed;
	return bad;
}

static u64 read_tpidr(void)
{
	u64 a, b;
	__asm__ volatile("mrs %0, tpidr_el0; mrs %1, tpidr_el1" : "=r"(a), "=r"(b));
	return a ^ (b << 1);
}

void guest_main(u64 dtb)
{
	u64 id = hvc_call(AETHER_HC_VM_INFO, 0, 0, 0).a1;
	u64 seed = 0x0123456789abcdefUL * (id + 3), tick = read_cntfrq() / 1000;
	u64 t0, last_beat, max_gap = 0, beats = 0, seen = 0, fp_bad = 0, reg_bad = 0;

	gic_init_dist();
	gic_init_cpu(0);
	gic_enable_private(0, 27);
	__asm__ volatile("msr tpidr_el0, %0; msr tpidr_el1, %1" : : "r"(seed), "r"(~seed));
	fp_fill(seed);
	irq_enable();
	t0 = last_beat = read_cntvct();
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(t0 + BEAT_MS * tick), "r"(1UL));
	while (read_cntvct() - t0 < (BUSY_MS + IDLE_MS) * tick) {
		bool idle = read_cntvct() - t0 >= BUSY_MS * tick;
		if (g_irq_count[0][27] != seen) {
			u64 now = read_cntvct();
			seen = g_irq_count[0][27];
			beats++;
			max_gap = MAX(max_gap, now - last_beat);
			last_beat = now;
			__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
					 :
					 : "r"(now + BEAT_MS * tick), "r"(1UL));
		}
		fp_bad += fp_check(seed) != 0;
		reg_bad += read_tpidr() != (seed ^ (~seed << 1));
		if (idle)
			__asm__ volatile("wfi");
	}
	irq_disable();
	g_printf("vm %lu: %lu beats, longest gap %lu us\n", (unsigned long)id, (unsigned long)beats,
		 (unsigned long)(max_gap * 1000 / tick));
	CHECK_EQ("fp-simd-preserved", fp_bad, 0);
	CHECK_EQ("el1-sysregs-preserved", reg_bad, 0);
	g_check("heartbeat-kept", beats >= (BUSY_MS + IDLE_MS) / BEAT_MS / 4, "only %lu beats",
		(unsigned long)beats);
	/* Bound: three vCPUs on one CPU with a 10 ms slice, plus slack. */
	g_check("heartbeat-gap-bounded", max_gap <= 60 * tick, "gap %lu us",
		(unsigned long)(max_gap * 1000 / tick));
}
