/* Hostile guest: the debug registers aimed at the hypervisor (issue 13).
 *
 * Every breakpoint is programmed, enabled, on an address of the
 * hypervisor's image (its physical load address, its vector table, the
 * lower-EL synchronous vector) or in the EL2-style upper half, with HMC = 1,
 * SSC = 01, PMC = 11 (the encoding that also matches EL2 where EL2 is the
 * debug target).  Every watchpoint covers, through its address mask, the
 * hypervisor's image, the GIC's MMIO window or the upper half, loads and
 * stores, with HMC = 1.  Then it makes EL2 work: hypercalls, emulated MMIO,
 * trapped system registers, WFI.  The hypervisor must never take a debug
 * exception (it would report it and power off); the guest must take none
 * either (none of its own accesses match), and its registers must read back.
 * It then gets the architecture: its own breakpoint with the same HMC/SSC
 * bits hits at EL1, and single step across an HVC, an emulated MMIO load and
 * a trapped MRS gives exactly one step exception per instruction, each with
 * ELR at the next one.  Finally it powers off with everything still armed
 * and MDSCR_EL1.SS set (PSTATE.D masked). */
#include "dbg.h"

void guest_main(u64 dtb);
u64 own_target(void);
extern char sstep_seq[], sstep_end[];

__asm__(".text\n"
	".globl own_target\n"
	"own_target: nop\n"
	"	mov x0, #7\n"
	"	ret\n"
	".globl sstep_seq\n"
	"sstep_seq: movz x0, #0x8400, lsl #16\n" /* PSCI_VERSION */
	"	hvc #0\n"
	"	movz x2, #0x0900, lsl #16\n"
	"	movk x2, #0x18\n"
	"	ldr w1, [x2]\n"		   /* PL011 UARTFR: emulated */
	"	mrs x3, id_aa64pfr0_el1\n" /* trapped (HCR_EL2.TID3) */
	"	nop\n"
	".globl sstep_end\n"
	"sstep_end: ret\n");
#define SSTEPS 7

/* The hypervisor's image as QEMU loads it here (the boot log's "image at
 * 0x40200000-..."), VBAR_EL2 and its lower-EL synchronous entry. */
#define HYP_IMAGE 0x40200000UL
static const u64 bp_addr[16] = {
	HYP_IMAGE,
	HYP_IMAGE + 0x800,
	HYP_IMAGE + 0xc00,
	HYP_IMAGE + 0x1000,
	0xffff000000000000UL,
	0xffff800000000000UL,
	HYP_IMAGE + 0x2000,
	HYP_IMAGE + 0x4000,
	HYP_IMAGE + 0x8000,
	HYP_IMAGE + 0x10000,
	HYP_IMAGE + 0x20000,
	HYP_IMAGE + 0x40000,
	HYP_IMAGE + 0x80000,
	0xfffffffffffff000UL,
	0x80000000UL,
	0x0UL,
};
/* (address, MASK): 1 MiB over the image, 16 MiB over the GIC, 2 GiB above
 * 2 GiB, 2 GiB in the upper half.  None covers the guest's own RAM. */
static const u64 wp_addr[16][2] = {
	{HYP_IMAGE, 20}, {0x08000000UL, 24}, {0x80000000UL, 31}, {0xffff000000000000UL, 31},
	{HYP_IMAGE, 20}, {0x08000000UL, 24}, {0x80000000UL, 31}, {0xffff800000000000UL, 31},
	{HYP_IMAGE, 20}, {0x08000000UL, 24}, {0x80000000UL, 31}, {0xffff000000000000UL, 31},
	{HYP_IMAGE, 20}, {0x08000000UL, 24}, {0x80000000UL, 31}, {0xffff800000000000UL, 31},
};

#define BCR_HOSTILE (BCR_EXEC | BCR_HMC | BCR_SSC(1))
#define WCR_HOSTILE(m)                                                                      \
	(WCR_E | WCR_PAC_EL1_EL0 | WCR_LOAD | WCR_STORE | WCR_BAS8 | WCR_HMC | WCR_SSC(1) | \
	 WCR_MASK(m))

static volatile u32 n_bp, n_wp, n_ss, n_other;
static volatile u64 last_esr, step_elr[16];

static bool hook(u64 *frame, u64 esr)
{
	u64 ec = ESR_EC(esr), elr = frame[31];

	last_esr = esr;
	if (ec == EC_BKPT_CUR) {
		n_bp++;
		frame[31] += 4;
	} else if (ec == EC_WATCH_CUR) {
		n_wp++;
		frame[31] += 4;
	} else if (ec == EC_STEP_CUR) {
		if (n_ss < 16)
			step_elr[n_ss] = elr;
		n_ss++;
		if (elr == (u64)sstep_end || n_ss > 64)
			SYSWR(mdscr_el1, SYSRD(mdscr_el1) & ~MDSCR_SS);
		else
			SYSWR(spsr_el1, SYSRD(spsr_el1) | (1UL << 21));
	} else {
		return false;
	}
	return true;
}

static void arm_everything(u32 brps, u32 wrps)
{
	for (u32 n = 0; n < brps; n++) {
		set_bvr(n, bp_addr[n]);
		set_bcr(n, BCR_HOSTILE);
	}
	for (u32 n = 0; n < wrps; n++) {
		set_wvr(n, wp_addr[n][0]);
		set_wcr(n, WCR_HOSTILE(wp_addr[n][1]));
	}
}

static void make_el2_work(void)
{
	for (int i = 0; i < 2000; i++) {
		hvc_call(AETHER_HC_VM_INFO, 0, 0, 0);
		mmio_read32(UART_BASE + 0x18);
		(void)SYSRD(id_aa64pfr0_el1);
		(void)SYSRD(mdscr_el1);
		if (i % 100 == 0)
			__asm__ volatile("wfi");
	}
}

static void check_readback(u32 brps, u32 wrps)
{
	u32 bad = 0;

	for (u32 n = 0; n < brps; n++)
		if (get_bvr(n) != bp_addr[n] ||
		    (get_bcr(n) & (BCR_E | BCR_PMC_EL1_EL0 | BCR_BAS_A64)) != BCR_EXEC)
			bad++;
	for (u32 n = 0; n < wrps; n++)
		if (get_wvr(n) != wp_addr[n][0] ||
		    (get_wcr(n) & ~(WCR_HMC | WCR_SSC(3))) !=
			    (WCR_HOSTILE(wp_addr[n][1]) & ~(WCR_HMC | WCR_SSC(3))))
			bad++;
	CHECK_EQ("hostile-points-read-back", bad, 0);
}

static void check_step(void)
{
	u64 (*seq)(void) = (u64(*)(void))sstep_seq;
	u32 before = n_ss;
	bool in_order = true;

	dbg_mask();
	SYSWR(mdscr_el1, SYSRD(mdscr_el1) | MDSCR_SS);
	step_run((u64)seq);
	irq_disable();
	dbg_unmask();
	CHECK_EQ("step-across-hvc-mmio-mrs-count", n_ss - before, SSTEPS);
	for (u32 i = 0; i < SSTEPS && before + i < 16; i++)
		in_order = in_order && step_elr[before + i] == (u64)sstep_seq + 4 * (i + 1);
	g_check("step-elr-each-next-instruction", in_order,
		"ELRs 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx (seq at 0x%lx)",
		(unsigned long)step_elr[before], (unsigned long)step_elr[before + 1],
		(unsigned long)step_elr[before + 2], (unsigned long)step_elr[before + 3],
		(unsigned long)step_elr[before + 4], (unsigned long)step_elr[before + 5],
		(unsigned long)step_elr[before + 6], (unsigned long)sstep_seq);
	CHECK_EQ("step-esr-ec", ESR_EC(last_esr), EC_STEP_CUR);
}

void guest_main(u64 dtb)
{
	u32 brps = dbg_brps(), wrps = dbg_wrps();

	g_sync_hook = hook;
	SYSWR(oslar_el1, 0);
	SYSWR(mdscr_el1, MDSCR_KDE | MDSCR_MDE);
	dbg_unmask();
	arm_everything(brps, wrps);
	make_el2_work();
	CHECK_EQ("no-debug-exception-from-el2-addresses", n_bp + n_wp + n_ss, 0);
	check_readback(brps, wrps);

	/* Its own breakpoint, same HMC/SSC bits: taken at EL1. */
	set_bvr(0, (u64)own_target);
	u64 r = own_target(); /* once: CHECK_EQ evaluates its arguments twice */
	CHECK_EQ("own-target-returns", r, 7);
	CHECK_EQ("own-breakpoint-hit", n_bp, 1);
	CHECK_EQ("own-breakpoint-ec", ESR_EC(last_esr), EC_BKPT_CUR);
	set_bvr(0, bp_addr[0]);

	check_step();
	make_el2_work();
	CHECK_EQ("no-stray-debug-exceptions", n_bp + n_wp, 1);
	g_printf("attacker: %u breakpoints and %u watchpoints aimed at EL2, %u steps\n", brps, wrps,
		 n_ss);
	/* Leave everything armed, single step on, debug exceptions masked. */
	dbg_mask();
	SYSWR(mdscr_el1, MDSCR_KDE | MDSCR_MDE | MDSCR_SS);
}
