/* The list-register rebuild (vm/vgic/lr.c, vgic_flush_lrs and
 * vgic_sync_lrs) on a GICv3 host: which interrupts get the list registers,
 * in which order, what happens when more are pending than there are list
 * registers, and the refill once the guest completes them.
 *
 * List register values are literals from Arm IHI 0069H (ICH_LR<n>_EL2:
 * vINTID [31:0], Priority [55:48], Group [60], State [63:62] with pending =
 * 01, active = 10) and ICH_HCR_EL2 (En [0], UIE [1]). */
#include "arch/gic_lr.h"
#include "arch/percpu.h"
#include "check.h"
#include "fake_gic_lr.h"
#include "vm/vgic.h"
#include "vm/vm.h"

/* tests/host/fake_vgic_env.c */
void fake_kick_reset(void);

#define LR_PENDING (1UL << 62)
#define LR_ACTIVE (1UL << 63)
#define LR_G1 (1UL << 60)
#define HCR_EN 1UL
#define HCR_UIE 2UL

static struct vm vm;
static struct vcpu *v = &vm.vcpus[0];

static void setup(u32 nr_lrs)
{
	memset(&vm, 0, sizeof(vm));
	memset(percpu_data, 0, sizeof(percpu_data));
	vm.nr_vcpus = 2;
	for (u32 i = 0; i < 2; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
	}
	vgic_init(&vm);
	vgic_nr_lrs = nr_lrs;
	vm.vgic.ctlr |= 0x2; /* GICD_CTLR.EnableGrp1 */
	memset(fake_lr, 0, sizeof(fake_lr));
	fake_hcr = 0;
	percpu_data[0].current = v;
	fake_kick_reset();
}

/* An enabled Group 1 interrupt of vCPU 0 (SGI/PPI) or an SPI routed to it,
 * latched pending through the model's own entry point. */
static void raise(u32 intid, u8 prio)
{
	struct virq *irq = intid < VGIC_NR_PRIVATE ? &v->vgic.priv[intid]
						   : &vm.vgic.spi[intid - VGIC_NR_PRIVATE];

	irq->enabled = true;
	irq->group1 = true;
	irq->priority = prio;
	vgic_inject_edge(&vm, v, intid);
}

static u64 want(u32 intid, u8 prio)
{
	return intid | (u64)prio << 48 | LR_G1 | LR_PENDING;
}

static void enter(void)
{
	v->vgic.dirty = true;
	vgic_flush_lrs(v);
}

/* The guest acknowledged and completed list register n: its state is
 * invalid, the rest is left as the hardware leaves it. */
static void complete(u32 n)
{
	fake_lr[n] &= ~(LR_PENDING | LR_ACTIVE);
}

/* Lowest priority value first; equal priorities in INTID order, SGIs and
 * PPIs before SPIs (the scan order): the four best of seven. */
static void test_order_and_overflow(void)
{
	setup(4);
	raise(40, 0x80);
	raise(3, 0xa0);
	raise(1, 0xa0);
	raise(33, 0x20);
	raise(5, 0xa0);
	raise(27, 0x80);
	raise(60, 0xf0);
	enter();
	CHECK_EQ(fake_lr[0], want(33, 0x20));
	CHECK_EQ(fake_lr[1], want(27, 0x80));
	CHECK_EQ(fake_lr[2], want(40, 0x80));
	CHECK_EQ(fake_lr[3], want(1, 0xa0));
	CHECK_EQ(v->vgic.lr_used, 0xf);
	CHECK_EQ(fake_hcr, HCR_EN | HCR_UIE); /* three more wait */
	CHECK(v->vgic.dirty);
	CHECK(percpu_data[0].vgic_work);
	CHECK_EQ(vm.irqs_injected, 4);

	/* The guest takes and completes all four; the three left follow. */
	for (u32 n = 0; n < 4; n++)
		complete(n);
	vgic_sync_lrs(v);
	CHECK_EQ(v->vgic.lr_used, 0);
	vgic_flush_lrs(v);
	CHECK_EQ(fake_lr[0], want(3, 0xa0));
	CHECK_EQ(fake_lr[1], want(5, 0xa0));
	CHECK_EQ(fake_lr[2], want(60, 0xf0));
	CHECK_EQ(v->vgic.lr_used, 0x7);
	CHECK_EQ(fake_hcr, HCR_EN); /* nothing left over */
	CHECK(!v->vgic.dirty);
	CHECK_EQ(vm.irqs_injected, 7);

	/* All done: nothing placed, no list register in use. */
	for (u32 n = 0; n < 3; n++)
		complete(n);
	vgic_sync_lrs(v);
	vgic_flush_lrs(v);
	CHECK_EQ(v->vgic.lr_used, 0);
	CHECK(!percpu_data[0].vgic_work);
	CHECK_EQ(vm.irqs_injected, 7);
}

/* Exactly as many pending as list registers: no overflow. */
static void test_exact_fit(void)
{
	setup(2);
	raise(9, 0x40);
	raise(8, 0x40);
	enter();
	CHECK_EQ(fake_lr[0], want(8, 0x40));
	CHECK_EQ(fake_lr[1], want(9, 0x40));
	CHECK_EQ(fake_hcr, HCR_EN);
	CHECK(!v->vgic.dirty);
}

/* One still active in its list register goes back in with its state and
 * keeps its place against a newcomer of lower priority value. */
static void test_active_kept(void)
{
	setup(1);
	raise(4, 0x90);
	enter();
	CHECK_EQ(fake_lr[0], want(4, 0x90));
	fake_lr[0] = (fake_lr[0] & ~LR_PENDING) | LR_ACTIVE; /* acknowledged */
	raise(6, 0xa0);
	vgic_sync_lrs(v);
	vgic_flush_lrs(v);
	CHECK_EQ(fake_lr[0], (want(4, 0x90) & ~LR_PENDING) | LR_ACTIVE);
	CHECK_EQ(fake_hcr, HCR_EN | HCR_UIE);
	complete(0);
	vgic_sync_lrs(v);
	vgic_flush_lrs(v);
	CHECK_EQ(fake_lr[0], want(6, 0xa0));
	CHECK_EQ(fake_hcr, HCR_EN);
}

/* Disabled, Group 0 (EnableGrp0 is off) and an SPI routed to vCPU 1 are
 * not placed on vCPU 0; the others are, in order. */
static void test_not_deliverable(void)
{
	setup(4);
	raise(2, 0x10);
	v->vgic.priv[2].enabled = false;
	raise(7, 0x10);
	v->vgic.priv[7].group1 = false;
	raise(50, 0x10);
	vm.vgic.spi[50 - VGIC_NR_PRIVATE].irouter = 1;
	raise(12, 0x30);
	enter();
	CHECK_EQ(fake_lr[0], want(12, 0x30));
	CHECK_EQ(v->vgic.lr_used, 0x1);
	CHECK_EQ(fake_hcr, HCR_EN);
}

/* Back from the list registers: a completed edge asks for no rebuild; a
 * level line still high (an emulated device's, no HW bit) and one the
 * guest acknowledged but did not complete go back in. */
static void test_sync_asks_rebuild(void)
{
	setup(4);
	raise(2, 0x40);
	enter();
	complete(0);
	vgic_sync_lrs(v);
	CHECK(!v->vgic.dirty);
	vgic_flush_lrs(v);
	CHECK_EQ(v->vgic.lr_used, 0);

	struct virq *uart = &vm.vgic.spi[1];
	uart->enabled = true;
	uart->group1 = true;
	uart->priority = 0x50;
	vgic_set_level(&vm, NULL, 33, true);
	enter();
	CHECK_EQ(fake_lr[0], want(33, 0x50) | 1UL << 41); /* EOI: maintenance on deactivation */
	complete(0);
	vgic_sync_lrs(v);
	CHECK(v->vgic.dirty);
	vgic_flush_lrs(v);
	CHECK_EQ(fake_lr[0], want(33, 0x50) | 1UL << 41);
	fake_lr[0] = (fake_lr[0] & ~LR_PENDING) | LR_ACTIVE;
	vgic_set_level(&vm, NULL, 33, false);
	vgic_sync_lrs(v);
	CHECK(v->vgic.dirty);
	vgic_flush_lrs(v);
	CHECK_EQ(fake_lr[0], (want(33, 0x50) & ~LR_PENDING) | LR_ACTIVE);
}

/* Sixteen list registers, seventeen pending: the array keeps one spare. */
static void test_sixteen(void)
{
	setup(16);
	for (u32 i = 0; i < 17; i++)
		raise(32 + i, (u8)(0xf0 - 8 * i));
	enter();
	for (u32 n = 0; n < 16; n++)
		CHECK_EQ(fake_lr[n], want(48 - n, (u8)(0xf0 - 8 * (16 - n))));
	CHECK_EQ(fake_hcr, HCR_EN | HCR_UIE);
}

int main(void)
{
	RUN_TEST(test_order_and_overflow);
	RUN_TEST(test_exact_fit);
	RUN_TEST(test_active_kept);
	RUN_TEST(test_not_deliverable);
	RUN_TEST(test_sync_asks_rebuild);
	RUN_TEST(test_sixteen);
	return check_done();
}
