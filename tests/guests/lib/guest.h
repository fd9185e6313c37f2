/* Runtime for the small EL1 test guests: console through the (virtual)
 * PL011, SMCCC calls, checks that print PASS/FAIL lines, and a record of the
 * last exception the hypervisor injected. */
#ifndef GUEST_H
#define GUEST_H

#include "aether_abi.h"
#include "lib.h"
#include "types.h"

#define UART_BASE 0x09000000UL

struct smccc_res {
	u64 a0, a1, a2, a3;
};

struct smccc_res hvc_call(u64 fid, u64 a1, u64 a2, u64 a3);
struct smccc_res smc_call(u64 fid, u64 a1, u64 a2, u64 a3);

void g_putc(char c);
void g_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void g_check(const char *name, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define CHECK_EQ(name, got, want)                                         \
	g_check(name, (u64)(got) == (u64)(want), "got 0x%lx, want 0x%lx", \
		(unsigned long)(u64)(got), (unsigned long)(u64)(want))
void g_finish(void) __attribute__((noreturn)); /* prints the result, SYSTEM_OFF */
void g_report(void);			       /* prints the GUEST RESULT line only */
void g_poweroff(void) __attribute__((noreturn));

/* Last exception taken at EL1 (set by the vector code). */
struct g_exc {
	u64 count, esr, far, elr, kind;
};
extern volatile struct g_exc g_last_exc;
/* How guest_exception resumes: skip the faulting instruction, or return to
 * the caller's x30 (for a branch to an unmapped address). */
enum g_resume { RESUME_SKIP, RESUME_LR };
extern volatile enum g_resume g_resume_mode;
extern u64 boot_sp;
/* Optional hooks: a synchronous exception the hook handles (returns true)
 * is not recorded and resumes at frame[31] (ELR) as the hook left it; the
 * IRQ hook runs for each interrupt before its EOI (silence the source). */
extern bool (*volatile g_sync_hook)(u64 *frame, u64 esr);
extern void (*volatile g_irq_hook)(u32 intid);

/* Guest-side GIC (the hypervisor's virtual one): a GICv3, or on a GICv2 host
 * a GICv2 (distributor at GICD_BASE, CPU interface at GICC_BASE), told apart
 * by the distributor's ArchRev (g_gic_v2). */
#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080a0000UL
#define GICR_STRIDE 0x20000UL
#define GICC_BASE 0x08010000UL
bool g_gic_v2(void);
void gic_init_dist(void);
void gic_init_cpu(u32 cpu); /* wake redistributor, CPU interface on */
/* On a GICv2 the private interrupts are banked: call it on vCPU cpu. */
void gic_enable_private(u32 cpu, u32 intid);
void gic_send_sgi(u32 intid, u32 target_cpu);
static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}
/* Interrupts taken by this vCPU, counted per INTID (first 64). */
extern volatile u32 g_irq_count[8][64];
extern volatile u32 g_last_intid[8];
extern volatile u32 g_last_src[8]; /* GICv2: source CPU of the last SGI taken */
u32 cpu_id(void);		   /* vCPU index from MPIDR_EL1.Aff0 */
extern void secondary_start(void);
void guest_secondary(u64 stack_top); /* defined by guests that start other vCPUs */

static inline u64 read_cntvct(void)
{
	u64 v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline u64 read_cntfrq(void)
{
	u64 v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* MMIO through single plain LDR/STR: the compiler must not pick a form the
 * hypervisor cannot emulate (writeback) or split the access. */
static inline u64 mmio_read32(u64 a)
{
	u32 v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline u64 mmio_read16(u64 a)
{
	u16 v;
	__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline u64 mmio_read64(u64 a)
{
	u64 v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write32(u64 a, u32 v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

#endif
