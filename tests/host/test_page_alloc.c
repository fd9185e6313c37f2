/* Page allocator: accounting, zeroing, alignment, and refusal of every kind
 * of bad free without any state change. */
#include <stdlib.h>

#include "check.h"
#include "fake_arch.h"
#include "mm/page_alloc.h"

#define REGION_SIZE SZ_1M /* 256 pages, one of them metadata */
#define REGION_PAGES 255

static u8 *region, *region2;

static void reset(void)
{
	page_alloc_init();
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region), REGION_SIZE), 0);
}

static u64 ra(void)
{
	return pa_addr(ptr_to_pa(region));
}

static bool page_is_zero(paddr_t pa)
{
	const u64 *p = pa_to_ptr(pa);
	u32 i;

	for (i = 0; i < PAGE_SIZE / 8; i++)
		if (p[i])
			return false;
	return true;
}

static void test_region_accounting(void)
{
	page_alloc_init();
	CHECK_EQ(page_free_count(), 0);
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region), REGION_SIZE), 0);
	/* 3 bits x 256 pages fit in one metadata page. */
	CHECK_EQ(page_free_count(), REGION_PAGES);
}

static void test_alloc_zeroed_and_owned(void)
{
	paddr_t a, b;

	reset();
	CHECK(page_alloc(&a));
	CHECK(IS_ALIGNED(pa_addr(a), PAGE_SIZE));
	/* Never the metadata page, never outside the region. */
	CHECK(pa_addr(a) >= ra() + PAGE_SIZE && pa_addr(a) < ra() + REGION_SIZE);
	CHECK(page_is_zero(a));
	memset(pa_to_ptr(a), 0xa5, PAGE_SIZE);
	CHECK_EQ(page_free(a), 0);
	CHECK(page_alloc(&b));
	CHECK_EQ(pa_addr(b), pa_addr(a)); /* lowest free page is reused */
	CHECK(page_is_zero(b));
	CHECK_EQ(page_free_count(), REGION_PAGES - 1);
}

static void test_exhaust_and_refill(void)
{
	static paddr_t got[REGION_PAGES];
	static u8 seen[REGION_PAGES];
	paddr_t extra;
	u32 i, n = 0;

	reset();
	memset(seen, 0, sizeof(seen));
	while (n < REGION_PAGES && page_alloc(&got[n]))
		n++;
	CHECK_EQ(n, REGION_PAGES);
	CHECK(!page_alloc(&extra));
	CHECK_EQ(page_free_count(), 0);
	for (i = 0; i < n; i++) {
		u64 idx = (pa_addr(got[i]) - ra()) / PAGE_SIZE - 1;

		CHECK(idx < REGION_PAGES);
		if (idx < REGION_PAGES) {
			CHECK(!seen[idx]); /* handed out twice */
			seen[idx] = 1;
		}
	}
	for (i = 0; i < n; i++)
		CHECK_EQ(page_free(got[i]), 0);
	CHECK_EQ(page_free_count(), REGION_PAGES);
}

static void test_double_free_refused(void)
{
	paddr_t a, b;

	reset();
	CHECK(page_alloc(&a));
	CHECK_EQ(page_free(a), 0);
	CHECK(page_free(a) < 0);
	CHECK_EQ(page_free_count(), REGION_PAGES);
	/* The refused free must not have disturbed the next allocation. */
	CHECK(page_alloc(&b));
	CHECK(page_alloc(&a));
	CHECK(pa_addr(a) != pa_addr(b));
}

static void test_foreign_free_refused(void)
{
	static u64 elsewhere[PAGE_SIZE / 8] __attribute__((aligned(PAGE_SIZE)));
	paddr_t a;

	reset();
	CHECK(page_alloc(&a));
	CHECK(page_free(ptr_to_pa(elsewhere)) < 0);
	CHECK(page_free(pa_init(ra())) < 0);		   /* metadata page */
	CHECK(page_free(pa_init(ra() + REGION_SIZE)) < 0); /* one past the end */
	CHECK(page_free(pa_add(a, 8)) < 0);		   /* unaligned */
	CHECK(page_free(pa_add(a, PAGE_SIZE)) < 0);	   /* owned but free */
	CHECK(page_free(pa_init(0)) < 0);
	CHECK(page_free_contig(a, 0) < 0);
	CHECK(page_free_contig(a, ~0UL) < 0); /* length overflow */
	CHECK_EQ(page_free_count(), REGION_PAGES - 1);
	CHECK_EQ(page_free(a), 0);
}

static void test_contig_alignment_and_zeroing(void)
{
	paddr_t a, b;
	u32 i;

	reset();
	CHECK(page_alloc(&a)); /* make the first free page misaligned */
	CHECK_EQ(page_alloc_contig(16, SZ_64K, &b), 0);
	CHECK(IS_ALIGNED(pa_addr(b), SZ_64K));
	for (i = 0; i < 16; i++)
		CHECK(page_is_zero(pa_add(b, i * PAGE_SIZE)));
	CHECK_EQ(page_free_count(), REGION_PAGES - 17);
	CHECK_EQ(page_free_contig(b, 16), 0);
	CHECK_EQ(page_free(a), 0);
	CHECK_EQ(page_free_count(), REGION_PAGES);
	/* align below a page means a page */
	CHECK_EQ(page_alloc_contig(3, 0, &b), 0);
	CHECK_EQ(page_free_contig(b, 3), 0);
	CHECK_EQ(page_alloc_contig(3, 8, &b), 0);
	CHECK_EQ(page_free_contig(b, 3), 0);
}

/* A free must name exactly one whole allocation. */
static void test_contig_wrong_length_refused(void)
{
	paddr_t b, c;

	reset();
	CHECK_EQ(page_alloc_contig(4, 0, &b), 0);
	CHECK(page_free_contig(b, 3) < 0);
	CHECK(page_free_contig(b, 5) < 0);
	CHECK(page_free(b) < 0);
	CHECK(page_free_contig(pa_add(b, PAGE_SIZE), 3) < 0);
	CHECK(page_free(pa_add(b, 3 * PAGE_SIZE)) < 0);
	CHECK_EQ(page_free_count(), REGION_PAGES - 4);
	/* Two adjacent allocations are not one. */
	CHECK(page_alloc(&c));
	CHECK_EQ(pa_addr(c), pa_addr(b) + 4 * PAGE_SIZE);
	CHECK(page_free_contig(b, 5) < 0);
	CHECK_EQ(page_free_contig(b, 4), 0);
	CHECK_EQ(page_free(c), 0);
	CHECK_EQ(page_free_count(), REGION_PAGES);
}

static void test_contig_fragmented(void)
{
	static paddr_t got[REGION_PAGES];
	paddr_t b;
	u32 i, n = 0;

	reset();
	while (n < REGION_PAGES && page_alloc(&got[n]))
		n++;
	for (i = 0; i < n; i += 2)
		CHECK_EQ(page_free(got[i]), 0);
	/* Plenty free, but no two adjacent. */
	CHECK(page_free_count() >= 2);
	CHECK_EQ(page_alloc_contig(2, 0, &b), -E_NOMEM);
	CHECK_EQ(page_free_count(), (REGION_PAGES + 1) / 2);
	CHECK_EQ(page_free(got[1]), 0);
	CHECK_EQ(page_alloc_contig(3, 0, &b), 0);
	CHECK_EQ(pa_addr(b), pa_addr(got[0]));
	CHECK_EQ(page_free_contig(b, 3), 0);
	for (i = 3; i < n; i += 2)
		CHECK_EQ(page_free(got[i]), 0);
	CHECK_EQ(page_free_count(), REGION_PAGES);
}

static void test_contig_bad_args(void)
{
	paddr_t b;

	reset();
	CHECK_EQ(page_alloc_contig(0, 0, &b), -E_INVAL);
	CHECK_EQ(page_alloc_contig(1, 3 * PAGE_SIZE, &b), -E_INVAL); /* not a power of two */
	CHECK_EQ(page_alloc_contig(REGION_PAGES + 1, 0, &b), -E_NOMEM);
	CHECK_EQ(page_alloc_contig(1, 1UL << 63, &b), -E_NOMEM); /* alignment overflows */
	CHECK_EQ(page_alloc_contig(~0UL, 0, &b), -E_NOMEM);
	CHECK_EQ(page_free_count(), REGION_PAGES);
	/* The whole region in one run works: the region base is 1 MiB aligned
	 * and the allocatable part starts one page in. */
	CHECK_EQ(page_alloc_contig(REGION_PAGES, 0, &b), 0);
	CHECK_EQ(page_free_count(), 0);
	CHECK_EQ(page_free_contig(b, REGION_PAGES), 0);
}

static void test_regions(void)
{
	paddr_t got[REGION_PAGES + 2];
	u32 i, n = 0;

	reset();
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region + SZ_64K), SZ_64K), -E_EXIST);
	CHECK_EQ(page_alloc_add_region(pa_init(ra() - SZ_64K), SZ_64K + PAGE_SIZE), -E_EXIST);
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region2), PAGE_SIZE),
		 -E_INVAL); /* metadata only */
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region2), 0), -E_INVAL);
	CHECK_EQ(page_alloc_add_region(pa_init(~0UL - PAGE_SIZE), 2 * PAGE_SIZE), -E_RANGE);
	CHECK_EQ(page_free_count(), REGION_PAGES);
	/* Unaligned edges are trimmed inward: 3 whole pages, 1 of metadata. */
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region2 + 8), 4 * PAGE_SIZE), 0);
	CHECK_EQ(page_free_count(), REGION_PAGES + 2);
	while (n < ARRAY_SIZE(got) && page_alloc(&got[n]))
		n++;
	CHECK_EQ(n, REGION_PAGES + 2);
	CHECK(pa_addr(got[n - 1]) >= pa_addr(ptr_to_pa(region2)) + PAGE_SIZE);
	CHECK(pa_addr(got[n - 1]) < pa_addr(ptr_to_pa(region2)) + 4 * PAGE_SIZE);
	for (i = 0; i < n; i++)
		CHECK_EQ(page_free(got[i]), 0);
	CHECK_EQ(page_free_count(), REGION_PAGES + 2);
}

static void test_region_table_full(void)
{
	u32 i;
	int ret = 0;

	page_alloc_init();
	for (i = 0; i < PAGE_ALLOC_MAX_REGIONS; i++)
		ret |= page_alloc_add_region(ptr_to_pa(region + i * 4 * PAGE_SIZE), 4 * PAGE_SIZE);
	CHECK_EQ(ret, 0);
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region2), 4 * PAGE_SIZE), -E_NOMEM);
	CHECK_EQ(page_free_count(), 3 * PAGE_ALLOC_MAX_REGIONS);
}

/* A region whose page count is not a multiple of 64: the tail bits of the
 * last bitmap word must never be handed out. */
static void test_region_tail(void)
{
	paddr_t b;

	page_alloc_init();
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region), 101 * PAGE_SIZE), 0);
	CHECK_EQ(page_free_count(), 100);
	CHECK_EQ(page_alloc_contig(101, 0, &b), -E_NOMEM);
	CHECK_EQ(page_alloc_contig(100, 0, &b), 0);
	CHECK(!page_alloc(&b));
	CHECK_EQ(page_free_count(), 0);
}

/* A region trusted to read as zero at boot: pages never handed out are not
 * zeroed (their contents here are deliberately not zero, to see that), and
 * every page handed out once is zeroed whenever it is handed out again. */
static void test_boot_zero(void)
{
	paddr_t a, b, c;
	u64 z;

	page_alloc_init();
	memset(region, 0x5a, REGION_SIZE);
	page_alloc_boot_zero(true);
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region), REGION_SIZE), 0);
	z = fake_arch.zeroed;
	CHECK_EQ(page_alloc_contig(8, 0, &a), 0);
	CHECK_EQ(fake_arch.zeroed, z); /* first use: not zeroed */
	CHECK(!page_is_zero(a));
	CHECK_EQ(page_free_contig(a, 8), 0);
	CHECK_EQ(page_alloc_contig(8, 0, &b), 0);
	CHECK_EQ(pa_addr(b), pa_addr(a));
	CHECK_EQ(fake_arch.zeroed, z + 8 * PAGE_SIZE); /* reuse: scrubbed */
	for (u32 i = 0; i < 8; i++)
		CHECK(page_is_zero(pa_add(b, i * PAGE_SIZE)));
	/* A run over used and never-used pages zeroes only the used ones. */
	CHECK_EQ(page_free_contig(b, 8), 0);
	z = fake_arch.zeroed;
	CHECK_EQ(page_alloc_contig(12, 0, &c), 0);
	CHECK_EQ(pa_addr(c), pa_addr(a));
	CHECK_EQ(fake_arch.zeroed, z + 8 * PAGE_SIZE);
	CHECK(page_is_zero(pa_add(c, 7 * PAGE_SIZE)));
	CHECK(!page_is_zero(pa_add(c, 8 * PAGE_SIZE)));
	/* Not trusted (the default, and after page_alloc_init): always zeroed. */
	page_alloc_init();
	memset(region, 0x5a, REGION_SIZE);
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(region), REGION_SIZE), 0);
	CHECK_EQ(page_alloc_contig(8, 0, &a), 0);
	for (u32 i = 0; i < 8; i++)
		CHECK(page_is_zero(pa_add(a, i * PAGE_SIZE)));
}

int main(void)
{
	region = aligned_alloc(SZ_1M, REGION_SIZE);
	region2 = aligned_alloc(SZ_64K, SZ_64K);
	if (!region || !region2)
		return 2;
	RUN_TEST(test_region_accounting);
	RUN_TEST(test_alloc_zeroed_and_owned);
	RUN_TEST(test_exhaust_and_refill);
	RUN_TEST(test_double_free_refused);
	RUN_TEST(test_foreign_free_refused);
	RUN_TEST(test_contig_alignment_and_zeroing);
	RUN_TEST(test_contig_wrong_length_refused);
	RUN_TEST(test_contig_fragmented);
	RUN_TEST(test_contig_bad_args);
	RUN_TEST(test_regions);
	RUN_TEST(test_region_table_full);
	RUN_TEST(test_region_tail);
	RUN_TEST(test_boot_zero);
	free(region);
	free(region2);
	return check_done();
}
