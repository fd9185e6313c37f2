/* The virtual timer's IRQ short path into list register 0 (vm_vtimer_place
 * in include/vm/vgic_fast.h) against the vGIC model and the general path
 * that folds it back (vm/vgic/lr.c, vgic_sync_lrs).
 *
 * The list register value is written as a literal from Arm IHI 0069H
 * (ICH_LR<n>_EL2: vINTID [31:0], pINTID [44:32], Priority [55:48], Group
 * [60], HW [61], State [63:62] with pending = 01, active = 10). */
#include "arch/gic_lr.h"
#include "arch/percpu.h"
#include "check.h"
#include "fake_gic_lr.h"
#include "vm/vgic.h"
#include "vm/vgic_fast.h"
#include "vm/vm.h"

/* tests/host/fake_vgic_env.c */
void fake_kick_reset(void);

#define TIMER 27
#define LR_PENDING (1UL << 62)
#define LR_ACTIVE (1UL << 63)
/* vINTID 27, pINTID 27, priority 0xa0, Group 1, HW, pending. */
#define LR_WANT (27UL | 27UL << 32 | 0xa0UL << 48 | 1UL << 60 | 1UL << 61 | LR_PENDING)

static struct vm vm;
static struct vcpu *v = &vm.vcpus[0];
static struct percpu *pc = &percpu_data[0];

static struct virq *timer(void)
{
	return &v->vgic.priv[TIMER];
}

/* A running vCPU whose timer the guest has enabled in Group 1, with the
 * distributor's Group 1 on: what the short path takes. */
static void setup(void)
{
	memset(&vm, 0, sizeof(vm));
	memset(pc, 0, sizeof(*pc));
	vm.nr_vcpus = 1;
	v->vm = &vm;
	vgic_init(&vm);
	vgic_nr_lrs = 4;
	vgic_map_hw(v, TIMER, TIMER);
	timer()->enabled = true;
	timer()->group1 = true;
	timer()->priority = 0xa0;
	vm.vgic.ctlr |= 0x2; /* GICD_CTLR.EnableGrp1 */
	memset(fake_lr, 0, sizeof(fake_lr));
	pc->current = v;
	fake_kick_reset();
}

static void test_places(void)
{
	setup();
	CHECK(vgic_vtimer_place(v, pc));
	CHECK_EQ(fake_lr[0], LR_WANT);
	CHECK(pc->vtimer_lr);
	CHECK_EQ(pc->exit_work_short, 0); /* the short paths still run */
	CHECK_EQ(v->vgic.fast_injected, 1);
	CHECK_EQ(vm_exits(&vm, EXIT_IRQ), 1);	     /* the exit it completed */
	CHECK(!timer()->in_lr && !timer()->pending); /* the model is not told */
}

/* Every state the short path must leave to the general path: nothing
 * written, nothing counted. */
static void test_refusals(void)
{
	enum {
		LR_USED,
		DIRTY,
		DISABLED,
		PENDING,
		LEVEL,
		ACTIVE,
		EDGE,
		GROUP0,
		NOT_HW,
		IN_LR,
		DIST_OFF,
		NR
	};

	for (int k = 0; k < NR; k++) {
		setup();
		switch (k) {
		case LR_USED: v->vgic.lr_used = BIT(2); break;
		case DIRTY: v->vgic.dirty = true; break;
		case DISABLED: timer()->enabled = false; break;
		case PENDING: timer()->pending = true; break;
		case LEVEL: timer()->level = true; break;
		case ACTIVE: timer()->active = true; break;
		case EDGE: timer()->edge = true; break;
		case GROUP0: timer()->group1 = false; break;
		case NOT_HW: timer()->hw = false; break;
		case IN_LR: timer()->in_lr = true; break;
		case DIST_OFF: vm.vgic.ctlr &= ~0x2u; break;
		}
		fake_lr[0] = 0x1234;
		CHECK(!vgic_vtimer_place(v, pc));
		CHECK_EQ(fake_lr[0], 0x1234);
		CHECK(!pc->vtimer_lr);
		CHECK_EQ(v->vgic.fast_injected, 0);
	}
}

/* The timer placed before and left there by the short paths: reused once
 * the guest has completed it (invalid), refused while it is not. */
static void test_reuse(void)
{
	setup();
	CHECK(vgic_vtimer_place(v, pc));
	fake_lr[0] = LR_WANT; /* still pending */
	CHECK(!vgic_vtimer_place(v, pc));
	fake_lr[0] = (LR_WANT & ~LR_PENDING) | LR_ACTIVE; /* taken, not yet EOIed */
	CHECK(!vgic_vtimer_place(v, pc));
	CHECK_EQ(v->vgic.fast_injected, 1);
	fake_lr[0] = LR_WANT & ~LR_PENDING; /* completed: State 00 */
	CHECK(vgic_vtimer_place(v, pc));
	CHECK_EQ(fake_lr[0], LR_WANT);
	CHECK_EQ(v->vgic.fast_injected, 2);
	CHECK(pc->vtimer_lr);
}

/* The general path folds what the short path left: an active timer lands
 * in the model, list register 0 is emptied and vtimer_lr cleared. */
static void test_fold(void)
{
	setup();
	CHECK(vgic_vtimer_place(v, pc));
	fake_lr[0] = (LR_WANT & ~LR_PENDING) | LR_ACTIVE;
	vgic_sync_lrs(v);
	CHECK(!pc->vtimer_lr);
	CHECK(timer()->active);
	CHECK(!timer()->in_lr);
	CHECK_EQ(fake_lr[0], 0);
	/* Now the model has it: the short path leaves it alone. */
	CHECK(!vgic_vtimer_place(v, pc));
}

int main(void)
{
	RUN_TEST(test_places);
	RUN_TEST(test_refusals);
	RUN_TEST(test_reuse);
	RUN_TEST(test_fold);
	return check_done();
}
