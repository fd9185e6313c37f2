#include "guest.h"
#include <stdarg.h>

volatile struct g_exc g_last_exc;
volatile enum g_resume g_resume_mode;
bool (*volatile g_sync_hook)(u64 *frame, u64 esr);
void (*volatile g_irq_hook)(u32 intid);
static unsigned passed, failed;

void guest_exception(u64 *frame, u64 kind);

#define SMCCC_CLOBBERS                                                                       \
	"x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", \
		"x17", "memory"
#define SMCCC_CALL(insn)                                                                    \
	register u64 x0 __asm__("x0") = fid;                                                \
	register u64 x1 __asm__("x1") = a1;                                                 \
	register u64 x2 __asm__("x2") = a2;                                                 \
	register u64 x3 __asm__("x3") = a3;                                                 \
	__asm__ volatile(insn : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : SMCCC_CLOBBERS); \
	return (struct smccc_res)                                                           \
	{                                                                                   \
		x0, x1, x2, x3                                                              \
	}

struct smccc_res hvc_call(u64 fid, u64 a1, u64 a2, u64 a3)
{
	SMCCC_CALL("hvc #0");
}

struct smccc_res smc_call(u64 fid, u64 a1, u64 a2, u64 a3)
{
	SMCCC_CALL("smc #0");
}

void g_putc(char c)
{
	while (mmio_read32(UART_BASE + 0x18) & (1u << 5))
		;
	mmio_write32(UART_BASE, (u8)c);
}

static void g_vprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	for (int i = 0; i < n && i < (int)sizeof(buf) - 1; i++)
		g_putc(buf[i]);
}

void g_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_vprintf(fmt, ap);
	va_end(ap);
}

void g_check(const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		g_printf("PASS %s\n", name);
		return;
	}
	failed++;
	g_printf("FAIL %s: ", name);
	va_start(ap, fmt);
	g_vprintf(fmt, ap);
	va_end(ap);
	g_putc('\n');
}

void g_poweroff(void)
{
	hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	g_printf("FAIL poweroff: SYSTEM_OFF returned\n");
	for (;;)
		__asm__ volatile("wfi");
}

void g_report(void)
{
	g_printf("GUEST RESULT: %u passed, %u failed\n", passed, failed);
}

void g_finish(void)
{
	g_report();
	g_poweroff();
}

volatile u32 g_irq_count[8][64];
volatile u32 g_last_intid[8];
volatile u32 g_last_src[8];

u32 cpu_id(void)
{
	u64 mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (u32)(mpidr & 0xff);
}

/* GICD_PIDR2.ArchRev: 2 at 0xFE8 of a GICv2's 4 KiB distributor; a GICv3
 * has its ID registers at 0xFFE8 and reads 0 at 0xFE8 (reserved). */
bool g_gic_v2(void)
{
	static int v2 = -1;

	if (v2 < 0)
		v2 = ((mmio_read32(GICD_BASE + 0xfe8) >> 4) & 0xf) == 2;
	return v2 == 1;
}

/* GICv2: interrupts stay in Group 0 (their reset group), which GICD_CTLR
 * and GICC_CTLR bit 0 enable; EOImode 0, so EOIR also deactivates. */
void gic_init_dist(void)
{
	if (g_gic_v2())
		mmio_write32(GICD_BASE + 0x0, 1); /* EnableGrp0 */
	else
		mmio_write32(GICD_BASE + 0x0, (1u << 4) | (1u << 1)); /* ARE, EnableGrp1 */
}

void gic_init_cpu(u32 cpu)
{
	u64 rd = GICR_BASE + cpu * GICR_STRIDE;

	if (g_gic_v2()) {
		mmio_write32(GICC_BASE + 0x4, 0xff); /* GICC_PMR */
		mmio_write32(GICC_BASE + 0x0, 1);    /* GICC_CTLR.EnableGrp0 */
		return;
	}

	mmio_write32(rd + 0x14, 0); /* WAKER: ProcessorSleep = 0 */
	for (int i = 0; i < 1000 && (mmio_read32(rd + 0x14) & 4); i++)
		;
	mmio_write32(rd + 0x10000 + 0x80, ~0u);			  /* IGROUPR0: group 1 */
	__asm__ volatile("msr s3_0_c4_c6_0, %0" : : "r"(0xffUL)); /* ICC_PMR_EL1 */
	__asm__ volatile("msr s3_0_c12_c12_7, %0" : : "r"(1UL));  /* ICC_IGRPEN1_EL1 */
	__asm__ volatile("isb");
}

void gic_enable_private(u32 cpu, u32 intid)
{
	if (g_gic_v2())
		mmio_write32(GICD_BASE + 0x100, 1u << intid); /* GICD_ISENABLER0, banked */
	else
		mmio_write32(GICR_BASE + cpu * GICR_STRIDE + 0x10000 + 0x100, 1u << intid);
}

void gic_send_sgi(u32 intid, u32 target_cpu)
{
	u64 v = ((u64)intid << 24) | (1UL << target_cpu);

	if (g_gic_v2()) { /* GICD_SGIR: CPUTargetList [23:16] */
		mmio_write32(GICD_BASE + 0xf00, (1u << (16 + target_cpu)) | intid);
		return;
	}

	__asm__ volatile("msr s3_0_c12_c11_5, %0; isb" : : "r"(v) : "memory");
}

static void take_irq(void)
{
	u64 iar, raw = 0;
	u32 me = cpu_id() & 7;
	bool v2 = g_gic_v2();

	if (v2) { /* GICC_IAR: INTID [9:0], an SGI's source CPU [12:10] */
		raw = mmio_read32(GICC_BASE + 0xc);
		iar = raw & 0x3ff;
		if (iar < 16)
			g_last_src[me] = (u32)(raw >> 10) & 7;
	} else {
		__asm__ volatile("mrs %0, s3_0_c12_c12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
		iar &= 0xffffff;
	}
	if (iar >= 1020)
		return;
	g_irq_count[me][iar & 63]++;
	g_last_intid[me] = (u32)iar;
	if (iar == 27) /* the virtual timer: silence it before completing */
		__asm__ volatile("msr cntv_ctl_el0, xzr");
	if (g_irq_hook)
		g_irq_hook((u32)iar);
	if (v2)
		mmio_write32(GICC_BASE + 0x10, (u32)raw); /* GICC_EOIR, with the source */
	else
		__asm__ volatile("msr s3_0_c12_c12_1, %0; isb" : : "r"(iar)); /* ICC_EOIR1_EL1 */
}

void guest_exception(u64 *frame, u64 kind)
{
	u64 esr, far;

	if ((kind & 3) == 1) { /* IRQ: return to the interrupted instruction */
		take_irq();
		return;
	}

	__asm__ volatile("mrs %0, esr_el1; mrs %1, far_el1" : "=r"(esr), "=r"(far));
	if (g_sync_hook && g_sync_hook(frame, esr))
		return;
	g_last_exc.count++;
	g_last_exc.esr = esr;
	g_last_exc.far = far;
	g_last_exc.elr = frame[31];
	g_last_exc.kind = kind;
	if (g_resume_mode == RESUME_LR)
		frame[31] = frame[30];
	else
		frame[31] += 4;
}

/* Guests that never start another vCPU need no secondary entry. */
__attribute__((weak)) void guest_secondary(u64 stack_top)
{
	g_printf("FAIL secondary-vcpu-started-unexpectedly\n");
}
