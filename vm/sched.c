/* Which vCPU runs on this CPU.  Each vCPU is pinned to one CPU by its VM's
 * description; with one vCPU per CPU (static partitioning) the hot path is
 * only the "still runnable?" check. */
#include "vm/sched.h"
#include "arch/firmware.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "percpu.h"
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
	write_sp_el1(0);
	write_elr_el1(0);
	write_spsr_el1(0);
	write_esr_el1(0);
	write_far_el1(0);
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
	}
	isb();
}

static struct vcpu *pick_runnable(u32 cpu)
{
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = &vms[i];
		if (vm->state != VM_RUNNING)
			continue;
		for (u32 j = 0; j < vm->nr_vcpus; j++)
			if (vm->vcpus[j].pcpu == cpu && vm->vcpus[j].state == VCPU_RUNNABLE)
				return &vm->vcpus[j];
	}
	return NULL;
}

static bool any_vm_running(void)
{
	for (u32 i = 0; i < nr_vms; i++)
		if (vms[i].state == VM_RUNNING)
			return true;
	return false;
}

static void shutdown(void) __attribute__((noreturn));
static void shutdown(void)
{
	LOG("no VM left running; summary:");
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = &vms[i];
		LOG("  vm %s: %s, restarts %u; exits: hvc %lu smc %lu sysreg %lu mmio %lu abort %lu wfx %lu irq %lu undef %lu",
		    vm->cfg->name, vm_end_reason_str(vm->end_reason), vm->restarts,
		    (unsigned long)vm->exits[EXIT_HVC], (unsigned long)vm->exits[EXIT_SMC],
		    (unsigned long)vm->exits[EXIT_SYSREG], (unsigned long)vm->exits[EXIT_DABT_MMIO],
		    (unsigned long)vm->exits[EXIT_ABORT_INJECTED], (unsigned long)vm->exits[EXIT_WFX],
		    (unsigned long)vm->exits[EXIT_IRQ], (unsigned long)vm->exits[EXIT_UNDEF_INJECTED]);
	}
	LOG("powering off");
	fw_system_off();
}

struct vcpu *sched_next(struct vcpu *cur)
{
	struct vcpu *next;

	if (likely(cur->state == VCPU_RUNNABLE && !cur->fresh && cur->vm->state == VM_RUNNING))
		return cur;
	for (;;) {
		next = pick_runnable(this_cpu()->cpu_id);
		if (next) {
			vcpu_load(next);
			return next;
		}
		if (!any_vm_running())
			shutdown();
		/* Another CPU's vCPU may still power one of ours on. */
		wfi();
	}
}

void guest_resume(struct vcpu *v) __attribute__((noreturn));

void sched_start(void)
{
	struct vcpu *v = pick_runnable(this_cpu()->cpu_id);

	if (!v) {
		if (!any_vm_running())
			shutdown();
		for (;;)
			wfi();
	}
	vcpu_load(v);
	this_cpu()->current = v;
	guest_resume(v);
}
