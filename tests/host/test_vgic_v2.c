/* Virtual GICv2 distributor (vm/vgic/dist_v2.c) over the shared interrupt
 * model, driven through mmio_access_region() as a trapped guest access would
 * be, and the list registers it leads to (vm/vgic/lr.c, then
 * arch/arm64/gic_lr_v2.c as a GICv2 host's GICH_LR<n> would hold them).
 *
 * Offsets and fields are literals from Arm IHI 0048B (4.3, GICD_*; 5.3.11,
 * GICH_LR), not the implementation's macros. */
#include "arch/gic_lr.h"
#include "arch/percpu.h"
#include "check.h"
#include "fake_gic_lr.h"
#include "vm/vgic.h"
#include "vm/vm.h"

/* tests/host/fake_vgic_env.c */
void fake_kick_reset(void);
unsigned fake_kick_total(void);
u32 fake_kick_mask(void);
unsigned fake_kick_locked(void);

#define BASE 0x08000000UL
#define CTLR 0x000
#define TYPER 0x004
#define IIDR 0x008
#define IGROUPR 0x080
#define ISENABLER 0x100
#define ICENABLER 0x180
#define ISPENDR 0x200
#define ICPENDR 0x280
#define ISACTIVER 0x300
#define IPRIORITYR 0x400
#define ITARGETSR 0x800
#define ICFGR 0xc00
#define SGIR 0xf00
#define CPENDSGIR 0xf10
#define SPENDSGIR 0xf20
#define PIDR2 0xfe8

static struct vm vm;

static void setup(u32 nr)
{
	memset(&vm, 0, sizeof(vm));
	vm.nr_vcpus = nr;
	vm.vgic.v2 = true;
	for (u32 i = 0; i < MAX_VCPUS_PER_VM; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
	}
	vgic_init(&vm);
	vgic_nr_lrs = 4;
	memset(fake_lr, 0, sizeof(fake_lr));
	fake_kick_reset();
}

/* One access by vCPU n through the generic MMIO path. */
static u64 access(u32 n, u64 off, unsigned size, bool write, u64 val, enum mmio_result want)
{
	struct mmio_region r = {.base = ipa_init(BASE),
				.size = vgic_dist_v2_ops.impl_size,
				.ops = &vgic_dist_v2_ops,
				.dev = &vm};
	struct mmio_access acc = {.ipa = ipa_init(BASE + off), .size = (u8)size, .write = write};
	enum mmio_result res = mmio_access_region(&r, &vm.vcpus[n], &acc, &val);

	CHECK_EQ(res, want);
	CHECK(vm.vgic.lock.next == vm.vgic.lock.owner);
	CHECK_EQ(fake_kick_locked(), 0);
	return write ? 0 : val;
}
#define RD(n, off, size) access(n, off, size, false, 0, MMIO_DONE)
#define WR(n, off, size, v) access(n, off, size, true, v, MMIO_DONE)

static struct virq *priv(u32 n, u32 intid)
{
	return &vm.vcpus[n].vgic.priv[intid];
}

/* Guest entry: the list registers rebuilt (vcpu_kick / vcpu_load mark them
 * dirty; the fake kick does not). */
static void enter(u32 n)
{
	vm.vcpus[n].vgic.dirty = true;
	vgic_flush_lrs(&vm.vcpus[n]);
}

static void test_reset_and_ids(void)
{
	setup(3);
	CHECK_EQ(vm.vgic.ctlr, 0);
	CHECK(!priv(1, 5)->group1 && !vm.vgic.spi[0].group1); /* Group 0 */
	CHECK_EQ(RD(0, TYPER, 4), 2 | 2 << 5);		      /* ITLinesNumber 2, CPUNumber 3-1 */
	CHECK_EQ(RD(0, IIDR, 4), 0xae001000);
	CHECK_EQ((RD(0, PIDR2, 4) >> 4) & 0xf, 2);
	CHECK_EQ(RD(0, ITARGETSR + 32, 4), 0x01010101); /* SPIs reset to vCPU 0 */
	/* Read-only: TYPER, IIDR, the ID registers. */
	WR(0, TYPER, 4, 0);
	WR(0, IIDR, 4, 0);
	WR(0, PIDR2, 4, 0);
	CHECK_EQ(RD(0, TYPER, 4), 2 | 2 << 5);
	CHECK_EQ(RD(0, IIDR, 4), 0xae001000);
	CHECK_EQ((RD(0, PIDR2, 4) >> 4) & 0xf, 2);
}

static void test_ctlr_groups(void)
{
	setup(1);
	WR(0, CTLR, 4, ~0u);
	CHECK_EQ(RD(0, CTLR, 4), 3); /* EnableGrp0 and EnableGrp1 only */
	WR(0, CTLR, 4, 1);
	WR(0, ISENABLER + 4, 4, 1u << 1); /* SPI 33, Group 0 */
	WR(0, ISPENDR + 4, 4, 1u << 1);
	CHECK(vgic_irq_deliverable(&vm, &vm.vgic.spi[1]));
	WR(0, IGROUPR + 4, 4, 1u << 1); /* Group 1: EnableGrp1 is off */
	CHECK(!vgic_irq_deliverable(&vm, &vm.vgic.spi[1]));
	WR(0, CTLR, 4, 2);
	CHECK(vgic_irq_deliverable(&vm, &vm.vgic.spi[1]));
}

/* INTIDs 0-31 are banked per accessing vCPU; ITARGETSR0-7 read as its bit. */
static void test_banked_private(void)
{
	setup(2);
	WR(1, ISENABLER, 4, 1u << 27);
	CHECK(priv(1, 27)->enabled && !priv(0, 27)->enabled);
	CHECK_EQ(RD(0, ISENABLER, 4), 0);
	CHECK_EQ(RD(1, ISENABLER, 4) & (1u << 27), 1u << 27);
	WR(1, IPRIORITYR + 27, 1, 0xa7);
	CHECK_EQ(priv(1, 27)->priority, 0xa0); /* 5 priority bits */
	CHECK_EQ(RD(0, ITARGETSR, 4), 0x01010101);
	CHECK_EQ(RD(1, ITARGETSR + 28, 4), 0x02020202);
	WR(1, ITARGETSR + 28, 4, 0);
	CHECK_EQ(RD(1, ITARGETSR + 28, 4), 0x02020202);
	/* ICFGR0 (SGIs) and ICFGR1 (PPIs) are read-only. */
	WR(0, ICFGR, 4, 0);
	WR(0, ICFGR + 4, 4, ~0u);
	CHECK_EQ(RD(0, ICFGR, 4), 0xaaaaaaaa);
	CHECK_EQ(RD(0, ICFGR + 4, 4), 0);
}

/* SGIR: target list, all-but-self, self, reserved; only this VM's vCPUs;
 * pending per source. */
static void test_sgir_filters(void)
{
	setup(3);
	WR(0, SGIR, 4, 0xfau << 16 | 4); /* list: vCPUs 1, 3-7 -> only 1 exists */
	CHECK_EQ(priv(1, 4)->sgi_src, 1);
	CHECK(priv(1, 4)->pending && !priv(0, 4)->pending && !priv(2, 4)->pending);
	CHECK_EQ(fake_kick_mask(), 0);	  /* disabled: nobody needs a list register */
	WR(2, SGIR, 4, 1u << 24 | 4);	  /* all but self: 0 and 1 */
	CHECK_EQ(priv(0, 4)->sgi_src, 4); /* from vCPU 2 */
	CHECK_EQ(priv(1, 4)->sgi_src, 5); /* from 0 and 2 */
	CHECK_EQ(priv(2, 4)->sgi_src, 0);
	WR(2, SGIR, 4, 2u << 24 | 0xffu << 16 | 6); /* self, list ignored */
	CHECK_EQ(priv(2, 6)->sgi_src, 4);
	CHECK(!priv(0, 6)->pending && !priv(1, 6)->pending);
	WR(0, SGIR, 4, 3u << 24 | 0xffu << 16 | 7); /* reserved filter: nothing */
	for (u32 n = 0; n < 3; n++)
		CHECK(!priv(n, 7)->pending);
	CHECK_EQ(RD(0, SGIR, 4), 0); /* write-only */
	/* SPENDSGIR/CPENDSGIR: per source, and only sources that are vCPUs. */
	CHECK_EQ(RD(1, SPENDSGIR + 4, 1), 5);
	WR(1, CPENDSGIR + 4, 1, 1);
	CHECK_EQ(RD(1, CPENDSGIR + 4, 1), 4);
	WR(1, SPENDSGIR, 4, 0xffu << 8);
	CHECK_EQ(priv(1, 1)->sgi_src, 7); /* three vCPUs */
	WR(1, CPENDSGIR, 4, 0xffu << 8);
	CHECK(!priv(1, 1)->pending);
	/* ISPENDR0 / ICPENDR0 do not reach SGIs. */
	WR(0, ISPENDR, 4, 0xffff);
	CHECK_EQ(RD(0, ISPENDR, 4) & 0xffff, 1u << 4);
	WR(1, ICPENDR, 4, 0xffff);
	CHECK(priv(1, 4)->pending);
}

/* An SPI goes to the lowest existing vCPU its ITARGETSR names; bits of
 * vCPUs that do not exist are dropped; no target, no delivery. */
static void test_itargets(void)
{
	setup(2);
	WR(0, ITARGETSR + 40, 1, 0xfe);
	CHECK_EQ(RD(0, ITARGETSR + 40, 1), 2);
	CHECK(vgic_target(&vm, NULL, 40) == &vm.vcpus[1]);
	WR(0, ITARGETSR + 40, 4, 0x00fc0003);
	CHECK_EQ(RD(0, ITARGETSR + 40, 4), 0x00000003);
	CHECK(vgic_target(&vm, NULL, 40) == &vm.vcpus[0]);
	CHECK(vgic_target(&vm, NULL, 42) == NULL); /* target 0xfc & 3 = 0 */
	/* Past INTID 95: RAZ/WI. */
	WR(0, ITARGETSR + 96, 4, ~0u);
	CHECK_EQ(RD(0, ITARGETSR + 96, 4), 0);
	WR(0, ISENABLER + 12, 4, ~0u);
	CHECK_EQ(RD(0, ISENABLER + 12, 4), 0);
	WR(0, IPRIORITYR + 1016, 4, ~0u);
	CHECK_EQ(RD(0, IPRIORITYR + 1016, 4), 0);
}

/* Widths: 16 and 64 bits are refused by the frame; 8 bits reach only the
 * byte-wide registers; misaligned accesses are refused. */
static void test_widths(void)
{
	setup(1);
	access(0, ISENABLER, 2, true, 1, MMIO_BAD_WIDTH);
	access(0, CTLR, 8, false, 0, MMIO_BAD_WIDTH);
	access(0, ISENABLER + 2, 4, true, 1, MMIO_MISALIGNED);
	WR(0, ISENABLER + 4, 1, 0xff);
	CHECK_EQ(RD(0, ISENABLER + 4, 4), 0);
	CHECK_EQ(RD(0, CTLR, 1), 0);
	WR(0, IPRIORITYR + 33, 1, 0x80);
	CHECK_EQ(RD(0, IPRIORITYR + 32, 4), 0x8000);
}

/* SGIs from two sources to vCPU 0: one list register at a time, each with
 * its source in GICH_LR.CPUID and EOI asked while another source waits. */
static void test_sgi_list_registers(void)
{
	u32 v2;

	setup(3);
	WR(0, CTLR, 4, 1);
	WR(0, ISENABLER, 4, 1u << 2);
	WR(1, SGIR, 4, 1u << 16 | 2);
	WR(2, SGIR, 4, 1u << 16 | 2);
	enter(0);
	v2 = gic_lr_to_v2(fake_lr[0]);
	CHECK_EQ(v2 & 0x3ff, 2);
	CHECK_EQ((v2 >> 10) & 7, 1); /* from vCPU 1 */
	CHECK_EQ((v2 >> 28) & 3, 1); /* pending */
	CHECK_EQ((v2 >> 19) & 1, 1); /* EOI: another source waits */
	CHECK_EQ((v2 >> 30) & 3, 0); /* Group 0, HW 0 */
	CHECK_EQ(fake_lr[1], 0);     /* not twice at once */
	/* The guest acknowledges it: active in the LR. */
	fake_lr[0] = gic_lr_from_v2((v2 & ~(3u << 28)) | 2u << 28);
	vgic_sync_lrs(&vm.vcpus[0]);
	CHECK(priv(0, 2)->active);
	CHECK_EQ(priv(0, 2)->sgi_act_src, 1);
	CHECK_EQ(priv(0, 2)->sgi_src, 4);
	enter(0);
	v2 = gic_lr_to_v2(fake_lr[0]);
	CHECK_EQ((v2 >> 28) & 3, 2); /* still the active one, source 1 */
	CHECK_EQ((v2 >> 10) & 7, 1);
	/* Completed (the LR keeps its ID, State 0): the next source follows. */
	fake_lr[0] = gic_lr_from_v2(gic_lr_to_v2(fake_lr[0]) & ~(3u << 28));
	vgic_sync_lrs(&vm.vcpus[0]);
	CHECK(!priv(0, 2)->active);
	enter(0);
	v2 = gic_lr_to_v2(fake_lr[0]);
	CHECK_EQ((v2 >> 10) & 7, 2);
	CHECK_EQ((v2 >> 28) & 3, 1);
	CHECK_EQ((v2 >> 19) & 1, 0); /* last source: no EOI needed */
	CHECK(!priv(0, 2)->pending);
	/* Not acknowledged before the next exit: the source goes back. */
	vgic_sync_lrs(&vm.vcpus[0]);
	CHECK_EQ(priv(0, 2)->sgi_src, 4);
	CHECK(priv(0, 2)->pending);
}

int main(void)
{
	RUN_TEST(test_reset_and_ids);
	RUN_TEST(test_ctlr_groups);
	RUN_TEST(test_banked_private);
	RUN_TEST(test_sgir_filters);
	RUN_TEST(test_itargets);
	RUN_TEST(test_widths);
	RUN_TEST(test_sgi_list_registers);
	return check_done();
}
