/* Virtual GICv3 distributor and redistributors (vm/vgic*.c), driven through
 * mmio_access_region() as a trapped guest access would be.
 *
 * Register offsets, field positions and ID values are written as literals
 * from Arm IHI 0069H (GICD_*, GICR_* register descriptions) and the Arm ARM
 * (ICC_SGI1R_EL1), not through the implementation's macros, so a wrong macro
 * fails here instead of agreeing with itself.
 *
 * Every access checks that the VM's vgic lock was taken and released, and
 * the fake vcpu_kick() counts kicks made with the lock still held. */
#include "check.h"
#include "vm/vgic.h"
#include "vm/vm.h"

/* tests/host/fake_vgic_env.c */
void fake_kick_reset(void);
unsigned fake_kick_total(void);
unsigned fake_kick_count(u32 id);
u32 fake_kick_mask(void);
unsigned fake_kick_locked(void);
unsigned fake_kick_foreign(void);
struct vcpu *fake_kick_nth(unsigned n);

#define REGION_BASE 0x08000000UL
#define FRAME 0x20000UL /* one vCPU's RD_base + SGI_base */
#define SGI(off) (0x10000UL + (off))

/* GICD / GICR_SGI_base bank registers */
#define IGROUPR 0x080
#define ISENABLER 0x100
#define ICENABLER 0x180
#define ISPENDR 0x200
#define ICPENDR 0x280
#define ISACTIVER 0x300
#define ICACTIVER 0x380
#define IPRIORITYR 0x400
#define ITARGETSR 0x800
#define ICFGR 0xc00
#define IGRPMODR 0xd00
#define NSACR 0xe00
#define IROUTER(n) (0x6000UL + 8 * (n))
#define PIDR2 0xffe8
/* GICR RD_base */
#define GICR_CTLR 0x0
#define GICR_IIDR 0x4
#define GICR_TYPER 0x8
#define GICR_STATUSR 0x10
#define GICR_WAKER 0x14

#define IIDR_VALUE 0xae001000u
#define CTLR_RESET 0x50u /* ARE (bit 4) | DS (bit 6) */
#define CTLR_G1 0x2u	 /* EnableGrp1 */
#define SGI1R_INTID(n) ((u64)(n) << 24)
#define SGI1R_AFF1(a) ((u64)(a) << 16)
#define SGI1R_AFF2(a) ((u64)(a) << 32)
#define SGI1R_IRM (1UL << 40)
#define SGI1R_RS(r) ((u64)(r) << 44)
#define SGI1R_AFF3(a) ((u64)(a) << 48)

static struct vm vm;
static struct vm snap;

static void setup(u32 nr)
{
	memset(&vm, 0, sizeof(vm));
	vm.nr_vcpus = nr;
	for (u32 i = 0; i < MAX_VCPUS_PER_VM; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
	}
	vgic_init(&vm);
	fake_kick_reset();
}

static void take_snap(void)
{
	memcpy(&snap, &vm, sizeof(vm));
}

/* The whole VM, byte for byte, apart from the lock's ticket counters
 * (every access takes the lock; access() checks it was released). */
static bool snap_same(void)
{
	snap.vgic.lock = vm.vgic.lock;
	return memcmp(&snap, &vm, sizeof(vm)) == 0;
}

static bool lock_free(void)
{
	return vm.vgic.lock.next == vm.vgic.lock.owner;
}

/* One access through the generic MMIO path; returns the value read. */
static u64 access(const struct mmio_ops *ops, u64 off, unsigned size, bool write, u64 val)
{
	struct mmio_region r = {
		.base = ipa_init(REGION_BASE), .size = ops->impl_size, .ops = ops, .dev = &vm};
	struct mmio_access acc = {
		.ipa = ipa_init(REGION_BASE + off), .size = (u8)size, .write = write};
	u32 before = vm.vgic.lock.next;
	enum mmio_result res = mmio_access_region(&r, &vm.vcpus[0], &acc, &val);

	CHECK_EQ(res, MMIO_DONE);
	CHECK(lock_free());
	CHECK_EQ(vm.vgic.lock.next, before + 1); /* the lock was taken, once */
	CHECK_EQ(fake_kick_locked(), 0);
	if (res != MMIO_DONE || !lock_free())
		fprintf(stderr, "  (access off 0x%llx size %u)\n", (unsigned long long)off, size);
	return write ? 0 : val;
}

static u64 dread(u64 off, unsigned size)
{
	return access(&vgic_dist_ops, off, size, false, 0);
}

static void dwrite(u64 off, unsigned size, u64 val)
{
	access(&vgic_dist_ops, off, size, true, val);
}

static u32 dread32(u64 off)
{
	return (u32)dread(off, 4);
}

static void dwrite32(u64 off, u32 val)
{
	dwrite(off, 4, val);
}

/* off is within vCPU n's frame pair. */
static u64 rread(u32 n, u64 off, unsigned size)
{
	return access(&vgic_redist_ops, n * FRAME + off, size, false, 0);
}

static void rwrite(u32 n, u64 off, unsigned size, u64 val)
{
	access(&vgic_redist_ops, n * FRAME + off, size, true, val);
}

static struct virq *spi(u32 intid)
{
	return &vm.vgic.spi[intid - 32];
}

static struct virq *priv(u32 n, u32 intid)
{
	return &vm.vcpus[n].vgic.priv[intid];
}

/* ------------------------------------------------------------ reset */

static void test_init_state(void)
{
	memset(&vm, 0x5a, sizeof(vm));
	vm.vgic.lock = (spinlock_t){7, 7};
	vm.vgic.v2 = false; /* configuration (vm_create), kept by vgic_init */
	vm.nr_vcpus = 3;
	for (u32 i = 0; i < MAX_VCPUS_PER_VM; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
	}
	vgic_init(&vm);
	CHECK_EQ(vm.vgic.ctlr, CTLR_RESET);
	CHECK_EQ(vm.vgic.lock.next, 7); /* left alone */
	CHECK_EQ(vm.vgic.lock.owner, 7);
	for (u32 n = 0; n < MAX_VCPUS_PER_VM; n++) {
		const struct vgic_cpu *c = &vm.vcpus[n].vgic;

		CHECK(c->sleeping);
		CHECK_EQ(c->gicr_ctlr, 0);
		CHECK_EQ(c->lr_used, 0);
		for (u32 i = 0; i < VGIC_MAX_LRS; i++)
			CHECK_EQ(c->lr[i], 0);
		for (u32 i = 0; i < 32; i++) {
			const struct virq *q = &c->priv[i];

			CHECK_EQ(q->priority, 0);
			CHECK(!q->enabled && !q->pending && !q->level && !q->active);
			CHECK(!q->hw && !q->in_lr);
			CHECK_EQ(q->hw_intid, 0);
			CHECK_EQ(q->irouter, 0);
			CHECK(q->group1);
			CHECK_EQ(q->edge, i < 16); /* SGIs edge, PPIs level */
		}
	}
	for (u32 i = 32; i < 96; i++) {
		const struct virq *q = spi(i);

		CHECK_EQ(q->priority, 0);
		CHECK(!q->enabled && !q->pending && !q->level && !q->active && !q->edge);
		CHECK(!q->hw && !q->in_lr && q->group1);
		CHECK_EQ(q->irouter, 0);
	}
}

/* ------------------------------------------------------------ distributor */

static void test_gicd_ctlr(void)
{
	struct mmio_region r = {
		.base = ipa_init(REGION_BASE), .size = 0x10000, .ops = &vgic_dist_ops, .dev = &vm};
	struct mmio_access acc = {.ipa = ipa_init(REGION_BASE), .size = 2};
	u64 val = 0x1234;

	setup(2);
	CHECK_EQ(dread32(0x0), CTLR_RESET);
	dwrite32(0x0, 0x13); /* what Linux writes: ARE_NS | EnableGrp1A | EnableGrp1 */
	CHECK_EQ(dread32(0x0), 0x52);
	dwrite32(0x0, 0);
	CHECK_EQ(dread32(0x0), CTLR_RESET); /* ARE and DS stay */
	dwrite32(0x0, 0xffffffff);
	CHECK_EQ(dread32(0x0), 0x52); /* EnableGrp0 RAZ/WI, RWP reads 0 */
	/* Rejected widths: RAZ/WI. */
	CHECK_EQ(dread(0x0, 1), 0);
	CHECK_EQ(dread(0x0, 8), 0);
	dwrite(0x0, 1, 0);
	dwrite(0x0, 8, 0);
	CHECK_EQ(dread32(0x0), 0x52);
	/* 16-bit is refused by the MMIO layer from .widths. */
	CHECK_EQ(mmio_access_region(&r, &vm.vcpus[0], &acc, &val), MMIO_BAD_WIDTH);
	CHECK_EQ(vgic_dist_ops.widths, 0xd); /* 8, 32, 64 */
	CHECK_EQ(vgic_dist_ops.impl_size, 0x10000);
}

static void test_gicd_id_and_info(void)
{
	static const struct {
		u32 off, val;
	} ids[] = {
		{0xffd0, 0x44}, {0xffd4, 0},	{0xffd8, 0},	{0xffdc, 0},
		{0xffe0, 0xae}, {0xffe4, 0xb0}, {0xffe8, 0x3b}, {0xffec, 0},
		{0xfff0, 0x0d}, {0xfff4, 0xf0}, {0xfff8, 0x05}, {0xfffc, 0xb1},
	};
	u32 typer;

	setup(4);
	typer = dread32(0x4);
	CHECK_EQ(typer, 0x01480002);
	CHECK_EQ(((typer & 0x1f) + 1) * 32, VGIC_NR_IRQS); /* ITLinesNumber */
	CHECK_EQ((typer >> 19) & 0x1f, 9);		   /* IDbits: 10 bits */
	CHECK_EQ((typer >> 5) & 0x7, 0);		   /* CPUNumber */
	CHECK_EQ(typer & (1u << 17), 0);		   /* LPIS */
	CHECK_EQ(typer & (1u << 16), 0);		   /* MBIS */
	CHECK_EQ(typer & (1u << 10), 0);		   /* SecurityExtn */
	CHECK_EQ(dread32(0x8), IIDR_VALUE);
	CHECK_EQ(dread32(0xc), 0);  /* TYPER2 */
	CHECK_EQ(dread32(0x10), 0); /* STATUSR */
	for (u32 i = 0; i < ARRAY_SIZE(ids); i++) {
		CHECK_EQ(dread32(ids[i].off), ids[i].val);
		CHECK_EQ(dread(ids[i].off, 1), 0);
	}
	CHECK_EQ((dread32(PIDR2) >> 4) & 0xf, 3); /* ArchRev: GICv3 */
	take_snap();
	dwrite32(0x4, 0);
	dwrite32(0x8, 0);
	dwrite32(0xc, ~0u);
	dwrite32(0x10, ~0u);
	for (u32 i = 0; i < ARRAY_SIZE(ids); i++)
		dwrite32(ids[i].off, 0);
	CHECK(snap_same());
	CHECK_EQ(dread32(0x4), 0x01480002);
	CHECK_EQ(dread32(0x8), IIDR_VALUE);
	CHECK_EQ(dread32(0x10), 0);
	CHECK_EQ(fake_kick_total(), 0);
}

static bool virq_bit(const struct virq *q, u32 bank)
{
	switch (bank) {
	case IGROUPR: return q->group1;
	case ISENABLER: return q->enabled;
	case ISPENDR: return q->pending;
	case ISACTIVER: return q->active;
	}
	return false;
}

/* Set/clear pairs over the SPI registers; the first register (SGIs, PPIs)
 * and those past INTID 95 are RAZ/WI. */
static void test_gicd_bit_banks(void)
{
	static const u32 sets[] = {ISENABLER, ISPENDR, ISACTIVER};
	const u32 pat = 0xa5a50f0f;

	for (u32 b = 0; b < ARRAY_SIZE(sets); b++) {
		u32 set = sets[b], clr = set + 0x80;

		setup(3);
		for (u32 reg = 1; reg <= 2; reg++) {
			dwrite32(set + 4 * reg, pat);
			CHECK_EQ(dread32(set + 4 * reg), pat);
			CHECK_EQ(dread32(clr + 4 * reg), pat);
			for (u32 i = 0; i < 32; i++)
				CHECK_EQ(virq_bit(spi(32 * reg + i), set), (pat >> i) & 1);
			dwrite32(set + 4 * reg, 0); /* zeros do nothing */
			CHECK_EQ(dread32(set + 4 * reg), pat);
			dwrite32(clr + 4 * reg, 0x00000f00);
			CHECK_EQ(dread32(set + 4 * reg), pat & ~0xf00u);
			dwrite32(clr + 4 * reg, 0);
			CHECK_EQ(dread32(clr + 4 * reg), pat & ~0xf00u);
			dwrite32(set + 4 * reg, 0x00000100);
			CHECK_EQ(dread32(set + 4 * reg), (pat & ~0xf00u) | 0x100);
		}
		take_snap();
		for (u32 reg = 0; reg < 32; reg++) {
			if (reg == 1 || reg == 2)
				continue;
			dwrite32(set + 4 * reg, ~0u);
			dwrite32(clr + 4 * reg, ~0u);
			CHECK_EQ(dread32(set + 4 * reg), 0);
			CHECK_EQ(dread32(clr + 4 * reg), 0);
		}
		CHECK(snap_same()); /* nothing private or past 95 changed */
	}

	/* IGROUPR: plain read/write, group 1 at reset. */
	setup(2);
	CHECK_EQ(dread32(IGROUPR + 4), 0xffffffff);
	CHECK_EQ(dread32(IGROUPR + 8), 0xffffffff);
	dwrite32(IGROUPR + 4, 0);
	CHECK_EQ(dread32(IGROUPR + 4), 0);
	dwrite32(IGROUPR + 4, pat);
	CHECK_EQ(dread32(IGROUPR + 4), pat);
	for (u32 i = 0; i < 32; i++)
		CHECK_EQ(spi(32 + i)->group1, (pat >> i) & 1);
	CHECK_EQ(dread32(IGROUPR), 0); /* SGIs/PPIs: the redistributor's */
	CHECK_EQ(dread32(IGROUPR + 12), 0);
	take_snap();
	dwrite32(IGROUPR, 0);
	dwrite32(IGROUPR + 12, ~0u);
	dwrite32(IGROUPR + 0x7c, ~0u);
	CHECK(snap_same());
	CHECK_EQ(fake_kick_total(), 0);
}

/* ISPENDR/ICPENDR on level-sensitive and edge-triggered interrupts. */
static void test_gicd_pending_level(void)
{
	setup(2);
	vgic_set_level(&vm, NULL, 40, true);
	CHECK_EQ(dread32(ISPENDR + 4), 1u << 8);
	CHECK_EQ(dread32(ICPENDR + 4), 1u << 8);
	dwrite32(ICPENDR + 4, 1u << 8); /* line still high: still pending */
	CHECK_EQ(dread32(ISPENDR + 4), 1u << 8);
	vgic_set_level(&vm, NULL, 40, false);
	CHECK_EQ(dread32(ISPENDR + 4), 0);
	dwrite32(ISPENDR + 4, 1u << 8); /* latched with the line low */
	CHECK_EQ(dread32(ISPENDR + 4), 1u << 8);
	vgic_set_level(&vm, NULL, 40, false);
	CHECK_EQ(dread32(ISPENDR + 4), 1u << 8);
	dwrite32(ICPENDR + 4, 1u << 8);
	CHECK_EQ(dread32(ISPENDR + 4), 0);

	/* Edge: a rising edge latches, the line going low does not clear. */
	dwrite32(ICFGR + 8, 2u << 18); /* INTID 41 edge */
	vgic_set_level(&vm, NULL, 41, true);
	CHECK_EQ(dread32(ISPENDR + 4), 1u << 9);
	vgic_set_level(&vm, NULL, 41, false);
	CHECK_EQ(dread32(ISPENDR + 4), 1u << 9);
	dwrite32(ICPENDR + 4, 1u << 9);
	CHECK_EQ(dread32(ISPENDR + 4), 0);
	vgic_set_level(&vm, NULL, 41, true);
	dwrite32(ICPENDR + 4, 1u << 9);
	vgic_set_level(&vm, NULL, 41, true); /* no new edge while high */
	CHECK_EQ(dread32(ISPENDR + 4), 0);
	CHECK(!spi(41)->pending);
}

static void test_gicd_priority(void)
{
	setup(2);
	dwrite32(IPRIORITYR + 32, 0xffffffff);
	CHECK_EQ(dread32(IPRIORITYR + 32), 0xf8f8f8f8);
	for (u32 i = 32; i < 36; i++)
		CHECK_EQ(spi(i)->priority, 0xf8);
	dwrite(IPRIORITYR + 37, 1, 0x17);
	CHECK_EQ(dread(IPRIORITYR + 37, 1), 0x10);
	CHECK_EQ(dread32(IPRIORITYR + 36), 0x00001000);
	dwrite32(IPRIORITYR + 92, 0x12345678);
	CHECK_EQ(dread32(IPRIORITYR + 92), 0x10305078);
	for (u32 i = 0; i < 4; i++)
		CHECK_EQ(dread(IPRIORITYR + 92 + i, 1), (0x10305078u >> (8 * i)) & 0xff);
	for (u32 v = 0; v < 256; v++) {
		dwrite(IPRIORITYR + 64, 1, v);
		CHECK_EQ(dread(IPRIORITYR + 64, 1), v & 0xf8);
		CHECK_EQ(spi(64)->priority, v & 0xf8);
	}
	/* 64-bit: rejected. */
	CHECK_EQ(dread(IPRIORITYR + 32, 8), 0);
	dwrite(IPRIORITYR + 40, 8, ~0UL);
	CHECK_EQ(dread32(IPRIORITYR + 40), 0);
	/* IPRIORITYR0-7 (SGIs, PPIs) and INTIDs 96 up: RAZ/WI. */
	take_snap();
	for (u32 off = 0; off < 32; off += 4) {
		dwrite32(IPRIORITYR + off, ~0u);
		dwrite(IPRIORITYR + off + 1, 1, 0xff);
		CHECK_EQ(dread32(IPRIORITYR + off), 0);
		CHECK_EQ(dread(IPRIORITYR + off + 3, 1), 0);
	}
	for (u32 off = 96; off < 0x400; off += 4) {
		dwrite32(IPRIORITYR + off, ~0u);
		dwrite(IPRIORITYR + off + 2, 1, 0xff);
		CHECK_EQ(dread32(IPRIORITYR + off), 0);
	}
	CHECK(snap_same());
	CHECK_EQ(dread(0x7ff, 1), 0);
}

static void test_gicd_icfgr(void)
{
	setup(2);
	CHECK_EQ(dread32(ICFGR + 8), 0); /* SPIs level at reset */
	dwrite32(ICFGR + 8, 0xffffffff);
	CHECK_EQ(dread32(ICFGR + 8), 0xaaaaaaaa); /* Int_config[0] RES0 */
	for (u32 i = 32; i < 48; i++)
		CHECK(spi(i)->edge);
	CHECK(!spi(48)->edge);
	dwrite32(ICFGR + 8, 0x55555555);
	CHECK_EQ(dread32(ICFGR + 8), 0);
	dwrite32(ICFGR + 20, 0x80000002); /* INTIDs 80-95: 80 and 95 edge */
	CHECK_EQ(dread32(ICFGR + 20), 0x80000002);
	CHECK(spi(80)->edge && spi(95)->edge && !spi(81)->edge);
	take_snap();
	dwrite32(ICFGR, 0);	     /* SGIs: the redistributor's */
	dwrite32(ICFGR + 4, ~0u);    /* PPIs */
	dwrite32(ICFGR + 24, ~0u);   /* INTIDs 96-111 */
	dwrite32(ICFGR + 0xfc, ~0u); /* the last */
	CHECK(snap_same());
	CHECK_EQ(dread32(ICFGR), 0);
	CHECK_EQ(dread32(ICFGR + 4), 0);
	CHECK_EQ(dread32(ICFGR + 24), 0);
	CHECK_EQ(dread(ICFGR + 8, 1), 0);
	dwrite(ICFGR + 8, 1, 0xff);
	CHECK(snap_same());
}

/* Registers with nothing behind them once affinity routing is on, or
 * without LPIs, MBIs or Group 0: all reads 0, every write ignored. */
static void test_gicd_raz_wi(void)
{
	static const u32 offs[] = {
		0x14,
		0x40,
		0x48,
		0x50,
		0x58,
		0x7c, /* reserved, SETSPI/CLRSPI */
		ITARGETSR,
		ITARGETSR + 0x20,
		ITARGETSR + 0x3f8, /* ITARGETSR */
		IGRPMODR,
		IGRPMODR + 4,
		IGRPMODR + 8,
		IGRPMODR + 0x7c,
		NSACR,
		NSACR + 8,
		NSACR + 0xfc,
		0xf00,
		0xf10,
		0xf1c,
		0xf20,
		0xf2c, /* SGIR, CPENDSGIR, SPENDSGIR */
		0xf80,
		0x1000,
		0x2000,
		0x5ffc,
		0x7fe0,
		0xc000,
		0xffcc,
	};

	setup(3);
	dwrite32(0x0, CTLR_G1);
	dwrite32(ISENABLER + 4, ~0u);
	take_snap();
	for (u32 i = 0; i < ARRAY_SIZE(offs); i++) {
		dwrite32(offs[i], ~0u);
		dwrite(offs[i], 1, 0xff);
		CHECK_EQ(dread32(offs[i]), 0);
		CHECK_EQ(dread(offs[i], 1), 0);
		if (!(offs[i] & 7)) {
			dwrite(offs[i], 8, ~0UL);
			CHECK_EQ(dread(offs[i], 8), 0);
		}
	}
	CHECK(snap_same());
	CHECK_EQ(fake_kick_total(), 0);
}

static void test_gicd_irouter(void)
{
	setup(3);
	dwrite(IROUTER(32), 8, ~0UL);
	CHECK_EQ(dread(IROUTER(32), 8), 0x000000ff80ffffffUL); /* RES0 bits dropped */
	CHECK_EQ(spi(32)->irouter, 0x000000ff80ffffffUL);
	CHECK_EQ(dread32(IROUTER(32)), 0x80ffffff);
	CHECK_EQ(dread32(IROUTER(32) + 4), 0xff);
	dwrite32(IROUTER(32), 2);
	CHECK_EQ(dread(IROUTER(32), 8), 0x000000ff00000002UL);
	dwrite32(IROUTER(32) + 4, 0);
	CHECK_EQ(dread(IROUTER(32), 8), 2);
	dwrite32(IROUTER(32) + 4, 0xffffffff);
	CHECK_EQ(dread(IROUTER(32), 8), 0x000000ff00000002UL);
	dwrite(IROUTER(95), 8, 0x0102030405UL);
	CHECK_EQ(dread(IROUTER(95), 8), 0x0102030405UL & 0xff80ffffffUL);
	CHECK_EQ(spi(95)->irouter, 0x0100030405UL);
	/* 8-bit: rejected. */
	CHECK_EQ(dread(IROUTER(95), 1), 0);
	dwrite(IROUTER(95), 1, 0);
	CHECK_EQ(spi(95)->irouter, 0x0100030405UL);
	/* IROUTER<0-31> reserved, and nothing from INTID 96. */
	take_snap();
	for (u32 n = 0; n < 32; n++) {
		dwrite(IROUTER(n), 8, 1);
		dwrite32(IROUTER(n) + 4, 1);
		CHECK_EQ(dread(IROUTER(n), 8), 0);
	}
	for (u32 n = 96; n < 1020; n += 7) {
		dwrite(IROUTER(n), 8, 1);
		CHECK_EQ(dread(IROUTER(n), 8), 0);
	}
	CHECK(snap_same());
	for (u32 n = 0; n < MAX_VCPUS_PER_VM; n++)
		for (u32 i = 0; i < 32; i++)
			CHECK_EQ(priv(n, i)->irouter, 0);
}

static void test_irouter_targets(void)
{
	static const struct {
		u64 irouter;
		int target;
	} t[] = {
		{0, 0},
		{1, 1},
		{2, 2},
		{3, -1}, /* no vCPU 3 */
		{0xff, -1},
		{0x100, -1},	     /* Aff1 = 1 */
		{0x10000, -1},	     /* Aff2 = 1 */
		{0x100000000UL, -1}, /* Aff3 = 1 */
		{0x101, -1},
		{0x80000000UL, 0}, /* IRM: vCPU 0 */
		{0x80000002UL, 0},
		{0x80000100UL, 0},
	};

	setup(3);
	for (u32 i = 0; i < ARRAY_SIZE(t); i++) {
		struct vcpu *v;

		dwrite(IROUTER(50), 8, t[i].irouter);
		v = vgic_target(&vm, NULL, 50);
		CHECK(v == (t[i].target < 0 ? NULL : &vm.vcpus[t[i].target]));
		if (v != (t[i].target < 0 ? NULL : &vm.vcpus[t[i].target]))
			fprintf(stderr, "  (irouter 0x%llx)\n", (unsigned long long)t[i].irouter);
	}
	/* Private interrupts go to the vCPU asked about, SPIs ignore it. */
	CHECK(vgic_target(&vm, &vm.vcpus[2], 16) == &vm.vcpus[2]);
	CHECK(vgic_target(&vm, &vm.vcpus[1], 0) == &vm.vcpus[1]);
	CHECK(vgic_target(&vm, NULL, 16) == NULL);
	CHECK(vgic_target(&vm, &vm.vcpus[3], 16) == NULL); /* not a vCPU of the VM */
	dwrite(IROUTER(33), 8, 1);
	CHECK(vgic_target(&vm, &vm.vcpus[2], 33) == &vm.vcpus[1]);
	CHECK(vgic_target(&vm, NULL, 96) == NULL);
	CHECK(vgic_target(&vm, NULL, 1023) == NULL);
}

/* ------------------------------------------------------------ redistributors */

static void test_gicr_typer(void)
{
	for (u32 nr = 1; nr <= 4; nr++) {
		setup(nr);
		for (u32 n = 0; n < nr; n++) {
			u64 want = ((u64)n << 32) | ((u64)n << 8) | (n == nr - 1 ? 0x10 : 0);

			CHECK_EQ(rread(n, GICR_TYPER, 8), want);
			CHECK_EQ(rread(n, GICR_TYPER, 4), want & 0xffffffff);
			CHECK_EQ(rread(n, GICR_TYPER + 4, 4), want >> 32);
			CHECK_EQ(rread(n, GICR_TYPER, 1), 0);
			CHECK_EQ(rread(n, GICR_TYPER, 4) & 1, 0); /* no PLPIS */
			rwrite(n, GICR_TYPER, 8, 0);
			rwrite(n, GICR_TYPER, 4, 0);
			rwrite(n, GICR_TYPER + 4, 4, 0);
			CHECK_EQ(rread(n, GICR_TYPER, 8), want);
		}
	}
	CHECK_EQ(vgic_redist_ops.widths, 0xd);
	CHECK_EQ(vgic_redist_ops.impl_size, MAX_VCPUS_PER_VM * 0x20000UL);
}

static void test_gicr_rd_regs(void)
{
	setup(3);
	for (u32 n = 0; n < 3; n++) {
		CHECK_EQ(rread(n, GICR_IIDR, 4), IIDR_VALUE);
		CHECK_EQ(rread(n, PIDR2, 4), 0x3b);
		CHECK_EQ(rread(n, 0xffe0, 4), 0xae);
		CHECK_EQ(rread(n, 0xfffc, 4), 0xb1);
		CHECK_EQ(rread(n, GICR_WAKER, 4), 0x6); /* asleep at reset */
	}
	rwrite(1, GICR_WAKER, 4, 0); /* what Linux does to wake it */
	CHECK_EQ(rread(1, GICR_WAKER, 4), 0);
	CHECK(!vm.vcpus[1].vgic.sleeping);
	CHECK_EQ(rread(0, GICR_WAKER, 4), 0x6);
	CHECK_EQ(rread(2, GICR_WAKER, 4), 0x6);
	rwrite(1, GICR_WAKER, 4, 0x4); /* ChildrenAsleep is read-only */
	CHECK_EQ(rread(1, GICR_WAKER, 4), 0);
	rwrite(1, GICR_WAKER, 4, 0x2);
	CHECK_EQ(rread(1, GICR_WAKER, 4), 0x6);
	rwrite(1, GICR_WAKER, 4, 0x1);
	CHECK_EQ(rread(1, GICR_WAKER, 4), 0);
	rwrite(1, GICR_WAKER, 4, 0xffffffff);
	CHECK_EQ(rread(1, GICR_WAKER, 4), 0x6);
	CHECK_EQ(rread(1, GICR_WAKER, 1), 0);
	rwrite(1, GICR_WAKER, 1, 0);
	CHECK(vm.vcpus[1].vgic.sleeping);
	/* No LPIs: CTLR, STATUSR, PROPBASER, PENDBASER, SYNCR RAZ/WI. */
	take_snap();
	rwrite(2, GICR_CTLR, 4, ~0u);
	rwrite(2, GICR_STATUSR, 4, ~0u);
	rwrite(2, GICR_IIDR, 4, 0);
	rwrite(2, PIDR2, 4, 0);
	rwrite(2, 0x70, 8, ~0UL);
	rwrite(2, 0x78, 8, ~0UL);
	CHECK(snap_same());
	CHECK_EQ(rread(2, GICR_CTLR, 4), 0);
	CHECK_EQ(rread(2, GICR_STATUSR, 4), 0);
	CHECK_EQ(rread(2, 0x70, 8), 0);
	CHECK_EQ(rread(2, 0x78, 8), 0);
	CHECK_EQ(rread(2, 0xc0, 4), 0);
	CHECK_EQ(rread(2, SGI(PIDR2), 4), 0); /* ID registers only in RD_base */
	CHECK_EQ(rread(2, GICR_IIDR, 4), IIDR_VALUE);
}

static void test_gicr_sgi_banks(void)
{
	static const u32 sets[] = {ISENABLER, ISPENDR, ISACTIVER};
	const u32 pat = 0x0801f00d;

	for (u32 b = 0; b < ARRAY_SIZE(sets); b++) {
		u32 set = sets[b], clr = set + 0x80;

		setup(3);
		rwrite(1, SGI(set), 4, pat);
		CHECK_EQ(rread(1, SGI(set), 4), pat);
		CHECK_EQ(rread(1, SGI(clr), 4), pat);
		CHECK_EQ(rread(0, SGI(set), 4), 0);
		CHECK_EQ(rread(2, SGI(set), 4), 0);
		CHECK_EQ(dread32(set), 0);
		for (u32 i = 0; i < 32; i++) {
			CHECK_EQ(virq_bit(priv(1, i), set), (pat >> i) & 1);
			CHECK(!virq_bit(priv(0, i), set) && !virq_bit(priv(2, i), set));
		}
		rwrite(1, SGI(clr), 4, 0x0000f000);
		CHECK_EQ(rread(1, SGI(set), 4), pat & ~0xf000u);
		rwrite(1, SGI(set), 4, 0);
		CHECK_EQ(rread(1, SGI(set), 4), pat & ~0xf000u);
		take_snap();
		rwrite(1, SGI(set + 4), 4, ~0u); /* extended PPI range */
		rwrite(1, SGI(clr + 4), 4, ~0u);
		rwrite(1, SGI(set + 0x7c), 4, ~0u);
		rwrite(1, SGI(set), 1, 0xff); /* rejected width */
		rwrite(1, SGI(set), 8, ~0UL);
		CHECK(snap_same());
		CHECK_EQ(rread(1, SGI(set + 4), 4), 0);
		CHECK_EQ(rread(1, SGI(set), 1), 0);
		CHECK_EQ(rread(1, SGI(set), 8), 0);
	}
	setup(2);
	CHECK_EQ(rread(1, SGI(IGROUPR), 4), 0xffffffff);
	rwrite(1, SGI(IGROUPR), 4, 0x0000ffff);
	CHECK_EQ(rread(1, SGI(IGROUPR), 4), 0x0000ffff);
	CHECK_EQ(rread(0, SGI(IGROUPR), 4), 0xffffffff);
	CHECK(!priv(1, 16)->group1 && priv(1, 15)->group1);
	CHECK_EQ(rread(1, SGI(IGROUPR + 4), 4), 0);
}

static void test_gicr_priority_cfg(void)
{
	setup(3);
	rwrite(2, SGI(IPRIORITYR), 4, 0xffffffff);
	CHECK_EQ(rread(2, SGI(IPRIORITYR), 4), 0xf8f8f8f8);
	rwrite(2, SGI(IPRIORITYR + 27), 1, 0xa7); /* the virtual timer PPI */
	CHECK_EQ(rread(2, SGI(IPRIORITYR + 27), 1), 0xa0);
	CHECK_EQ(rread(2, SGI(IPRIORITYR + 24), 4), 0xa0000000);
	CHECK_EQ(priv(2, 27)->priority, 0xa0);
	CHECK_EQ(priv(1, 27)->priority, 0);
	rwrite(2, SGI(IPRIORITYR + 0x1c), 4, 0x0f0f0f0f);
	CHECK_EQ(rread(2, SGI(IPRIORITYR + 0x1c), 4), 0x08080808);
	CHECK_EQ(rread(2, SGI(IPRIORITYR), 8), 0);
	take_snap();
	rwrite(2, SGI(IPRIORITYR), 8, 0);
	rwrite(2, SGI(IPRIORITYR + 0x20), 4, ~0u); /* extended PPIs */
	rwrite(2, SGI(IPRIORITYR + 0x20), 1, 0xff);
	rwrite(2, SGI(ICFGR), 4, 0);	   /* SGIs: always edge */
	rwrite(2, SGI(ICFGR + 4), 4, ~0u); /* PPIs: always level */
	rwrite(2, SGI(ICFGR + 8), 4, ~0u);
	rwrite(2, SGI(IGRPMODR), 4, ~0u);
	rwrite(2, SGI(NSACR), 4, ~0u);
	CHECK(snap_same());
	CHECK_EQ(rread(2, SGI(IPRIORITYR + 0x20), 4), 0);
	CHECK_EQ(rread(2, SGI(ICFGR), 4), 0xaaaaaaaa);
	CHECK_EQ(rread(2, SGI(ICFGR + 4), 4), 0);
	CHECK_EQ(rread(2, SGI(ICFGR + 8), 4), 0);
	CHECK_EQ(rread(2, SGI(ICFGR), 1), 0);
	CHECK_EQ(rread(2, SGI(IGRPMODR), 4), 0);
	CHECK_EQ(rread(2, SGI(NSACR), 4), 0);
}

/* Frames past the last vCPU (inside impl_size, outside the VM's region):
 * RAZ/WI even when called directly. */
static void test_gicr_absent_frames(void)
{
	setup(2);
	take_snap();
	for (u32 n = 2; n < MAX_VCPUS_PER_VM; n++) {
		u64 base = n * FRAME;

		CHECK_EQ(vgic_redist_ops.read(&vm, &vm.vcpus[0], base + GICR_TYPER, 8), 0);
		CHECK_EQ(vgic_redist_ops.read(&vm, &vm.vcpus[0], base + GICR_WAKER, 4), 0);
		CHECK_EQ(vgic_redist_ops.read(&vm, &vm.vcpus[0], base + PIDR2, 4), 0);
		vgic_redist_ops.write(&vm, &vm.vcpus[0], base + GICR_WAKER, 4, 0);
		vgic_redist_ops.write(&vm, &vm.vcpus[0], base + SGI(ISENABLER), 4, ~0u);
		vgic_redist_ops.write(&vm, &vm.vcpus[0], base + SGI(ISPENDR), 4, ~0u);
	}
	CHECK(snap_same());
	CHECK(lock_free());
	CHECK_EQ(rread(1, GICR_TYPER, 8), (1UL << 32) | (1UL << 8) | 0x10);
}

/* ------------------------------------------------------------ widths */

#define W1 1
#define W4 4
#define W8 8

struct reg {
	const char *name;
	bool redist;
	u32 off;
	u8 sizes; /* accepted access sizes, bytes OR-ed */
};

/* Every implemented register, each reading non-zero in the state that
 * fill_all() leaves. */
static const struct reg regs[] = {
	{"GICD_CTLR", 0, 0x0, W4},
	{"GICD_TYPER", 0, 0x4, W4},
	{"GICD_IIDR", 0, 0x8, W4},
	{"GICD_IGROUPR1", 0, IGROUPR + 4, W4},
	{"GICD_ISENABLER1", 0, ISENABLER + 4, W4},
	{"GICD_ICENABLER2", 0, ICENABLER + 8, W4},
	{"GICD_ISPENDR1", 0, ISPENDR + 4, W4},
	{"GICD_ICPENDR2", 0, ICPENDR + 8, W4},
	{"GICD_ISACTIVER1", 0, ISACTIVER + 4, W4},
	{"GICD_ICACTIVER2", 0, ICACTIVER + 8, W4},
	{"GICD_IPRIORITYR8", 0, IPRIORITYR + 32, W1 | W4},
	{"GICD_IPRIORITYR23", 0, IPRIORITYR + 92, W1 | W4},
	{"GICD_ICFGR2", 0, ICFGR + 8, W4},
	{"GICD_ICFGR5", 0, ICFGR + 20, W4},
	{"GICD_IROUTER32", 0, IROUTER(32), W4 | W8},
	{"GICD_IROUTER32 high", 0, IROUTER(32) + 4, W4},
	{"GICD_IROUTER95", 0, IROUTER(95), W4 | W8},
	{"GICD_PIDR2", 0, PIDR2, W4},
	{"GICD_PIDR4", 0, 0xffd0, W4},
	{"GICD_CIDR3", 0, 0xfffc, W4},
	{"GICR_IIDR", 1, GICR_IIDR, W4},
	{"GICR_TYPER", 1, GICR_TYPER, W4 | W8},
	{"GICR_TYPER high", 1, GICR_TYPER + 4, W4},
	{"GICR_WAKER", 1, GICR_WAKER, W4},
	{"GICR_PIDR2", 1, PIDR2, W4},
	{"GICR_IGROUPR0", 1, SGI(IGROUPR), W4},
	{"GICR_ISENABLER0", 1, SGI(ISENABLER), W4},
	{"GICR_ICENABLER0", 1, SGI(ICENABLER), W4},
	{"GICR_ISPENDR0", 1, SGI(ISPENDR), W4},
	{"GICR_ICPENDR0", 1, SGI(ICPENDR), W4},
	{"GICR_ISACTIVER0", 1, SGI(ISACTIVER), W4},
	{"GICR_ICACTIVER0", 1, SGI(ICACTIVER), W4},
	{"GICR_IPRIORITYR0", 1, SGI(IPRIORITYR), W1 | W4},
	{"GICR_IPRIORITYR7", 1, SGI(IPRIORITYR + 28), W1 | W4},
	{"GICR_ICFGR0", 1, SGI(ICFGR), W4},
};

/* Every SPI and every private interrupt of vCPU 1 non-zero everywhere. */
static void fill_all(void)
{
	setup(3);
	dwrite32(0x0, CTLR_G1);
	for (u32 reg = 1; reg <= 2; reg++) {
		dwrite32(ISENABLER + 4 * reg, ~0u);
		dwrite32(ISPENDR + 4 * reg, ~0u);
		dwrite32(ISACTIVER + 4 * reg, ~0u);
	}
	for (u32 i = 32; i < 96; i += 4)
		dwrite32(IPRIORITYR + i, ~0u);
	for (u32 i = 2; i < 6; i++)
		dwrite32(ICFGR + 4 * i, ~0u);
	for (u32 i = 32; i < 96; i++)
		dwrite(IROUTER(i), 8, 0x100000001UL | (1UL << 31));
	rwrite(1, SGI(ISENABLER), 4, ~0u);
	rwrite(1, SGI(ISPENDR), 4, ~0u);
	rwrite(1, SGI(ISACTIVER), 4, ~0u);
	for (u32 i = 0; i < 32; i += 4)
		rwrite(1, SGI(IPRIORITYR + i), 4, ~0u);
	fake_kick_reset();
}

static u64 reg_read(const struct reg *r, u32 delta, unsigned size)
{
	return r->redist ? rread(1, r->off + delta, size) : dread(r->off + delta, size);
}

static void reg_write(const struct reg *r, u32 delta, unsigned size, u64 val)
{
	if (r->redist)
		rwrite(1, r->off + delta, size, val);
	else
		dwrite(r->off + delta, size, val);
}

/* Accepted sizes read the register; every other size (and a byte inside a
 * word-only register) reads 0 and writes nothing. */
static void test_every_register_every_width(void)
{
	static const unsigned sizes[] = {1, 4, 8};

	fill_all();
	for (u32 i = 0; i < ARRAY_SIZE(regs); i++) {
		const struct reg *r = &regs[i];

		for (u32 s = 0; s < ARRAY_SIZE(sizes); s++) {
			unsigned size = sizes[s];
			bool ok = r->sizes & size;

			if (r->off % size)
				continue;
			take_snap();
			if (ok) {
				CHECK(reg_read(r, 0, size) != 0);
				if (!reg_read(r, 0, size))
					fprintf(stderr, "  (%s size %u read 0)\n", r->name, size);
				continue;
			}
			CHECK_EQ(reg_read(r, 0, size), 0);
			reg_write(r, 0, size, 0);
			reg_write(r, 0, size, ~0UL);
			CHECK(snap_same());
			if (!snap_same())
				fprintf(stderr, "  (%s size %u wrote)\n", r->name, size);
		}
		if (!(r->sizes & W1)) {
			for (u32 d = 1; d < 4; d++) {
				take_snap();
				CHECK_EQ(reg_read(r, d, 1), 0);
				reg_write(r, d, 1, 0);
				CHECK(snap_same());
			}
		}
	}
	CHECK_EQ(fake_kick_total(), 0);
}

/* A byte write to IPRIORITYR touches exactly one interrupt. */
static void test_byte_priority_isolated(void)
{
	setup(2);
	for (u32 i = 32; i < 96; i++) {
		dwrite(IPRIORITYR + i, 1, 0xff);
		for (u32 j = 32; j < 96; j++)
			CHECK_EQ(spi(j)->priority, j <= i ? 0xf8 : 0);
	}
	for (u32 i = 0; i < 32; i++) {
		rwrite(1, SGI(IPRIORITYR + i), 1, 0x80);
		for (u32 j = 0; j < 32; j++) {
			CHECK_EQ(priv(1, j)->priority, j <= i ? 0x80 : 0);
			CHECK_EQ(priv(0, j)->priority, 0);
		}
	}
}

/* ------------------------------------------------------------ model */

static void test_deliverable_truth_table(void)
{
	setup(2);
	for (u32 m = 0; m < 256; m++) {
		bool g1 = m & 1, grp = m & 2, en = m & 4, pend = m & 8;
		bool lvl = m & 16, edge = m & 32, inlr = m & 64, act = m & 128;
		struct virq q = {.group1 = grp,
				 .enabled = en,
				 .pending = pend,
				 .level = lvl,
				 .edge = edge,
				 .in_lr = inlr,
				 .active = act,
				 .priority = 0xf8};
		bool pstate = pend || (lvl && !edge);

		vm.vgic.ctlr = CTLR_RESET | (g1 ? CTLR_G1 : 0);
		CHECK_EQ(vgic_irq_deliverable(&vm, &q), g1 && grp && en && pstate && !inlr);
	}
	/* Some rows spelled out. */
	{
		struct virq q = {.group1 = true, .enabled = true, .level = true, .edge = true};

		vm.vgic.ctlr = CTLR_RESET | CTLR_G1;
		CHECK(!vgic_irq_deliverable(&vm, &q)); /* a high line is not an edge */
		q.edge = false;
		CHECK(vgic_irq_deliverable(&vm, &q));
		q.active = true;
		CHECK(vgic_irq_deliverable(&vm, &q)); /* pending and active */
		q.in_lr = true;
		CHECK(!vgic_irq_deliverable(&vm, &q));
		q.in_lr = false;
		q.group1 = false;
		CHECK(!vgic_irq_deliverable(&vm, &q)); /* Group 0 never */
		q.group1 = true;
		vm.vgic.ctlr = CTLR_RESET;
		CHECK(!vgic_irq_deliverable(&vm, &q));
	}
}

static void test_get_irq(void)
{
	static struct vm other;

	setup(3);
	CHECK(vgic_get_irq(&vm, NULL, 5) == NULL);
	CHECK(vgic_get_irq(&vm, &vm.vcpus[1], 5) == priv(1, 5));
	CHECK(vgic_get_irq(&vm, &vm.vcpus[2], 31) == priv(2, 31));
	CHECK(vgic_get_irq(&vm, &vm.vcpus[3], 5) == NULL); /* not one of the VM's */
	CHECK(vgic_get_irq(&vm, &vm.vcpus[1], 32) == spi(32));
	CHECK(vgic_get_irq(&vm, NULL, 95) == spi(95));
	CHECK(vgic_get_irq(&vm, NULL, 96) == NULL);
	CHECK(vgic_get_irq(&vm, NULL, 1023) == NULL);
	CHECK(vgic_get_irq(&vm, NULL, 0xffffffffu) == NULL);
	memset(&other, 0, sizeof(other));
	other.nr_vcpus = 3;
	other.vcpus[1].vm = &other;
	other.vcpus[1].id = 1;
	CHECK(vgic_get_irq(&vm, &other.vcpus[1], 5) == NULL);
	CHECK(vgic_target(&vm, &other.vcpus[1], 5) == NULL);
	vgic_set_level(&vm, &other.vcpus[1], 20, true);
	vgic_inject_edge(&vm, &other.vcpus[1], 3);
	CHECK(!other.vcpus[1].vgic.priv[20].level);
	CHECK(!other.vcpus[1].vgic.priv[3].pending);
}

/* ------------------------------------------------------------ kicks */

static void test_set_level_kicks(void)
{
	setup(3);
	dwrite32(0x0, CTLR_G1);
	dwrite32(ISENABLER + 4, 1u << 8); /* INTID 40 */
	dwrite(IROUTER(40), 8, 1);
	fake_kick_reset();
	vgic_set_level(&vm, NULL, 40, true);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(1), 1);
	CHECK(fake_kick_nth(0) == &vm.vcpus[1]);
	vgic_set_level(&vm, NULL, 40, true); /* already deliverable */
	vgic_set_level(&vm, NULL, 40, false);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[1]));

	/* Disabled: no kick; enabling it is what makes it deliverable. */
	vgic_set_level(&vm, NULL, 41, true);
	CHECK_EQ(fake_kick_total(), 1);
	dwrite32(ISENABLER + 4, 1u << 9);
	CHECK_EQ(fake_kick_total(), 2);
	CHECK_EQ(fake_kick_count(0), 1); /* IROUTER 0 */

	/* Routed to nobody: no kick until IROUTER names a vCPU. */
	dwrite(IROUTER(42), 8, 5);
	dwrite32(ISENABLER + 4, 1u << 10);
	fake_kick_reset();
	vgic_set_level(&vm, NULL, 42, true);
	CHECK_EQ(fake_kick_total(), 0);
	dwrite(IROUTER(42), 8, 2);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(2), 1);
	dwrite(IROUTER(42), 8, 2); /* same target: nothing new */
	CHECK_EQ(fake_kick_total(), 1);
	dwrite32(IROUTER(42), 0); /* moved to vCPU 0 */
	CHECK_EQ(fake_kick_count(0), 1);
	CHECK_EQ(fake_kick_total(), 2);

	/* A PPI: the virtual timer of vCPU 2. */
	fake_kick_reset();
	rwrite(2, SGI(ISENABLER), 4, 1u << 27);
	vgic_set_level(&vm, &vm.vcpus[2], 27, true);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(2), 1);
	CHECK(priv(2, 27)->level && !priv(1, 27)->level);

	/* Out of range, or a private INTID without a vCPU: nothing. */
	fake_kick_reset();
	take_snap();
	vgic_set_level(&vm, NULL, 96, true);
	vgic_set_level(&vm, NULL, 27, true);
	vgic_set_level(&vm, NULL, 0xffffffffu, true);
	vgic_inject_edge(&vm, NULL, 1020);
	vgic_inject_edge(&vm, NULL, 3);
	CHECK_EQ(vm.vgic.lock.next, snap.vgic.lock.next + 5);
	CHECK(snap_same());
	CHECK_EQ(fake_kick_total(), 0);
	CHECK_EQ(fake_kick_locked(), 0);
	CHECK(lock_free());
}

static void test_distributor_enable_kicks(void)
{
	setup(4);
	dwrite32(ISENABLER + 4, ~0u);
	dwrite(IROUTER(33), 8, 1);
	dwrite(IROUTER(34), 8, 1);
	dwrite(IROUTER(35), 8, 3);
	vgic_set_level(&vm, NULL, 33, true);
	vgic_set_level(&vm, NULL, 34, true);
	vgic_inject_edge(&vm, NULL, 35);
	rwrite(2, SGI(ISENABLER), 4, 1u << 5);
	vgic_inject_edge(&vm, &vm.vcpus[2], 5);
	CHECK_EQ(fake_kick_total(), 0); /* EnableGrp1 still 0 */
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[1]));
	dwrite32(0x0, CTLR_G1);
	CHECK_EQ(fake_kick_total(), 3); /* once per vCPU */
	CHECK_EQ(fake_kick_mask(), 0xe);
	CHECK_EQ(fake_kick_count(1), 1);
	dwrite32(0x0, CTLR_G1 | 0x10); /* no change */
	CHECK_EQ(fake_kick_total(), 3);
	dwrite32(0x0, 0); /* nothing is in a list register: no kick */
	CHECK_EQ(fake_kick_total(), 3);
	CHECK_EQ(fake_kick_locked(), 0);
}

static void test_mmio_kicks(void)
{
	setup(3);
	dwrite32(0x0, CTLR_G1);
	dwrite(IROUTER(36), 8, 1);
	dwrite(IROUTER(37), 8, 1);
	dwrite(IROUTER(38), 8, 1);
	dwrite(IROUTER(39), 8, 2);
	/* Pending first, then one ISENABLER write enables four: one kick each
	 * for vCPU 1 and vCPU 2. */
	dwrite32(ISPENDR + 4, 0xf0);
	CHECK_EQ(fake_kick_total(), 0);
	dwrite32(ISENABLER + 4, 0xf0);
	CHECK_EQ(fake_kick_total(), 2);
	CHECK_EQ(fake_kick_mask(), 0x6);
	dwrite32(ISENABLER + 4, 0xf0); /* already enabled */
	dwrite32(ISPENDR + 4, 0xf0);   /* already pending */
	dwrite32(IPRIORITYR + 36, 0x80808080);
	dwrite32(ISACTIVER + 4, 0xf0);
	dwrite32(ICACTIVER + 4, 0xf0);
	dwrite32(ICPENDR + 4, 0x10);
	dwrite32(ICENABLER + 4, 0x20);
	CHECK_EQ(fake_kick_total(), 2);
	/* Enabled first, then ISPENDR. */
	fake_kick_reset();
	dwrite32(ISPENDR + 4, 0x10);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(1), 1);
	/* IGROUPR 0 -> 1 of a pending enabled interrupt. */
	dwrite32(IGROUPR + 4, ~0u & ~(1u << 6)); /* INTID 38 to group 0 */
	fake_kick_reset();
	CHECK(!vgic_irq_deliverable(&vm, spi(38)));
	dwrite32(IGROUPR + 4, ~0u);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(1), 1);
	/* ICFGR edge -> level with the line high. */
	dwrite32(ICFGR + 12, 2u << 0); /* INTID 48 edge */
	dwrite32(ISENABLER + 4, 1u << 16);
	dwrite(IROUTER(48), 8, 2);
	fake_kick_reset();
	vgic_set_level(&vm, NULL, 48, true);
	CHECK_EQ(fake_kick_total(), 1); /* edge latched */
	dwrite32(ICPENDR + 4, 1u << 16);
	CHECK_EQ(fake_kick_total(), 1);
	dwrite32(ICFGR + 12, 0);
	CHECK_EQ(fake_kick_total(), 2);
	CHECK_EQ(fake_kick_count(2), 2);
	/* Redistributor: ISPENDR0 of an enabled SGI. */
	fake_kick_reset();
	rwrite(2, SGI(ISENABLER), 4, 1u << 3);
	CHECK_EQ(fake_kick_total(), 0);
	rwrite(2, SGI(ISPENDR), 4, 1u << 3);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(2), 1);
	rwrite(2, SGI(ICPENDR), 4, 1u << 3);
	rwrite(2, SGI(ICENABLER), 4, 1u << 3);
	rwrite(2, SGI(ISPENDR), 4, 1u << 3);
	CHECK_EQ(fake_kick_total(), 1);
	rwrite(2, SGI(ISENABLER), 4, 1u << 3);
	CHECK_EQ(fake_kick_total(), 2);
	CHECK_EQ(fake_kick_locked(), 0);
	CHECK_EQ(fake_kick_foreign(), 0);
}

/* Active interrupts go in list registers too (so the guest can deactivate
 * them): becoming active needs one, unless it was deliverable already. */
static void test_active_kicks(void)
{
	setup(3);
	dwrite(IROUTER(60), 8, 2);
	dwrite32(ISACTIVER + 4, 1u << 28); /* disabled, idle, distributor off */
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(2), 1);
	dwrite32(ISACTIVER + 4, 1u << 28); /* already active */
	dwrite32(ICACTIVER + 4, 1u << 28);
	CHECK_EQ(fake_kick_total(), 1);
	rwrite(1, SGI(ISACTIVER), 4, 1u << 20);
	CHECK_EQ(fake_kick_count(1), 1);
	/* Already deliverable: it has been asked for an LR. */
	dwrite32(0x0, CTLR_G1);
	dwrite32(ISENABLER + 4, 1u << 29);
	dwrite(IROUTER(61), 8, 1);
	fake_kick_reset();
	vgic_inject_edge(&vm, NULL, 61);
	CHECK_EQ(fake_kick_count(1), 1);
	dwrite32(ISACTIVER + 4, 1u << 29);
	CHECK_EQ(fake_kick_total(), 1);
	/* Active, moved to another vCPU: that one needs it now. */
	dwrite32(ISACTIVER + 4, 1u << 28);
	CHECK_EQ(fake_kick_count(2), 1);
	dwrite(IROUTER(60), 8, 0);
	CHECK_EQ(fake_kick_count(0), 1);
	CHECK_EQ(fake_kick_total(), 3);
	/* Enabling the distributor under an active interrupt asks nothing new;
	 * under a pending one it does. */
	dwrite32(0x0, 0);
	fake_kick_reset();
	dwrite32(0x0, CTLR_G1);
	CHECK_EQ(fake_kick_total(), 0);
	dwrite32(0x0, 0);
	dwrite32(ICACTIVER + 4, 1u << 29);
	dwrite32(0x0, CTLR_G1);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(1), 1);
	CHECK_EQ(fake_kick_locked(), 0);
}

/* Changes to an interrupt held in a list register kick the vCPU holding it;
 * in_lr itself is never touched. */
static void test_in_lr_kicks(void)
{
	setup(3);
	dwrite32(0x0, CTLR_G1);
	dwrite(IROUTER(50), 8, 1);
	dwrite32(ISENABLER + 4, 1u << 18);
	dwrite32(ISPENDR + 4, 1u << 18);
	spi(50)->in_lr = true; /* as the list-register code would */
	fake_kick_reset();
	CHECK(!vgic_irq_deliverable(&vm, spi(50)));
	CHECK(vgic_vcpu_has_pending(&vm.vcpus[1])); /* counted while in an LR */
	dwrite32(ISPENDR + 4, 1u << 18);	    /* no change */
	dwrite32(IPRIORITYR + 48, 0);		    /* no change */
	CHECK_EQ(fake_kick_total(), 0);
	dwrite32(ICPENDR + 4, 1u << 18);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(1), 1);
	dwrite(IPRIORITYR + 50, 1, 0x40);
	CHECK_EQ(fake_kick_total(), 2);
	dwrite32(ISACTIVER + 4, 1u << 18);
	CHECK_EQ(fake_kick_total(), 3);
	dwrite(IROUTER(50), 8, 2); /* the old holder is kicked */
	CHECK_EQ(fake_kick_total(), 4);
	CHECK_EQ(fake_kick_count(1), 4);
	CHECK_EQ(fake_kick_count(2), 0);
	dwrite32(0x0, 0); /* distributor off under an LR */
	CHECK_EQ(fake_kick_total(), 5);
	CHECK_EQ(fake_kick_count(2), 1);
	vgic_set_level(&vm, NULL, 50, true);
	CHECK_EQ(fake_kick_total(), 6);
	CHECK(spi(50)->in_lr);
	/* Private: an SGI in vCPU 0's list registers. */
	rwrite(0, SGI(ISENABLER), 4, 1u << 1);
	priv(0, 1)->in_lr = true;
	fake_kick_reset();
	vgic_sgi1r_write(&vm.vcpus[2], SGI1R_INTID(1) | 1);
	CHECK_EQ(fake_kick_total(), 1);
	CHECK_EQ(fake_kick_count(0), 1);
	CHECK(priv(0, 1)->in_lr && priv(0, 1)->pending);
	CHECK_EQ(fake_kick_locked(), 0);
}

/* ------------------------------------------------------------ SGIs */

static u32 sgi_mask(u32 intid)
{
	u32 m = 0;

	for (u32 n = 0; n < MAX_VCPUS_PER_VM; n++)
		if (priv(n, intid)->pending)
			m |= 1u << n;
	return m;
}

static void sgi_setup(u32 nr)
{
	setup(nr);
	dwrite32(0x0, CTLR_G1);
	for (u32 n = 0; n < nr; n++)
		rwrite(n, SGI(ISENABLER), 4, 0xffff);
	fake_kick_reset();
}

static void test_sgi1r_targets(void)
{
	static const struct {
		u32 nr, src;
		u64 val;
		u32 intid, want;
	} t[] = {
		{3, 1, SGI1R_INTID(5) | 0x5, 5, 0x5},	 /* TargetList 0 and 2 */
		{3, 1, SGI1R_INTID(5) | 0xffff, 5, 0x7}, /* absent targets ignored */
		{3, 1, SGI1R_INTID(5) | 0x80, 5, 0},
		{3, 0, SGI1R_INTID(0) | 0x1, 0, 0x1}, /* to itself */
		{3, 1, SGI1R_INTID(15) | 0x2, 15, 0x2},
		{3, 1, SGI1R_INTID(2) | (0xfUL << 28) | 0x4, 2, 0x4},  /* bits 31:28 RES0 */
		{3, 1, SGI1R_INTID(2) | (0xffUL << 56) | 0x4, 2, 0x4}, /* bits 63:56 RES0 */
		{3, 1, SGI1R_INTID(7) | SGI1R_IRM, 7, 0x5},	       /* all but self */
		{3, 1, SGI1R_INTID(7) | SGI1R_IRM | 0xffff | SGI1R_AFF1(3), 7, 0x5},
		{4, 3, SGI1R_INTID(7) | SGI1R_IRM, 7, 0x7},
		{1, 0, SGI1R_INTID(7) | SGI1R_IRM, 7, 0},
		{3, 1, SGI1R_INTID(9) | SGI1R_RS(1) | 0x1, 9, 0}, /* Aff0 16 */
		{3, 1, SGI1R_INTID(9) | SGI1R_RS(15) | 0xffff, 9, 0},
		{3, 1, SGI1R_INTID(9) | SGI1R_RS(0) | 0x2, 9, 0x2},
		{3, 1, SGI1R_INTID(9) | SGI1R_AFF1(1) | 0x1, 9, 0},
		{3, 1, SGI1R_INTID(9) | SGI1R_AFF2(1) | 0x1, 9, 0},
		{3, 1, SGI1R_INTID(9) | SGI1R_AFF3(1) | 0x1, 9, 0},
		{3, 1, SGI1R_INTID(9) | SGI1R_AFF1(0x80) | 0x7, 9, 0},
		{4, 0, SGI1R_INTID(4) | 0x8, 4, 0x8},
		{8, 0, SGI1R_INTID(4) | 0x80, 4, 0x80},
		{8, 0, SGI1R_INTID(4) | 0xff00, 4, 0},
		{3, 2, SGI1R_INTID(3), 3, 0}, /* empty list */
	};

	for (u32 i = 0; i < ARRAY_SIZE(t); i++) {
		sgi_setup(t[i].nr);
		vgic_sgi1r_write(&vm.vcpus[t[i].src], t[i].val);
		CHECK_EQ(sgi_mask(t[i].intid), t[i].want);
		CHECK_EQ(fake_kick_mask(), t[i].want); /* enabled: each kicked */
		CHECK_EQ(fake_kick_total(), (unsigned)__builtin_popcount(t[i].want));
		for (u32 s = 0; s < 16; s++)
			if (s != t[i].intid)
				CHECK_EQ(sgi_mask(s), 0);
		CHECK(lock_free());
		CHECK_EQ(fake_kick_locked(), 0);
		if (sgi_mask(t[i].intid) != t[i].want)
			fprintf(stderr, "  (row %u val 0x%llx)\n", i, (unsigned long long)t[i].val);
	}
}

static void test_sgi1r_kick_rules(void)
{
	sgi_setup(3);
	rwrite(0, SGI(ICENABLER), 4, 1u << 4);
	fake_kick_reset();
	vgic_sgi1r_write(&vm.vcpus[1], SGI1R_INTID(4) | 0x7);
	CHECK_EQ(sgi_mask(4), 0x7);
	CHECK_EQ(fake_kick_mask(), 0x6);		      /* vCPU 0 has SGI 4 disabled */
	vgic_sgi1r_write(&vm.vcpus[1], SGI1R_INTID(4) | 0x7); /* already pending */
	CHECK_EQ(fake_kick_total(), 2);
	rwrite(0, SGI(ISENABLER), 4, 1u << 4);
	CHECK_EQ(fake_kick_count(0), 1);
	CHECK(vgic_vcpu_has_pending(&vm.vcpus[0]));
	/* Bad sources do nothing. */
	take_snap();
	vgic_sgi1r_write(NULL, SGI1R_IRM);
	vm.vcpus[5].vm = NULL;
	vgic_sgi1r_write(&vm.vcpus[5], SGI1R_IRM);
	vm.vcpus[5].vm = &vm;
	vgic_sgi1r_write(&vm.vcpus[5], SGI1R_IRM); /* vCPU 5 is not one of the 3 */
	CHECK(snap_same());
	CHECK_EQ(fake_kick_total(), 3);
}

/* ------------------------------------------------------------ WFI */

static void test_has_pending(void)
{
	setup(3);
	for (u32 n = 0; n < 3; n++)
		CHECK(!vgic_vcpu_has_pending(&vm.vcpus[n]));
	CHECK(!vgic_vcpu_has_pending(NULL));
	dwrite(IROUTER(33), 8, 2);
	dwrite32(ISENABLER + 4, 1u << 1);
	vgic_inject_edge(&vm, NULL, 33);
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[2])); /* distributor off */
	dwrite32(0x0, CTLR_G1);
	CHECK(vgic_vcpu_has_pending(&vm.vcpus[2]));
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[0]));
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[1]));
	dwrite32(IGROUPR + 4, ~0u & ~2u); /* Group 0 */
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[2]));
	dwrite32(IGROUPR + 4, ~0u);
	dwrite(IROUTER(33), 8, 0x80000000UL); /* 1 of N: vCPU 0 */
	CHECK(vgic_vcpu_has_pending(&vm.vcpus[0]));
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[2]));
	dwrite(IROUTER(33), 8, 7); /* nobody */
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[0]));
	dwrite32(ICPENDR + 4, 2);
	/* A level PPI on vCPU 1. */
	vgic_set_level(&vm, &vm.vcpus[1], 30, true);
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[1])); /* disabled */
	rwrite(1, SGI(ISENABLER), 4, 1u << 30);
	CHECK(vgic_vcpu_has_pending(&vm.vcpus[1]));
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[0]));
	priv(1, 30)->in_lr = true;
	CHECK(vgic_vcpu_has_pending(&vm.vcpus[1])); /* still pending, in an LR */
	vgic_set_level(&vm, &vm.vcpus[1], 30, false);
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[1]));
	CHECK(!vgic_vcpu_has_pending(&vm.vcpus[3])); /* not a vCPU of the VM */
	CHECK(lock_free());
}

int main(void)
{
	RUN_TEST(test_init_state);
	RUN_TEST(test_gicd_ctlr);
	RUN_TEST(test_gicd_id_and_info);
	RUN_TEST(test_gicd_bit_banks);
	RUN_TEST(test_gicd_pending_level);
	RUN_TEST(test_gicd_priority);
	RUN_TEST(test_gicd_icfgr);
	RUN_TEST(test_gicd_raz_wi);
	RUN_TEST(test_gicd_irouter);
	RUN_TEST(test_irouter_targets);
	RUN_TEST(test_gicr_typer);
	RUN_TEST(test_gicr_rd_regs);
	RUN_TEST(test_gicr_sgi_banks);
	RUN_TEST(test_gicr_priority_cfg);
	RUN_TEST(test_gicr_absent_frames);
	RUN_TEST(test_every_register_every_width);
	RUN_TEST(test_byte_priority_isolated);
	RUN_TEST(test_deliverable_truth_table);
	RUN_TEST(test_get_irq);
	RUN_TEST(test_set_level_kicks);
	RUN_TEST(test_distributor_enable_kicks);
	RUN_TEST(test_mmio_kicks);
	RUN_TEST(test_active_kicks);
	RUN_TEST(test_in_lr_kicks);
	RUN_TEST(test_sgi1r_targets);
	RUN_TEST(test_sgi1r_kick_rules);
	RUN_TEST(test_has_pending);
	return check_done();
}
