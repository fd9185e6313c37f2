/* C side of the guest exception vectors.  Every exit copies list-register
 * state back into the vGIC model first and rebuilds the list registers of
 * whichever vCPU runs next last. */
#include "arch/entry.h"
#include "arch/sysreg.h"
#include "vm/exit/trap.h"
#include "vm/irq.h"
#include "vm/lifecycle.h"
#include "vm/sched.h"
#include "vm/vgic.h"
#include "vm/vm.h"

/* NULL when the run is over: the vectors then end it (el2_no_vm_left). */
static struct vcpu *resume(struct vcpu *v)
{
	struct vcpu *next = sched_next(v);

	if (likely(next))
		vgic_flush_lrs(next);
	return next;
}

struct vcpu *handle_guest_sync(struct vcpu *v)
{
	vgic_sync_lrs(v);
	trap_dispatch(v, read_esr_el2());
	return resume(v);
}

struct vcpu *handle_guest_irq(struct vcpu *v)
{
	vgic_sync_lrs(v);
	v->vm->exits[EXIT_IRQ]++;
	irq_drain(v);
	return resume(v);
}

struct vcpu *handle_guest_async(struct vcpu *v, u64 kind)
{
	vgic_sync_lrs(v);
	if (kind == 3) { /* SError: the guest caused an uncontainable error */
		vm_log(v->vm, "vcpu %u: SError ESR=0x%lx ELR=0x%lx: terminating", v->id,
		       (unsigned long)read_esr_el2(), (unsigned long)v->ctx.pc);
		vm_end(v->vm, VM_END_FAULT);
	} else {
		vm_log(v->vm, "vcpu %u: unexpected FIQ ignored", v->id);
	}
	return resume(v);
}
