/* libFuzzer harness for the Stage-2 page-table manager.
 *
 * Input: one configuration byte, then 8-byte commands (op, ipa, size, pa,
 * attrs) run against a small IPA space (32 bits with a concatenated L2 root,
 * or 36 bits with an L1 root so 1 GiB blocks occur) and a small pool.
 *
 * A shadow model keeps the expected mapping as a list of extents (IPA, PA,
 * size, attrs): per page, but stored compactly so the whole space can be
 * compared after every step.  After each command:
 *   - the return code is the one the specification predicts;
 *   - a failed command changed no byte of any table and no pool page;
 *   - the tree, walked independently, equals the model exactly (every page's
 *     PA and attributes), and s2_lookup agrees at extent edges and around
 *     the command's range;
 *   - every table page is a handed-out pool page, no non-root table is empty,
 *     and tables + root account for every page missing from the pool;
 *   - map never issued a TLBI, an unmap or protect that changed a live
 *     mapping did, always with the VM's VMID.
 * At the end s2_destroy must give every page back to the pool, and the pool
 * every page back to the allocator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_arch.h"
#include "mm/page_alloc.h"
#include "mm/pool.h"
#include "mm/stage2.h"

#define ARENA_SIZE SZ_1M
#define VMID 0x42
#define OA_LIMIT (1UL << 48)
#define OA(d) ((d)&0x0000fffffffff000UL)
#define MAX_CMDS 256
#define MAX_EXT 4096

#define FUZZ_ASSERT(c)                                                                            \
	do {                                                                                      \
		if (!(c)) {                                                                       \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

struct ext {
	u64 ipa, pa, size;
	u32 attrs;
};

static u8 *arena;
static struct pt_pool pool;
static struct s2_pgtable pt;
static u64 space;

static struct ext model[MAX_EXT], scratch[MAX_EXT], tree[MAX_EXT];
static u32 nmodel, ntree;
static u64 tree_hash; /* of the last full walk; the tree is unchanged since */
static bool trace;    /* FUZZ_STAGE2_TRACE=1: print each command, to read a crash */

/* ---------------------------------------------------------------- model */

static u64 ext_end(const struct ext *e)
{
	return e->ipa + e->size;
}

static void scratch_push(u32 *n, struct ext e)
{
	FUZZ_ASSERT(*n < MAX_EXT);
	scratch[(*n)++] = e;
}

/* Remove [lo, hi) from the model, keeping the parts of extents outside it. */
static void model_cut(u64 lo, u64 hi)
{
	u32 i, n = 0;

	for (i = 0; i < nmodel; i++) {
		struct ext e = model[i];

		if (ext_end(&e) <= lo || e.ipa >= hi) {
			scratch_push(&n, e);
			continue;
		}
		if (e.ipa < lo)
			scratch_push(&n, (struct ext){e.ipa, e.pa, lo - e.ipa, e.attrs});
		if (ext_end(&e) > hi)
			scratch_push(&n, (struct ext){hi, e.pa + (hi - e.ipa), ext_end(&e) - hi,
						      e.attrs});
	}
	memcpy(model, scratch, n * sizeof(*model));
	nmodel = n;
}

static u64 model_overlap(u64 lo, u64 hi)
{
	u64 total = 0;
	u32 i;

	for (i = 0; i < nmodel; i++) {
		u64 a = MAX(lo, model[i].ipa), b = MIN(hi, ext_end(&model[i]));

		if (a < b)
			total += b - a;
	}
	return total;
}

static void model_add(struct ext e)
{
	FUZZ_ASSERT(nmodel < MAX_EXT);
	model[nmodel++] = e;
}

static void model_protect(u64 lo, u64 hi, u32 attrs)
{
	static struct ext pieces[MAX_EXT];
	u32 i, n = 0;

	for (i = 0; i < nmodel; i++) {
		u64 a = MAX(lo, model[i].ipa), b = MIN(hi, ext_end(&model[i]));

		if (a < b)
			pieces[n++] =
				(struct ext){a, model[i].pa + (a - model[i].ipa), b - a, attrs};
	}
	model_cut(lo, hi);
	for (i = 0; i < n; i++)
		model_add(pieces[i]);
}

static int ext_cmp(const void *a, const void *b)
{
	const struct ext *x = a, *y = b;

	return x->ipa < y->ipa ? -1 : x->ipa > y->ipa;
}

static bool ext_joins(const struct ext *a, const struct ext *b)
{
	return ext_end(a) == b->ipa && a->pa + a->size == b->pa && a->attrs == b->attrs;
}

/* Sort and merge, so equal mappings have one representation. */
static void normalize(struct ext *v, u32 *n)
{
	u32 i, out = 0;

	qsort(v, *n, sizeof(*v), ext_cmp);
	for (i = 0; i < *n; i++) {
		if (out && ext_joins(&v[out - 1], &v[i]))
			v[out - 1].size += v[i].size;
		else
			v[out++] = v[i];
	}
	*n = out;
}

static const struct ext *model_find(u64 ipa)
{
	u32 i;

	for (i = 0; i < nmodel; i++)
		if (ipa >= model[i].ipa && ipa < ext_end(&model[i]))
			return &model[i];
	return NULL;
}

/* ---------------------------------------------------------------- tree */

struct walk {
	u64 hash;
	u64 tables;
};

static u64 level_size(u32 level)
{
	return 1UL << (12 + 9 * (3 - level));
}

static u64 mix(u64 h, u64 v)
{
	h ^= v + 0x9e3779b97f4a7c15UL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdUL;
}

static u32 desc_attrs(u64 d)
{
	u32 a = 0;

	if (d & (1UL << 6))
		a |= S2_R;
	if (d & (1UL << 7))
		a |= S2_W;
	if (((d >> 53) & 3) == 0)
		a |= S2_X;
	if (((d >> 2) & 0xf) == 0x1)
		a |= S2_DEVICE;
	else
		FUZZ_ASSERT(((d >> 2) & 0xf) == 0xf && ((d >> 8) & 3) == 3);
	FUZZ_ASSERT(d & (1UL << 10)); /* AF */
	return a;
}

static void tree_leaf(u64 ipa, u64 d, u32 level)
{
	struct ext e = {ipa, OA(d), level_size(level), desc_attrs(d)};

	FUZZ_ASSERT(level >= 1);
	FUZZ_ASSERT((OA(d) & (level_size(level) - 1)) == 0);
	FUZZ_ASSERT((level == 3) == ((d & 3) == 3));
	if (ntree && ext_joins(&tree[ntree - 1], &e)) {
		tree[ntree - 1].size += e.size;
		return;
	}
	FUZZ_ASSERT(ntree < MAX_EXT);
	tree[ntree++] = e;
}

static void walk_table(struct walk *w, const u64 *slots, u64 n, u32 level, u64 base, bool collect)
{
	u64 i;
	bool any = false;

	for (i = 0; i < n; i++) {
		u64 d = slots[i], ipa = base + i * level_size(level);

		w->hash = mix(mix(w->hash, (u64)(uintptr_t)&slots[i]), d);
		if (!(d & 1))
			continue;
		any = true;
		if (level < 3 && (d & 3) == 3) {
			/* No table page outside the pool, or not handed out. */
			FUZZ_ASSERT(pt_pool_in_use(&pool, pa_init(OA(d))));
			w->tables++;
			walk_table(w, (const u64 *)(uintptr_t)OA(d), 512, level + 1, ipa, collect);
		} else if (collect) {
			tree_leaf(ipa, d, level);
		}
	}
	/* Non-root tables are freed once empty. */
	FUZZ_ASSERT(any || level == pt.start_level);
}

static struct walk walk_tree(bool collect)
{
	struct walk w = {0};

	ntree = 0;
	walk_table(&w, pa_to_ptr(pt.root), (u64)pt.root_pages * 512, pt.start_level, 0, collect);
	FUZZ_ASSERT(w.tables + pt.root_pages + pt_pool_free(&pool) == pool.npages);
	tree_hash = w.hash;
	return w;
}

static void check_lookup(u64 ipa)
{
	const struct ext *e;
	paddr_t pa;
	u32 attrs;
	u64 size;
	bool hit;

	if (ipa >= space)
		return;
	e = model_find(ipa);
	hit = s2_lookup(&pt, ipa_init(ipa), &pa, &attrs, &size);
	FUZZ_ASSERT(hit == (e != NULL));
	if (!hit)
		return;
	FUZZ_ASSERT(pa_addr(pa) == e->pa + (ipa - e->ipa));
	FUZZ_ASSERT(attrs == e->attrs);
	FUZZ_ASSERT(size == PAGE_SIZE || size == SZ_2M || size == SZ_1G);
	/* A block is used only where IPA and PA allow it. */
	FUZZ_ASSERT(((ipa ^ pa_addr(pa)) & (size - 1)) == 0);
}

static void check_model(u64 lo, u64 hi)
{
	u32 i;

	walk_tree(true);
	normalize(model, &nmodel);
	FUZZ_ASSERT(ntree == nmodel);
	for (i = 0; i < nmodel; i++) {
		FUZZ_ASSERT(tree[i].ipa == model[i].ipa && tree[i].size == model[i].size);
		FUZZ_ASSERT(tree[i].pa == model[i].pa && tree[i].attrs == model[i].attrs);
		check_lookup(model[i].ipa);
		check_lookup(ext_end(&model[i]) - PAGE_SIZE);
		check_lookup(model[i].ipa + (model[i].size / 2 & ~(PAGE_SIZE - 1)));
		if (model[i].ipa)
			check_lookup(model[i].ipa - PAGE_SIZE);
		check_lookup(ext_end(&model[i]));
	}
	check_lookup(lo);
	check_lookup(lo - PAGE_SIZE);
	check_lookup(hi - PAGE_SIZE);
	check_lookup(hi);
}

/* ---------------------------------------------------------------- commands */

enum op { OP_MAP, OP_UNMAP, OP_PROTECT };

struct cmd {
	enum op op;
	u64 ipa, size, pa;
	u32 attrs;
};

static u16 rd16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u64 decode_ipa(u16 v)
{
	switch (v >> 14) {
	case 0: /* first 64 MiB, any page */ return (u64)(v & 0x3fff) * PAGE_SIZE;
	case 1: /* first 512 MiB, near 2 MiB boundaries */
		return (u64)((v >> 6) & 0xff) * SZ_2M + (u64)(v & 0x3f) * PAGE_SIZE;
	case 2: /* near 1 GiB boundaries, up to just past the top */
		return (u64)(((v >> 8) & 0x3f) % (space / SZ_1G + 1)) * SZ_1G +
		       (u64)((v >> 4) & 0xf) * SZ_2M + (u64)(v & 0xf) * PAGE_SIZE;
	default: /* counting down from the top */ return space - (u64)(v & 0x3fff) * PAGE_SIZE;
	}
}

static u64 decode_size(u16 v, u64 ipa)
{
	switch (v >> 14) {
	case 0: return (u64)(v & 0x3ff) * PAGE_SIZE;
	case 1: return (u64)((v >> 6) & 0xff) * SZ_2M + (u64)(v & 0x3f) * PAGE_SIZE;
	case 2:
		return (u64)((v >> 8) & 0x7) * SZ_1G + (u64)((v >> 4) & 0xf) * SZ_2M +
		       (u64)(v & 0xf) * PAGE_SIZE;
	default:
		if (v & 0x1000) /* wraps around the address space */
			return 0UL - (u64)(v & 0xff) * PAGE_SIZE;
		/* up to the top of the space, give or take a few pages */
		return space - ipa + ((v & 0x800) ? PAGE_SIZE : 0) - (u64)(v & 0x7) * PAGE_SIZE;
	}
}

static u64 decode_pa(u16 v, u64 ipa)
{
	switch (v >> 14) {
	case 0: /* same alignment as the IPA: blocks possible */
		return ipa + (u64)(v & 0x3fff) * SZ_2M;
	case 1: /* arbitrary page offset: mostly pages */
		return ipa + (u64)(v & 0x3fff) * PAGE_SIZE;
	case 2: return (u64)((v >> 4) & 0x3ff) * SZ_1G + (u64)(v & 0xf) * SZ_2M;
	default: /* near the 48-bit output limit */ return OA_LIMIT - (u64)(v & 0x3fff) * PAGE_SIZE;
	}
}

static struct cmd decode(const u8 *p)
{
	struct cmd c;

	c.op = (enum op)(p[0] % 4 == 3 ? OP_MAP : p[0] % 4);
	c.ipa = decode_ipa(rd16(p + 1));
	c.size = decode_size(rd16(p + 3), c.ipa);
	c.pa = decode_pa(rd16(p + 5), c.ipa);
	c.attrs = p[7] & 0xf;
	if (p[7] & 0x80)
		c.attrs |= 0x10; /* not an attribute */
	if (p[7] & 0x40)
		c.ipa += 0x800; /* misaligned */
	if ((p[7] & 0x30) == 0x30)
		c.pa += 0x10;
	return c;
}

/* What the specification says the command returns, or 1 for "0 or
 * -E_NOMEM" (the pool's sufficiency is the implementation's business). */
static int expected(const struct cmd *c)
{
	if (!c->size || (c->ipa | c->size) & (PAGE_SIZE - 1))
		return -E_INVAL;
	if (c->ipa >= space || c->size > space - c->ipa)
		return -E_RANGE;
	if (c->op == OP_MAP) {
		if (c->pa & (PAGE_SIZE - 1))
			return -E_INVAL;
		if (c->pa >= OA_LIMIT || c->size > OA_LIMIT - c->pa)
			return -E_RANGE;
	}
	if (c->op != OP_UNMAP &&
	    ((c->attrs & ~S2_ATTRS_ALL) || ((c->attrs & S2_DEVICE) && (c->attrs & S2_X))))
		return -E_INVAL;
	if (c->op == OP_MAP && model_overlap(c->ipa, c->ipa + c->size))
		return -E_EXIST;
	if (c->op == OP_PROTECT && model_overlap(c->ipa, c->ipa + c->size) != c->size)
		return -E_NOENT;
	return 1;
}

/* Most table pages any operation on [lo, hi) can need: every table below
 * the root that overlaps the range. */
static u64 tables_bound(u64 lo, u64 hi)
{
	u64 n = 0;
	u32 level;

	for (level = pt.start_level + 1; level <= 3; level++) {
		u32 shift = 12 + 9 * (3 - (level - 1));

		n += ((hi - 1) >> shift) - (lo >> shift) + 1;
	}
	return n;
}

/* Does the command change any live mapping (so must have invalidated)? */
static bool changes_live(const struct cmd *c)
{
	u64 lo = c->ipa, hi = c->ipa + c->size;
	u32 i;

	for (i = 0; i < nmodel; i++) {
		u64 a = MAX(lo, model[i].ipa), b = MIN(hi, ext_end(&model[i]));

		if (a < b && (c->op == OP_UNMAP || model[i].attrs != c->attrs))
			return true;
	}
	return false;
}

static void run_cmd(const struct cmd *c)
{
	int want = expected(c), ret;
	bool live = want == 1 && c->op != OP_MAP && changes_live(c);
	u64 hash_before = tree_hash;
	u32 free_before = pt_pool_free(&pool);
	unsigned long tlbi_before = fake_arch.tlbi_range;

	switch (c->op) {
	case OP_MAP: ret = s2_map(&pt, ipa_init(c->ipa), pa_init(c->pa), c->size, c->attrs); break;
	case OP_UNMAP: ret = s2_unmap(&pt, ipa_init(c->ipa), c->size); break;
	default: ret = s2_protect(&pt, ipa_init(c->ipa), c->size, c->attrs); break;
	}
	if (trace)
		fprintf(stderr,
			"%s ipa=%#lx size=%#lx pa=%#lx attrs=%#x -> %d (want %d) pool free %u\n",
			(const char *[]){"map", "unmap", "protect"}[c->op], c->ipa, c->size, c->pa,
			c->attrs, ret, want, pt_pool_free(&pool));
	if (want != 1)
		FUZZ_ASSERT(ret == want);
	else
		FUZZ_ASSERT(ret == 0 || ret == -E_NOMEM);

	if (ret) {
		FUZZ_ASSERT(walk_tree(false).hash == hash_before);
		FUZZ_ASSERT(pt_pool_free(&pool) == free_before);
		FUZZ_ASSERT(fake_arch.tlbi_range == tlbi_before);
		if (ret == -E_NOMEM)
			FUZZ_ASSERT(free_before < tables_bound(c->ipa, c->ipa + c->size));
		check_model(c->ipa, c->ipa + c->size);
		return;
	}
	if (c->op == OP_MAP) {
		model_add((struct ext){c->ipa, c->pa, c->size, c->attrs});
		FUZZ_ASSERT(fake_arch.tlbi_range == tlbi_before);
	} else if (c->op == OP_UNMAP) {
		model_cut(c->ipa, c->ipa + c->size);
	} else {
		model_protect(c->ipa, c->ipa + c->size, c->attrs);
	}
	if (live)
		FUZZ_ASSERT(fake_arch.tlbi_range > tlbi_before);
	if (fake_arch.tlbi_range != tlbi_before)
		FUZZ_ASSERT(fake_arch.last_vmid == VMID);
	check_model(c->ipa, c->ipa + c->size);
}

/* ---------------------------------------------------------------- entry */

static struct s2_cfg make_cfg(bool big)
{
	u32 bits = big ? 36 : 32, level = big ? 1 : 2, pages = big ? 1 : 4;
	struct s2_cfg c = {.ipa_bits = (u8)bits, .start_level = (u8)level, .root_pages = (u8)pages};

	c.vtcr = (64 - bits) | ((u64)(2 - level) << 6) | (1UL << 31);
	return c;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	static const u32 pool_sizes[] = {5, 8, 16, 48};
	struct s2_cfg cfg;
	u64 arena_free;
	size_t off;
	u32 ncmds = 0;

	if (len < 1)
		return 0;
	if (!arena) {
		arena = aligned_alloc(SZ_64K, ARENA_SIZE);
		FUZZ_ASSERT(arena);
		trace = getenv("FUZZ_STAGE2_TRACE") != NULL;
	}
	cfg = make_cfg(data[0] & 1);
	space = 1UL << cfg.ipa_bits;
	page_alloc_init();
	FUZZ_ASSERT(page_alloc_add_region(ptr_to_pa(arena), ARENA_SIZE) == 0);
	arena_free = page_free_count();
	FUZZ_ASSERT(pt_pool_init(&pool, pool_sizes[(data[0] >> 1) & 3]) == 0);
	FUZZ_ASSERT(s2_init(&pt, &cfg, VMID, &pool) == 0);
	memset(&fake_arch, 0, sizeof(fake_arch));
	nmodel = 0;
	walk_tree(false);

	for (off = 1; off + 8 <= len && ncmds < MAX_CMDS; off += 8, ncmds++) {
		struct cmd c = decode(data + off);

		run_cmd(&c);
	}

	s2_destroy(&pt);
	FUZZ_ASSERT(fake_arch.tlbi_vmid == 1 && fake_arch.last_vmid == VMID);
	FUZZ_ASSERT(pt_pool_free(&pool) == pool.npages);
	FUZZ_ASSERT(pt_pool_release(&pool) == 0);
	FUZZ_ASSERT(page_free_count() == arena_free);
	return 0;
}
