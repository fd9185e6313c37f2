/* The virtual GIC end to end: SGIs between two vCPUs on two physical CPUs,
 * the virtual timer's PPI, distributor/redistributor identification, and
 * PSCI CPU_ON / AFFINITY_INFO across CPUs.  On a GICv2 host the same with
 * the vGICv2: SGIs through GICD_SGIR with their source CPU in GICC_IAR,
 * and the banked ITARGETSR0 naming the reading vCPU. */
#include "guest.h"

void guest_main(u64 dtb);

static u8 stack1[4096] __attribute__((aligned(16)));
static volatile u32 sec_started, sec_got_sgi, sec_itargets, sec_src;

void guest_secondary(u64 stack_top)
{
	if (g_gic_v2())
		sec_itargets = (u32)mmio_read32(GICD_BASE + 0x800);
	sec_started = cpu_id() + 1;
	gic_init_cpu(1);
	gic_enable_private(1, 3);
	irq_enable();
	gic_send_sgi(5, 0); /* to vCPU 0 */
	while (!g_irq_count[1][3])
		__asm__ volatile("wfi");
	sec_src = g_last_src[1];
	sec_got_sgi = 1;
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

static bool wait_for(volatile u32 *flag, u64 ms)
{
	u64 end = read_cntvct() + read_cntfrq() / 1000 * ms;

	while (!*flag && read_cntvct() < end)
		;
	return *flag != 0;
}

static bool wait_count(volatile u32 *count, u32 want, u64 ms)
{
	u64 end = read_cntvct() + read_cntfrq() / 1000 * ms;

	while (*count < want && read_cntvct() < end)
		;
	return *count == want;
}

static void check_ids_v2(void)
{
	u32 typer = (u32)mmio_read32(GICD_BASE + 0x4);

	CHECK_EQ("gicd-pidr2-archrev2", (mmio_read32(GICD_BASE + 0xfe8) >> 4) & 0xf, 2);
	CHECK_EQ("gicd-typer-itlines", typer & 0x1f, 2);
	CHECK_EQ("gicd-typer-cpus", (typer >> 5) & 7, 1);
	CHECK_EQ("gicd-itargetsr0-vcpu0", mmio_read32(GICD_BASE + 0x800), 0x01010101);
	CHECK_EQ("gicd-itargetsr-spi-reset", mmio_read32(GICD_BASE + 0x820) & 0xff, 1);
	/* GICV's GICC_IIDR: the hardware's virtual CPU interface answers. */
	g_check("gicc-iidr", mmio_read32(GICC_BASE + 0xfc) != 0, "GICC_IIDR reads 0");
}

static void check_ids(void)
{
	if (g_gic_v2()) {
		check_ids_v2();
		return;
	}
	CHECK_EQ("gicd-pidr2-archrev3", (mmio_read32(GICD_BASE + 0xffe8) >> 4) & 0xf, 3);
	CHECK_EQ("gicd-ctlr-are", (mmio_read32(GICD_BASE) >> 4) & 1, 1);
	CHECK_EQ("gicr0-typer-aff", mmio_read64(GICR_BASE + 8) >> 32, 0);
	CHECK_EQ("gicr1-typer-aff", mmio_read64(GICR_BASE + GICR_STRIDE + 8) >> 32, 1);
	CHECK_EQ("gicr1-typer-last", (mmio_read64(GICR_BASE + GICR_STRIDE + 8) >> 4) & 1, 1);
	CHECK_EQ("gicr0-typer-not-last", (mmio_read64(GICR_BASE + 8) >> 4) & 1, 0);
}

static void check_timer_irq(void)
{
	u64 t0 = read_cntvct(), ticks = read_cntfrq() / 1000; /* 1 ms */

	gic_enable_private(0, 27);
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(t0 + ticks), "r"(1UL)
			 : "memory");
	while (!g_irq_count[0][27] && read_cntvct() - t0 < 100 * ticks)
		__asm__ volatile("wfi");
	CHECK_EQ("vtimer-irq-delivered", g_irq_count[0][27], 1);
	g_check("vtimer-not-early", read_cntvct() >= t0 + ticks, "fired early");
	/* Re-arm once more: the physical interrupt must have been released. */
	t0 = read_cntvct();
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(t0 + ticks), "r"(1UL)
			 : "memory");
	while (g_irq_count[0][27] < 2 && read_cntvct() - t0 < 100 * ticks)
		__asm__ volatile("wfi");
	CHECK_EQ("vtimer-irq-again", g_irq_count[0][27], 2);
}

void guest_main(u64 dtb)
{
	struct smccc_res r;

	gic_init_dist();
	gic_init_cpu(0);
	gic_enable_private(0, 5);
	irq_enable();
	check_ids();
	check_timer_irq();

	/* SGI to ourselves */
	gic_send_sgi(5, 0);
	for (int i = 0; i < 1000 && !g_irq_count[0][5]; i++)
		;
	CHECK_EQ("sgi-self", g_irq_count[0][5], 1);
	if (g_gic_v2())
		CHECK_EQ("sgi-self-source", g_last_src[0], 0);

	CHECK_EQ("affinity-vcpu1-off", hvc_call(PSCI_AFFINITY_INFO_64, 1, 0, 0).a0, PSCI_AFF_OFF);
	r = hvc_call(PSCI_CPU_ON_64, 1, (u64)(uintptr_t)secondary_start,
		     (u64)(uintptr_t)(stack1 + sizeof(stack1)));
	CHECK_EQ("cpu-on-vcpu1", r.a0, 0);
	r = hvc_call(PSCI_CPU_ON_64, 1, (u64)(uintptr_t)secondary_start, 0);
	g_check("cpu-on-twice",
		(s64)r.a0 == PSCI_RET_ALREADY_ON || (s64)r.a0 == PSCI_RET_ON_PENDING, "got %ld",
		(long)r.a0);
	g_check("vcpu1-started", wait_for(&sec_started, 2000), "vCPU 1 never ran");
	CHECK_EQ("vcpu1-mpidr", sec_started, 2);
	g_check("sgi-from-vcpu1", wait_count(&g_irq_count[0][5], 2, 2000), "count %u",
		g_irq_count[0][5]);
	gic_send_sgi(3, 1);
	g_check("sgi-to-vcpu1", wait_for(&sec_got_sgi, 2000), "vCPU 1 got no SGI");
	if (g_gic_v2()) {
		CHECK_EQ("sgi-from-vcpu1-source", g_last_src[0], 1);
		CHECK_EQ("sgi-to-vcpu1-source", sec_src, 0);
		CHECK_EQ("gicd-itargetsr0-vcpu1", sec_itargets, 0x02020202);
	}
	for (int i = 0; i < 2000000 && hvc_call(PSCI_AFFINITY_INFO_64, 1, 0, 0).a0 != PSCI_AFF_OFF;
	     i++)
		;
	CHECK_EQ("affinity-vcpu1-off-again", hvc_call(PSCI_AFFINITY_INFO_64, 1, 0, 0).a0,
		 PSCI_AFF_OFF);
	irq_disable();
}
