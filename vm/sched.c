/* Which vCPU runs on this CPU.  vCPUs are pinned to CPUs by their VM's
 * description.  A CPU with one vCPU runs it with no scheduler timer at all
 * (static partitioning costs nothing); a shared CPU round-robins its
 * runnable vCPUs on a time slice from the EL2 physical timer, and a vCPU
 * that waits in WFI gives the CPU up until it has something to do. */
#include "vm/sched.h"
#include "arch/percpu.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "drivers/gic.h"
#include "platform.h"
#include "vm/irq.h"
#include "vm/lifecycle.h"
#include "vm/vcpu_timer.h"
#include "vm/vm.h"

#define SLICE_US 10000
#define WAIT_RECHECK_US 10000

static u64 us_to_ticks(u64 us)
{
	return read_cntfrq_el0() / 1000000 * us;
}

/* The saved virtual timer of a switched-out vCPU has expired: it is as if
 * its interrupt had fired (the hardware timer now belongs to another vCPU). */
static bool saved_vtimer_expired(struct vcpu *v)
{
	u64 ctl = v->arch.el1[EL1_CNTV_CTL];
	u64 now = read_cntpct_el0() - v->vtimer.voff;

	return v->saved && (ctl & CNT_CTL_ENABLE) && !(ctl & CNT_CTL_IMASK) &&
	       now >= v->arch.el1[EL1_CNTV_CVAL];
}

static bool eligible(struct vcpu *v)
{
	if (v->state != VCPU_RUNNABLE || v->vm->state != VM_RUNNING)
		return false;
	if (!v->waiting)
		return true;
	/* Its timers' lines as the saved registers give them (the model only:
	 * this CPU's physical timer interrupt belongs to the vCPU loaded here). */
	if (v->vgic.priv[INTID_VIRT_TIMER].level != saved_vtimer_expired(v))
		vgic_set_level(v->vm, v, INTID_VIRT_TIMER, saved_vtimer_expired(v));
	vcpu_ptimer_sample(v);
	if (vgic_vcpu_has_pending(v) || read_cntpct_el0() >= v->wait_until) {
		v->waiting = false;
		return true;
	}
	return false;
}

/* The vCPUs pinned to each CPU, in a fixed order: VM by VM, vCPU by vCPU.
 * Every VM is created at boot, before any CPU schedules (boot/init.c sets
 * vms_ready after create_vms), so each CPU fills its own row once, in
 * sched_first, and only ever reads it after that. */
static struct vcpu *pinned[MAX_CPUS][MAX_VMS * MAX_VCPUS_PER_VM];
static u32 nr_pinned[MAX_CPUS];

static __cold void pin_here(u32 cpu)
{
	u32 n = 0;

	for (u32 i = 0; i < nr_vms; i++)
		for (u32 j = 0; j < vms[i].nr_vcpus; j++)
			if (vms[i].vcpus[j].pcpu == cpu)
				pinned[cpu][n++] = &vms[i].vcpus[j];
	nr_pinned[cpu] = n;
	this_cpu()->alone = n == 1;
}

static u32 runnable_here(u32 cpu)
{
	u32 n = 0;

	for (u32 i = 0; i < nr_pinned[cpu]; i++) {
		const struct vcpu *v = pinned[cpu][i];
		n += v->state == VCPU_RUNNABLE && v->vm->state == VM_RUNNING;
	}
	return n;
}

/* Round robin: the first eligible vCPU after cur (cur itself last). */
static struct vcpu *pick(u32 cpu, struct vcpu *cur)
{
	u32 n = nr_pinned[cpu], start = 0;

	for (u32 i = 0; cur && i < n; i++)
		if (pinned[cpu][i] == cur)
			start = i + 1;
	for (u32 i = 0; i < n; i++) {
		struct vcpu *v = pinned[cpu][(start + i) % n];
		if (eligible(v))
			return v;
	}
	return NULL;
}

static bool any_vm_running(void)
{
	if (vm_end_in_progress())
		return true;
	for (u32 i = 0; i < nr_vms; i++)
		if (vms[i].state == VM_RUNNING || vms[i].state == VM_RESETTING)
			return true;
	return false;
}

/* Slice timer on only while this CPU is shared or a VM is due to start
 * here: the EL2 timer is armed on the way into the guest
 * (vcpu_timers_arm), for the slice end, the start or the vCPU's
 * physical-timer deadline, whichever comes first.  Without the start, a VM
 * started (or backed off) while its vCPU was still leaving this CPU waited
 * for the next vCPU here to exit to the scheduler, which one that never
 * waits or shares the CPU does not do. */
static void set_slice_timer(void)
{
	struct percpu *pc = this_cpu();
	u64 start = vm_next_restart(pc->cpu_id, ~0UL);

	pc->slicing = runnable_here(pc->cpu_id) > 1 || start != ~0UL;
	pc->slice_end = pc->slicing ? MIN(read_cntpct_el0() + us_to_ticks(SLICE_US), start) : 0;
}

#define WFI_MAX_SLEEP_US 10000

void vcpu_wait(struct vcpu *v)
{
	/* The CPU is this vCPU's alone, so idle it for real.  WFI at EL2 with
	 * interrupts masked still wakes on any pending physical interrupt: the
	 * guest's timer, a kick from another CPU, console input.  The EL2
	 * timer bounds the sleep, so a guest that waits with nothing armed is
	 * only re-checked, never lost; WFI may complete early by definition. */
	struct percpu *pc = this_cpu();

	pc->cur_changed = true;
	if (vgic_vcpu_has_pending(v) || v->state != VCPU_RUNNABLE)
		return;
	if (!pc->alone) {
		/* Others could use the CPU: give it up until there is cause. */
		v->waiting = true;
		v->wait_until = read_cntpct_el0() + us_to_ticks(WFI_MAX_SLEEP_US);
		pc->need_resched = true;
		return;
	}
	u64 idle_from = read_cntpct_el0();
	u64 until = idle_from + us_to_ticks(WFI_MAX_SLEEP_US), deadline;

	if (vcpu_ptimer_deadline(v, &deadline))
		until = MIN(until, deadline);
	write_cnthp_cval_el2(until);
	write_cnthp_ctl_el2(CNT_CTL_ENABLE);
	isb();
	wfi();
	write_cnthp_ctl_el2(0);
	vcpu_timers_disarmed();
	/* What woke the CPU (a kick, console input) is taken here: left
	 * pending, it would end the guest's first instruction with an IRQ
	 * exit and a second rebuild of its list registers.  Not the virtual
	 * timer on a GICv3 host: the IRQ short path places it for less. */
	if (!pc->vtimer_intid || gicv3_peek() != pc->vtimer_intid)
		irq_drain(v);
	/* Idle time is not run time (see struct vcpu's run_ticks). */
	v->run_since += read_cntpct_el0() - idle_from;
}

static void switch_out(struct vcpu *cur)
{
	if (!cur || !cur->on_cpu)
		return;
	if (cur->state == VCPU_RUNNABLE && cur->vm->state == VM_RUNNING && !cur->fresh)
		vcpu_save(cur);
	else
		vcpu_put(cur);
}

struct vcpu *sched_next(struct vcpu *cur)
{
	struct percpu *pc = this_cpu();
	struct vcpu *next;

	if (likely(cur->state == VCPU_RUNNABLE && !cur->fresh && !cur->waiting &&
		   cur->vm->state == VM_RUNNING)) {
		if (likely(!pc->need_resched))
			return cur;
		/* The only vCPU pinned here, running: pick would choose it
		 * again, and no VM can be due to start here (restarts run on
		 * their vCPU 0's CPU, and cur's VM is running).  Every kick
		 * from another CPU, so every cross-CPU SGI, lands here. */
		if (pc->alone) {
			pc->need_resched = false;
			if (unlikely(pc->slicing))
				set_slice_timer();
			return cur;
		}
	}
	pc->need_resched = false;
	/* A VM (re)started through the management interface may be due here
	 * while this CPU is busy: start it now rather than at the next idle.
	 * Only when cur's own VM is not the one restarting (cur is loaded). */
	if (cur->vm->state == VM_RUNNING)
		vm_run_restarts(pc->cpu_id);
	next = pick(pc->cpu_id, cur);
	if (next == cur && !cur->fresh) {
		set_slice_timer();
		return cur;
	}
	switch_out(cur);
	if (!next)
		return sched_idle();
	vcpu_load(next);
	set_slice_timer();
	return next;
}

/* Earliest CNTPCT at which a waiting vCPU here must be looked at again. */
static __cold u64 next_wakeup(u32 cpu)
{
	u64 when = read_cntpct_el0() + us_to_ticks(WAIT_RECHECK_US), deadline;
	u32 n = nr_pinned[cpu];

	for (u32 i = 0; i < n; i++) {
		const struct vcpu *v = pinned[cpu][i];
		u64 ctl = v->arch.el1[EL1_CNTV_CTL];
		if (v->waiting && v->saved && (ctl & CNT_CTL_ENABLE) && !(ctl & CNT_CTL_IMASK))
			when = MIN(when, v->arch.el1[EL1_CNTV_CVAL] + v->vtimer.voff);
		if (v->waiting)
			when = MIN(when, v->wait_until);
		if (v->waiting && vcpu_ptimer_deadline(v, &deadline))
			when = MIN(when, deadline);
	}
	return when;
}

/* Waits for a vCPU to become runnable here.  NULL on the boot CPU once no
 * VM is left anywhere (the caller ends the run); the other CPUs wait on. */
__cold struct vcpu *sched_idle(void)
{
	struct percpu *pc = this_cpu();

	for (;;) {
		vm_run_restarts(pc->cpu_id);
		struct vcpu *next = pick(pc->cpu_id, NULL);
		if (next) {
			vcpu_load(next);
			set_slice_timer();
			return next;
		}
		if (!any_vm_running() && pc->cpu_id == 0)
			return NULL;
		/* Kicks (CPU_ON, interrupts for a waiting vCPU, restarts) and
		 * the earliest timer of a waiting vCPU end the wait. */
		write_cnthp_cval_el2(vm_next_restart(pc->cpu_id, next_wakeup(pc->cpu_id)));
		write_cnthp_ctl_el2(CNT_CTL_ENABLE);
		isb();
		wfi();
		write_cnthp_ctl_el2(0);
		vcpu_timers_disarmed();
		pc->need_resched = false;
		irq_drain(NULL);
	}
}

__cold struct vcpu *sched_first(void)
{
	pin_here(this_cpu()->cpu_id);
	struct vcpu *v = sched_idle();

	if (v) {
		vcpu_timers_sync(v);
		vcpu_timers_arm(v);
		vgic_flush_lrs(v);
	}
	return v;
}
