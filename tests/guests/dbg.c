/* Self-hosted debug at EL1 on two vCPUs (Arm ARM D2): every breakpoint and
 * watchpoint register that ID_AA64DFR0_EL1 reports reads back what was
 * written; the OS lock is set at reset and OSLAR_EL1 clears it; with
 * MDSCR_EL1.KDE/MDE set and PSTATE.D clear, a hardware breakpoint (EC
 * 0x31), load and store watchpoints (EC 0x35, WnR, FAR) and software step
 * (EC 0x33, one exception per instruction) are taken at EL1 itself; none
 * while the OS lock is set, KDE is clear or PSTATE.D is masked.
 *
 * vCPU 0 and vCPU 1 run the same suite at the same time with different
 * targets (vCPU n breaks on bp_target<n> only and watches its own word),
 * meeting at barriers, and each busy-waits 30 ms with its registers
 * programmed before using them: on a CPU the two vCPUs share, that is
 * several time slices, so each sees its own debug state after switches.
 * vCPU 1 records its results; vCPU 0 prints both sets.  Passes on plain
 * QEMU at EL1 with -smp 2 too (tests/conform/cases.py). */
#include "dbg.h"

void guest_main(u64 dtb);
u64 bp_target0(void);
u64 bp_target1(void);
extern char step_seq[], step_end[];

__asm__(".text\n"
	".globl bp_target0\n"
	"bp_target0: nop\n"
	"	mov x0, #10\n"
	"	ret\n"
	".globl bp_target1\n"
	"bp_target1: nop\n"
	"	mov x0, #11\n"
	"	ret\n"
	".globl step_seq\n"
	"step_seq: mov x9, #1\n"
	"	add x9, x9, #2\n"
	"	add x9, x9, #3\n"
	"	nop\n"
	"	add x9, x9, #4\n"
	".globl step_end\n"
	"step_end: ret\n");

#define STEPS 5
#define MAX_REC 64

struct rec {
	const char *name;
	bool ok;
	u64 got, want;
};

struct cpu_state {
	u32 bp, wp, ss;
	u64 esr, elr, far;
	u64 step_elr[8];
	struct rec rec[MAX_REC];
	u32 nrec;
};

static struct cpu_state st[2];
static volatile u64 watched[2][8] __attribute__((aligned(64)));
static volatile u32 barrier_count;
static u8 stack1[8192] __attribute__((aligned(16)));

static void rec(u32 me, const char *name, bool ok, u64 got, u64 want)
{
	struct cpu_state *s = &st[me];

	if (s->nrec < MAX_REC)
		s->rec[s->nrec++] = (struct rec){name, ok, got, want};
}

#define REQ(name, got, want) rec(me, name, (u64)(got) == (u64)(want), (u64)(got), (u64)(want))

static void barrier(u32 round)
{
	__atomic_add_fetch(&barrier_count, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&barrier_count, __ATOMIC_SEQ_CST) < 2 * round)
		;
}

static void busy_ms(u64 ms)
{
	u64 end = read_cntvct() + read_cntfrq() / 1000 * ms;

	while (read_cntvct() < end)
		;
}

static bool hook(u64 *frame, u64 esr)
{
	struct cpu_state *s = &st[cpu_id() & 1];
	u64 ec = ESR_EC(esr), elr = frame[31];

	if (ec != EC_BKPT_CUR && ec != EC_WATCH_CUR && ec != EC_STEP_CUR)
		return false;
	s->esr = esr;
	s->elr = elr;
	s->far = SYSRD(far_el1);
	if (ec == EC_BKPT_CUR) {
		s->bp++;
		frame[31] += 4; /* over the target's leading NOP */
	} else if (ec == EC_WATCH_CUR) {
		s->wp++;
		frame[31] += 4; /* the access is not performed; skip it */
	} else {
		if (s->ss < 8)
			s->step_elr[s->ss] = elr;
		s->ss++;
		if (elr == (u64)step_end || s->ss > 64) {
			SYSWR(mdscr_el1, SYSRD(mdscr_el1) & ~MDSCR_SS);
		} else {
			SYSWR(spsr_el1, SYSRD(spsr_el1) | (1UL << 21)); /* step again */
		}
	}
	return true;
}

static u64 call_target(u32 which)
{
	return which ? bp_target1() : bp_target0();
}

static void check_readback(u32 me)
{
	u32 brps = dbg_brps(), wrps = dbg_wrps(), bad = 0;
	u64 badv = 0;

	rec(me, "at-least-2-breakpoints", brps >= 2, brps, 2);
	rec(me, "at-least-2-watchpoints", wrps >= 2, wrps, 2);
	for (u32 n = 0; n < brps; n++) {
		set_bvr(n, 0x40001000UL + 0x100 * n + 4 * me);
		set_bcr(n, BCR_PMC_EL1_EL0 | BCR_BAS_A64); /* programmed, disabled */
	}
	for (u32 n = 0; n < wrps; n++) {
		set_wvr(n, 0x40002000UL + 0x100 * n + 8 * me);
		set_wcr(n, WCR_PAC_EL1_EL0 | WCR_LOAD | WCR_STORE | WCR_BAS8);
	}
	busy_ms(30);
	for (u32 n = 0; n < brps; n++)
		if (get_bvr(n) != 0x40001000UL + 0x100 * n + 4 * me ||
		    get_bcr(n) != (BCR_PMC_EL1_EL0 | BCR_BAS_A64))
			bad++, badv = get_bvr(n);
	for (u32 n = 0; n < wrps; n++)
		if (get_wvr(n) != 0x40002000UL + 0x100 * n + 8 * me ||
		    get_wcr(n) != (WCR_PAC_EL1_EL0 | WCR_LOAD | WCR_STORE | WCR_BAS8))
			bad++, badv = get_wvr(n);
	rec(me, "all-bvr-bcr-wvr-wcr-read-back", bad == 0, bad, badv);
	for (u32 n = 0; n < brps; n++)
		set_bcr(n, 0);
	for (u32 n = 0; n < wrps; n++)
		set_wcr(n, 0);
}

/* vCPU me breaks on its own target only; both call both. */
static void check_breakpoint(u32 me, u32 round)
{
	u32 before = st[me].bp;
	u64 r0, r1;

	set_bvr(0, me ? (u64)bp_target1 : (u64)bp_target0);
	set_bcr(0, BCR_EXEC);
	barrier(round);
	busy_ms(30);
	REQ("bvr0-kept", get_bvr(0), me ? (u64)bp_target1 : (u64)bp_target0);
	REQ("bcr0-kept", get_bcr(0), BCR_EXEC);
	r0 = call_target(0);
	r1 = call_target(1);
	REQ("breakpoint-hit-once", st[me].bp - before, 1);
	REQ("breakpoint-esr-ec", ESR_EC(st[me].esr), EC_BKPT_CUR);
	REQ("breakpoint-esr-ifsc", st[me].esr & 0x3f, FSC_DEBUG);
	REQ("breakpoint-elr", st[me].elr, me ? (u64)bp_target1 : (u64)bp_target0);
	REQ("targets-return", r0 * 100 + r1, 1011);
	for (int i = 0; i < 3; i++)
		call_target(me);
	REQ("breakpoint-hit-each-call", st[me].bp - before, 4);
	barrier(round + 1);
	set_bcr(0, 0);
}

static void watch_access(u32 me, u64 lsc, const char *nl, const char *ns)
{
	volatile u64 *w = &watched[me][0];
	u32 before = st[me].wp;
	u64 v = 0;

	set_wvr(1, (u64)w);
	set_wcr(1, WCR_E | WCR_PAC_EL1_EL0 | lsc | WCR_BAS8);
	busy_ms(10);
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(w) : "memory");
	if (lsc & WCR_LOAD) {
		REQ(nl, st[me].wp - before, 1);
		REQ("watch-load-esr-ec", ESR_EC(st[me].esr), EC_WATCH_CUR);
		REQ("watch-load-esr-dfsc-wnr", st[me].esr & (0x3f | ESR_WNR), FSC_DEBUG);
		REQ("watch-load-far", st[me].far, (u64)w);
	} else {
		REQ(nl, st[me].wp - before, 0);
	}
	before = st[me].wp;
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(w) : "memory");
	if (lsc & WCR_STORE) {
		REQ(ns, st[me].wp - before, 1);
		REQ("watch-store-esr-ec", ESR_EC(st[me].esr), EC_WATCH_CUR);
		REQ("watch-store-esr-dfsc-wnr", st[me].esr & (0x3f | ESR_WNR), FSC_DEBUG | ESR_WNR);
		REQ("watch-store-far", st[me].far, (u64)w);
	} else {
		REQ(ns, st[me].wp - before, 0);
	}
	/* The other vCPU's word is not watched here. */
	before = st[me].wp;
	v = watched[me ^ 1][0];
	watched[me ^ 1][1] = v;
	REQ("watch-other-word-not-hit", st[me].wp - before, 0);
	set_wcr(1, 0);
}

static void check_step(u32 me)
{
	u32 before = st[me].ss;

	dbg_mask();
	SYSWR(mdscr_el1, SYSRD(mdscr_el1) | MDSCR_SS);
	step_run((u64)step_seq);
	irq_disable();
	dbg_unmask();
	REQ("single-step-count", st[me].ss - before, STEPS);
	REQ("single-step-esr", st[me].esr & 0xfe00003fUL,
	    ((u64)EC_STEP_CUR << 26) | (1UL << 25) | FSC_DEBUG);
	REQ("single-step-isv", st[me].esr & ESR_STEP_ISV, ESR_STEP_ISV);
	bool seq = true;
	for (u32 i = 0; i < STEPS && before + i < 8; i++)
		seq = seq && st[me].step_elr[before + i] == (u64)step_seq + 4 * (i + 1);
	rec(me, "single-step-elr-each-next-instruction", seq, st[me].step_elr[before],
	    (u64)step_seq + 4);
	REQ("single-step-off-after", SYSRD(mdscr_el1) & MDSCR_SS, 0);
}

/* No debug exception while the OS lock is set, KDE is clear or D masked
 * (AArch64.GenerateDebugExceptionsFrom).  QEMU 7.2 itself ignores the OS
 * lock here (its check reads OSLSR_EL1 bit 0, OSLM, not OSLK), so the
 * native reference run expects that one check to fail. */
static void check_disabled(u32 me)
{
	u32 before;

	set_bvr(0, me ? (u64)bp_target1 : (u64)bp_target0);
	set_bcr(0, BCR_EXEC);
	SYSWR(oslar_el1, 1);
	REQ("oslk-set-again", SYSRD(oslsr_el1) & OSLSR_OSLK, OSLSR_OSLK);
	before = st[me].bp;
	call_target(me);
	REQ("no-breakpoint-while-os-locked", st[me].bp - before, 0);
	SYSWR(oslar_el1, 0);
	SYSWR(mdscr_el1, MDSCR_MDE);
	before = st[me].bp;
	call_target(me);
	REQ("no-breakpoint-without-kde", st[me].bp - before, 0);
	SYSWR(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
	dbg_mask();
	before = st[me].bp;
	call_target(me);
	dbg_unmask();
	REQ("no-breakpoint-with-d-masked", st[me].bp - before, 0);
	before = st[me].bp;
	call_target(me);
	REQ("breakpoint-again-when-enabled", st[me].bp - before, 1);
	set_bcr(0, 0);
}

static void suite(u32 me)
{
	REQ("oslk-set-at-reset", SYSRD(oslsr_el1) & OSLSR_OSLK, OSLSR_OSLK);
	REQ("mdscr-zero-at-reset", SYSRD(mdscr_el1) & (MDSCR_SS | MDSCR_KDE | MDSCR_MDE), 0);
	check_readback(me);
	SYSWR(oslar_el1, 0);
	REQ("oslk-cleared", SYSRD(oslsr_el1) & OSLSR_OSLK, 0);
	SYSWR(mdscr_el1, MDSCR_KDE | MDSCR_MDE);
	REQ("mdscr-kde-mde-kept", SYSRD(mdscr_el1) & (MDSCR_KDE | MDSCR_MDE),
	    MDSCR_KDE | MDSCR_MDE);
	dbg_unmask();
	check_breakpoint(me, 1);
	check_breakpoint(me, 3);
	watch_access(me, WCR_LOAD, "watch-load-hit", "watch-load-ignores-store");
	watch_access(me, WCR_STORE, "watch-store-ignores-load", "watch-store-hit");
	check_step(me);
	busy_ms(30);
	check_step(me);
	check_disabled(me);
	dbg_mask();
	SYSWR(mdscr_el1, 0);
}

static volatile u32 sec_done;

void guest_secondary(u64 stack_top)
{
	suite(1);
	__atomic_store_n(&sec_done, 1, __ATOMIC_SEQ_CST);
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

void guest_main(u64 dtb)
{
	struct smccc_res r;
	u64 end;

	g_sync_hook = hook;
	r = hvc_call(PSCI_CPU_ON_64, 1, (u64)(uintptr_t)secondary_start,
		     (u64)(uintptr_t)(stack1 + sizeof(stack1)));
	CHECK_EQ("cpu-on-vcpu1", r.a0, 0);
	suite(0);
	end = read_cntvct() + read_cntfrq() * 10;
	while (!__atomic_load_n(&sec_done, __ATOMIC_SEQ_CST) && read_cntvct() < end)
		;
	g_check("vcpu1-finished", sec_done, "vCPU 1 did not finish");
	for (u32 c = 0; c < 2; c++)
		for (u32 i = 0; i < st[c].nrec; i++) {
			char name[80];
			snprintf(name, sizeof(name), "vcpu%u-%s", c, st[c].rec[i].name);
			g_check(name, st[c].rec[i].ok, "got 0x%lx, want 0x%lx",
				(unsigned long)st[c].rec[i].got, (unsigned long)st[c].rec[i].want);
		}
	g_printf("dbg: %u breakpoint, %u watchpoint, %u step exceptions on vCPU 0; %u, %u, %u on "
		 "vCPU 1\n",
		 st[0].bp, st[0].wp, st[0].ss, st[1].bp, st[1].wp, st[1].ss);
}
