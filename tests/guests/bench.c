/* Micro-benchmarks for `make bench` (bench/run.py parses the BENCH lines).
 *
 * Run under QEMU -icount shift=0,align=off,sleep=off: one instruction is one
 * nanosecond of virtual time, PMCCNTR_EL0 (filtered with NSH so it counts
 * EL0, EL1 and EL2) advances one per instruction on each CPU, and the
 * hypervisor's AETHER_HC_EL2_INSNS returns the instructions this physical
 * CPU retired at EL2 alone.
 *
 * Loops (10,000 iterations): the measured instruction and its empty twin run
 * in identical asm loops; total = delta PMCCNTR, EL2 = delta EL2 counter,
 * each minus the empty loop (which also removes the measuring calls).
 *
 * Latencies: every CPU relates its PMCCNTR to the shared virtual clock
 * (ns = PMCCNTR - D, D found from CNTPCT, whose tick is 16 ns), so a
 * timestamp taken on one CPU compares with one taken on another, and with
 * the virtual timer's expiry at 16 * (CVAL + CNTVOFF).  The first
 * instruction of the IRQ vector below is the handler's timestamp. */
#include "lib/fdt.h"
#include "guest.h"

void guest_main(u64 dtb);

/* Options from /chosen/bootargs (for profiling one path under QEMU -d):
 *   bench.iters=N   iterations per benchmark (default 10000)
 *   bench.only=NAME run only that benchmark (hvc, mmio_read, mmio_write,
 *                   abort, timer_spin, timer_wfi, sgi, cpu_on; switch and
 *                   switch_dbg, which are only run on request and want both
 *                   vCPUs on one physical CPU; switch_dbg arms a breakpoint
 *                   on each vCPU first, so every switch moves debug state) */
static u32 iters = 10000;
static char only[32];
#define CAL_SAMPLES 48
#define TIMER_TICKS 200 /* 3200 instructions ahead */
#define SGI_PING 1	/* vCPU 0 -> vCPU 1 */
#define SGI_PONG 2	/* vCPU 1 -> vCPU 0 */
#define INTID_VTIMER 27
#define IPA_HOLE 0x10000000UL /* nothing mapped: Stage-2 fault */
#define UART_FR (UART_BASE + 0x18)
#define UART_IMSC (UART_BASE + 0x38)
#define PMCR_E (1UL << 0)
#define PMCR_C (1UL << 2)
#define PMCR_LC (1UL << 6)
#define PMCCFILTR_NSH (1UL << 27)
#define PMCNTEN_C (1UL << 31)

/* Written by the IRQ vector: per vCPU, the PMCCNTR at the vector's first
 * instruction, the INTID and a count.  Read by both vCPUs. */
struct irq_rec {
	u64 stamp, intid, count, pad;
};
volatile struct irq_rec bench_irq[8] __attribute__((aligned(64)));
/* Set once at start (tests/guests/lib/glib.c tells the GIC apart): 0 on a
 * GICv3, else the GICv2 CPU interface (read by the IRQ vector) and
 * GICD_SGIR (written by SGI_SEND). */
u64 bench_gicc, bench_sgir;

/* An SGI to target_cpu: the ICC_SGI1R_EL1 value on a GICv3, GICD_SGIR's
 * on a GICv2 (CPUTargetList [23:16]). */
static u64 sgi_val(u32 intid, u32 target_cpu)
{
	return bench_sgir ? (1UL << (16 + target_cpu)) | intid
			  : ((u64)intid << 24) | (1UL << target_cpu);
}

/* The timestamp, then the SGI write, adjacent on both GICs (the latency
 * runs from the write); stored at [slot] first when slot is given. */
/* clang-format off */
#define SGI_SEND(store)                                 \
	"	cbnz	%[sgir], 8f\n"                          \
	"	mrs	%[stamp], pmccntr_el0\n"                \
	store                                           \
	"	msr	s3_0_c12_c11_5, %[sgi]\n"               \
	"	b	9f\n"                                   \
	"8:	mrs	%[stamp], pmccntr_el0\n"                \
	store                                           \
	"	str	%w[sgi], [%[sgir]]\n"                   \
	"9:	isb\n"
/* clang-format on */
#define SGI_STORE "	str	%[stamp], [%[slot]]\n"

/* CPU_ON target: the PMCCNTR at the new vCPU's first instruction. */
struct on_rec {
	u64 stamp, count;
};
volatile struct on_rec bench_on __attribute__((aligned(64)));

extern char bench_vectors[];
extern char bench_on_entry[];

/* ------------------------------------------------------------ vectors
 * Only installed around the loops that need them (IRQs are unmasked only
 * inside asm that declares x16-x18 clobbered).  Synchronous exceptions at
 * EL1: a data abort (EC 0x25) skips the faulting instruction and leaves
 * ESR in x16; anything else is fatal.  IRQ: timestamp first. */
__asm__(".pushsection .text.bench_vectors, \"ax\"\n"
	"	.balign	2048\n"
	"	.globl	bench_vectors\n"
	"bench_vectors:\n"
	"	.balign	0x80\n	b	bench_bad\n" /* EL1t sync */
	"	.balign	0x80\n	b	bench_bad\n"
	"	.balign	0x80\n	b	bench_bad\n"
	"	.balign	0x80\n	b	bench_bad\n"
	"	.balign	0x80\n" /* EL1h sync */
	"	mrs	x16, esr_el1\n"
	"	lsr	x17, x16, #26\n"
	"	cmp	x17, #0x25\n"
	"	b.ne	bench_bad\n"
	"	mrs	x17, elr_el1\n"
	"	add	x17, x17, #4\n"
	"	msr	elr_el1, x17\n"
	"	eret\n"
	"	.balign	0x80\n" /* EL1h IRQ */
	"	mrs	x18, pmccntr_el0\n"
	"	b	bench_irq_body\n"
	"	.balign	0x80\n	b	bench_bad\n" /* EL1h FIQ */
	"	.balign	0x80\n	b	bench_bad\n" /* EL1h SError */
	"	.balign	0x80\n	b	bench_bad\n" /* lower EL: never */
	"	.balign	0x80\n	b	bench_bad\n"
	"	.balign	0x80\n	b	bench_bad\n"
	"	.balign	0x80\n	b	bench_bad\n"
	"	.balign	0x80\n	b	bench_bad\n"
	"	.balign	0x80\n	b	bench_bad\n"
	"	.balign	0x80\n	b	bench_bad\n"
	"	.balign	0x80\n	b	bench_bad\n"
	/* The IRQ handler's body.  bench_gicc is 0 on a GICv3 (system
	 * registers) or the GICv2 CPU interface's address: IAR and EOIR are
	 * then MMIO, and EOIR takes IAR's raw value (an SGI's source CPU). */
	"bench_irq_body:\n"
	"	stp	x0, x1, [sp, #-16]!\n"
	"	adrp	x16, bench_gicc\n"
	"	ldr	x16, [x16, :lo12:bench_gicc]\n"
	"	cbz	x16, 3f\n"
	"	ldr	w0, [x16, #0xc]\n" /* GICC_IAR */
	"	b	4f\n"
	"3:	mrs	x0, s3_0_c12_c12_0\n" /* ICC_IAR1_EL1 */
	"4:	mrs	x1, mpidr_el1\n"
	"	and	x1, x1, #7\n"
	"	lsl	x1, x1, #5\n"
	"	adrp	x17, bench_irq\n"
	"	add	x17, x17, :lo12:bench_irq\n"
	"	add	x17, x17, x1\n"
	"	str	x18, [x17]\n"
	"	and	x1, x0, #0x3ff\n" /* the INTID (GICv2: without the source) */
	"	str	x1, [x17, #8]\n"
	"	ldr	x18, [x17, #16]\n"
	"	add	x18, x18, #1\n"
	"	str	x18, [x17, #16]\n"
	"	cmp	x1, #27\n"
	"	b.ne	1f\n"
	"	msr	cntv_ctl_el0, xzr\n" /* silence the timer */
	"	isb\n"
	"1:	cmp	x1, #1020\n"
	"	b.hs	2f\n"
	"	cbz	x16, 5f\n"
	"	str	w0, [x16, #0x10]\n" /* GICC_EOIR */
	"	b	2f\n"
	"5:	msr	s3_0_c12_c12_1, x0\n" /* ICC_EOIR1_EL1 */
	"2:	ldp	x0, x1, [sp], #16\n"
	"	eret\n"
	"bench_bad:\n"
	"	mrs	x0, esr_el1\n"
	"	mrs	x1, elr_el1\n"
	"	mrs	x2, far_el1\n"
	"	b	bench_fatal\n"
	/* CPU_ON entry: x0 = context id = &bench_on.  The first instruction
	 * is the timestamp; then record it and switch the vCPU off again. */
	"	.balign	16\n"
	"	.globl	bench_on_entry\n"
	"bench_on_entry:\n"
	"	mrs	x1, pmccntr_el0\n"
	"	str	x1, [x0]\n"
	"	ldr	x2, [x0, #8]\n"
	"	add	x2, x2, #1\n"
	"	str	x2, [x0, #8]\n"
	"	mov	x0, #0x84000000\n"
	"	movk	x0, #0x2\n" /* PSCI_CPU_OFF */
	"	hvc	#0\n"
	"3:	wfi\n"
	"	b	3b\n"
	".popsection\n");

void bench_fatal(u64 esr, u64 elr, u64 far);
void bench_fatal(u64 esr, u64 elr, u64 far)
{
	g_printf("BENCH-ERROR vcpu %u: unexpected exception ESR=0x%lx ELR=0x%lx FAR=0x%lx\n",
		 cpu_id(), (unsigned long)esr, (unsigned long)elr, (unsigned long)far);
	g_poweroff();
}

/* ------------------------------------------------------------ counters */
static inline u64 pmccntr(void)
{
	u64 v;

	__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v) : : "memory");
	return v;
}

static inline u64 cntpct(void)
{
	u64 v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v) : : "memory");
	return v;
}

static u64 el2_insns(void)
{
	return hvc_call(AETHER_HC_EL2_INSNS, 0, 0, 0).a0;
}

static void pmu_init(void)
{
	u64 pmcr;

	/* Never PMCR.P: it would reset the hypervisor's counter as well. */
	__asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
	pmcr = (pmcr & ~0xffUL) | PMCR_E | PMCR_C | PMCR_LC;
	__asm__ volatile("msr pmccfiltr_el0, %0\n\t"
			 "msr pmcntenset_el0, %1\n\t"
			 "msr pmcr_el0, %2\n\t"
			 "isb"
			 :
			 : "r"(PMCCFILTR_NSH), "r"(PMCNTEN_C), "r"(pmcr)
			 : "memory");
}

static void set_vbar(u64 v)
{
	__asm__ volatile("msr vbar_el1, %0; isb" : : "r"(v) : "memory");
}

static u64 get_vbar(void)
{
	u64 v;

	__asm__ volatile("mrs %0, vbar_el1" : "=r"(v));
	return v;
}

/* The offset between this CPU's PMCCNTR and the virtual clock (ns): D with
 * ns = PMCCNTR - D.  Each sample reads PMCCNTR then CNTPCT (one instruction
 * later, 16 ns per tick); samples at varying phase narrow D to one value. */
struct calib {
	s64 d, spread;
};

static struct calib calibrate(void)
{
	s64 lo = INT64_MIN, hi = INT64_MAX;

	for (int i = 0; i < CAL_SAMPLES; i++) {
		u64 p, c, n = (u64)i + 1;

		/* 3 instructions per step: every phase modulo 16 */
		__asm__ volatile("1:	nop\n"
				 "	subs	%2, %2, #1\n"
				 "	b.ne	1b\n"
				 "	mrs	%0, pmccntr_el0\n"
				 "	mrs	%1, cntpct_el0\n"
				 : "=&r"(p), "=&r"(c), "+r"(n)
				 :
				 : "memory");
		/* 16c <= ns + 1 <= 16c + 15 with ns = p - d */
		s64 l = (s64)(p - 16 * c) - 14, h = (s64)(p - 16 * c) + 1;
		if (l > lo)
			lo = l;
		if (h < hi)
			hi = h;
	}
	return (struct calib){.d = lo, .spread = hi - lo};
}

/* CNTVOFF as the guest sees it: CNTPCT - CNTVCT, read in one 16 ns tick. */
static u64 read_voff(void)
{
	for (;;) {
		u64 a, v, b;

		__asm__ volatile("isb\n\tmrs %0, cntpct_el0\n\tmrs %1, cntvct_el0\n\t"
				 "mrs %2, cntpct_el0"
				 : "=&r"(a), "=&r"(v), "=&r"(b)
				 :
				 : "memory");
		if (a == b)
			return a - v;
	}
}

/* ------------------------------------------------------------ loops
 * Each pair differs only in the measured instruction. */
typedef void (*loop_fn)(u64 n);

static void __attribute__((noinline)) loop_empty(u64 n)
{
	__asm__ volatile("1:	subs	%0, %0, #1\n"
			 "	b.ne	1b\n"
			 : "+r"(n)
			 :
			 : "memory");
}

static void __attribute__((noinline)) loop_hvc_empty(u64 n)
{
	__asm__ volatile("1:	mov	x0, %1\n"
			 "	subs	%0, %0, #1\n"
			 "	b.ne	1b\n"
			 : "+r"(n)
			 : "r"((u64)SMCCC_VERSION)
			 : "x0", "x1", "x2", "x3", "memory");
}

static void __attribute__((noinline)) loop_hvc(u64 n)
{
	__asm__ volatile("1:	mov	x0, %1\n"
			 "	hvc	#0\n"
			 "	subs	%0, %0, #1\n"
			 "	b.ne	1b\n"
			 : "+r"(n)
			 : "r"((u64)SMCCC_VERSION)
			 : "x0", "x1", "x2", "x3", "memory");
}

static void __attribute__((noinline)) loop_mmio_read(u64 n)
{
	__asm__ volatile("1:	ldr	w1, [%1]\n"
			 "	subs	%0, %0, #1\n"
			 "	b.ne	1b\n"
			 : "+r"(n)
			 : "r"(UART_FR)
			 : "x1", "memory");
}

static u32 imsc_value;

static void __attribute__((noinline)) loop_mmio_write(u64 n)
{
	__asm__ volatile("1:	str	%w2, [%1]\n"
			 "	subs	%0, %0, #1\n"
			 "	b.ne	1b\n"
			 : "+r"(n)
			 : "r"(UART_IMSC), "r"(imsc_value)
			 : "memory");
}

static u64 last_abort_esr;

static void __attribute__((noinline)) loop_abort(u64 n)
{
	u64 esr = 0;

	__asm__ volatile("1:	ldr	w1, [%2]\n"
			 "	subs	%0, %0, #1\n"
			 "	b.ne	1b\n"
			 "	mov	%1, x16\n"
			 : "+r"(n), "=&r"(esr)
			 : "r"(IPA_HOLE)
			 : "x1", "x16", "x17", "memory");
	last_abort_esr = esr;
}

/* ------------------------------------------------------------ measuring */
#define NR_KINDS 8
static const char *const kind_names[NR_KINDS] = {"hvc",	  "smc", "sysreg", "mmio",
						 "abort", "wfx", "irq",	   "undef"};

struct meas {
	u64 cyc, el2, ex[NR_KINDS];
};

static void exits_now(u64 *ex)
{
	for (u64 k = 0; k < NR_KINDS; k++)
		ex[k] = hvc_call(AETHER_HC_EXIT_COUNT, k, 0, 0).a0;
}

static void measure(loop_fn fn, u64 n, struct meas *m)
{
	u64 ex0[NR_KINDS], ex1[NR_KINDS], e0, e1, c0, c1;

	exits_now(ex0);
	e0 = el2_insns();
	c0 = pmccntr();
	fn(n);
	c1 = pmccntr();
	e1 = el2_insns();
	exits_now(ex1);
	m->cyc = c1 - c0;
	m->el2 = e1 - e0;
	for (int k = 0; k < NR_KINDS; k++)
		m->ex[k] = ex1[k] - ex0[k];
}

/* Exits per iteration as "hvc=1.00 mmio=0.00 ..." for kinds that moved. */
static void print_exits(const u64 *a, const u64 *b, u64 n)
{
	for (int k = 0; k < NR_KINDS; k++) {
		s64 d = (s64)(a[k] - b[k]);
		if (d)
			g_printf(" x_%s=%ld", kind_names[k], (long)d);
	}
	g_printf(" x_iters=%lu", (unsigned long)n);
}

static void bench_loop(const char *name, loop_fn op, loop_fn empty)
{
	struct meas a, b;

	measure(empty, iters, &b); /* warm: translate both loops once */
	measure(op, iters, &a);
	measure(empty, iters, &b);
	measure(op, iters, &a);
	g_printf("BENCH loop name=%s iters=%u cyc=%lu cyc0=%lu el2=%lu el20=%lu", name, iters,
		 (unsigned long)a.cyc, (unsigned long)b.cyc, (unsigned long)a.el2,
		 (unsigned long)b.el2);
	print_exits(a.ex, b.ex, iters);
	g_printf("\n");
}

/* EL2 instructions of one AETHER_HC_EL2_INSNS measurement: what lies
 * between two back-to-back readings. */
static u64 el2_overhead(void)
{
	u64 best = ~0UL;

	for (int i = 0; i < 16; i++) {
		u64 a = el2_insns(), b = el2_insns();
		if (b - a < best)
			best = b - a;
	}
	return best;
}

struct stat {
	u64 n, sum, min, max;
	s64 bad;
};

static void stat_add(struct stat *s, s64 v)
{
	if (v < 0) {
		s->bad++;
		return;
	}
	s->n++;
	s->sum += (u64)v;
	if (s->n == 1 || (u64)v < s->min)
		s->min = (u64)v;
	if ((u64)v > s->max)
		s->max = (u64)v;
}

static void print_stat(const char *key, const struct stat *s)
{
	g_printf(" %s_n=%lu %s_sum=%lu %s_min=%lu %s_max=%lu %s_bad=%ld", key, (unsigned long)s->n,
		 key, (unsigned long)s->sum, key, (unsigned long)s->min, key, (unsigned long)s->max,
		 key, (long)s->bad);
}

/* ------------------------------------------------------------ vCPU 1 */
enum worker_mode { W_SETUP = 1, W_SGI, W_SWITCH };
static volatile u32 worker_mode, worker_ready, worker_done;
static volatile s64 worker_d, worker_spread;
static volatile u64 pong_stamp, worker_el2;
static u8 worker_stack[8192] __attribute__((aligned(16)));
static struct calib cal0;
static u64 el2_ovh;

/* Waits in WFI (trapped: the physical CPU idles) with IRQs unmasked until
 * this vCPU's IRQ count reaches target. */
static void wait_irq(u32 me, u64 target)
{
	u64 tmp;

	__asm__ volatile("	msr	daifclr, #2\n"
			 "1:	ldr	%0, [%1]\n"
			 "	cmp	%0, %2\n"
			 "	b.hs	2f\n"
			 "	wfi\n"
			 "	b	1b\n"
			 "2:	msr	daifset, #2\n"
			 : "=&r"(tmp)
			 : "r"(&bench_irq[me].count), "r"(target)
			 : "x16", "x17", "x18", "memory");
}

static void sgi_worker(void)
{
	u64 v = sgi_val(SGI_PONG, 0), e0, e1, stamp;

	gic_init_cpu(1);
	gic_enable_private(1, SGI_PING);
	set_vbar((u64)(uintptr_t)bench_vectors);
	worker_ready = 1;
	e0 = el2_insns();
	u64 base = bench_irq[1].count;

	for (u32 i = 0; i < iters; i++) {
		wait_irq(1, base + i + 1);
		__asm__ volatile(SGI_SEND("")
				 : [stamp] "=&r"(stamp)
				 : [sgi] "r"(v), [sgir] "r"(bench_sgir)
				 : "memory");
		pong_stamp = stamp;
	}
	e1 = el2_insns();
	worker_el2 = e1 - e0;
}

/* vCPU switch (both vCPUs on one physical CPU): stores PMCCNTR in
 * wfi_stamp[me], sends an SGI to the other vCPU (the hypervisor switches to
 * it in that exit: the SGI write is this vCPU's last instruction, the
 * other's IRQ vector timestamp its first), then waits in WFI until this
 * vCPU's IRQ count reaches target. */
static volatile u64 wfi_stamp[2];

static void send_and_wait(u64 sgi, u32 me, u64 target)
{
	u64 tmp, stamp;

	__asm__ volatile(SGI_SEND(SGI_STORE) "	msr	daifclr, #2\n"
					     "1:	ldr	%[tmp], [%[count]]\n"
					     "	cmp	%[tmp], %[target]\n"
					     "	b.hs	2f\n"
					     "	wfi\n"
					     "	b	1b\n"
					     "2:	msr	daifset, #2\n"
			 : [tmp] "=&r"(tmp), [stamp] "=&r"(stamp)
			 : [slot] "r"(&wfi_stamp[me]), [sgi] "r"(sgi), [sgir] "r"(bench_sgir),
			   [count] "r"(&bench_irq[me].count), [target] "r"(target)
			 : "x16", "x17", "x18", "memory");
}

/* switch_dbg: an enabled breakpoint on an address nothing executes (an IPA
 * hole) and MDSCR_EL1.MDE, the OS lock cleared, KDE off: nothing can fire,
 * but the vCPU's debug registers are live and switched with it. */
static bool switch_dbg;

static void arm_debug(void)
{
	if (!switch_dbg)
		return;
	__asm__ volatile("msr oslar_el1, xzr\n\t"
			 "msr dbgbvr0_el1, %0\n\t"
			 "msr dbgbcr0_el1, %1\n\t"
			 "msr mdscr_el1, %2\n\t"
			 "isb"
			 :
			 : "r"(IPA_HOLE), "r"(0x1e7UL), "r"(1UL << 15)
			 : "memory");
}

static void switch_worker(void)
{
	u64 pong = sgi_val(SGI_PONG, 0), base;

	gic_init_cpu(1);
	gic_enable_private(1, SGI_PING);
	set_vbar((u64)(uintptr_t)bench_vectors);
	arm_debug();
	base = bench_irq[1].count;
	worker_ready = 1;
	wait_irq(1, base + 1);
	/* One pong per ping; the last wait is released by a final ping. */
	for (u32 i = 0; i < iters; i++)
		send_and_wait(pong, 1, base + i + 2);
}

void guest_secondary(u64 stack_top)
{
	struct calib c;

	pmu_init();
	c = calibrate();
	worker_d = c.d;
	worker_spread = c.spread;
	if (worker_mode == W_SGI)
		sgi_worker();
	else if (worker_mode == W_SWITCH)
		switch_worker();
	worker_done = 1;
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

static bool vcpu1_off(void)
{
	return hvc_call(PSCI_AFFINITY_INFO_64, 1, 0, 0).a0 == PSCI_AFF_OFF;
}

/* Idles (WFI returns within the hypervisor's 10 ms re-check at worst,
 * which icount skips when every CPU is idle) until flag is set. */
static bool wait_flag(volatile u32 *flag)
{
	for (u32 i = 0; i < 100000 && !*flag; i++)
		__asm__ volatile("wfi" ::: "memory");
	return *flag != 0;
}

static bool wait_off(void)
{
	for (u32 i = 0; i < 100000; i++) {
		if (vcpu1_off())
			return true;
		__asm__ volatile("wfi" ::: "memory");
	}
	return false;
}

static bool start_worker(enum worker_mode mode)
{
	s64 r;

	if (!wait_off())
		return false;
	worker_mode = mode;
	worker_ready = 0;
	worker_done = 0;
	r = (s64)hvc_call(PSCI_CPU_ON_64, 1, (u64)(uintptr_t)secondary_start,
			  (u64)(uintptr_t)(worker_stack + sizeof(worker_stack)))
		    .a0;
	if (r != PSCI_RET_SUCCESS) {
		g_printf("BENCH-ERROR CPU_ON for vCPU 1 returned %ld\n", (long)r);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ latencies */
static void bench_timer(const char *name, bool use_wfi, u64 voff)
{
	struct stat lat = {0}, el2 = {0};
	u64 ex0[NR_KINDS], ex1[NR_KINDS];

	gic_enable_private(0, INTID_VTIMER);
	set_vbar((u64)(uintptr_t)bench_vectors);
	exits_now(ex0);
	for (u32 i = 0; i < iters; i++) {
		u64 old = bench_irq[0].count, cval, e0, e1, tmp;

		cval = read_cntvct() + TIMER_TICKS;
		e0 = el2_insns();
		if (use_wfi)
			__asm__ volatile("	msr	cntv_cval_el0, %1\n"
					 "	msr	cntv_ctl_el0, %2\n"
					 "	isb\n"
					 "	msr	daifclr, #2\n"
					 "1:	ldr	%0, [%3]\n"
					 "	cmp	%0, %4\n"
					 "	b.ne	2f\n"
					 "	wfi\n"
					 "	b	1b\n"
					 "2:	msr	daifset, #2\n"
					 : "=&r"(tmp)
					 : "r"(cval), "r"(1UL), "r"(&bench_irq[0].count), "r"(old)
					 : "x16", "x17", "x18", "memory");
		else
			__asm__ volatile("	msr	cntv_cval_el0, %1\n"
					 "	msr	cntv_ctl_el0, %2\n"
					 "	isb\n"
					 "	msr	daifclr, #2\n"
					 "1:	ldr	%0, [%3]\n"
					 "	cmp	%0, %4\n"
					 "	b.eq	1b\n"
					 "	msr	daifset, #2\n"
					 : "=&r"(tmp)
					 : "r"(cval), "r"(1UL), "r"(&bench_irq[0].count), "r"(old)
					 : "x16", "x17", "x18", "memory");
		e1 = el2_insns();
		if (bench_irq[0].intid != INTID_VTIMER) {
			g_printf("BENCH-ERROR %s: interrupt %lu instead of the timer\n", name,
				 (unsigned long)bench_irq[0].intid);
			break;
		}
		stat_add(&lat, (s64)(bench_irq[0].stamp - cal0.d - 16 * (cval + voff)));
		stat_add(&el2, (s64)(e1 - e0 - el2_ovh));
	}
	exits_now(ex1);
	g_printf("BENCH lat name=%s iters=%u", name, iters);
	print_stat("lat", &lat);
	print_stat("el2", &el2);
	for (int k = 0; k < NR_KINDS; k++)
		ex0[k] += 2 * iters * (k == 0); /* the el2_insns calls */
	print_exits(ex1, ex0, iters);
	g_printf("\n");
}

static void bench_sgi(void)
{
	struct stat ping = {0}, pong = {0}, el2 = {0};
	u64 v = sgi_val(SGI_PING, 1), e0, e1;
	u64 ex0[NR_KINDS], ex1[NR_KINDS];

	gic_enable_private(0, SGI_PONG);
	set_vbar((u64)(uintptr_t)bench_vectors);
	if (!start_worker(W_SGI) || !wait_flag(&worker_ready)) {
		g_printf("BENCH-ERROR sgi: vCPU 1 did not start\n");
		return;
	}
	exits_now(ex0);
	e0 = el2_insns();
	for (u32 i = 0; i < iters; i++) {
		u64 old0 = bench_irq[0].count, stamp;

		__asm__ volatile(SGI_SEND("")
				 : [stamp] "=&r"(stamp)
				 : [sgi] "r"(v), [sgir] "r"(bench_sgir)
				 : "memory");
		wait_irq(0, old0 + 1);
		stat_add(&ping, (s64)((bench_irq[1].stamp - worker_d) - (stamp - cal0.d)));
		stat_add(&pong, (s64)((bench_irq[0].stamp - cal0.d) - (pong_stamp - worker_d)));
	}
	e1 = el2_insns();
	wait_flag(&worker_done);
	exits_now(ex1);
	stat_add(&el2, (s64)(e1 - e0 - el2_ovh));
	g_printf("BENCH sgi iters=%u", iters);
	print_stat("ping", &ping);
	print_stat("pong", &pong);
	g_printf(" el2_cpu0=%lu el2_cpu1=%lu", (unsigned long)el2.sum, (unsigned long)worker_el2);
	print_exits(ex1, ex0, iters);
	g_printf("\n");
}

static void bench_switch(void)
{
	struct stat ab = {0}, ba = {0};
	u64 ping = sgi_val(SGI_PING, 1), ex0[NR_KINDS], ex1[NR_KINDS];
	u64 base;

	gic_enable_private(0, SGI_PONG);
	set_vbar((u64)(uintptr_t)bench_vectors);
	arm_debug();
	if (!start_worker(W_SWITCH) || !wait_flag(&worker_ready)) {
		g_printf("BENCH-ERROR switch: vCPU 1 did not start\n");
		return;
	}
	exits_now(ex0);
	base = bench_irq[0].count;
	for (u32 i = 0; i < iters; i++) {
		send_and_wait(ping, 0, base + i + 1);
		/* vCPU 0's SGI write -> vCPU 1's handler, and back */
		stat_add(&ab, (s64)(bench_irq[1].stamp - wfi_stamp[0]));
		stat_add(&ba, (s64)(bench_irq[0].stamp - wfi_stamp[1]));
	}
	exits_now(ex1);
	{
		u64 stamp;
		__asm__ volatile(SGI_SEND("")
				 : [stamp] "=&r"(stamp)
				 : [sgi] "r"(ping), [sgir] "r"(bench_sgir)
				 : "memory");
	}
	wait_flag(&worker_done);
	g_printf("BENCH %s iters=%u", switch_dbg ? "switch_dbg" : "switch", iters);
	print_stat("ab", &ab);
	print_stat("ba", &ba);
	print_exits(ex1, ex0, iters);
	g_printf("\n");
}

static void bench_cpu_on(void)
{
	struct stat lat = {0}, el2 = {0};
	u64 bad = 0, ex0[NR_KINDS], ex1[NR_KINDS];

	exits_now(ex0);
	for (u32 i = 0; i < iters; i++) {
		u64 old = bench_on.count, stamp, e0, e1, ret;

		if (!wait_off()) {
			bad++;
			break;
		}
		e0 = el2_insns();
		{
			/* No call between these and the asm: x0-x3 must hold. */
			register u64 x0 __asm__("x0") = PSCI_CPU_ON_64;
			register u64 x1 __asm__("x1") = 1;
			register u64 x2 __asm__("x2") = (u64)(uintptr_t)bench_on_entry;
			register u64 x3 __asm__("x3") = (u64)(uintptr_t)&bench_on;

			__asm__ volatile("mrs %4, pmccntr_el0\n\t"
					 "hvc #0"
					 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "=&r"(stamp)
					 :
					 : "memory");
			ret = x0;
		}
		e1 = el2_insns();
		if (ret != PSCI_RET_SUCCESS) {
			if (!bad++)
				g_printf("BENCH-ERROR cpu_on: CPU_ON returned %ld\n", (long)ret);
			continue;
		}
		for (u32 j = 0; j < 100000 && bench_on.count == old; j++)
			__asm__ volatile("wfi" ::: "memory");
		if (bench_on.count == old) {
			bad++;
			break;
		}
		stat_add(&lat, (s64)((bench_on.stamp - worker_d) - (stamp - cal0.d)));
		stat_add(&el2, (s64)(e1 - e0 - el2_ovh));
	}
	exits_now(ex1);
	g_printf("BENCH cpu_on iters=%u", iters);
	print_stat("lat", &lat);
	print_stat("el2", &el2);
	print_exits(ex1, ex0, iters);
	g_printf(" failed=%lu\n", (unsigned long)bad);
}

/* ------------------------------------------------------------ main */
static bool starts_with(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return false;
	return true;
}

static void parse_bootargs(u64 dtb)
{
	struct fdt f;
	const char *args, *end;
	u32 len;

	if (fdt_open(&f, (const void *)(uintptr_t)dtb, SZ_2M))
		return;
	args = fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "bootargs", &len);
	if (!args)
		return;
	end = args + len;
	while (args < end && *args) {
		if (starts_with(args, "bench.iters=")) {
			u32 n = 0;
			for (args += 12; *args >= '0' && *args <= '9'; args++)
				n = n * 10 + (u32)(*args - '0');
			if (n)
				iters = n;
		} else if (starts_with(args, "bench.only=")) {
			u32 i = 0;
			for (args += 11; *args && *args != ' ' && i < sizeof(only) - 1; args++)
				only[i++] = *args;
			only[i] = 0;
		}
		while (args < end && *args && *args != ' ')
			args++;
		while (args < end && *args == ' ')
			args++;
	}
}

static bool want(const char *name)
{
	return !only[0] || !strcmp(only, name);
}

void guest_main(u64 dtb)
{
	u64 vbar = get_vbar(), voff, p0, p1;

	parse_bootargs(dtb);
	pmu_init();
	p0 = pmccntr();
	p1 = pmccntr();
	el2_ovh = el2_overhead();
	if (p1 == p0 || el2_insns() == 0) {
		g_printf("BENCH-ERROR no usable PMU (PMCCNTR %lu -> %lu, EL2 counter %lu)\n",
			 (unsigned long)p0, (unsigned long)p1, (unsigned long)el2_insns());
		return;
	}
	cal0 = calibrate();
	voff = read_voff();
	g_printf("BENCH info iters=%u pmccntr_step=%lu el2_ovh=%lu d0_spread=%ld cntfrq=%lu\n",
		 iters, (unsigned long)(p1 - p0), (unsigned long)el2_ovh, (long)cal0.spread,
		 (unsigned long)read_cntfrq());

	if (g_gic_v2()) {
		bench_gicc = GICC_BASE;
		bench_sgir = GICD_BASE + 0xf00;
	}
	gic_init_dist();
	gic_init_cpu(0);

	/* vCPU 1 once: its PMU on and its clock offset known. */
	if (!start_worker(W_SETUP) || !wait_flag(&worker_done))
		g_printf("BENCH-ERROR vCPU 1 setup did not finish\n");
	else
		g_printf("BENCH info d1_spread=%ld\n", (long)worker_spread);

	if (want("hvc"))
		bench_loop("hvc", loop_hvc, loop_hvc_empty);
	if (want("mmio_read"))
		bench_loop("mmio_read", loop_mmio_read, loop_empty);
	imsc_value = (u32)mmio_read32(UART_IMSC);
	if (want("mmio_write"))
		bench_loop("mmio_write", loop_mmio_write, loop_empty);

	/* Aborts: the hypervisor logs the first RL_BURST per second; use that
	 * budget up first so the loop measures the trap path alone. */
	if (want("abort")) {
		set_vbar((u64)(uintptr_t)bench_vectors);
		loop_abort(20);
		bench_loop("abort", loop_abort, loop_empty);
		if ((last_abort_esr >> 26) != 0x25 || (last_abort_esr & 0x3f) != 0x10)
			g_printf("BENCH-ERROR abort: ESR 0x%lx is not an external data abort\n",
				 (unsigned long)last_abort_esr);
	}
	if (want("timer_spin"))
		bench_timer("timer_spin", false, voff);
	if (want("timer_wfi"))
		bench_timer("timer_wfi", true, voff);
	if (want("sgi"))
		bench_sgi();
	if (want("cpu_on"))
		bench_cpu_on();
	/* Only on request: it needs both vCPUs on one physical CPU
	 * (tests/configs/b-switch.cfg). */
	switch_dbg = only[0] && !strcmp(only, "switch_dbg");
	if (only[0] && (!strcmp(only, "switch") || switch_dbg))
		bench_switch();
	set_vbar(vbar);
	g_printf("BENCH done\n");
}
