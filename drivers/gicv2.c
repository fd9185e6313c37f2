/* Physical GICv2 (Arm IHI 0048B; GIC-400, arm,cortex-a15-gic): just what
 * EL2 needs itself, through the memory-mapped distributor (GICD) and CPU
 * interface (GICC).  The virtual interface control frame (GICH) belongs to
 * arch/arm64/gic_lr.c, the guest's frame (GICV) to Stage-2.
 *
 * Interrupts stay in the group the distributor has them in: Group 0 on a GIC
 * without the Security Extensions (QEMU virt), the Non-secure group the
 * firmware configured on a board with them; bit 0 of GICD_CTLR and GICC_CTLR
 * enables that group in both views.  EOImode 1 (GICC_CTLR.EOImodeNS, bit 9 in
 * both views): EOIR only drops priority and GICC_DIR deactivates.
 *
 * SGIs name their targets by CPU interface number, which need not be the
 * MPIDR's Aff0: each CPU reads its own mask from the banked GICD_ITARGETSR0-7
 * when it comes up, and gicv2_send_sgi looks the target's MPIDR up. */
#include "drivers/gicv2.h"
#include "arch/percpu.h"
#include "arch/regs.h"
#include "arch/sysreg.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE BIT(0)
#define GICD_TYPER 0x0004
#define GICD_TYPER_ITLINES GENMASK(4, 0)
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_SGIR 0x0f00
#define GICD_SGIR_INTID GENMASK(3, 0)
#define GICD_SGIR_TARGETS GENMASK(23, 16)

#define GICC_CTLR 0x0000
#define GICC_CTLR_ENABLE BIT(0)
#define GICC_CTLR_EOIMODE BIT(9)
#define GICC_PMR 0x0004
#define GICC_BPR 0x0008
#define GICC_IAR 0x000c
#define GICC_IAR_INTID GENMASK(9, 0)
#define GICC_IAR_CPUID GENMASK(12, 10)
#define GICC_EOIR 0x0010
#define GICC_DIR 0x1000

#define DEFAULT_PRIO 0xa0

static volatile u8 *gicd, *gicc;
static u64 cpu_mpidr[MAX_CPUS];
static u8 cpu_mask[MAX_CPUS]; /* CPU interface bit of each logical CPU */

static u32 rd32(volatile u8 *b, u64 off)
{
	return *(volatile u32 *)(b + off);
}
static void wr32(volatile u8 *b, u64 off, u32 v)
{
	*(volatile u32 *)(b + off) = v;
}

/* SPIs start disabled, inactive and not pending, whatever firmware left. */
int gicv2_init_dist(paddr_t d, paddr_t c)
{
	u32 lines;

	gicd = pa_to_ptr(d);
	gicc = pa_to_ptr(c);
	lines = ((u32)FIELD_GET(GICD_TYPER_ITLINES, rd32(gicd, GICD_TYPER)) + 1) * 32;
	wr32(gicd, GICD_CTLR, 0);
	for (u32 i = 32; i < lines && i < 1020; i += 32) {
		wr32(gicd, GICD_ICENABLER + i / 8, ~0u);
		wr32(gicd, GICD_ICPENDR + i / 8, ~0u);
		wr32(gicd, GICD_ICACTIVER + i / 8, ~0u);
	}
	wr32(gicd, GICD_CTLR, GICD_CTLR_ENABLE);
	return 0;
}

/* This CPU's interface number: any non-zero byte of ITARGETSR0-7 (the SGI
 * and PPI targets, read-only and banked: each reads as the reading CPU's own
 * bit).  A uniprocessor GIC reads 0 there; it has only interface 0. */
static u8 own_mask(void)
{
	for (u32 off = 0; off < 32; off += 4) {
		u32 v = rd32(gicd, GICD_ITARGETSR + off);
		v |= v >> 16;
		v |= v >> 8;
		if (v & 0xff)
			return (u8)v;
	}
	return 0;
}

__cold int gicv2_init_cpu(u64 mpidr)
{
	u32 cpu = this_cpu()->cpu_id;
	u8 mask = own_mask();

	if (!mask && cpu)
		return -E_NOENT;
	cpu_mpidr[cpu] = mpidr & MPIDR_AFF_MASK;
	cpu_mask[cpu] = mask ? mask : 1;
	/* SGIs and PPIs of this CPU: disabled until asked for. */
	wr32(gicd, GICD_ICENABLER, ~0u);
	wr32(gicc, GICC_PMR, 0xff);
	wr32(gicc, GICC_BPR, 0);
	wr32(gicc, GICC_CTLR, GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
	return 0;
}

u8 gicv2_cpu_mask(u64 mpidr)
{
	for (u32 i = 0; i < MAX_CPUS; i++)
		if (cpu_mask[i] && cpu_mpidr[i] == (mpidr & MPIDR_AFF_MASK))
			return cpu_mask[i];
	return 0;
}

static void set_prio(u32 intid)
{
	u32 shift = (intid & 3) * 8, off = GICD_IPRIORITYR + (intid & ~3u);

	wr32(gicd, off, (rd32(gicd, off) & ~(0xffu << shift)) | (DEFAULT_PRIO << shift));
}

void gicv2_enable_ppi(u32 intid)
{
	set_prio(intid);
	wr32(gicd, GICD_ISENABLER, 1u << intid);
}

/* ITARGETSR is byte-accessible (IHI 0048B 4.3.12); the word is updated
 * whole so the access is the same size as every other one here. */
void gicv2_enable_spi(u32 intid, u64 target_mpidr)
{
	u32 shift = (intid & 3) * 8, off = GICD_ITARGETSR + (intid & ~3u);
	u32 mask = gicv2_cpu_mask(target_mpidr);

	set_prio(intid);
	wr32(gicd, off, (rd32(gicd, off) & ~(0xffu << shift)) | (mask << shift));
	wr32(gicd, GICD_ISENABLER + intid / 32 * 4, 1u << (intid % 32));
}

void gicv2_send_sgi(u64 mpidr, u32 intid)
{
	u32 mask = gicv2_cpu_mask(mpidr);

	if (!mask)
		return; /* that CPU never came up */
	dsb_ish();	/* what the target will look at must be visible first */
	wr32(gicd, GICD_SGIR,
	     (u32)(FIELD_PREP(GICD_SGIR_TARGETS, mask) | FIELD_PREP(GICD_SGIR_INTID, intid)));
}

/* The token keeps an SGI's source CPU for EOIR and DIR, which must be
 * written with the value IAR gave. */
u32 gicv2_ack(void)
{
	u32 iar = rd32(gicc, GICC_IAR);

	return (u32)(FIELD_GET(GICC_IAR_INTID, iar) |
		     FIELD_PREP(GICV2_TOKEN_SRC, FIELD_GET(GICC_IAR_CPUID, iar)));
}

static u32 token_to_iar(u32 token)
{
	return (u32)(FIELD_PREP(GICC_IAR_INTID, token) |
		     FIELD_PREP(GICC_IAR_CPUID, FIELD_GET(GICV2_TOKEN_SRC, token)));
}

void gicv2_eoi(u32 token)
{
	wr32(gicc, GICC_EOIR, token_to_iar(token));
}

void gicv2_deactivate(u32 token)
{
	wr32(gicc, GICC_DIR, token_to_iar(token));
}
