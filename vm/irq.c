/* Physical interrupts taken at EL2, on a guest exit or in the idle loop:
 * the guest's virtual timer and passthrough SPIs go to the vGIC, the
 * maintenance and slice-timer interrupts to their owners here, and the few
 * an EL2 service claimed (the console's UART) to that service. */
#include "vm/irq.h"
#include "arch/percpu.h"
#include "arch/gic_lr.h"
#include "arch/sysreg.h"
#include "drivers/gic.h"
#include "lib/log.h"
#include "platform_info.h"
#include "vm/passthrough.h"
#include "vm/vcpu_timer.h"
#include "vm/vgic.h"
#include "vm/vgic_fast.h"
#include "vm/vm.h"

#define MAX_CLAIMS 4

static struct {
	u32 intid;
	void (*handler)(void);
} claims[MAX_CLAIMS];
static u32 nr_claims;

int irq_claim(u32 intid, void (*handler)(void))
{
	if (nr_claims == MAX_CLAIMS)
		return -E_NOMEM;
	claims[nr_claims].intid = intid;
	claims[nr_claims].handler = handler;
	nr_claims++;
	return 0;
}

/* Runs the handler of a claimed interrupt; false if nobody claimed it. */
static bool claimed(u32 intid)
{
	for (u32 i = 0; i < nr_claims; i++)
		if (claims[i].intid == intid) {
			claims[i].handler();
			return true;
		}
	return false;
}

/* The guest's virtual timer fired: its line is high.  It is forwarded with
 * the list register's HW bit: the physical PPI stays active until the guest
 * completes the virtual one (or EL2 sees the line drop first), so it cannot
 * fire again in between. */
static void vtimer_fired(struct vcpu *cur, u32 intid)
{
	if (!cur) {
		gic_deactivate(intid);
		return;
	}
	vgic_hw_line(cur, intid, true);
}

/* One acknowledged interrupt (gic_ack's token), its priority already
 * dropped. */
static void irq_one(struct vcpu *cur, u32 token)
{
	u32 intid = token & GIC_TOKEN_INTID;

	if (intid == plat.timer_virt_intid) {
		vtimer_fired(cur, intid);
		return;
	}
	if (vm_spi_owner(intid)) { /* stays active until the guest's EOI */
		struct vm *vm = vm_spi_owner(intid);
		vgic_inject_hw(vm, &vm->vcpus[0], intid);
		return;
	}
	if (intid == plat.gic_maint_intid) {
		/* The list registers drained: the underflow signal stays
		 * asserted until they are refilled, which happens on the
		 * way back to the guest; until then, silence it. */
		arch_gic_hcr_write(ICH_HCR_EN);
		if (cur)
			cur->vgic.dirty = true;
	} else if (intid == plat.timer_hyp_intid) {
		/* The slice ended, or the running vCPU's physical timer
		 * expired: the way back to the guest picks the next vCPU
		 * (sched_next), samples its timers and re-arms this one. */
		struct percpu *pc = this_cpu();
		write_cnthp_ctl_el2(0);
		pc->hyp_timer_cval = 0;
		if (pc->slice_end && read_cntpct_el0() >= pc->slice_end)
			pc->need_resched = true;
	} else if (!claimed(intid) && intid != INTID_KICK) {
		LOG("cpu %u: unexpected physical interrupt %u", this_cpu()->cpu_id, intid);
	}
	gic_deactivate(token);
}

void irq_drain(struct vcpu *cur)
{
	u32 token;

	/* The token is the INTID, plus on a GICv2 an SGI's source CPU, which
	 * its EOI and deactivation must name again. */
	while (((token = gic_ack()) & GIC_TOKEN_INTID) < 1020) {
		gic_eoi(token);
		irq_one(cur, token);
	}
}

/* The general handling of what the short path below acknowledged; 0. */
static __attribute__((noinline)) u64 irq_one_general(struct vcpu *cur, u32 intid)
{
	irq_one(cur, intid);
	return 0;
}

/* The IRQ exit's short path (vm/exit/exit_fast.c), on a GICv3 host (one
 * with redistributors, pc->vtimer_intid set: the list register it writes
 * is a GICv3 one): the
 * interrupt is the running vCPU's virtual timer and vgic_vtimer_place put
 * it in list register 0; 1, and the guest resumes.  Anything else
 * acknowledged here gets irq_one now and 0 sends the caller down the
 * general path, which drains the rest.  No call but tail calls, so no
 * stack frame. */
u64 irq_vtimer_fast(struct vcpu *cur, struct percpu *pc)
{
	u64 timer = pc->vtimer_intid, intid;

	if (!timer) /* a GICv2 host */
		return 0;
	intid = gicv3_ack();
	if (intid >= 1020)
		return 0;
	gicv3_eoi(intid);
	if (intid == timer && vgic_vtimer_place(cur, pc))
		return 1;
	return irq_one_general(cur, (u32)intid);
}
