/* Guest state that lives in CPU registers while a vCPU runs and must be
 * saved when another vCPU takes the CPU (arch/arm64/vcpu_ctx.c). */
#ifndef AETHER_ARCH_VCPU_CTX_H
#define AETHER_ARCH_VCPU_CTX_H

#include "types.h"

/* Guest general-purpose state saved by the trap entry code.  Field offsets are
 * exported to assembly through asm-offsets; it is the first member of
 * struct vcpu, so the entry code treats a vcpu pointer as a context pointer. */
struct cpu_ctx {
	u64 x[31];
	u64 pc;	    /* ELR_EL2 at the trap */
	u64 pstate; /* SPSR_EL2 at the trap */
};

enum el1_reg {
	EL1_SCTLR,
	EL1_CPACR,
	EL1_TTBR0,
	EL1_TTBR1,
	EL1_TCR,
	EL1_MAIR,
	EL1_AMAIR,
	EL1_VBAR,
	EL1_CONTEXTIDR,
	EL1_TPIDR_EL0,
	EL1_TPIDRRO_EL0,
	EL1_TPIDR,
	EL1_SP_EL0,
	EL1_SP_EL1,
	EL1_ELR,
	EL1_SPSR,
	EL1_ESR,
	EL1_FAR,
	EL1_AFSR0,
	EL1_AFSR1,
	EL1_PAR,
	EL1_CNTKCTL,
	EL1_CSSELR,
	EL1_CNTV_CTL,
	EL1_CNTV_CVAL,
	EL1_ICH_VMCR,
	EL1_ICH_AP1R0,
	EL1_NR_REGS,
};

struct arch_vcpu_ctx {
	u64 el1[EL1_NR_REGS];
	u64 fp[64]; /* q0-q31 */
	u64 fpcr, fpsr;
};

/* Programs the EL2 registers of the vCPU about to run (arch/arm64/vcpu_regs.c):
 * VTTBR_EL2 = its VM's Stage-2 root and VMID, VMPIDR_EL2, VPIDR_EL2,
 * CNTVOFF_EL2, HCR_EL2 with the guest's traps. */
void arch_vcpu_enter(paddr_t s2_root, u16 vmid, u32 vcpu_id, u64 cntvoff);
/* EL1 system registers as a freshly started vCPU sees them, SP_EL1 given. */
void arch_el1_reset(u64 sp_el1);
/* Stops the EL1 virtual timer of the vCPU leaving this CPU for good. */
void arch_vtimer_stop(void);
/* The loaded EL1 virtual timer's interrupt output: enabled, unmasked and
 * its condition met (CNTV_CTL_EL0). */
bool arch_vtimer_output(void);

void arch_ctx_save(struct arch_vcpu_ctx *c);
void arch_ctx_restore(const struct arch_vcpu_ctx *c);
void fpsimd_save(u64 *q, u64 *fpcr, u64 *fpsr);
void fpsimd_restore(const u64 *q, u64 fpcr, u64 fpsr);

#endif
