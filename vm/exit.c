/* C side of the guest exception vectors: one entry per vector kind.  Each
 * returns the vCPU to resume, which may differ from the one that exited. */
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "drivers/gicv3.h"
#include "platform.h"
#include "vm/sched.h"
#include "vm/trap.h"
#include "vm/vm.h"

struct vcpu *handle_guest_sync(struct vcpu *v);
struct vcpu *handle_guest_irq(struct vcpu *v);
struct vcpu *handle_guest_async(struct vcpu *v, u64 kind);

struct vcpu *handle_guest_sync(struct vcpu *v)
{
	trap_dispatch(v, read_esr_el2());
	return sched_next(v);
}

static void handle_vtimer(struct vcpu *v)
{
	/* The timer's output is a level: mask it so it stops asserting until
	 * the guest has taken the virtual interrupt and re-armed it. */
	write_cntv_ctl_el0(read_cntv_ctl_el0() | CNT_CTL_IMASK);
	v->vtimer_pending = true;
}

struct vcpu *handle_guest_irq(struct vcpu *v)
{
	u32 intid;

	v->vm->exits[EXIT_IRQ]++;
	while ((intid = gic_ack()) < 1020) {
		if (intid == INTID_VIRT_TIMER)
			handle_vtimer(v);
		else
			LOG("unexpected physical interrupt %u while vm %s ran", intid, v->vm->cfg->name);
		gic_eoi(intid);
	}
	return sched_next(v);
}

struct vcpu *handle_guest_async(struct vcpu *v, u64 kind)
{
	if (kind == 3) { /* SError: the guest caused an uncontainable error */
		vm_log(v->vm, "vcpu %u: SError ESR=0x%lx ELR=0x%lx: terminating", v->id,
		       (unsigned long)read_esr_el2(), (unsigned long)v->ctx.pc);
		vm_end(v->vm, VM_END_FAULT);
	} else {
		vm_log(v->vm, "vcpu %u: unexpected FIQ ignored", v->id);
	}
	return sched_next(v);
}
