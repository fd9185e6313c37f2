/* arch/arm64/gic_lr_v2.c: list registers between the GICv3 layout the vGIC
 * writes and GICH_LR<n> of a GICv2 host (IHI 0048B 5.3.11), field by field
 * against hand-assembled values, and back. */
#include "arch/gic_lr.h"
#include "check.h"

#define V3_PRIO(p) ((u64)(p) << ICH_LR_PRIO_SHIFT)

/* A pending Group 0 SPI: INTID 33, priority 0xa0 -> GICH_LR.Priority 0x14. */
static void test_pending_spi(void)
{
	u64 lr = 33 | V3_PRIO(0xa0) | ICH_LR_PENDING;

	CHECK_EQ(gic_lr_to_v2(lr), 33u | 0x14u << 23 | 1u << 28);
	CHECK_EQ(gic_lr_from_v2(gic_lr_to_v2(lr)), lr);
}

/* The virtual timer forwarded with HW = 1: physical ID 27 in [19:10]. */
static void test_hw_timer(void)
{
	u64 lr = 27 | (27UL << ICH_LR_PINTID_SHIFT) | ICH_LR_HW | ICH_LR_GROUP1 | ICH_LR_PENDING |
		 V3_PRIO(0xf8);

	CHECK_EQ(gic_lr_to_v2(lr), 27u | 27u << 10 | 0x1fu << 23 | 1u << 28 | 1u << 30 | 1u << 31);
	CHECK_EQ(gic_lr_from_v2(gic_lr_to_v2(lr)), lr);
}

/* An SGI from CPU 5, active and pending, with an EOI maintenance request:
 * CPUID in [12:10], EOI in bit 19. */
static void test_sgi_source_and_eoi(void)
{
	u64 lr = 3 | FIELD_PREP(GIC_LR_SGI_SRC, 5) | ICH_LR_EOI | ICH_LR_PENDING | ICH_LR_ACTIVE;
	u32 v2 = gic_lr_to_v2(lr);

	CHECK_EQ(v2, 3u | 5u << 10 | 1u << 19 | 3u << 28);
	CHECK_EQ(FIELD_GET(GICH_LR_CPUID, v2), 5);
	CHECK_EQ(gic_lr_from_v2(v2), lr);
}

/* What does not fit is dropped, never spilled into a neighbouring field:
 * INTIDs keep 10 bits, priority its top 5, and a HW LR ignores the SGI
 * source bits. */
static void test_truncation(void)
{
	CHECK_EQ(gic_lr_to_v2(0x12345) & ~GICH_LR_VID, 0);
	CHECK_EQ(gic_lr_to_v2(V3_PRIO(0x07)), 0);
	CHECK_EQ(gic_lr_to_v2(ICH_LR_HW | (0x7ffUL << ICH_LR_PINTID_SHIFT)),
		 GICH_LR_HW | GICH_LR_PID);
	CHECK_EQ(gic_lr_from_v2(0), 0);
	/* An empty (invalid) GICH_LR with HW = 0 reads back as state 0. */
	CHECK_EQ(gic_lr_from_v2(GICH_LR_EOI) & ICH_LR_STATE_MASK, 0);
}

/* Every GICH_LR value survives the round trip through the GICv3 layout,
 * apart from the reserved bits: [22:20], and [18:13] with HW = 0. */
static void test_round_trip_all_fields(void)
{
	u32 bad = 0;

	for (u64 x = 0; x < (1u << 20); x++) {
		u32 pid = (u32)((x >> 10) & 0x3ff) & (x & 1 ? 0x3ffu : 0x207u);
		u32 v = (u32)((x & 0x3ff) | pid << 10 | (u32)(x & 0x1f) << 23 |
			      (u32)((x >> 5) & 7) << 28 | (x & 1 ? GICH_LR_HW : 0));
		bad += gic_lr_to_v2(gic_lr_from_v2(v)) != v;
	}
	CHECK_EQ(bad, 0);
}

int main(void)
{
	RUN_TEST(test_pending_spi);
	RUN_TEST(test_hw_timer);
	RUN_TEST(test_sgi_source_and_eoi);
	RUN_TEST(test_truncation);
	RUN_TEST(test_round_trip_all_fields);
	return check_done();
}
