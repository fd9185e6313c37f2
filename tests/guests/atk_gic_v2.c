/* Hostile guest, scenarios 4 and 5 on a virtual GICv2 (a GICv2 host):
 * 4: distributor registers for INTIDs past what the VM has (96), writes to
 *    read-only registers (TYPER, IIDR, ID, the banked ITARGETSR0-7), accesses
 *    of a width or alignment the distributor does not take, the space past
 *    its 4 KiB frame and past the 8 KiB CPU interface, GICD_SGIR with every
 *    target-list filter and to vCPUs that do not exist, SPENDSGIR and
 *    ITARGETSR naming vCPUs that do not exist.
 * 5: six times as many interrupts pending at once as there are list
 *    registers (24: 8 SGIs, 16 SPIs), each delivered exactly once; EOI and
 *    deactivate of interrupts that are not active; disable and enable while
 *    pending. */
#include "atk_lib.c"

void guest_main(u64 dtb);

#define SPI_FIRST 40
#define SPI_N 16
#define SGI_N 8
#define GICD_SGIR (GICD_BASE + 0xf00)
#define GICC_EOIR (GICC_BASE + 0x10)
#define GICC_DIR (GICC_BASE + 0x1000)

static void mmio_write8(u64 a, u8 v)
{
	__asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static void mmio_write16(u64 a, u16 v)
{
	__asm__ volatile("strh %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static u64 mmio_read8(u64 a)
{
	u8 v;
	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void settle(void)
{
	for (volatile int i = 0; i < 20000; i++)
		;
}

static u32 count(u32 intid)
{
	return g_irq_count[0][intid];
}

static u32 total(void)
{
	u32 t = 0;

	for (int i = 0; i < 64; i++)
		t += count(i);
	return t;
}

static void beyond_intids(void)
{
	/* (bank offset, bits per INTID) */
	static const u32 banks[][2] = {{0x080, 1}, {0x100, 1}, {0x180, 1}, {0x200, 1}, {0x280, 1},
				       {0x300, 1}, {0x380, 1}, {0x400, 8}, {0x800, 8}, {0xc00, 2}};
	u32 bad = 0, writes = 0;

	for (unsigned b = 0; b < ARRAY_SIZE(banks); b++) {
		u32 per_word = 32 / banks[b][1];
		for (u32 intid = 96; intid < 1020; intid += per_word) {
			u64 a = GICD_BASE + banks[b][0] + intid / per_word * 4;
			mmio_write32(a, ~0u);
			bad += mmio_read32(a) != 0;
			writes++;
		}
	}
	/* Reserved and implementation-defined space, NSACR. */
	for (u32 off = 0xd00; off < 0xf00; off += 4) {
		mmio_write32(GICD_BASE + off, ~0u);
		bad += mmio_read32(GICD_BASE + off) != 0;
		writes++;
	}
	g_printf("attacker: %u writes past INTID 95 and to reserved GICD space\n", writes);
	CHECK_EQ("v2-beyond-intids-raz-wi", bad, 0);
}

static void read_only(void)
{
	static const u64 ro[] = {GICD_BASE + 0x4,   GICD_BASE + 0x8,   GICD_BASE + 0xfe8,
				 GICD_BASE + 0x800, GICD_BASE + 0x81c, GICD_BASE + 0xc00};
	u32 changed = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(ro); i++) {
		u64 v = mmio_read32(ro[i]);
		mmio_write32(ro[i], ~(u32)v);
		changed += mmio_read32(ro[i]) != v;
	}
	CHECK_EQ("v2-read-only-registers-kept", changed, 0);
	CHECK_EQ("v2-itargetsr0-own-bit", mmio_read32(GICD_BASE + 0x800), 0x01010101);
	CHECK_EQ("v2-typer-one-cpu", (mmio_read32(GICD_BASE + 0x4) >> 5) & 7, 0);
	/* SGIR is write-only. */
	CHECK_EQ("v2-sgir-reads-zero", mmio_read32(GICD_SGIR), 0);
}

/* 16-bit and misaligned accesses abort; 8-bit ones reach only the
 * byte-wide registers; past the frames nothing is mapped. */
static void widths(void)
{
	u64 e = g_last_exc.count;

	(void)mmio_read16(GICD_BASE + 0x100);
	mmio_write16(GICD_BASE + 0x400, 0xffff);
	CHECK_EQ("v2-16-bit-aborts", g_last_exc.count - e, 2);
	e = g_last_exc.count;
	(void)mmio_read32(GICD_BASE + 0x102);
	CHECK_EQ("v2-misaligned-aborts", g_last_exc.count - e, 1);
	mmio_write8(GICD_BASE + 0x104, 0xff); /* ISENABLER1 takes 32 bits only */
	CHECK_EQ("v2-8-bit-isenabler-ignored", mmio_read32(GICD_BASE + 0x104), 0);
	mmio_write8(GICD_BASE + 0x400 + SPI_FIRST, 0x80);
	CHECK_EQ("v2-8-bit-priority", mmio_read8(GICD_BASE + 0x400 + SPI_FIRST), 0x80);
	e = g_last_exc.count;
	(void)mmio_read32(GICD_BASE + 0x1000);
	mmio_write32(GICC_BASE + 0x2000, 1);
	CHECK_EQ("v2-past-frames-abort", g_last_exc.count - e, 2);
}

/* SGIR to vCPUs that do not exist (the attacker has one), every filter. */
static void sgi_filters(void)
{
	u32 before = total();

	gic_enable_private(0, 3);
	irq_enable();
	mmio_write32(GICD_SGIR, 0xfeu << 16 | 3);	     /* list: vCPUs 1-7 only */
	mmio_write32(GICD_SGIR, 1u << 24 | 0xffu << 16 | 3); /* all but self */
	mmio_write32(GICD_SGIR, 3u << 24 | 0xffu << 16 | 3); /* reserved filter */
	settle();
	CHECK_EQ("v2-sgi-nonexistent-vcpus", total() - before, 0);
	mmio_write32(GICD_SGIR, 2u << 24 | 3); /* self */
	settle();
	CHECK_EQ("v2-sgi-self-once", count(3), 1);
	CHECK_EQ("v2-sgi-self-source", g_last_src[0], 0);
	/* Sources that are not vCPUs of this VM are dropped. */
	irq_disable();
	mmio_write8(GICD_BASE + 0xf20 + 3, 0xff); /* SPENDSGIR: SGI 3 from 8 sources */
	CHECK_EQ("v2-spendsgir-own-sources-only", mmio_read8(GICD_BASE + 0xf20 + 3), 1);
	irq_enable();
	settle();
	CHECK_EQ("v2-spendsgir-delivered-once", count(3), 2);
	irq_disable();
	/* SPENDSGIR then CPENDSGIR: nothing left to deliver. */
	mmio_write32(GICD_BASE + 0xf20, 1u << 24);
	mmio_write32(GICD_BASE + 0xf10, 1u << 24);
	irq_enable();
	settle();
	irq_disable();
	CHECK_EQ("v2-cpendsgir-cleared", count(3), 2);
	/* ISPENDR0 does not reach SGIs on a GICv2. */
	mmio_write32(GICD_BASE + 0x200, 1u << 3);
	CHECK_EQ("v2-ispendr-sgi-ignored", mmio_read32(GICD_BASE + 0x200) & 0xffff, 0);
}

static void targets(void)
{
	u32 spi = SPI_FIRST + 2, c;
	u64 t = GICD_BASE + 0x800 + spi;

	mmio_write8(t, 0xfe); /* vCPUs 1-7: none of them exists */
	CHECK_EQ("v2-itargetsr-nonexistent-dropped", mmio_read8(t), 0);
	mmio_write32(GICD_BASE + 0xc00 + spi / 16 * 4, 0xaaaaaaaa); /* edge */
	mmio_write32(GICD_BASE + 0x100 + spi / 32 * 4, 1u << (spi % 32));
	c = count(spi);
	mmio_write32(GICD_BASE + 0x200 + spi / 32 * 4, 1u << (spi % 32));
	irq_enable();
	settle();
	irq_disable();
	CHECK_EQ("v2-spi-no-target-not-delivered", count(spi) - c, 0);
	mmio_write8(t, 0x01);
	irq_enable();
	settle();
	irq_disable();
	CHECK_EQ("v2-spi-retargeted-delivered-once", count(spi) - c, 1);
}

static void many_pending(void)
{
	u32 before[64], bad = 0;

	for (int i = 0; i < 64; i++)
		before[i] = count(i);
	mmio_write32(GICD_BASE + 0xc08, 0xaaaaaaaa); /* SPIs 32-63 edge */
	mmio_write32(GICD_BASE + 0xc0c, 0xaaaaaaaa);
	for (u32 i = SPI_FIRST; i < SPI_FIRST + SPI_N; i++)
		mmio_write8(GICD_BASE + 0x800 + i, 1); /* to vCPU 0 */
	mmio_write32(GICD_BASE + 0x104, ((1u << SPI_N) - 1) << (SPI_FIRST - 32));
	mmio_write32(GICD_BASE + 0x100, (1u << SGI_N) - 1);
	/* Everything pending at once while this vCPU masks interrupts. */
	for (u32 i = 0; i < SGI_N; i++)
		mmio_write32(GICD_SGIR, 2u << 24 | i);
	mmio_write32(GICD_BASE + 0x204, ((1u << SPI_N) - 1) << (SPI_FIRST - 32));
	CHECK_EQ("v2-spis-read-pending",
		 (mmio_read32(GICD_BASE + 0x204) >> (SPI_FIRST - 32)) & ((1u << SPI_N) - 1),
		 (1u << SPI_N) - 1);
	irq_enable();
	settle();
	irq_disable();
	for (u32 i = 0; i < SGI_N; i++)
		bad += count(i) - before[i] != 1;
	for (u32 i = SPI_FIRST; i < SPI_FIRST + SPI_N; i++)
		bad += count(i) - before[i] != 1;
	CHECK_EQ("v2-24-pending-each-delivered-once", bad, 0);
	CHECK_EQ("v2-nothing-left-pending", mmio_read32(GICD_BASE + 0x200) & 0xff, 0);
}

/* Stray completions go to the hardware's virtual CPU interface, which
 * ignores them; the vGIC keeps delivering. */
static void eoi_not_active(void)
{
	u32 c = count(5);

	mmio_write32(GICC_EOIR, 5);
	mmio_write32(GICC_EOIR, 1023);
	mmio_write32(GICC_EOIR, 0xffffffff);
	mmio_write32(GICC_DIR, 5);
	mmio_write32(GICC_EOIR, SPI_FIRST);
	mmio_write32(GICD_SGIR, 2u << 24 | 5);
	irq_enable();
	settle();
	irq_disable();
	CHECK_EQ("v2-sgi-works-after-stray-eois", count(5) - c, 1);
	c = count(SPI_FIRST);
	mmio_write32(GICD_BASE + 0x204, 1u << (SPI_FIRST - 32));
	irq_enable();
	settle();
	irq_disable();
	CHECK_EQ("v2-spi-works-after-stray-eois", count(SPI_FIRST) - c, 1);
}

static void enable_while_pending(void)
{
	u32 s = count(SPI_FIRST + 1);

	mmio_write32(GICD_BASE + 0x204, 1u << (SPI_FIRST + 1 - 32));
	hvc_call(AETHER_HC_VM_INFO, 0, 0, 0); /* an exit: the LRs get filled */
	mmio_write32(GICD_BASE + 0x184, 1u << (SPI_FIRST + 1 - 32));
	irq_enable();
	settle();
	irq_disable();
	CHECK_EQ("v2-disabled-while-pending-not-delivered", count(SPI_FIRST + 1) - s, 0);
	mmio_write32(GICD_BASE + 0x104, 1u << (SPI_FIRST + 1 - 32));
	irq_enable();
	settle();
	irq_disable();
	CHECK_EQ("v2-reenabled-delivered-once", count(SPI_FIRST + 1) - s, 1);
	/* Distributor disabled: nothing, then everything once. */
	s = count(SPI_FIRST + 3);
	mmio_write32(GICD_BASE, 0);
	mmio_write32(GICD_BASE + 0x204, 1u << (SPI_FIRST + 3 - 32));
	irq_enable();
	settle();
	irq_disable();
	CHECK_EQ("v2-gicd-disabled-not-delivered", count(SPI_FIRST + 3) - s, 0);
	mmio_write32(GICD_BASE, 1);
	irq_enable();
	settle();
	irq_disable();
	CHECK_EQ("v2-gicd-enabled-delivered-once", count(SPI_FIRST + 3) - s, 1);
}

void guest_main(u64 dtb)
{
	g_check("v2-gic-detected", g_gic_v2(), "GICD_PIDR2.ArchRev is not 2");
	gic_init_dist();
	gic_init_cpu(0);
	read_only();
	beyond_intids();
	widths();
	sgi_filters();
	targets();
	many_pending();
	eoi_not_active();
	enable_while_pending();
	g_printf("attacker: GICv2 attacks done, %lu exceptions\n", (unsigned long)g_last_exc.count);
}
