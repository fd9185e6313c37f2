/* A vCPU's self-hosted debug state (Arm ARM D2), kept in memory while the
 * guest has not armed anything and loaded into the CPU while it has
 * (vm/vdebug.c decides, vm/vcpu_debug.c moves it).
 *
 * While it is in memory, MDCR_EL2.TDA traps every access to the breakpoint,
 * watchpoint and MDSCR_EL1 registers and they act on this copy; a guest
 * that never debugs never pays more.  Once something is armed (MDSCR_EL1
 * MDE, KDE or SS, or an enabled breakpoint or watchpoint) and the OS lock
 * is clear, the registers are loaded and the traps lifted, so the guest
 * uses the hardware directly and its debug exceptions are taken at its
 * own EL1; they are switched with the vCPU.  The OS lock (OSLAR_EL1,
 * OSLSR_EL1, always trapped by MDCR_EL2.TDOSA) is emulated: while it is
 * set the registers stay in memory, so no debug exception is generated. */
#ifndef AETHER_VM_VDEBUG_H
#define AETHER_VM_VDEBUG_H

#include "arch/debug.h"

/* OSLSR_EL1: OSLM [3,0] = 0b10 (OS lock implemented), OSLK [1]. */
#define OSLSR_OSLM_IMPL BIT(3)
#define OSLSR_OSLK BIT(1)
#define OSLAR_OSLK BIT(0)

struct vdebug {
	struct arch_debug_regs r;
	bool os_lock; /* OSLSR_EL1.OSLK: set at reset */
	bool active;  /* r is in the CPU and guest accesses are not trapped */
};

void vdebug_reset(struct vdebug *d);
/* DBGBVR/BCR/WVR/WCR<n>_EL1 (op2 4..7, n = CRm) on the copy in memory;
 * false (UNDEF) for a register the CPU does not implement. */
bool vdebug_bpwp_access(struct vdebug *d, u32 n, u32 op2, bool read, u64 *val, u32 nbrp, u32 nwrp);
void vdebug_mdscr_access(struct vdebug *d, bool read, u64 *val);
void vdebug_oslar_write(struct vdebug *d, u64 val);
u64 vdebug_oslsr_read(const struct vdebug *d);
/* Whether the state belongs in the CPU: armed and not OS-locked. */
bool vdebug_wants_cpu(const struct vdebug *d, u32 nbrp, u32 nwrp);
/* ID_AA64DFR0_EL1 as guests see it, from the CPU's value: DebugVer,
 * BRPs, WRPs, CTX_CMPs and PMUVer kept, no double lock, the rest 0. */
u64 vdebug_sanitize_dfr0(u64 hw, u64 pmuver_mask);

#endif
