/* Guest state that lives in CPU registers while a vCPU runs and must be
 * saved when another vCPU takes the CPU (arch/arm64/vcpu_ctx.c). */
#ifndef AETHER_ARCH_VCPU_CTX_H
#define AETHER_ARCH_VCPU_CTX_H

#include "types.h"

enum el1_reg {
	EL1_SCTLR, EL1_CPACR, EL1_TTBR0, EL1_TTBR1, EL1_TCR, EL1_MAIR, EL1_AMAIR,
	EL1_VBAR, EL1_CONTEXTIDR, EL1_TPIDR_EL0, EL1_TPIDRRO_EL0, EL1_TPIDR,
	EL1_SP_EL0, EL1_SP_EL1, EL1_ELR, EL1_SPSR, EL1_ESR, EL1_FAR, EL1_AFSR0,
	EL1_AFSR1, EL1_PAR, EL1_CNTKCTL, EL1_CSSELR, EL1_CNTV_CTL, EL1_CNTV_CVAL,
	EL1_ICH_VMCR, EL1_ICH_AP1R0,
	EL1_NR_REGS,
};

struct arch_vcpu_ctx {
	u64 el1[EL1_NR_REGS];
	u64 fp[64]; /* q0-q31 */
	u64 fpcr, fpsr;
};

void arch_ctx_save(struct arch_vcpu_ctx *c);
void arch_ctx_restore(const struct arch_vcpu_ctx *c);
void fpsimd_save(u64 *q, u64 *fpcr, u64 *fpsr);
void fpsimd_restore(const u64 *q, u64 fpcr, u64 fpsr);

#endif
