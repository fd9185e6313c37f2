/* Loading a vCPU onto this CPU and taking it off again. */
#include "arch/gic_lr.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "drivers/gicv3.h"
#include "percpu.h"
#include "vm/sched.h"
#include "vm/vm.h"

/* HCR_EL2 while a guest runs: Stage-2 on, interrupts and SErrors to EL2,
 * SMC, WFI, feature-ID, implementation-defined, ACTLR and set/way
 * accesses trapped, EL1 is AArch64, TLB/cache maintenance broadcast. */
u64 guest_hcr(void)
{
	return HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS |
	       HCR_TWI | HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TSW | HCR_RW;
}

/* EL1 state a vCPU sees when it first starts: MMU and caches off. */
void vcpu_reset_el1(void)
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
	write_ich_vmcr_el2(0);
	write_ich_ap1r0_el2(0);
}

void vcpu_load(struct vcpu *v)
{
	struct vm *vm = v->vm;

	write_vttbr_el2(pa_addr(vm->s2.root) | ((u64)vm->vmid << VTTBR_VMID_SHIFT));
	write_vmpidr_el2(BIT(31) | v->id);
	write_vpidr_el2(read_midr_el1());
	write_cntvoff_el2(v->vtimer.voff);
	write_hcr_el2(guest_hcr());
	if (v->fresh) {
		vcpu_reset_el1();
		write_sp_el1(v->initial_sp);
		v->fresh = false;
		v->saved = false;
		v->waiting = false;
	} else if (v->saved) {
		arch_ctx_restore(&v->arch);
		v->saved = false;
	}
	for (u32 n = 0; n < vgic_nr_lrs; n++)
		arch_write_lr(n, 0);
	v->vgic.lr_used = 0;
	v->vgic.dirty = true;
	v->on_cpu = true;
	this_cpu()->current = v;
	isb();
}

/* Switches v out but keeps it alive: registers saved, interrupts it held
 * in this CPU's list registers already synced back into the model. */
void vcpu_save(struct vcpu *v)
{
	arch_ctx_save(&v->arch);
	vgic_vcpu_stop(v);
	v->saved = true;
	__atomic_store_n(&v->on_cpu, false, __ATOMIC_RELEASE);
	this_cpu()->current = NULL;
}

/* The vCPU that ran here will not run again for now (stopped, off). */
void vcpu_put(struct vcpu *v)
{
	vgic_vcpu_stop(v);
	write_cntv_ctl_el0(0);
	v->saved = false;
	__atomic_store_n(&v->on_cpu, false, __ATOMIC_RELEASE);
	this_cpu()->current = NULL;
}

void vcpu_kick(struct vcpu *v)
{
	__atomic_store_n(&v->vgic.dirty, true, __ATOMIC_RELEASE);
	if (v->pcpu != this_cpu()->cpu_id && percpu_data[v->pcpu].online) {
		__atomic_store_n(&percpu_data[v->pcpu].need_resched, true, __ATOMIC_RELEASE);
		gic_send_sgi(percpu_data[v->pcpu].mpidr, INTID_KICK);
	} else if (v != this_cpu()->current) {
		this_cpu()->need_resched = true;
	}
}
