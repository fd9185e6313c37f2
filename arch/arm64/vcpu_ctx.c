/* Saving and restoring the EL1 view of a vCPU (system registers, virtual
 * timer, GIC virtual CPU interface state of either host GIC, FP/SIMD) around a vCPU switch. */
#include "arch/vcpu_ctx.h"
#include "arch/gic_lr.h"
#include "arch/sysreg.h"

#define SAVE(idx, reg) c->el1[idx] = read_##reg()
#define LOAD(idx, reg) write_##reg(c->el1[idx])

void arch_ctx_save(struct arch_vcpu_ctx *c)
{
	SAVE(EL1_SCTLR, sctlr_el1);
	SAVE(EL1_CPACR, cpacr_el1);
	SAVE(EL1_TTBR0, ttbr0_el1);
	SAVE(EL1_TTBR1, ttbr1_el1);
	SAVE(EL1_TCR, tcr_el1);
	SAVE(EL1_MAIR, mair_el1);
	SAVE(EL1_AMAIR, amair_el1);
	SAVE(EL1_VBAR, vbar_el1);
	SAVE(EL1_CONTEXTIDR, contextidr_el1);
	SAVE(EL1_TPIDR_EL0, tpidr_el0);
	SAVE(EL1_TPIDRRO_EL0, tpidrro_el0);
	SAVE(EL1_TPIDR, tpidr_el1);
	SAVE(EL1_SP_EL0, sp_el0);
	SAVE(EL1_SP_EL1, sp_el1);
	SAVE(EL1_ELR, elr_el1);
	SAVE(EL1_SPSR, spsr_el1);
	SAVE(EL1_ESR, esr_el1);
	SAVE(EL1_FAR, far_el1);
	SAVE(EL1_AFSR0, afsr0_el1);
	SAVE(EL1_AFSR1, afsr1_el1);
	SAVE(EL1_PAR, par_el1);
	SAVE(EL1_CNTKCTL, cntkctl_el1);
	SAVE(EL1_CSSELR, csselr_el1);
	SAVE(EL1_CNTV_CTL, cntv_ctl_el0);
	SAVE(EL1_CNTV_CVAL, cntv_cval_el0);
	c->el1[EL1_ICH_VMCR] = arch_gic_vmcr_read();
	c->el1[EL1_ICH_AP1R0] = arch_gic_apr_read();
	/* Stop the outgoing timer here: the next vCPU's is loaded instead. */
	write_cntv_ctl_el0(0);
	fpsimd_save(c->fp, &c->fpcr, &c->fpsr);
}

void arch_ctx_restore(const struct arch_vcpu_ctx *c)
{
	LOAD(EL1_SCTLR, sctlr_el1);
	LOAD(EL1_CPACR, cpacr_el1);
	LOAD(EL1_TTBR0, ttbr0_el1);
	LOAD(EL1_TTBR1, ttbr1_el1);
	LOAD(EL1_TCR, tcr_el1);
	LOAD(EL1_MAIR, mair_el1);
	LOAD(EL1_AMAIR, amair_el1);
	LOAD(EL1_VBAR, vbar_el1);
	LOAD(EL1_CONTEXTIDR, contextidr_el1);
	LOAD(EL1_TPIDR_EL0, tpidr_el0);
	LOAD(EL1_TPIDRRO_EL0, tpidrro_el0);
	LOAD(EL1_TPIDR, tpidr_el1);
	LOAD(EL1_SP_EL0, sp_el0);
	LOAD(EL1_SP_EL1, sp_el1);
	LOAD(EL1_ELR, elr_el1);
	LOAD(EL1_SPSR, spsr_el1);
	LOAD(EL1_ESR, esr_el1);
	LOAD(EL1_FAR, far_el1);
	LOAD(EL1_AFSR0, afsr0_el1);
	LOAD(EL1_AFSR1, afsr1_el1);
	LOAD(EL1_PAR, par_el1);
	LOAD(EL1_CNTKCTL, cntkctl_el1);
	LOAD(EL1_CSSELR, csselr_el1);
	LOAD(EL1_CNTV_CVAL, cntv_cval_el0);
	LOAD(EL1_CNTV_CTL, cntv_ctl_el0);
	arch_gic_vmcr_write(c->el1[EL1_ICH_VMCR]);
	arch_gic_apr_write(c->el1[EL1_ICH_AP1R0]);
	fpsimd_restore(c->fp, c->fpcr, c->fpsr);
}
