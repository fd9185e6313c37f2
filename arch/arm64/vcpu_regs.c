/* The EL2 registers that belong to the running vCPU, and the EL1 state a
 * vCPU starts with.  Everything architectural about entering a vCPU lives
 * here; vm/vcpu_switch.c decides when. */
#include "arch/gic_lr.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "arch/vcpu_ctx.h"

/* HCR_EL2 while a guest runs: Stage-2 on, interrupts and SErrors to EL2,
 * SMC, WFI, feature-ID, implementation-defined, ACTLR and set/way
 * accesses trapped, EL1 is AArch64, TLB/cache maintenance broadcast. */
#define GUEST_HCR                                                                          \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI | \
	 HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TSW | HCR_RW)

void arch_vcpu_enter(paddr_t s2_root, u16 vmid, u32 vcpu_id, u64 cntvoff)
{
	write_vttbr_el2(pa_addr(s2_root) | ((u64)vmid << VTTBR_VMID_SHIFT));
	write_vmpidr_el2(BIT(31) | vcpu_id);
	write_vpidr_el2(read_midr_el1());
	write_cntvoff_el2(cntvoff);
	write_hcr_el2(GUEST_HCR);
}

/* EL1 state a vCPU sees when it first starts: MMU and caches off. */
void arch_el1_reset(u64 sp_el1)
{
	write_sctlr_el1(0x30d00800); /* RES1 bits only */
	write_vbar_el1(0);
	write_cntv_ctl_el0(0);
	write_cntv_cval_el0(0);
	write_cntkctl_el1(0);
	write_cpacr_el1(0);
	write_tpidr_el0(0);
	write_tpidrro_el0(0);
	write_tpidr_el1(0);
	write_contextidr_el1(0);
	write_sp_el0(0);
	write_elr_el1(0);
	write_spsr_el1(0);
	write_esr_el1(0);
	write_far_el1(0);
	write_par_el1(0);
	arch_gic_vmcr_write(0);
	arch_gic_apr_write(0);
	write_sp_el1(sp_el1);
}

void arch_vtimer_stop(void)
{
	write_cntv_ctl_el0(0);
}

bool arch_vtimer_output(void)
{
	u64 ctl = read_cntv_ctl_el0();

	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) ==
	       (CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
}
