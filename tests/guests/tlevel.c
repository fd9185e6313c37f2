/* Timer interrupts are level-sensitive (Arm ARM D11.2.4, "the interrupt is
 * asserted while the timer condition is met and not masked"; GICv3 IHI 0069
 * 4.1: a level interrupt is pending only while its line is high, unless its
 * latch was set through ISPENDR).  For the EL1 virtual timer (PPI 27) and
 * the EL1 physical timer (PPI 30), the guest lets the timer fire while the
 * PPI is disabled at its redistributor, drops the line again (CTL = 0, IMASK
 * or CVAL moved into the future), and re-enables the PPI: nothing may be
 * delivered, and GICR_ISPENDR0 reads the bit as clear.  The same with the
 * PPI enabled but PSTATE.I masked (the interrupt already reached the CPU
 * interface).  Positive controls: while the line is high the bit reads as
 * pending; a real expiry is delivered exactly once; after a dropped line the
 * timer fires again normally.  The same binary passes on plain QEMU at EL1
 * (tests/conform/cases.py runs it there too). */
#include "guest.h"

void guest_main(u64 dtb);

#define VTIMER 27
#define PTIMER 30
#define SGI_BASE (GICR_BASE + 0x10000)
#define ISENABLER0 (SGI_BASE + 0x100)
#define ICENABLER0 (SGI_BASE + 0x180)
#define ISPENDR0 (SGI_BASE + 0x200)
#define ISACTIVER0 (SGI_BASE + 0x300)
#define CTL_ENABLE 1UL
#define CTL_IMASK 2UL
#define CTL_ISTATUS 4UL

enum drop { DROP_CTL0, DROP_IMASK, DROP_FUTURE };
static const char *const drop_name[] = {"ctl0", "imask", "cval-future"};

static u64 cntpct(void)
{
	u64 v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

static u64 now(u32 intid)
{
	return intid == VTIMER ? read_cntvct() : cntpct();
}

static void timer_set(u32 intid, u64 ctl, u64 cval)
{
	if (intid == VTIMER)
		__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
				 :
				 : "r"(cval), "r"(ctl)
				 : "memory");
	else
		__asm__ volatile("msr cntp_cval_el0, %0; msr cntp_ctl_el0, %1; isb"
				 :
				 : "r"(cval), "r"(ctl)
				 : "memory");
}

static void timer_ctl(u32 intid, u64 ctl)
{
	if (intid == VTIMER)
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(ctl) : "memory");
	else
		__asm__ volatile("msr cntp_ctl_el0, %0; isb" : : "r"(ctl) : "memory");
}

static u64 timer_ctl_read(u32 intid)
{
	u64 v;

	if (intid == VTIMER)
		__asm__ volatile("isb; mrs %0, cntv_ctl_el0" : "=r"(v));
	else
		__asm__ volatile("isb; mrs %0, cntp_ctl_el0" : "=r"(v));
	return v;
}

static void delay_us(u64 us)
{
	u64 end = read_cntvct() + read_cntfrq() / 1000000 * us;

	while (read_cntvct() < end)
		;
}

static bool pend_bit(u32 intid)
{
	return (mmio_read32(ISPENDR0) >> intid) & 1;
}

#define UART_SPI 33		     /* the PL011's interrupt */
#define UART_IMSC (UART_BASE + 0x38) /* TXIM: bit 5 */

/* The physical timer has no silencing in the library's IRQ handler; the
 * UART's transmit interrupt is masked again once taken. */
static void irq_hook(u32 intid)
{
	if (intid == PTIMER)
		__asm__ volatile("msr cntp_ctl_el0, xzr; isb");
	if (intid == UART_SPI)
		mmio_write32(UART_IMSC, 0);
}

static void drop_line(u32 intid, enum drop how)
{
	if (how == DROP_CTL0)
		timer_ctl(intid, 0);
	else if (how == DROP_IMASK)
		timer_ctl(intid, CTL_ENABLE | CTL_IMASK);
	else
		timer_set(intid, CTL_ENABLE, now(intid) + read_cntfrq() * 10);
}

/* Fires with the PPI disabled, drops the line, re-enables the PPI. */
static void disabled_then_dropped(u32 intid, enum drop how)
{
	char name[64];
	u32 before = g_irq_count[0][intid];

	mmio_write32(ICENABLER0, 1u << intid);
	timer_set(intid, CTL_ENABLE, now(intid) - 1);
	delay_us(1000); /* let the line reach the interrupt controller */
	snprintf(name, sizeof(name), "ppi%u-%s-istatus-while-fired", intid, drop_name[how]);
	g_check(name, (timer_ctl_read(intid) & CTL_ISTATUS) != 0, "CTL 0x%lx",
		(unsigned long)timer_ctl_read(intid));
	snprintf(name, sizeof(name), "ppi%u-%s-pending-while-high", intid, drop_name[how]);
	g_check(name, pend_bit(intid), "ISPENDR0 0x%lx", (unsigned long)mmio_read32(ISPENDR0));
	drop_line(intid, how);
	snprintf(name, sizeof(name), "ppi%u-%s-ispendr-clear-after-drop", intid, drop_name[how]);
	g_check(name, !pend_bit(intid), "ISPENDR0 0x%lx", (unsigned long)mmio_read32(ISPENDR0));
	mmio_write32(ISENABLER0, 1u << intid);
	delay_us(3000);
	snprintf(name, sizeof(name), "ppi%u-%s-not-delivered-on-enable", intid, drop_name[how]);
	g_check(name, g_irq_count[0][intid] == before, "%u interrupt(s) taken",
		g_irq_count[0][intid] - before);
	snprintf(name, sizeof(name), "ppi%u-%s-ispendr-still-clear", intid, drop_name[how]);
	g_check(name, !pend_bit(intid), "ISPENDR0 0x%lx", (unsigned long)mmio_read32(ISPENDR0));
	timer_ctl(intid, 0);
}

/* The PPI is enabled but PSTATE.I masks the interrupt: it reaches the CPU
 * interface, the line drops before the guest unmasks. */
static void masked_then_dropped(u32 intid)
{
	char name[64];
	u32 before = g_irq_count[0][intid];

	irq_disable();
	mmio_write32(ISENABLER0, 1u << intid);
	timer_set(intid, CTL_ENABLE, now(intid) - 1);
	delay_us(1000);
	snprintf(name, sizeof(name), "ppi%u-masked-pending-while-high", intid);
	g_check(name, pend_bit(intid), "ISPENDR0 0x%lx", (unsigned long)mmio_read32(ISPENDR0));
	timer_ctl(intid, 0);
	snprintf(name, sizeof(name), "ppi%u-masked-ispendr-clear-after-drop", intid);
	g_check(name, !pend_bit(intid), "ISPENDR0 0x%lx", (unsigned long)mmio_read32(ISPENDR0));
	snprintf(name, sizeof(name), "ppi%u-masked-not-active", intid);
	g_check(name, !((mmio_read32(ISACTIVER0) >> intid) & 1), "ISACTIVER0 0x%lx",
		(unsigned long)mmio_read32(ISACTIVER0));
	irq_enable();
	delay_us(3000);
	snprintf(name, sizeof(name), "ppi%u-masked-not-delivered-on-unmask", intid);
	g_check(name, g_irq_count[0][intid] == before, "%u interrupt(s) taken",
		g_irq_count[0][intid] - before);
}

/* A real expiry with the PPI enabled: delivered once (the handler
 * silences the timer before its EOI). */
static void fires_once(u32 intid, const char *what)
{
	char name[64];
	u32 before = g_irq_count[0][intid];
	u64 t0 = read_cntvct(), ms = read_cntfrq() / 1000;

	mmio_write32(ISENABLER0, 1u << intid);
	timer_set(intid, CTL_ENABLE, now(intid) + ms);
	while (g_irq_count[0][intid] == before && read_cntvct() - t0 < 100 * ms)
		__asm__ volatile("wfi");
	delay_us(2000);
	snprintf(name, sizeof(name), "ppi%u-fires-once-%s", intid, what);
	g_check(name, g_irq_count[0][intid] == before + 1, "%u interrupt(s) taken",
		g_irq_count[0][intid] - before);
	timer_ctl(intid, 0);
}

/* The virtual timer fires while PSTATE.I masks it, so it waits in a list
 * register (the hypervisor's IRQ short path put it there); then an MMIO
 * access raises another interrupt, the UART's transmit one (pending since
 * the last output, now unmasked in IMSC), which leaves the hypervisor work
 * after that access.  Unmasked, both must be taken, the timer once: the
 * waiting timer must survive the list registers being rebuilt. */
static void timer_waits_then_spi(void)
{
	u32 t_before = g_irq_count[0][VTIMER], u_before = g_irq_count[0][UART_SPI];
	u64 t0, ms = read_cntfrq() / 1000;

	mmio_write32(GICD_BASE + 0x84, 1u << (UART_SPI - 32));	/* IGROUPR1: Group 1 */
	mmio_write32(GICD_BASE + 0x104, 1u << (UART_SPI - 32)); /* ISENABLER1 */
	irq_disable();
	mmio_write32(ISENABLER0, 1u << VTIMER);
	timer_set(VTIMER, CTL_ENABLE, now(VTIMER) - 1);
	delay_us(1000);
	mmio_write32(UART_IMSC, 1u << 5);
	delay_us(1000);
	irq_enable();
	t0 = read_cntvct();
	while ((g_irq_count[0][VTIMER] == t_before || g_irq_count[0][UART_SPI] == u_before) &&
	       read_cntvct() - t0 < 100 * ms)
		__asm__ volatile("wfi");
	delay_us(2000);
	g_check("ppi27-waiting-survives-spi", g_irq_count[0][VTIMER] == t_before + 1,
		"%u timer interrupt(s) taken", g_irq_count[0][VTIMER] - t_before);
	g_check("spi33-taken-beside-waiting-timer", g_irq_count[0][UART_SPI] != u_before,
		"%u UART interrupt(s) taken", g_irq_count[0][UART_SPI] - u_before);
	mmio_write32(GICD_BASE + 0x184, 1u << (UART_SPI - 32)); /* ICENABLER1 */
	mmio_write32(UART_IMSC, 0);
	timer_ctl(VTIMER, 0);
}

static void run(u32 intid)
{
	fires_once(intid, "first");
	for (enum drop how = DROP_CTL0; how <= DROP_FUTURE; how++) {
		disabled_then_dropped(intid, how);
		fires_once(intid, drop_name[how]);
	}
	masked_then_dropped(intid);
	fires_once(intid, "after-masked");
	mmio_write32(ICENABLER0, 1u << intid);
}

void guest_main(u64 dtb)
{
	g_irq_hook = irq_hook;
	gic_init_dist();
	gic_init_cpu(0);
	irq_enable();
	run(VTIMER);
	timer_waits_then_spi();
	fires_once(VTIMER, "after-waiting");
	run(PTIMER);
	irq_disable();
	g_printf("tlevel: virtual and physical timer level checks done\n");
}
