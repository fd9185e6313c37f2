/* Stage-2 page tables on the host: table pages are real memory from the page
 * allocator (host pointer == "physical" address), mapped PAs are just
 * numbers.  The tree is inspected by an independent walker written from the
 * descriptor format with literal bit positions, so the checks do not share
 * the implementation's helpers. */
#include <stdlib.h>

#include "check.h"
#include "fake_arch.h"
#include "mm/page_alloc.h"
#include "mm/pool.h"
#include "mm/stage2.h"

#define ARENA_SIZE (4 * SZ_1M)
#define VMID 0x5a
#define POOL_PAGES 64
#define OA(d) ((d)&0x0000fffffffff000UL)

static u8 *arena;
static struct pt_pool pool;
static struct s2_pgtable pt;
static u64 arena_free;

/* ---------------------------------------------------------------- setup */

static struct s2_cfg cfg_of(u32 ipa_bits, u32 level, u32 root_pages)
{
	struct s2_cfg c = {
		.ipa_bits = (u8)ipa_bits, .start_level = (u8)level, .root_pages = (u8)root_pages};

	c.vtcr = (64 - ipa_bits) | ((u64)(2 - level) << 6) | (1UL << 31);
	return c;
}

static const struct s2_cfg *cfg40(void)
{
	static struct s2_cfg c;

	c = cfg_of(40, 1, 2);
	return &c;
}

static const struct s2_cfg *cfg32(void)
{
	static struct s2_cfg c;

	c = cfg_of(32, 2, 4);
	return &c;
}

static void setup_pool(u32 pool_pages, const struct s2_cfg *cfg)
{
	page_alloc_init();
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(arena), ARENA_SIZE), 0);
	arena_free = page_free_count();
	CHECK_EQ(pt_pool_init(&pool, pool_pages), 0);
	CHECK_EQ(s2_init(&pt, cfg, VMID, &pool), 0);
	memset(&fake_arch, 0, sizeof(fake_arch));
}

static void setup(const struct s2_cfg *cfg)
{
	setup_pool(POOL_PAGES, cfg);
}

/* Everything goes back: tables to the pool, the pool to the allocator. */
static void teardown(void)
{
	u32 npages = pool.npages;

	s2_destroy(&pt);
	CHECK_EQ(pt_pool_free(&pool), npages);
	CHECK_EQ(pt_pool_release(&pool), 0);
	CHECK_EQ(page_free_count(), arena_free);
}

/* ---------------------------------------------------------------- walker */

static u64 level_size(u32 level)
{
	return 1UL << (12 + 9 * (3 - level));
}

struct snap {
	u64 hash;	  /* every slot of every table, valid or not */
	u64 tables;	  /* non-root tables */
	u64 empty_tables; /* non-root tables with no valid entry */
	u64 foreign;	  /* tables the pool did not hand out */
	u64 leaves;
	u64 mapped; /* bytes */
	u64 blocks_1g, blocks_2m, pages;
	u64 bad; /* malformed descriptors */
};

static u64 mix(u64 h, u64 v)
{
	h ^= v + 0x9e3779b97f4a7c15UL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdUL;
}

static bool table_empty(const u64 *slots)
{
	u32 i;

	for (i = 0; i < 512; i++)
		if (slots[i] & 1)
			return false;
	return true;
}

static void snap_table(struct snap *s, const u64 *slots, u64 n, u32 level, u64 base)
{
	u64 i;

	for (i = 0; i < n; i++) {
		u64 d = slots[i];

		s->hash = mix(mix(s->hash, (u64)(uintptr_t)&slots[i]), d);
		if (!(d & 1))
			continue;
		if (level < 3 && (d & 3) == 3) {
			const u64 *child = (const u64 *)(uintptr_t)OA(d);

			s->tables++;
			if (!pt_pool_in_use(&pool, pa_init(OA(d))))
				s->foreign++;
			else if (table_empty(child))
				s->empty_tables++;
			if (pt_pool_owns(&pool, pa_init(OA(d))))
				snap_table(s, child, 512, level + 1, base + i * level_size(level));
			continue;
		}
		if ((level == 3) != ((d & 3) == 3) || level == 0 ||
		    (OA(d) & (level_size(level) - 1)))
			s->bad++;
		s->leaves++;
		s->mapped += level_size(level);
		s->blocks_1g += level == 1;
		s->blocks_2m += level == 2;
		s->pages += level == 3;
	}
}

static struct snap snap(void)
{
	struct snap s = {0};

	snap_table(&s, pa_to_ptr(pt.root), (u64)pt.root_pages * 512, pt.start_level, 0);
	/* Structure invariants hold after every operation. */
	CHECK_EQ(s.foreign, 0);
	CHECK_EQ(s.empty_tables, 0);
	CHECK_EQ(s.bad, 0);
	CHECK_EQ(s.tables + pt.root_pages, pool.npages - pt_pool_free(&pool));
	return s;
}

static bool snap_eq(const struct snap *a, const struct snap *b)
{
	return a->hash == b->hash && a->tables == b->tables && a->leaves == b->leaves &&
	       a->mapped == b->mapped;
}

/* The raw leaf descriptor for @ipa, found without the implementation. */
static u64 leaf_desc(u64 ipa, u32 *level_out)
{
	const u64 *slots = pa_to_ptr(pt.root);
	u32 level = pt.start_level;

	for (;;) {
		u32 shift = 12 + 9 * (3 - level);
		u64 idx = level == pt.start_level ? ipa >> shift : (ipa >> shift) & 511;
		u64 d = slots[idx];

		if (level < 3 && (d & 3) == 3) {
			slots = (const u64 *)(uintptr_t)OA(d);
			level++;
			continue;
		}
		if (level_out)
			*level_out = level;
		return d;
	}
}

/* Lookup agrees on PA, attributes and leaf size. */
static void expect_map(u64 ipa, u64 pa, u32 attrs, u64 size)
{
	paddr_t got_pa = pa_init(~0UL);
	u32 got_attrs = ~0U;
	u64 got_size = 0;

	CHECK(s2_lookup(&pt, ipa_init(ipa), &got_pa, &got_attrs, &got_size));
	CHECK_EQ(pa_addr(got_pa), pa);
	CHECK_EQ(got_attrs, attrs);
	CHECK_EQ(got_size, size);
}

static void expect_unmapped(u64 ipa)
{
	CHECK(!s2_lookup(&pt, ipa_init(ipa), NULL, NULL, NULL));
}

static int map(u64 ipa, u64 pa, u64 size, u32 attrs)
{
	return s2_map(&pt, ipa_init(ipa), pa_init(pa), size, attrs);
}

static int unmap(u64 ipa, u64 size)
{
	return s2_unmap(&pt, ipa_init(ipa), size);
}

static int protect(u64 ipa, u64 size, u32 attrs)
{
	return s2_protect(&pt, ipa_init(ipa), size, attrs);
}

/* ---------------------------------------------------------------- tests */

static void test_init_roots(void)
{
	struct s2_cfg bad;

	setup(cfg40());
	CHECK_EQ(pt.root_pages, 2);
	CHECK_EQ(pt.start_level, 1);
	CHECK_EQ(pt.vmid, VMID);
	CHECK_EQ(pt_pool_free(&pool), POOL_PAGES - 2);
	CHECK(IS_ALIGNED(pa_addr(pt.root), 2 * PAGE_SIZE)); /* concatenated: size aligned */
	CHECK(pt_pool_in_use(&pool, pt.root));
	CHECK(pt_pool_in_use(&pool, pa_add(pt.root, PAGE_SIZE)));
	CHECK_EQ(s2_vttbr(&pt), pa_addr(pt.root) | ((u64)VMID << 48));
	expect_unmapped(0);
	teardown();

	setup(cfg32());
	CHECK_EQ(pt.root_pages, 4);
	CHECK(IS_ALIGNED(pa_addr(pt.root), 4 * PAGE_SIZE));
	CHECK_EQ(pt_pool_free(&pool), POOL_PAGES - 4);
	teardown();

	/* Inconsistent configurations are refused and take nothing. */
	setup(cfg40());
	{
		struct s2_pgtable other;
		u32 before = pt_pool_free(&pool);

		bad = cfg_of(40, 1, 1); /* 40 bits at L1 needs 2 tables */
		CHECK_EQ(s2_init(&other, &bad, 1, &pool), -E_INVAL);
		bad = cfg_of(40, 2, 2); /* L2 cannot reach 40 bits */
		CHECK_EQ(s2_init(&other, &bad, 1, &pool), -E_INVAL);
		bad = *cfg40();
		bad.vtcr = (bad.vtcr & ~0x3fUL) | 25; /* T0SZ disagrees */
		CHECK_EQ(s2_init(&other, &bad, 1, &pool), -E_INVAL);
		bad = *cfg40();
		bad.vtcr &= ~(3UL << 6); /* SL0 says L2 */
		CHECK_EQ(s2_init(&other, &bad, 1, &pool), -E_INVAL);
		bad = cfg_of(24, 2, 1);
		CHECK_EQ(s2_init(&other, &bad, 1, &pool), -E_INVAL);
		/* 8-bit VMIDs unless VTCR.VS */
		CHECK_EQ(s2_init(&other, cfg40(), 0x100, &pool), -E_INVAL);
		CHECK_EQ(pt_pool_free(&pool), before);
		bad = *cfg40();
		bad.vtcr |= 1UL << 19;
		CHECK_EQ(s2_init(&other, &bad, 0x1234, &pool), 0);
		CHECK_EQ(s2_vttbr(&other) >> 48, 0x1234);
		CHECK_EQ(pt_pool_free(&pool), before - 2);
		s2_destroy(&other);
		CHECK_EQ(pt_pool_free(&pool), before);
	}
	teardown();

	/* A pool too small for the root fails cleanly. */
	page_alloc_init();
	CHECK_EQ(page_alloc_add_region(ptr_to_pa(arena), ARENA_SIZE), 0);
	CHECK_EQ(pt_pool_init(&pool, 1), 0);
	CHECK_EQ(s2_init(&pt, cfg40(), VMID, &pool), -E_NOMEM);
	CHECK_EQ(pt_pool_free(&pool), 1);
	CHECK_EQ(pt_pool_release(&pool), 0);
}

static void test_map_page_lookup(void)
{
	struct snap s;

	setup(cfg40());
	CHECK_EQ(map(0x1000, 0x80003000, PAGE_SIZE, S2_RW), 0);
	expect_map(0x1000, 0x80003000, S2_RW, PAGE_SIZE);
	expect_map(0x1ff8, 0x80003ff8, S2_RW, PAGE_SIZE); /* offset carried */
	expect_unmapped(0x0);
	expect_unmapped(0x2000);
	s = snap();
	CHECK_EQ(s.tables, 2); /* L2 + L3 below the L1 root */
	CHECK_EQ(s.pages, 1);
	/* NULL out parameters are allowed. */
	CHECK(s2_lookup(&pt, ipa_init(0x1000), NULL, NULL, NULL));
	teardown();
}

/* Descriptor bits against the Arm ARM layout, with literal positions. */
static void test_descriptor_bits(void)
{
	u64 d;
	u32 level;

	setup(cfg40());
	CHECK_EQ(map(0x1000, 0x80001000, PAGE_SIZE, S2_RW), 0);
	CHECK_EQ(map(0x2000, 0x80002000, PAGE_SIZE, S2_R | S2_X), 0);
	CHECK_EQ(map(0x3000, 0x09000000, PAGE_SIZE, S2_RW | S2_DEVICE), 0);
	CHECK_EQ(map(0x4000, 0x80004000, PAGE_SIZE, S2_R), 0);
	CHECK_EQ(map(SZ_2M, 0x80200000, SZ_2M, S2_RWX), 0);

	d = leaf_desc(0x1000, &level);
	CHECK_EQ(level, 3);
	CHECK_EQ(d & 3, 3); /* page */
	CHECK_EQ(OA(d), 0x80001000);
	CHECK_EQ((d >> 2) & 0xf, 0xf);					  /* MemAttr: Normal WB */
	CHECK_EQ((d >> 6) & 3, 3);					  /* S2AP: RW */
	CHECK_EQ((d >> 8) & 3, 3);					  /* SH: inner */
	CHECK_EQ((d >> 10) & 1, 1);					  /* AF */
	CHECK_EQ((d >> 53) & 3, 2);					  /* XN[1:0] = 0b10 */
	CHECK_EQ(d & ~0x0000fffffffff000UL & ~0x7ffUL & ~(3UL << 53), 0); /* nothing else */

	d = leaf_desc(0x2000, NULL);
	CHECK_EQ((d >> 6) & 3, 1);  /* read only */
	CHECK_EQ((d >> 53) & 3, 0); /* executable */

	d = leaf_desc(0x3000, NULL);
	CHECK_EQ((d >> 2) & 0xf, 0x1); /* Device-nGnRE */
	CHECK_EQ((d >> 8) & 3, 0);
	CHECK_EQ((d >> 53) & 3, 2);
	CHECK_EQ((d >> 6) & 3, 3);

	d = leaf_desc(0x4000, NULL);
	CHECK_EQ((d >> 6) & 3, 1);
	CHECK_EQ((d >> 53) & 3, 2);

	d = leaf_desc(SZ_2M, &level);
	CHECK_EQ(level, 2);
	CHECK_EQ(d & 3, 1); /* block */
	CHECK_EQ(OA(d), 0x80200000);
	CHECK_EQ((d >> 53) & 3, 0);

	expect_map(0x2000, 0x80002000, S2_R | S2_X, PAGE_SIZE);
	expect_map(0x3000, 0x09000000, S2_RW | S2_DEVICE, PAGE_SIZE);
	expect_map(0x4000, 0x80004000, S2_R, PAGE_SIZE);
	expect_map(SZ_2M + PAGE_SIZE, 0x80201000, S2_RWX, SZ_2M);
	teardown();
}

static void test_attrs_invalid(void)
{
	struct snap before;

	setup(cfg40());
	CHECK_EQ(map(0, 0x80000000, PAGE_SIZE, S2_RW), 0);
	before = snap();
	CHECK_EQ(map(0x1000, 0x80001000, PAGE_SIZE, S2_RW | S2_X | S2_DEVICE), -E_INVAL);
	CHECK_EQ(map(0x1000, 0x80001000, PAGE_SIZE, BIT(4)), -E_INVAL);
	CHECK_EQ(protect(0, PAGE_SIZE, S2_X | S2_DEVICE), -E_INVAL);
	CHECK_EQ(protect(0, PAGE_SIZE, 0x80000000U), -E_INVAL);
	{
		struct snap after = snap();

		CHECK(snap_eq(&before, &after));
	}
	teardown();
}

static void test_block_1g(void)
{
	struct snap s;

	setup(cfg40());
	CHECK_EQ(map(SZ_1G, 2 * SZ_1G, SZ_1G, S2_RWX), 0);
	expect_map(SZ_1G, 2 * SZ_1G, S2_RWX, SZ_1G);
	expect_map(SZ_1G + 5 * PAGE_SIZE, 2 * SZ_1G + 5 * PAGE_SIZE, S2_RWX, SZ_1G);
	expect_map(2 * SZ_1G - PAGE_SIZE, 3 * SZ_1G - PAGE_SIZE, S2_RWX, SZ_1G);
	expect_unmapped(SZ_1G - PAGE_SIZE);
	expect_unmapped(2 * SZ_1G);
	s = snap();
	CHECK_EQ(s.tables, 0); /* straight into the L1 root */
	CHECK_EQ(s.blocks_1g, 1);
	teardown();
}

static void test_block_2m(void)
{
	struct snap s;

	setup(cfg40());
	CHECK_EQ(map(SZ_2M, 2 * SZ_2M, 2 * SZ_2M, S2_RW), 0);
	expect_map(SZ_2M, 2 * SZ_2M, S2_RW, SZ_2M);
	expect_map(3 * SZ_2M - PAGE_SIZE, 4 * SZ_2M - PAGE_SIZE, S2_RW, SZ_2M);
	s = snap();
	CHECK_EQ(s.tables, 1);
	CHECK_EQ(s.blocks_2m, 2);
	CHECK_EQ(s.pages, 0);
	teardown();
}

/* IPA aligned but PA only page aligned: blocks are impossible. */
static void test_misaligned_pa_uses_pages(void)
{
	struct snap s;

	setup(cfg40());
	CHECK_EQ(map(SZ_2M, SZ_2M + PAGE_SIZE, 2 * SZ_2M, S2_RW), 0);
	expect_map(SZ_2M, SZ_2M + PAGE_SIZE, S2_RW, PAGE_SIZE);
	expect_map(3 * SZ_2M - PAGE_SIZE, 3 * SZ_2M, S2_RW, PAGE_SIZE);
	s = snap();
	CHECK_EQ(s.pages, 1024);
	CHECK_EQ(s.tables, 3);
	teardown();
}

/* Pages, then a 1 GiB block, then pages, in one call. */
static void test_mixed_range(void)
{
	struct snap s;
	u64 ipa = SZ_1G - 3 * PAGE_SIZE, pa = 4 * SZ_1G - 3 * PAGE_SIZE;

	setup(cfg40());
	CHECK_EQ(map(ipa, pa, SZ_1G + SZ_2M + 4 * PAGE_SIZE, S2_RW), 0);
	expect_map(ipa, pa, S2_RW, PAGE_SIZE);
	expect_map(SZ_1G - PAGE_SIZE, 4 * SZ_1G - PAGE_SIZE, S2_RW, PAGE_SIZE);
	expect_map(SZ_1G, 4 * SZ_1G, S2_RW, SZ_1G);
	expect_map(2 * SZ_1G, 5 * SZ_1G, S2_RW, SZ_2M);
	expect_map(2 * SZ_1G + SZ_2M, 5 * SZ_1G + SZ_2M, S2_RW, PAGE_SIZE);
	expect_unmapped(2 * SZ_1G + SZ_2M + PAGE_SIZE);
	expect_unmapped(ipa - PAGE_SIZE);
	s = snap();
	CHECK_EQ(s.pages, 4);
	CHECK_EQ(s.blocks_1g, 1);
	CHECK_EQ(s.blocks_2m, 1);
	CHECK_EQ(s.tables, 4); /* L2+L3 below 1G, L2+L3 above 2G */
	teardown();
}

static void check_range_errors(u64 top)
{
	struct snap before = snap(), after;
	u64 fifty = 1UL << 48;

	/* one page past the end, and straddling it */
	CHECK_EQ(map(top, 0x80000000, PAGE_SIZE, S2_RW), -E_RANGE);
	CHECK_EQ(map(top - PAGE_SIZE, 0x80000000, 2 * PAGE_SIZE, S2_RW), -E_RANGE);
	CHECK_EQ(unmap(top, PAGE_SIZE), -E_RANGE);
	CHECK_EQ(unmap(top - PAGE_SIZE, 2 * PAGE_SIZE), -E_RANGE);
	CHECK_EQ(protect(top, PAGE_SIZE, S2_R), -E_RANGE);
	/* ipa + size wrapping around zero */
	CHECK_EQ(map(~0UL & ~0xfffUL, 0x80000000, 2 * PAGE_SIZE, S2_RW), -E_RANGE);
	CHECK_EQ(map(2 * PAGE_SIZE, 0x80000000, 0UL - PAGE_SIZE, S2_RW), -E_RANGE);
	CHECK_EQ(unmap(2 * PAGE_SIZE, 0UL - PAGE_SIZE), -E_RANGE);
	CHECK_EQ(protect(2 * PAGE_SIZE, 0UL - PAGE_SIZE, S2_R), -E_RANGE);
	/* PA beyond the 48-bit output address, and wrapping */
	CHECK_EQ(map(0, fifty - PAGE_SIZE, 2 * PAGE_SIZE, S2_RW), -E_RANGE);
	CHECK_EQ(map(0, fifty, PAGE_SIZE, S2_RW), -E_RANGE);
	CHECK_EQ(map(0, ~0UL & ~0xfffUL, 2 * PAGE_SIZE, S2_RW), -E_RANGE);
	/* alignment and size */
	CHECK_EQ(map(0, 0x80000000, 0, S2_RW), -E_INVAL);
	CHECK_EQ(map(0x800, 0x80000000, PAGE_SIZE, S2_RW), -E_INVAL);
	CHECK_EQ(map(0, 0x80000800, PAGE_SIZE, S2_RW), -E_INVAL);
	CHECK_EQ(map(0, 0x80000000, 0x1800, S2_RW), -E_INVAL);
	CHECK_EQ(unmap(0, 0), -E_INVAL);
	CHECK_EQ(unmap(0x10, PAGE_SIZE), -E_INVAL);
	CHECK_EQ(protect(0, 0x10, S2_R), -E_INVAL);
	after = snap();
	CHECK(snap_eq(&before, &after));
	CHECK_EQ(fake_arch.tlbi_range, 0);
}

/* The range ending exactly at the top of the IPA space is valid. */
static void test_range_edges(void)
{
	u64 top = 1UL << 32, fifty = 1UL << 48;

	setup(cfg32());
	check_range_errors(top);
	CHECK_EQ(map(top - PAGE_SIZE, fifty - PAGE_SIZE, PAGE_SIZE, S2_RW), 0);
	expect_map(top - PAGE_SIZE, fifty - PAGE_SIZE, S2_RW, PAGE_SIZE);
	expect_unmapped(top);
	expect_unmapped(~0UL);
	CHECK_EQ(protect(top - PAGE_SIZE, PAGE_SIZE, S2_R), 0);
	CHECK_EQ(unmap(top - PAGE_SIZE, PAGE_SIZE), 0);
	expect_unmapped(top - PAGE_SIZE);
	CHECK_EQ(snap().tables, 0);
	teardown();

	setup(cfg40());
	top = 1UL << 40;
	check_range_errors(top);
	CHECK_EQ(map(top - SZ_1G, SZ_1G, SZ_1G, S2_RW), 0);
	expect_map(top - PAGE_SIZE, 2 * SZ_1G - PAGE_SIZE, S2_RW, SZ_1G);
	CHECK_EQ(unmap(top - PAGE_SIZE, PAGE_SIZE), 0); /* split at the very top */
	expect_unmapped(top - PAGE_SIZE);
	expect_map(top - 2 * PAGE_SIZE, 2 * SZ_1G - 2 * PAGE_SIZE, S2_RW, PAGE_SIZE);
	teardown();
}

/* 32-bit IPA: L2 start with four concatenated root tables.  The whole space
 * in one call is 2048 blocks and no table page beyond the root. */
static void test_concatenated_root(void)
{
	u64 top = 1UL << 32;
	struct snap s;
	u64 d;
	u32 level;

	setup(cfg32());
	CHECK_EQ(map(0, 0x100000000UL, top, S2_RW), 0);
	s = snap();
	CHECK_EQ(s.tables, 0);
	CHECK_EQ(s.blocks_2m, 2048);
	expect_map(3 * SZ_1G + SZ_2M + PAGE_SIZE, 0x100000000UL + 3 * SZ_1G + SZ_2M + PAGE_SIZE,
		   S2_RW, SZ_2M);
	/* The entry for 3 GiB + 2 MiB sits in the fourth root page, slot 1. */
	d = leaf_desc(3 * SZ_1G + SZ_2M, &level);
	CHECK_EQ(level, 2);
	CHECK_EQ(((u64 *)pa_to_ptr(pt.root))[3 * 512 + 1], d);
	CHECK_EQ(unmap(0, top), 0);
	s = snap();
	CHECK_EQ(s.leaves, 0);
	CHECK_EQ(pt_pool_free(&pool), POOL_PAGES - 4);
	teardown();
}

/* Mapping over anything mapped fails and changes nothing, not even the
 * free part of the range that the walk would reach first. */
static void test_overlap_exist(void)
{
	struct snap before, after;
	u32 free_before;

	setup(cfg40());
	CHECK_EQ(map(SZ_2M + 0x1000, 0x80001000, 4 * PAGE_SIZE, S2_RW), 0);
	CHECK_EQ(map(SZ_1G, 0x40000000, SZ_1G, S2_RW), 0);
	before = snap();
	free_before = pt_pool_free(&pool);
	CHECK_EQ(map(0, 0x90000000, SZ_2M + 2 * PAGE_SIZE, S2_RW), -E_EXIST);
	CHECK_EQ(map(SZ_2M + 4 * PAGE_SIZE, 0x90000000, 8 * PAGE_SIZE, S2_RW), -E_EXIST);
	CHECK_EQ(map(SZ_2M + 0x1000, 0x80001000, 4 * PAGE_SIZE, S2_RW), -E_EXIST); /* same */
	CHECK_EQ(map(SZ_1G + SZ_2M, 0x90000000, PAGE_SIZE, S2_RW), -E_EXIST); /* inside a block */
	CHECK_EQ(map(SZ_1G - PAGE_SIZE, 0x90000000, 2 * PAGE_SIZE, S2_RW), -E_EXIST);
	after = snap();
	CHECK(snap_eq(&before, &after));
	CHECK_EQ(pt_pool_free(&pool), free_before);
	CHECK_EQ(fake_arch.tlbi_range, 0);
	/* Exactly adjacent is not an overlap. */
	CHECK_EQ(map(SZ_2M, 0x90000000, PAGE_SIZE, S2_RW), 0);
	CHECK_EQ(map(SZ_2M + 5 * PAGE_SIZE, 0x90001000, PAGE_SIZE, S2_RW), 0);
	CHECK_EQ(map(SZ_1G - PAGE_SIZE, 0x90002000, PAGE_SIZE, S2_RW), 0);
	teardown();
}

/* Unmapping one page out of a 1 GiB block: 1G -> 511 x 2M + 511 x 4K, every
 * remaining page still at its old PA with its old attributes. */
static void test_split_unmap_1g(void)
{
	u64 ipa = SZ_1G, pa = 3 * SZ_1G, hole = SZ_1G + SZ_2M + 2 * PAGE_SIZE;
	struct snap s;

	setup(cfg40());
	CHECK_EQ(map(ipa, pa, SZ_1G, S2_RWX), 0);
	memset(&fake_arch, 0, sizeof(fake_arch));
	CHECK_EQ(unmap(hole, PAGE_SIZE), 0);
	expect_unmapped(hole);
	expect_map(ipa, pa, S2_RWX, SZ_2M);
	expect_map(hole - PAGE_SIZE, pa + (hole - PAGE_SIZE - ipa), S2_RWX, PAGE_SIZE);
	expect_map(hole + PAGE_SIZE, pa + (hole + PAGE_SIZE - ipa), S2_RWX, PAGE_SIZE);
	expect_map(ipa + 2 * SZ_2M, pa + 2 * SZ_2M, S2_RWX, SZ_2M);
	expect_map(2 * SZ_1G - PAGE_SIZE, 4 * SZ_1G - PAGE_SIZE, S2_RWX, SZ_2M);
	s = snap();
	CHECK_EQ(s.tables, 2);
	CHECK_EQ(s.blocks_2m, 511);
	CHECK_EQ(s.pages, 511);
	CHECK_EQ(s.mapped, SZ_1G - PAGE_SIZE);
	/* Break-before-make on the block slot: a TLBI for the whole 1 GiB. */
	CHECK(fake_arch.tlbi_range >= 1);
	CHECK_EQ(fake_arch.last_vmid, VMID);
	CHECK(fake_arch.last_ipa <= hole &&
	      fake_arch.last_ipa + fake_arch.last_size >= hole + PAGE_SIZE);
	teardown();
}

/* Unmapping all but the first and last page: both ends split. */
static void test_split_unmap_both_ends(void)
{
	struct snap s;

	setup(cfg40());
	CHECK_EQ(map(SZ_1G, 0, SZ_1G, S2_RW), 0);
	CHECK_EQ(unmap(SZ_1G + PAGE_SIZE, SZ_1G - 2 * PAGE_SIZE), 0);
	expect_map(SZ_1G, 0, S2_RW, PAGE_SIZE);
	expect_map(2 * SZ_1G - PAGE_SIZE, SZ_1G - PAGE_SIZE, S2_RW, PAGE_SIZE);
	expect_unmapped(SZ_1G + PAGE_SIZE);
	expect_unmapped(SZ_1G + SZ_2M);
	expect_unmapped(2 * SZ_1G - 2 * PAGE_SIZE);
	s = snap();
	CHECK_EQ(s.leaves, 2);
	CHECK_EQ(s.tables, 3); /* one L2, two L3 */
	teardown();
}

static void test_split_protect_2m(void)
{
	u64 ipa = 2 * SZ_2M, pa = 0x80000000, page = ipa + 2 * PAGE_SIZE;
	struct snap s, before;
	u32 free_before;

	setup(cfg40());
	CHECK_EQ(map(ipa, pa, SZ_2M, S2_RW), 0);
	free_before = pt_pool_free(&pool);
	memset(&fake_arch, 0, sizeof(fake_arch));
	CHECK_EQ(protect(page, PAGE_SIZE, S2_R), 0);
	expect_map(page, pa + 2 * PAGE_SIZE, S2_R, PAGE_SIZE);
	expect_map(page - PAGE_SIZE, pa + PAGE_SIZE, S2_RW, PAGE_SIZE);
	expect_map(page + PAGE_SIZE, pa + 3 * PAGE_SIZE, S2_RW, PAGE_SIZE);
	expect_map(ipa + SZ_2M - PAGE_SIZE, pa + SZ_2M - PAGE_SIZE, S2_RW, PAGE_SIZE);
	CHECK_EQ(pt_pool_free(&pool), free_before - 1);
	/* The block slot was broken and invalidated before the table went in. */
	CHECK_EQ(fake_arch.tlbi_range, 1);
	CHECK_EQ(fake_arch.last_vmid, VMID);
	CHECK_EQ(fake_arch.last_ipa, ipa);
	CHECK_EQ(fake_arch.last_size, SZ_2M);
	s = snap();
	CHECK_EQ(s.pages, 512);

	/* Back to RW over the whole range: only the one differing page is
	 * rewritten (break, invalidate, make), the other 511 are left alone. */
	before = snap();
	memset(&fake_arch, 0, sizeof(fake_arch));
	CHECK_EQ(protect(ipa, SZ_2M, S2_RW), 0);
	CHECK_EQ(fake_arch.tlbi_range, 1);
	CHECK_EQ(fake_arch.last_ipa, page);
	CHECK_EQ(fake_arch.last_size, PAGE_SIZE);
	CHECK_EQ(fake_arch.pte_stores, 2);
	expect_map(page, pa + 2 * PAGE_SIZE, S2_RW, PAGE_SIZE);
	s = snap();
	CHECK(s.hash != before.hash);
	CHECK_EQ(s.tables, before.tables);
	teardown();
}

/* Protecting part of a block to the attributes it already has needs no
 * split; protecting all of it changes the block in place. */
static void test_protect_no_split_when_same(void)
{
	struct snap before, after;
	u32 free_before;

	setup(cfg40());
	CHECK_EQ(map(SZ_1G, SZ_1G, SZ_1G, S2_RW), 0);
	before = snap();
	free_before = pt_pool_free(&pool);
	memset(&fake_arch, 0, sizeof(fake_arch));
	CHECK_EQ(protect(SZ_1G + SZ_2M, PAGE_SIZE, S2_RW), 0);
	after = snap();
	CHECK(snap_eq(&before, &after));
	CHECK_EQ(pt_pool_free(&pool), free_before);
	CHECK_EQ(fake_arch.tlbi_range, 0);
	CHECK_EQ(fake_arch.pte_stores, 0);

	CHECK_EQ(protect(SZ_1G, SZ_1G, S2_R | S2_X), 0);
	expect_map(SZ_1G + PAGE_SIZE, SZ_1G + PAGE_SIZE, S2_R | S2_X, SZ_1G);
	CHECK_EQ(pt_pool_free(&pool), free_before);
	CHECK_EQ(fake_arch.tlbi_range, 1);
	CHECK_EQ(fake_arch.last_ipa, SZ_1G);
	CHECK_EQ(fake_arch.last_size, SZ_1G);
	/* The permission change went through an invalid entry: two stores. */
	CHECK_EQ(fake_arch.pte_stores, 2);
	teardown();
}

static void test_protect_hole_noent(void)
{
	struct snap before, after;

	setup(cfg40());
	CHECK_EQ(map(0, 0x80000000, 2 * PAGE_SIZE, S2_RW), 0);
	CHECK_EQ(map(3 * PAGE_SIZE, 0x80003000, PAGE_SIZE, S2_RW), 0);
	before = snap();
	CHECK_EQ(protect(0, 4 * PAGE_SIZE, S2_R), -E_NOENT);
	CHECK_EQ(protect(SZ_1G, PAGE_SIZE, S2_R), -E_NOENT);
	after = snap();
	CHECK(snap_eq(&before, &after));
	expect_map(0, 0x80000000, S2_RW, PAGE_SIZE);
	teardown();
}

static void test_unmap_partly_mapped_range(void)
{
	struct snap s;

	setup(cfg40());
	CHECK_EQ(map(PAGE_SIZE, 0x80001000, 2 * PAGE_SIZE, S2_RW), 0);
	CHECK_EQ(map(SZ_2M, 0x80200000, SZ_2M, S2_RW), 0);
	CHECK_EQ(map(5 * SZ_2M, 0x80a00000, PAGE_SIZE, S2_RW), 0);
	CHECK_EQ(unmap(0, 4 * SZ_2M), 0);
	expect_unmapped(PAGE_SIZE);
	expect_unmapped(SZ_2M);
	expect_map(5 * SZ_2M, 0x80a00000, S2_RW, PAGE_SIZE);
	s = snap();
	CHECK_EQ(s.leaves, 1);
	CHECK_EQ(s.tables, 2);
	/* Unmapping nothing is fine and costs no maintenance. */
	memset(&fake_arch, 0, sizeof(fake_arch));
	CHECK_EQ(unmap(SZ_1G, SZ_1G), 0);
	CHECK_EQ(fake_arch.tlbi_range, 0);
	CHECK_EQ(fake_arch.pte_stores, 0);
	teardown();
}

/* Map scattered pages, unmap them one at a time: no empty table survives
 * and the pool ends where it started. */
static void test_empty_tables_freed(void)
{
	static const u64 ipas[] = {0,
				   PAGE_SIZE,
				   SZ_2M,
				   SZ_1G,
				   SZ_1G + SZ_2M + PAGE_SIZE,
				   (1UL << 40) - PAGE_SIZE,
				   7 * SZ_1G + 5 * SZ_2M};
	u32 initial, i;

	setup(cfg40());
	initial = pt_pool_free(&pool);
	for (i = 0; i < ARRAY_SIZE(ipas); i++)
		CHECK_EQ(map(ipas[i], 0x80000000 + i * PAGE_SIZE, PAGE_SIZE, S2_RW), 0);
	CHECK(pt_pool_free(&pool) < initial);
	for (i = 0; i < ARRAY_SIZE(ipas); i++) {
		CHECK_EQ(unmap(ipas[i], PAGE_SIZE), 0);
		snap(); /* checks: no empty table, accounting matches */
	}
	CHECK_EQ(pt_pool_free(&pool), initial);
	CHECK_EQ(snap().tables, 0);

	/* Also after a split: unmap the rest of a split block piecewise. */
	CHECK_EQ(map(0, 0, SZ_2M, S2_RW), 0);
	CHECK_EQ(unmap(PAGE_SIZE, PAGE_SIZE), 0);
	CHECK_EQ(unmap(0, PAGE_SIZE), 0);
	CHECK_EQ(unmap(2 * PAGE_SIZE, SZ_2M - 2 * PAGE_SIZE), 0);
	CHECK_EQ(pt_pool_free(&pool), initial);
	teardown();
}

/* A map needing more tables than the pool has fails with nothing mapped. */
static void test_pool_exhaustion_map(void)
{
	struct snap before, after;

	/* root (2) + 2 spare */
	setup_pool(4, cfg40());
	before = snap();
	/* Straddles a 2 MiB boundary with a misaligned PA: L2 + 2 x L3. */
	CHECK_EQ(map(SZ_2M - PAGE_SIZE, 0x80000000, 2 * PAGE_SIZE, S2_RW), -E_NOMEM);
	after = snap();
	CHECK(snap_eq(&before, &after));
	CHECK_EQ(pt_pool_free(&pool), 2);
	expect_unmapped(SZ_2M - PAGE_SIZE);
	expect_unmapped(SZ_2M);
	CHECK_EQ(fake_arch.pte_stores, 0);
	/* Needing exactly what is left succeeds and drains the pool. */
	CHECK_EQ(map(SZ_2M, 0x80000000, 2 * PAGE_SIZE, S2_RW), 0);
	CHECK_EQ(pt_pool_free(&pool), 0);
	/* Blocks need no table at L1. */
	CHECK_EQ(map(SZ_1G, SZ_1G, SZ_1G, S2_RW), 0);
	teardown();
}

/* Splits need pages too: with too few, the block stays whole. */
static void test_pool_exhaustion_split(void)
{
	struct snap before, after;

	setup_pool(3, cfg40()); /* root (2) + 1: a 1G split to 4K needs 2 */
	CHECK_EQ(map(SZ_1G, 0, SZ_1G, S2_RW), 0);
	before = snap();
	memset(&fake_arch, 0, sizeof(fake_arch));
	CHECK_EQ(unmap(SZ_1G + PAGE_SIZE, PAGE_SIZE), -E_NOMEM);
	CHECK_EQ(protect(SZ_1G + PAGE_SIZE, PAGE_SIZE, S2_R), -E_NOMEM);
	after = snap();
	CHECK(snap_eq(&before, &after));
	CHECK_EQ(pt_pool_free(&pool), 1);
	CHECK_EQ(fake_arch.pte_stores, 0);
	CHECK_EQ(fake_arch.tlbi_range, 0);
	expect_map(SZ_1G + PAGE_SIZE, PAGE_SIZE, S2_RW, SZ_1G);
	/* A 2 MiB-aligned cut needs only one table. */
	CHECK_EQ(unmap(SZ_1G + SZ_2M, SZ_2M), 0);
	expect_map(SZ_1G, 0, S2_RW, SZ_2M);
	expect_unmapped(SZ_1G + SZ_2M);
	CHECK_EQ(pt_pool_free(&pool), 0);
	teardown();
}

/* Creating entries needs only a sync; removing or changing them a TLBI with
 * the VM's VMID. */
static void test_maintenance_counters(void)
{
	setup(cfg40());
	CHECK_EQ(map(0, 0x80000000, 4 * PAGE_SIZE, S2_RW), 0);
	CHECK_EQ(fake_arch.tlbi_range, 0);
	CHECK_EQ(fake_arch.tlbi_vmid, 0);
	CHECK(fake_arch.syncs >= 1);

	memset(&fake_arch, 0, sizeof(fake_arch));
	CHECK_EQ(unmap(PAGE_SIZE, 2 * PAGE_SIZE), 0);
	/* Adjacent pages are invalidated with one range. */
	CHECK_EQ(fake_arch.tlbi_range, 1);
	CHECK_EQ(fake_arch.last_vmid, VMID);
	CHECK_EQ(fake_arch.last_ipa, PAGE_SIZE);
	CHECK_EQ(fake_arch.last_size, 2 * PAGE_SIZE);

	memset(&fake_arch, 0, sizeof(fake_arch));
	CHECK_EQ(protect(0, PAGE_SIZE, S2_R), 0);
	CHECK_EQ(fake_arch.tlbi_range, 1);
	CHECK_EQ(fake_arch.last_ipa, 0);
	CHECK_EQ(fake_arch.last_size, PAGE_SIZE);

	/* Last page gone: its tables are unlinked and invalidated before
	 * going back to the pool. */
	memset(&fake_arch, 0, sizeof(fake_arch));
	CHECK_EQ(unmap(0, SZ_1G), 0);
	CHECK(fake_arch.tlbi_range >= 1);
	CHECK_EQ(fake_arch.last_ipa, 0);
	CHECK_EQ(fake_arch.last_size, SZ_1G); /* the L2 table's reach */
	CHECK_EQ(snap().tables, 0);

	memset(&fake_arch, 0, sizeof(fake_arch));
	s2_destroy(&pt);
	CHECK_EQ(fake_arch.tlbi_vmid, 1);
	CHECK_EQ(fake_arch.last_vmid, VMID);
	CHECK_EQ(pt_pool_release(&pool), 0);
	CHECK_EQ(page_free_count(), arena_free);
}

static void test_destroy_returns_everything(void)
{
	u32 i;

	setup(cfg40());
	for (i = 0; i < 8; i++)
		CHECK_EQ(map(i * SZ_1G + i * SZ_2M + PAGE_SIZE, 0x80000000 + i * SZ_2M,
			     3 * PAGE_SIZE, S2_RW),
			 0);
	CHECK_EQ(map(20 * SZ_1G, 0, SZ_1G, S2_RW), 0);
	CHECK_EQ(unmap(20 * SZ_1G + SZ_2M, PAGE_SIZE), 0);
	CHECK(pt_pool_free(&pool) < POOL_PAGES - 2);
	/* Live tables pin the pool. */
	CHECK_EQ(pt_pool_release(&pool), -E_BUSY);
	CHECK(pt_pool_free(&pool) < POOL_PAGES - 2);
	teardown();
	/* Operations on a destroyed table are refused, not crashes. */
	CHECK_EQ(map(0, 0, PAGE_SIZE, S2_RW), -E_INVAL);
	CHECK_EQ(unmap(0, PAGE_SIZE), -E_INVAL);
	CHECK_EQ(protect(0, PAGE_SIZE, S2_R), -E_INVAL);
	expect_unmapped(0);
	s2_destroy(&pt); /* twice is harmless */
}

static void test_pool_put_checks(void)
{
	paddr_t p;
	u32 free_before;

	setup(cfg40());
	free_before = pt_pool_free(&pool);
	CHECK(pt_pool_get(&pool, &p));
	CHECK_EQ(pt_pool_put(&pool, p), 0);
	CHECK(pt_pool_put(&pool, p) < 0);		 /* twice */
	CHECK(pt_pool_put(&pool, pa_add(p, 8)) < 0);	 /* unaligned */
	CHECK(pt_pool_put(&pool, ptr_to_pa(arena)) < 0); /* not the pool's */
	CHECK(pt_pool_put(&pool, pa_add(pool.base, (u64)pool.npages * PAGE_SIZE)) < 0); /* bitmap */
	CHECK_EQ(pt_pool_free(&pool), free_before);
	CHECK_EQ(pt_pool_get_contig(&pool, 3, &p), -E_INVAL);
	CHECK_EQ(pt_pool_get_contig(&pool, 32, &p), -E_INVAL);
	CHECK_EQ(pt_pool_init(&(struct pt_pool){0}, 0), -E_INVAL);
	CHECK_EQ(pt_pool_init(&(struct pt_pool){0}, 100000), -E_NOMEM);
	CHECK_EQ(page_free_count(), arena_free - POOL_PAGES - pool.meta_pages);
	teardown();
}

int main(void)
{
	arena = aligned_alloc(SZ_2M, ARENA_SIZE);
	if (!arena)
		return 2;
	RUN_TEST(test_init_roots);
	RUN_TEST(test_map_page_lookup);
	RUN_TEST(test_descriptor_bits);
	RUN_TEST(test_attrs_invalid);
	RUN_TEST(test_block_1g);
	RUN_TEST(test_block_2m);
	RUN_TEST(test_misaligned_pa_uses_pages);
	RUN_TEST(test_mixed_range);
	RUN_TEST(test_range_edges);
	RUN_TEST(test_concatenated_root);
	RUN_TEST(test_overlap_exist);
	RUN_TEST(test_split_unmap_1g);
	RUN_TEST(test_split_unmap_both_ends);
	RUN_TEST(test_split_protect_2m);
	RUN_TEST(test_protect_no_split_when_same);
	RUN_TEST(test_protect_hole_noent);
	RUN_TEST(test_unmap_partly_mapped_range);
	RUN_TEST(test_empty_tables_freed);
	RUN_TEST(test_pool_exhaustion_map);
	RUN_TEST(test_pool_exhaustion_split);
	RUN_TEST(test_maintenance_counters);
	RUN_TEST(test_destroy_returns_everything);
	RUN_TEST(test_pool_put_checks);
	free(arena);
	return check_done();
}
