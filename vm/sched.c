/* Which vCPU runs on this CPU.  Each vCPU is pinned to one CPU by its VM's
 * description; with one vCPU per CPU (static partitioning) the hot path is
 * only the "still runnable?" check. */
#include "vm/sched.h"
#include "arch/firmware.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "percpu.h"
#include "drivers/gicv3.h"
#include "vm/vm.h"
#include "arch/gic_lr.h"

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
		write_ich_vmcr_el2(0);
		write_ich_ap1r0_el2(0);
		for (u32 n = 0; n < vgic_nr_lrs; n++)
			arch_write_lr(n, 0);
		v->vgic.lr_used = 0;
		v->fresh = false;
	}
	v->vgic.dirty = true;
	v->on_cpu = true;
	this_cpu()->current = v;
	isb();
}

void vcpu_kick(struct vcpu *v)
{
	__atomic_store_n(&v->vgic.dirty, true, __ATOMIC_RELEASE);
	if (v->pcpu != this_cpu()->cpu_id && percpu_data[v->pcpu].online)
		gic_send_sgi(percpu_data[v->pcpu].mpidr, INTID_KICK);
}

/* The vCPU that ran here will not run again for now: give back what it
 * held in this CPU's GIC interface. */
static void vcpu_put(struct vcpu *v)
{
	vgic_vcpu_stop(v);
	v->on_cpu = false;
	this_cpu()->current = NULL;
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

/* The boot CPU powers the machine off when the last VM ends; it may be
 * idle, so tell it to look. */
void sched_vm_ended(void)
{
	if (this_cpu()->cpu_id != 0)
		gic_send_sgi(percpu_data[0].mpidr, INTID_KICK);
}

struct vcpu *sched_next(struct vcpu *cur)
{
	if (likely(cur->state == VCPU_RUNNABLE && !cur->fresh && cur->vm->state == VM_RUNNING))
		return cur;
	if (cur->on_cpu)
		vcpu_put(cur);
	return sched_idle();
}

/* Waits for a vCPU to become runnable here; never returns when no VM is
 * left anywhere (the boot CPU powers the machine off). */
struct vcpu *sched_idle(void)
{
	for (;;) {
		struct vcpu *next = pick_runnable(this_cpu()->cpu_id);
		if (next) {
			vcpu_load(next);
			return next;
		}
		if (!any_vm_running() && this_cpu()->cpu_id == 0)
			shutdown();
		/* A kick (CPU_ON from another CPU, a restart) ends the wait. */
		wfi();
		irq_drain(NULL);
	}
}

void guest_resume(struct vcpu *v) __attribute__((noreturn));

void sched_start(void)
{
	struct vcpu *v = sched_idle();

	vgic_flush_lrs(v);
	guest_resume(v);
}
