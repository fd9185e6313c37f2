/* Reproducer: does an SGI wake a CPU idling in WFI while the sending CPU
 * keeps running?  Bare metal at EL2, no hypervisor, QEMU virt with GICv3.
 *
 * CPU 1 enables SGI 1 in its redistributor and sits in WFI (interrupts
 * masked in PSTATE, which WFI ignores for waking).  CPU 0 waits until CPU 1
 * is idle, stamps CNTPCT, writes ICC_SGI1R_EL1 for CPU 1 and then, per mode:
 *   spin   loops on plain loads until CPU 1 says it woke (or 100 ms pass);
 *   yield  the same loop with a YIELD hint in it;
 *   timer  arms its own EL2 timer (masked) 1 ms ahead, then spins;
 *   wfi    waits in WFI (its own timer wakes it every 1 ms to look).
 * CPU 1 stamps CNTPCT right after its WFI returns.  Each line gives the
 * latency in counter ticks (16 ns each at QEMU's 62.5 MHz; under -icount
 * shift=0 one tick is 16 instructions of virtual time).  When CPU 1 has not
 * woken after 100 ms, CPU 0 idles as in mode wfi and the line also says when
 * CPU 1 finally woke.  Between rounds CPU 0 waits the same polite way, so
 * one starved round does not starve the next.
 *
 * This documents a property of QEMU, not of the hypervisor. */
#include <stdint.h>

#define UART_DR ((volatile uint32_t *)0x09000000)
#define GICD ((volatile uint8_t *)0x08000000)
#define GICR ((volatile uint8_t *)0x080a0000)
#define GICR_FRAME 0x20000
#define GICR_SGI 0x10000

#define PSCI_CPU_ON 0xc4000003ul
#define PSCI_SYSTEM_OFF 0x84000008ul

#define ROUNDS 3
#define TIMEOUT_TICKS 6250000ul /* 100 ms */
#define MS_TICKS 62500ul
#define SETTLE_TICKS 6250ul /* 100 us for CPU 1 to reach WFI */

enum { MODE_SPIN, MODE_YIELD, MODE_TIMER, MODE_WFI, MODES };
static const char *const mode_name[MODES] = {"spin", "yield", "timer", "wfi"};

static volatile uint32_t ready, woken;
static volatile uint64_t wake_stamp;

void repro_main0(void);
void repro_main1(void);
void repro_secondary(void);

#define WR32(b, off, v) (*(volatile uint32_t *)((b) + (off)) = (v))
#define RD32(b, off) (*(volatile uint32_t *)((b) + (off)))
#define SYSREG_W(r, v) __asm__ volatile("msr " r ", %0" ::"r"((uint64_t)(v)) : "memory")
#define SYSREG_R(r, v) __asm__ volatile("mrs %0, " r : "=r"(v)::"memory")

static void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}
static void dsb(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static uint64_t now(void)
{
	uint64_t t;

	isb();
	SYSREG_R("cntpct_el0", t);
	return t;
}

static void putc_(char c)
{
	*UART_DR = (uint32_t)c;
}
static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void putu(uint64_t v)
{
	char b[21];
	int i = 20;

	b[i] = 0;
	do
		b[--i] = (char)('0' + v % 10);
	while (v /= 10);
	puts_(&b[i]);
}

static uint64_t smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid, x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2, x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	return x0;
}

/* This CPU's GIC: redistributor awake, SGIs and PPIs Group 1, those in
 * enable enabled at one priority, CPU interface on through the system
 * registers. */
static void gic_cpu_up(unsigned cpu, uint32_t enable)
{
	volatile uint8_t *rd = GICR + cpu * GICR_FRAME;
	uint64_t sre;

	WR32(rd, 0x14, RD32(rd, 0x14) & ~2u); /* GICR_WAKER.ProcessorSleep */
	while (RD32(rd, 0x14) & 4u)	      /* ChildrenAsleep */
		;
	WR32(rd + GICR_SGI, 0x80, ~0u); /* IGROUPR0: Group 1 */
	for (unsigned i = 0; i < 32; i += 4)
		WR32(rd + GICR_SGI, 0x400 + i, 0xa0a0a0a0u); /* IPRIORITYR */
	WR32(rd + GICR_SGI, 0x100, enable);		     /* ISENABLER0 */
	SYSREG_R("S3_4_C12_C9_5", sre);			     /* ICC_SRE_EL2 */
	SYSREG_W("S3_4_C12_C9_5", sre | 9);		     /* SRE | Enable */
	isb();
	SYSREG_W("S3_0_C4_C6_0", 0xff); /* ICC_PMR_EL1 */
	SYSREG_W("S3_0_C12_C12_7", 1);	/* ICC_IGRPEN1_EL1 */
	isb();
}

static void send_sgi(unsigned target_cpu, unsigned intid)
{
	dsb();
	SYSREG_W("S3_0_C12_C11_5",
		 ((uint64_t)intid << 24) | (1u << target_cpu)); /* ICC_SGI1R_EL1 */
	isb();
}

/* Waits in WFI for one SGI; returns the CNTPCT right after the wake. */
static uint64_t wait_sgi(void)
{
	for (;;) {
		uint64_t iar, t;

		__asm__ volatile("wfi" ::: "memory");
		t = now();
		SYSREG_R("S3_0_C12_C12_0", iar); /* ICC_IAR1_EL1 */
		iar &= 0xffffff;
		if (iar >= 1020)
			continue;
		SYSREG_W("S3_0_C12_C12_1", iar); /* ICC_EOIR1_EL1 */
		isb();
		return t;
	}
}

void repro_main1(void)
{
	gic_cpu_up(1, 1u << 1);
	for (uint32_t round = 1;; round++) {
		ready = round;
		dsb();
		wake_stamp = wait_sgi();
		dsb();
		woken = round;
		dsb();
		send_sgi(0, 2); /* only mode wfi waits for it; the others ignore it */
	}
}

/* WFI until *v == want, the EL2 timer waking this CPU every 1 ms. */
static void idle_until(volatile uint32_t *v, uint32_t want)
{
	while (*v != want) {
		SYSREG_W("cnthp_cval_el2", now() + MS_TICKS);
		SYSREG_W("cnthp_ctl_el2", 1);
		isb();
		wait_sgi();
		SYSREG_W("cnthp_ctl_el2", 0);
		isb();
	}
}

/* CPU 0 after its SGI: how it passes the time until CPU 1 has woken. */
static uint64_t sender_wait(int mode, uint32_t round, uint64_t t0)
{
	uint64_t spins = 0;

	if (mode == MODE_TIMER) {
		SYSREG_W("cnthp_cval_el2", t0 + MS_TICKS); /* masked: wakes nothing */
		SYSREG_W("cnthp_ctl_el2", 3);
		isb();
	}
	if (mode == MODE_WFI) {
		idle_until(&woken, round);
		return 0;
	}
	while (woken != round && now() - t0 < TIMEOUT_TICKS) {
		if (mode == MODE_YIELD)
			__asm__ volatile("yield" ::: "memory");
		spins++;
	}
	SYSREG_W("cnthp_ctl_el2", 0);
	return spins;
}

static void one_round(int mode, uint32_t round)
{
	uint64_t t0, spins;

	idle_until(&ready, round);
	t0 = now();
	while (now() - t0 < SETTLE_TICKS)
		;
	t0 = now();
	send_sgi(1, 1);
	spins = sender_wait(mode, round, t0);
	puts_("repro: mode=");
	puts_(mode_name[mode]);
	puts_(" round=");
	putu(round);
	if (woken != round) {
		puts_(" woke=no after_ticks=");
		putu(now() - t0);
		idle_until(&woken, round);
		puts_(" woke_after_sender_idled latency_ticks=");
		putu(wake_stamp - t0);
	} else {
		puts_(" woke=yes latency_ticks=");
		putu(wake_stamp - t0);
	}
	puts_(" sender_loops=");
	putu(spins);
	puts_("\r\n");
}
void repro_main0(void)
{
	uint32_t round = 0;

	puts_("repro: SGI wake-up of a CPU idle in WFI (bare metal, EL2, no hypervisor)\r\n");
	WR32(GICD, 0, RD32(GICD, 0) | (1u << 4) | 2u); /* GICD_CTLR: ARE, EnableGrp1 */
	while (RD32(GICD, 0) & (1u << 31))
		;
	gic_cpu_up(0, 1u << 2 | 1u << 26); /* answer SGI, EL2 timer */
	smc(PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)repro_secondary, 0);
	for (int mode = 0; mode < MODES; mode++)
		for (int i = 0; i < ROUNDS; i++)
			one_round(mode, ++round);
	puts_("repro: done\r\n");
	smc(PSCI_SYSTEM_OFF, 0, 0, 0);
}
