/* The self-hosted debug registers of one vCPU as the CPU holds them
 * (arch/arm64/debug.c): breakpoint and watchpoint value/control pairs and
 * MDSCR_EL1 (Arm ARM D2, D19.3). */
#ifndef AETHER_ARCH_DEBUG_H
#define AETHER_ARCH_DEBUG_H

#include "types.h"

#define ARCH_DBG_MAX 16 /* DBGB*R/DBGW*R<n>_EL1, n = 0..15 */

/* MDSCR_EL1 fields a guest may set: SS [0], TDCC [12], KDE [13], MDE [15]. */
#define MDSCR_SS BIT(0)
#define MDSCR_TDCC BIT(12)
#define MDSCR_KDE BIT(13)
#define MDSCR_MDE BIT(15)
#define MDSCR_GUEST_MASK (MDSCR_SS | MDSCR_TDCC | MDSCR_KDE | MDSCR_MDE)

/* DBGBCR<n>_EL1: E [0], PMC [2:1], BAS [8:5], HMC [13], SSC [15:14],
 * LBN [19:16], BT [23:20]; the rest RES0. */
#define DBGBCR_E BIT(0)
#define DBGBCR_MASK                                                                             \
	(BIT(0) | GENMASK(2, 1) | GENMASK(8, 5) | BIT(13) | GENMASK(15, 14) | GENMASK(19, 16) | \
	 GENMASK(23, 20))
/* DBGWCR<n>_EL1: E [0], PAC [2:1], LSC [4:3], BAS [12:5], HMC [13],
 * SSC [15:14], LBN [19:16], WT [20], MASK [28:24]; the rest RES0. */
#define DBGWCR_E BIT(0)
#define DBGWCR_MASK (GENMASK(20, 0) | GENMASK(28, 24))
/* DBGBVR<n>_EL1 [1:0] and DBGWVR<n>_EL1 [2:0] are RES0. */
#define DBGBVR_MASK (~GENMASK(1, 0))
#define DBGWVR_MASK (~GENMASK(2, 0))

/* ID_AA64DFR0_EL1: BRPs [15:12], WRPs [23:20], CTX_CMPs [31:28] (each the
 * number minus one), DoubleLock [39:36]. */
#define DFR0_BRPS_MASK GENMASK(15, 12)
#define DFR0_WRPS_MASK GENMASK(23, 20)
#define DFR0_CTX_CMPS_MASK GENMASK(31, 28)
#define DFR0_DOUBLELOCK_MASK GENMASK(39, 36)
#define DFR0_DOUBLELOCK_NONE 0xfUL

struct arch_debug_regs {
	u64 bvr[ARCH_DBG_MAX], bcr[ARCH_DBG_MAX];
	u64 wvr[ARCH_DBG_MAX], wcr[ARCH_DBG_MAX];
	u64 mdscr;
};

/* Breakpoints and watchpoints this CPU implements (ID_AA64DFR0_EL1). */
u32 arch_debug_brps(void);
u32 arch_debug_wrps(void);
/* Copies the CPU's registers into r / r into the CPU, the first nbrp
 * breakpoints and nwrp watchpoints; mdscr is what MDSCR_EL1 gets. */
void arch_debug_save(struct arch_debug_regs *r, u32 nbrp, u32 nwrp);
void arch_debug_load(const struct arch_debug_regs *r, u32 nbrp, u32 nwrp, u64 mdscr);
/* No debug event can be generated at EL1/EL0 any more: MDSCR_EL1 = 0. */
void arch_debug_quiesce(void);
/* MDCR_EL2.TDA: guest accesses to the breakpoint, watchpoint and MDSCR_EL1
 * registers trap to EL2 (on) or reach the CPU (off); the rest of MDCR_EL2
 * (the hypervisor's PMU counter, TDOSA, TDRA) is left as it is. */
void arch_debug_trap(bool on);
/* Once per CPU at boot: the CPU's own OS lock cleared (it is emulated per
 * vCPU) and MDSCR_EL1 = 0, so nothing fires before a guest arms it. */
void arch_debug_init_cpu(void);

#endif
