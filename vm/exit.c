/* C side of the guest exception vectors, and physical interrupt handling.
 * Every exit copies list-register state back into the vGIC model first and
 * rebuilds the list registers of whichever vCPU runs next last. */
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "arch/gic_lr.h"
#include "drivers/gicv3.h"
#include "percpu.h"
#include "platform_info.h"
#include "vm/dev/console.h"
#include "vm/sched.h"
#include "vm/trap.h"
#include "vm/vm.h"

struct vcpu *handle_guest_sync(struct vcpu *v);
struct vcpu *handle_guest_irq(struct vcpu *v);
struct vcpu *handle_guest_async(struct vcpu *v, u64 kind);

static struct vcpu *resume(struct vcpu *v)
{
	struct vcpu *next = sched_next(v);

	vgic_flush_lrs(next);
	return next;
}

struct vcpu *handle_guest_sync(struct vcpu *v)
{
	vgic_sync_lrs(v);
	trap_dispatch(v, read_esr_el2());
	return resume(v);
}

/* The guest's virtual timer fired.  It is forwarded with the list
 * register's HW bit: the physical PPI stays active until the guest
 * completes the virtual one, so it cannot fire again in between. */
static void vtimer_fired(struct vcpu *cur, u32 intid)
{
	if (!cur) {
		gic_deactivate(intid);
		return;
	}
	vgic_inject_hw(cur->vm, cur, intid);
}

void irq_drain(struct vcpu *cur)
{
	u32 intid;

	while ((intid = gic_ack()) < 1020) {
		gic_eoi(intid);
		if (intid == plat.timer_virt_intid) {
			vtimer_fired(cur, intid);
			continue;
		}
		if (vm_spi_owner(intid)) { /* stays active until the guest's EOI */
			struct vm *vm = vm_spi_owner(intid);
			vgic_inject_hw(vm, &vm->vcpus[0], intid);
			continue;
		}
		if (intid == INTID_MAINTENANCE) {
			/* The list registers drained: the underflow signal stays
			 * asserted until they are refilled, which happens on the
			 * way back to the guest; until then, silence it. */
			write_ich_hcr_el2(ICH_HCR_EN);
			if (cur)
				cur->vgic.dirty = true;
		} else if (intid == plat.uart_intid)
			console_rx_irq();
		else if (intid == plat.timer_hyp_intid)
			sched_tick();
		else if (intid != INTID_KICK && intid != INTID_MAINTENANCE)
			LOG("cpu %u: unexpected physical interrupt %u", this_cpu()->cpu_id, intid);
		gic_deactivate(intid);
	}
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
