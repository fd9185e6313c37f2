/* A VM's life after creation: ending it, restarting it from its image
 * (with back-off for crash loops), and resetting it on request.  Guest
 * memory is zeroed before every (re)start (vm/load.c) so nothing of a
 * previous run is visible to it. */
#include "vm/lifecycle.h"
#include "arch/mm.h"
#include "arch/percpu.h"
#include "arch/sysreg.h"
#include "drivers/gic.h"
#include "mm/page_alloc.h"
#include "vm/load.h"
#include "vm/passthrough.h"
#include "vm/vcpu_ops.h"
#include "vm/vm.h"

/* Kicks every vCPU of the VM and waits until none is loaded on another
 * CPU, so memory can be rewritten under nobody's feet.  Bounded: a CPU
 * that never answers is reported rather than waited on forever. */
static void vm_quiesce(struct vm *vm)
{
	u32 me = this_cpu()->cpu_id;

	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].pcpu != me)
			vcpu_kick(&vm->vcpus[i]);
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		u64 spins = 0;
		while (v->pcpu != me && __atomic_load_n(&v->on_cpu, __ATOMIC_ACQUIRE)) {
			if (++spins == 100000000) {
				LOG("vm %s: vCPU %u did not stop on CPU %u", vm->cfg->name, i,
				    v->pcpu);
				break;
			}
		}
	}
}

#define RESTART_QUICK_MS 1000 /* a run shorter than this counts as a crash loop */
#define RESTART_FREE_TRIES 3  /* quick restarts allowed before back-off */
#define RESTART_BACKOFF_MS 10 /* then 10 ms, doubling ... */
#define RESTART_BACKOFF_MAX_MS 5000

static u64 ms_ticks(u64 ms)
{
	return read_cntfrq_el0() / 1000 * ms;
}

/* Back-off so a VM in a crash loop cannot monopolise its CPUs. */
static u64 restart_delay_ms(struct vm *vm)
{
	u64 now = read_cntpct_el0();

	if (now - vm->started_at >= ms_ticks(RESTART_QUICK_MS))
		vm->quick_restarts = 0;
	else
		vm->quick_restarts++;
	if (vm->quick_restarts <= RESTART_FREE_TRIES)
		return 0;
	return MIN((u64)RESTART_BACKOFF_MS << MIN(vm->quick_restarts - RESTART_FREE_TRIES - 1, 20),
		   (u64)RESTART_BACKOFF_MAX_MS);
}

/* Marks the VM to be started again; the CPU of its vCPU 0 does it from its
 * idle loop once every vCPU is off its CPU (vm_run_restarts). */
static void vm_schedule_restart(struct vm *vm, u64 delay_ms)
{
	vm->restart_at = read_cntpct_el0() + ms_ticks(delay_ms);
	LOG("vm %s: restarting (restart %u%s%lu ms back-off)", vm->cfg->name, vm->restarts + 1,
	    delay_ms ? ", crash loop: " : ", ", (unsigned long)delay_ms);
	vcpu_kick(&vm->vcpus[0]);
}

static void vm_restart(struct vm *vm)
{
	bool fresh = vm->start_fresh;

	vm_quiesce(vm);
	vm->restarts += !fresh;
	vm->start_fresh = false;
	/* Stage-1 entries of the old run are tagged with this VMID. */
	arch_s2_tlbi_vmid(vm->vmid);
	if (vm_load(vm)) {
		vm->state = VM_ENDED;
		vm->end_reason = VM_END_FAULT;
		return;
	}
	LOG("vm %s: %s (restart %u); hypervisor free pages %lu", vm->cfg->name,
	    fresh ? "started" : "restarted", vm->restarts, (unsigned long)page_free_count());
}

void vm_run_restarts(u32 cpu)
{
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = &vms[i];
		if (vm->state == VM_RESETTING && vm->vcpus[0].pcpu == cpu &&
		    read_cntpct_el0() >= vm->restart_at)
			vm_restart(vm);
	}
}

u64 vm_next_restart(u32 cpu, u64 limit)
{
	for (u32 i = 0; i < nr_vms; i++)
		if (vms[i].state == VM_RESETTING && vms[i].vcpus[0].pcpu == cpu)
			limit = MIN(limit, vms[i].restart_at);
	return limit;
}

/* Stops every vCPU; false if the VM was not running (someone else ended
 * or is restarting it).  why, if given, is the end reason, set before the
 * state so no CPU ever sees an ended VM without one. */
static bool vm_stop_all(struct vm *vm, enum vm_state new_state, const enum vm_end_reason *why)
{
	bool was_running;

	spin_lock(&vm->lock);
	was_running = vm->state == VM_RUNNING;
	if (was_running) {
		for (u32 i = 0; i < vm->nr_vcpus; i++)
			vm->vcpus[i].state = VCPU_STOPPED;
		if (why)
			vm->end_reason = *why;
		vm->state = new_state;
	}
	spin_unlock(&vm->lock);
	for (u32 i = 0; was_running && i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
	return was_running;
}

/* The boot CPU powers the machine off when the last VM ends; it may be
 * idle, so tell it to look. */
static void wake_boot_cpu(void)
{
	if (this_cpu()->cpu_id != 0)
		gic_send_sgi(percpu_data[0].mpidr, INTID_KICK);
}

/* vm_end()s between stopping a VM and logging its end: the boot CPU does
 * not end the run (summary, power-off) while one is half done, which would
 * cut the last VM's "powered off" line and summarise it as running. */
static u32 ends_in_progress;

bool vm_end_in_progress(void)
{
	return __atomic_load_n(&ends_in_progress, __ATOMIC_ACQUIRE) != 0;
}

/* on_exit = restart applies to crashes (terminated by the hypervisor) and
 * to CPU_OFF of the last vCPU; a guest that asks for SYSTEM_OFF is off, and
 * so is one the operator killed. */
void vm_end(struct vm *vm, enum vm_end_reason why)
{
	bool restart = vm->cfg->on_exit == VM_ON_EXIT_RESTART && why != VM_END_POWEROFF &&
		       why != VM_END_KILLED;

	__atomic_add_fetch(&ends_in_progress, 1, __ATOMIC_ACQ_REL);
	if (!vm_stop_all(vm, restart ? VM_RESETTING : VM_ENDED, &why)) {
		__atomic_sub_fetch(&ends_in_progress, 1, __ATOMIC_RELEASE);
		return;
	}
	vm_release_spis(vm);
	LOG("vm %s: %s", vm->cfg->name, vm_end_reason_str(why));
	__atomic_sub_fetch(&ends_in_progress, 1, __ATOMIC_RELEASE);
	wake_boot_cpu();
	if (restart)
		vm_schedule_restart(vm, restart_delay_ms(vm));
}

void vm_reset(struct vm *vm)
{
	if (!vm_stop_all(vm, VM_RESETTING, NULL))
		return;
	LOG("vm %s: reset requested; restarting from its image", vm->cfg->name);
	vm_schedule_restart(vm, 0);
}

bool vm_quiet(const struct vm *vm)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if (__atomic_load_n(&vm->vcpus[i].on_cpu, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

int vm_start(struct vm *vm, bool as_restart)
{
	int ret = -E_BUSY;

	spin_lock(&vm->lock);
	/* vCPUs still leaving their CPUs are waited for by vm_restart. */
	if (vm->state == VM_ENDED) {
		vm->state = VM_RESETTING;
		vm->start_fresh = !as_restart;
		vm->restart_at = read_cntpct_el0();
		ret = 0;
	}
	spin_unlock(&vm->lock);
	if (!ret)
		vcpu_kick(&vm->vcpus[0]);
	return ret;
}
