/* Physical GICv3 (Arm IHI 0069): just what EL2 needs itself.  Interrupts are
 * Group 1 non-secure.  EL2 runs with EOImode 1: EOIR only drops priority and
 * deactivation is separate, so an interrupt forwarded to a guest through a
 * hardware-linked list register stays active until the guest completes it.
 * Acknowledge, EOI and deactivate are inline in include/drivers/gic.h. */
#include "drivers/gicv3.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "arch/percpu.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP BIT(31)
#define GICD_CTLR_ARE_NS BIT(4)
#define GICD_CTLR_ENABLE_G1 BIT(1)

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_WAKER_PSLEEP BIT(1)
#define GICR_WAKER_CASLEEP BIT(2)
#define GICR_TYPER_LAST BIT(4)
#define GICR_FRAME 0x20000 /* RD_base + SGI_base frames */
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400

#define POLL_LIMIT 1000000

#define GICD_ISENABLER 0x0100
#define GICD_IGROUPR 0x0080
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define ICC_CTLR_EOIMODE BIT(1)
#define DEFAULT_PRIO 0xa0

static volatile u8 *gicd_base;
static volatile u8 *rd_bases[MAX_CPUS]; /* each CPU's own redistributor */

static volatile u8 *my_rd(void)
{
	return rd_bases[this_cpu()->cpu_id];
}

static u32 rd32(volatile u8 *b, u64 off)
{
	return *(volatile u32 *)(b + off);
}
static u64 rd64(volatile u8 *b, u64 off)
{
	return *(volatile u64 *)(b + off);
}
static void wr32(volatile u8 *b, u64 off, u32 v)
{
	*(volatile u32 *)(b + off) = v;
}

static bool poll_clear(volatile u8 *b, u64 off, u32 mask)
{
	for (int i = 0; i < POLL_LIMIT; i++)
		if (!(rd32(b, off) & mask))
			return true;
	return false;
}

int gicv3_init_dist(paddr_t gicd)
{
	gicd_base = pa_to_ptr(gicd);
	wr32(gicd_base, GICD_CTLR,
	     rd32(gicd_base, GICD_CTLR) | GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1);
	return poll_clear(gicd_base, GICD_CTLR, GICD_CTLR_RWP) ? 0 : -E_BUSY;
}

static volatile u8 *find_redist(paddr_t gicr, u64 size, u64 mpidr)
{
	u64 aff = ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);

	for (u64 off = 0; off + GICR_FRAME <= size; off += GICR_FRAME) {
		volatile u8 *rd = (volatile u8 *)pa_to_ptr(pa_add(gicr, off));
		u64 typer = rd64(rd, GICR_TYPER);
		if ((typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return NULL;
}

__cold int gicv3_init_cpu(paddr_t gicr, u64 gicr_size, u64 mpidr)
{
	volatile u8 *rd = find_redist(gicr, gicr_size, mpidr);

	if (!rd)
		return -E_NOENT;
	rd_bases[this_cpu()->cpu_id] = rd;
	wr32(rd, GICR_WAKER, rd32(rd, GICR_WAKER) & ~(u32)GICR_WAKER_PSLEEP);
	if (!poll_clear(rd, GICR_WAKER, GICR_WAKER_CASLEEP))
		return -E_BUSY;
	wr32(rd + GICR_SGI_BASE, GICR_IGROUPR0, ~0u); /* SGIs and PPIs: Group 1 */
	write_icc_sre_el2(read_icc_sre_el2() | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	write_icc_pmr_el1(0xff);
	write_icc_ctlr_el1(ICC_CTLR_EOIMODE);
	write_icc_igrpen1_el1(1);
	isb();
	return 0;
}

void gicv3_enable_ppi(u32 intid)
{
	volatile u8 *sgi = my_rd() + GICR_SGI_BASE;
	u32 shift = (intid & 3) * 8;
	u32 prio = rd32(sgi, GICR_IPRIORITYR + (intid & ~3u));

	prio = (prio & ~(0xffu << shift)) | (DEFAULT_PRIO << shift);
	wr32(sgi, GICR_IPRIORITYR + (intid & ~3u), prio);
	wr32(sgi, GICR_ISENABLER0, 1u << intid);
}

void gicv3_send_sgi(u64 mpidr, u32 intid)
{
	u64 aff0 = mpidr & 0xff;
	u64 v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
		((mpidr >> 8) & 0xff) << 16 | (aff0 / 16) << 44 | BIT(aff0 % 16) | (u64)intid << 24;

	dsb_ish(); /* what the target will look at must be visible first */
	write_icc_sgi1r_el1(v);
	isb();
}

void gicv3_enable_spi(u32 intid, u64 target_mpidr)
{
	u32 bit = 1u << (intid % 32);
	u32 shift = (intid & 3) * 8;
	u32 prio = rd32(gicd_base, GICD_IPRIORITYR + (intid & ~3u));

	wr32(gicd_base, GICD_IGROUPR + intid / 32 * 4,
	     rd32(gicd_base, GICD_IGROUPR + intid / 32 * 4) | bit);
	wr32(gicd_base, GICD_IPRIORITYR + (intid & ~3u),
	     (prio & ~(0xffu << shift)) | (DEFAULT_PRIO << shift));
	*(volatile u64 *)(gicd_base + GICD_IROUTER + intid * 8) = target_mpidr & MPIDR_AFF_MASK;
	wr32(gicd_base, GICD_ISENABLER + intid / 32 * 4, bit);
}
