/* Loading a vCPU onto this CPU and taking it off again. */
#include "arch/gic_lr.h"
#include "arch/percpu.h"
#include "arch/sysreg.h"
#include "arch/vcpu_ctx.h"
#include "platform.h"
#include "vm/sched.h"
#include "vm/vcpu_debug.h"
#include "vm/vm.h"

void vcpu_load(struct vcpu *v)
{
	struct vm *vm = v->vm;

	arch_vcpu_enter(vm->s2.root, vm->vmid, v->id, v->vtimer.voff);
	if (v->fresh) {
		arch_el1_reset(v->initial_sp);
		ptimer_reset(&v->ptimer);
		vcpu_debug_reset(v);
		vgic_set_level(vm, v, INTID_PHYS_TIMER, false);
		v->fresh = false;
		v->saved = false;
		v->waiting = false;
	} else if (v->saved) {
		arch_ctx_restore(&v->arch);
		v->saved = false;
	}
	vcpu_debug_load(v);
	/* After a switch-out they are zero already; not at boot. */
	if (!this_cpu()->lrs_zero)
		for (u32 n = 0; n < vgic_nr_lrs; n++)
			arch_write_lr(n, 0);
	this_cpu()->lrs_zero = false;
	v->vgic.lr_used = 0;
	v->vgic.dirty = true;
	v->on_cpu = true;
	v->run_since = read_cntpct_el0();
	this_cpu()->current = v;
	isb();
}

/* Switches v out but keeps it alive: registers saved, interrupts it held
 * in this CPU's list registers already synced back into the model. */
void vcpu_save(struct vcpu *v)
{
	arch_ctx_save(&v->arch);
	vcpu_debug_save(v);
	vgic_vcpu_stop(v);
	v->saved = true;
	v->run_ticks += read_cntpct_el0() - v->run_since;
	__atomic_store_n(&v->on_cpu, false, __ATOMIC_RELEASE);
	this_cpu()->current = NULL;
}

/* The vCPU that ran here will not run again for now (stopped, off). */
void vcpu_put(struct vcpu *v)
{
	vgic_vcpu_stop(v);
	arch_vtimer_stop();
	vcpu_debug_put(v);
	v->saved = false;
	v->run_ticks += read_cntpct_el0() - v->run_since;
	__atomic_store_n(&v->on_cpu, false, __ATOMIC_RELEASE);
	this_cpu()->current = NULL;
}
