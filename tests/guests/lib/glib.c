#include "guest.h"
#include <stdarg.h>

volatile struct g_exc g_last_exc;
volatile enum g_resume g_resume_mode;
static unsigned passed, failed;

void guest_exception(u64 *frame, u64 kind);

#define SMCCC_CLOBBERS "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", \
	"x14", "x15", "x16", "x17", "memory"
#define SMCCC_CALL(insn)                                                          \
	register u64 x0 __asm__("x0") = fid;                                      \
	register u64 x1 __asm__("x1") = a1;                                       \
	register u64 x2 __asm__("x2") = a2;                                       \
	register u64 x3 __asm__("x3") = a3;                                       \
	__asm__ volatile(insn : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : SMCCC_CLOBBERS); \
	return (struct smccc_res){ x0, x1, x2, x3 }

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

void g_finish(void)
{
	g_printf("GUEST RESULT: %u passed, %u failed\n", passed, failed);
	g_poweroff();
}

void guest_exception(u64 *frame, u64 kind)
{
	u64 esr, far;

	__asm__ volatile("mrs %0, esr_el1; mrs %1, far_el1" : "=r"(esr), "=r"(far));
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
