/* Stage-2 page-table manager, 4 KiB granule.
 *
 * One recursive walker serves map, unmap and protect, and runs twice per
 * operation.  The prepare pass (w->dry) only reads: it finds conflicts and
 * counts the table pages the commit will take, walking tables that do not
 * exist yet "virtually" (an empty table for map, or the table a block would
 * split into).  The commit pass then runs the identical decisions on real
 * memory with the pages already in hand, so it has no failure path.
 *
 * Tables built by the commit are filled while unreachable and linked last,
 * so the guest never sees a half-built subtree and edits inside them need no
 * TLB maintenance; only edits to live tables go through s2_set, s2_clear or
 * s2_replace. */
#include "mm/stage2.h"
#include "arch/mm.h"
#include "arch/pte.h"

struct s2_cfg s2_config;

/* The commit pass found the tables different from what the prepare pass
 * saw.  Continuing would leave a guest's translations half-changed. */
#define S2_BUG_ON(cond)                   \
	do {                              \
		if (unlikely(cond))       \
			__builtin_trap(); \
	} while (0)

enum s2_op {
	S2_OP_MAP,
	S2_OP_UNMAP,
	S2_OP_PROTECT,
};

/* A table as the walker sees it. */
struct s2_tbl {
	u64 *slots; /* NULL: virtual, only in the prepare pass */
	u64 tmpl;   /* virtual: entry 0 of a split block; 0 for an empty table */
	bool live;  /* reachable from the root: edits need maintenance */
};

struct s2_walk {
	struct s2_pgtable *pt;
	enum s2_op op;
	bool dry;
	u64 start, end; /* IPA range of the operation */
	u64 pa;		/* map: PA backing @start */
	u64 attr;	/* map, protect: descriptor attribute bits */
	u64 need;	/* prepare: table pages the commit will take */
	paddr_t stash;	/* commit: pre-allocated pages, linked via word 0 */
	u64 nstash;
	u64 tlbi_start, tlbi_end; /* invalidation not yet issued */
};

static int s2_walk_tbl(struct s2_walk *w, struct s2_tbl *t, u32 level, u64 base, u64 start,
		       u64 end);

static u64 s2_entry(const struct s2_tbl *t, u64 idx, u32 level)
{
	if (t->slots)
		return t->slots[idx];
	if (!t->tmpl)
		return 0;
	return t->tmpl + idx * pte_level_size(level);
}

/* ---------------------------------------------------------------- stash */

static paddr_t s2_stash_take(struct s2_walk *w)
{
	paddr_t page = w->stash;
	u64 *link;

	S2_BUG_ON(!w->nstash);
	link = pa_to_ptr(page);
	w->stash = pa_init(*link);
	*link = 0; /* hand the page on as zeroed as the pool gave it */
	w->nstash--;
	return page;
}

static void s2_stash_drain(struct s2_walk *w)
{
	while (w->nstash)
		S2_BUG_ON(pt_pool_put(w->pt->pool, s2_stash_take(w)));
}

static int s2_stash_fill(struct s2_walk *w)
{
	struct pt_pool *pool = w->pt->pool;
	paddr_t page;

	if (w->need > pt_pool_free(pool))
		return -E_NOMEM;
	while (w->nstash < w->need) {
		if (!pt_pool_get(pool, &page)) {
			s2_stash_drain(w);
			return -E_NOMEM;
		}
		*(u64 *)pa_to_ptr(page) = pa_addr(w->stash);
		w->stash = page;
		w->nstash++;
	}
	return 0;
}

/* ---------------------------------------------------------------- maintenance */

static void s2_tlbi_flush(struct s2_walk *w)
{
	if (w->tlbi_end == w->tlbi_start)
		return;
	arch_s2_tlbi_range(w->pt->vmid, ipa_init(w->tlbi_start), w->tlbi_end - w->tlbi_start);
	w->tlbi_start = w->tlbi_end = 0;
}

/* Merge touching ranges so that clearing a run of entries costs one TLBI. */
static void s2_tlbi_defer(struct s2_walk *w, u64 ipa, u64 size)
{
	u64 end = ipa + size;

	if (w->tlbi_end != w->tlbi_start && ipa <= w->tlbi_end && end >= w->tlbi_start) {
		w->tlbi_start = MIN(w->tlbi_start, ipa);
		w->tlbi_end = MAX(w->tlbi_end, end);
		return;
	}
	s2_tlbi_flush(w);
	w->tlbi_start = ipa;
	w->tlbi_end = end;
}

/* invalid -> valid: no TLB can hold the old entry, a later sync suffices. */
static void s2_set(struct s2_tbl *t, u64 idx, u64 d)
{
	arch_pte_store(&t->slots[idx], d);
}

/* valid -> invalid. */
static void s2_clear(struct s2_walk *w, struct s2_tbl *t, u64 idx, u64 ipa, u64 size)
{
	arch_pte_store(&t->slots[idx], 0);
	if (t->live)
		s2_tlbi_defer(w, ipa, size);
}

/* valid -> different valid, the only place it happens.  Break-before-make:
 * two live translations for one IPA (old in a TLB, new in memory) may
 * conflict in the TLB or mix attributes, so the old one must be gone from
 * every TLB before the new one can be fetched. */
static void s2_replace(struct s2_walk *w, struct s2_tbl *t, u64 idx, u64 d, u64 ipa, u64 size)
{
	if (!t->live) {
		arch_pte_store(&t->slots[idx], d);
		return;
	}
	arch_pte_store(&t->slots[idx], 0);
	s2_tlbi_defer(w, ipa, size);
	s2_tlbi_flush(w);
	arch_pte_store(&t->slots[idx], d);
}

/* ---------------------------------------------------------------- shared steps */

static bool s2_covers(u32 level, u64 sbase, u64 cs, u64 ce)
{
	return cs == sbase && ce - cs == pte_level_size(level);
}

static int s2_descend(struct s2_walk *w, struct s2_tbl *t, u64 d, u32 level, u64 sbase, u64 cs,
		      u64 ce)
{
	struct s2_tbl child = {.slots = pa_to_ptr(pte_oa(d)), .live = t->live};

	return s2_walk_tbl(w, &child, level + 1, sbase, cs, ce);
}

/* Replace a block partly inside the range by a table of the same mapping at
 * the next level, apply the operation inside it while it is still private,
 * then swap it in. */
static int s2_split(struct s2_walk *w, struct s2_tbl *t, u64 idx, u64 d, u32 level, u64 sbase,
		    u64 cs, u64 ce)
{
	struct s2_tbl child = {.tmpl = pte_make_leaf(pte_oa(d), level + 1, pte_attr(d))};
	paddr_t page;
	u32 i;
	int ret;

	if (w->dry) {
		w->need++;
		return s2_walk_tbl(w, &child, level + 1, sbase, cs, ce);
	}
	page = s2_stash_take(w);
	for (i = 0; i < PTE_ENTRIES; i++)
		((u64 *)pa_to_ptr(page))[i] = s2_entry(&child, i, level + 1);
	child.slots = pa_to_ptr(page);
	ret = s2_walk_tbl(w, &child, level + 1, sbase, cs, ce);
	arch_s2_sync_tables(); /* contents visible before the pointer */
	s2_replace(w, t, idx, pte_make_table(page), sbase, pte_level_size(level));
	return ret;
}

static bool s2_table_empty(const u64 *slots)
{
	u32 i;

	for (i = 0; i < PTE_ENTRIES; i++)
		if (pte_is_valid(slots[i]))
			return false;
	return true;
}

static void s2_free_table(struct s2_walk *w, struct s2_tbl *t, u64 idx, u32 level, u64 sbase,
			  paddr_t table)
{
	s2_clear(w, t, idx, sbase, pte_level_size(level));
	s2_tlbi_flush(w); /* a walker may hold the table until this completes */
	S2_BUG_ON(pt_pool_put(w->pt->pool, table));
}

/* ---------------------------------------------------------------- map */

static int s2_map_new_table(struct s2_walk *w, struct s2_tbl *t, u64 idx, u32 level, u64 sbase,
			    u64 cs, u64 ce)
{
	struct s2_tbl child = {0};
	paddr_t page;
	int ret;

	if (w->dry) {
		w->need++;
		return s2_walk_tbl(w, &child, level + 1, sbase, cs, ce);
	}
	page = s2_stash_take(w);
	child.slots = pa_to_ptr(page);
	ret = s2_walk_tbl(w, &child, level + 1, sbase, cs, ce);
	arch_s2_sync_tables(); /* contents visible before the pointer */
	s2_set(t, idx, pte_make_table(page));
	return ret;
}

static int s2_map_visit(struct s2_walk *w, struct s2_tbl *t, u64 idx, u32 level, u64 sbase, u64 cs,
			u64 ce)
{
	u64 d = s2_entry(t, idx, level);
	u64 pa = w->pa + (cs - w->start);

	if (pte_is_table(d, level))
		return s2_descend(w, t, d, level, sbase, cs, ce);
	if (pte_is_valid(d))
		return -E_EXIST;
	if (pte_level_has_leaf(level) && s2_covers(level, sbase, cs, ce) &&
	    IS_ALIGNED(pa, pte_level_size(level))) {
		if (!w->dry)
			s2_set(t, idx, pte_make_leaf(pa_init(pa), level, w->attr));
		return 0;
	}
	return s2_map_new_table(w, t, idx, level, sbase, cs, ce);
}

/* ---------------------------------------------------------------- unmap */

static int s2_unmap_table(struct s2_walk *w, struct s2_tbl *t, u64 idx, u64 d, u32 level, u64 sbase,
			  u64 cs, u64 ce)
{
	int ret = s2_descend(w, t, d, level, sbase, cs, ce);

	if (ret || w->dry)
		return ret;
	if (s2_table_empty(pa_to_ptr(pte_oa(d))))
		s2_free_table(w, t, idx, level, sbase, pte_oa(d));
	return 0;
}

static int s2_unmap_visit(struct s2_walk *w, struct s2_tbl *t, u64 idx, u32 level, u64 sbase,
			  u64 cs, u64 ce)
{
	u64 d = s2_entry(t, idx, level);

	if (!pte_is_valid(d))
		return 0;
	if (pte_is_table(d, level))
		return s2_unmap_table(w, t, idx, d, level, sbase, cs, ce);
	if (s2_covers(level, sbase, cs, ce)) {
		if (!w->dry)
			s2_clear(w, t, idx, sbase, pte_level_size(level));
		return 0;
	}
	return s2_split(w, t, idx, d, level, sbase, cs, ce);
}

/* ---------------------------------------------------------------- protect */

static int s2_protect_visit(struct s2_walk *w, struct s2_tbl *t, u64 idx, u32 level, u64 sbase,
			    u64 cs, u64 ce)
{
	u64 d = s2_entry(t, idx, level), nd;

	if (!pte_is_valid(d))
		return -E_NOENT;
	if (pte_is_table(d, level))
		return s2_descend(w, t, d, level, sbase, cs, ce);
	nd = (d & ~PTE_S2_ATTR_MASK) | w->attr;
	if (nd == d) /* nothing to change: keep the block whole */
		return 0;
	if (s2_covers(level, sbase, cs, ce)) {
		if (!w->dry)
			s2_replace(w, t, idx, nd, sbase, pte_level_size(level));
		return 0;
	}
	return s2_split(w, t, idx, d, level, sbase, cs, ce);
}

/* ---------------------------------------------------------------- walker */

static int s2_visit(struct s2_walk *w, struct s2_tbl *t, u64 idx, u32 level, u64 sbase, u64 cs,
		    u64 ce)
{
	switch (w->op) {
	case S2_OP_MAP: return s2_map_visit(w, t, idx, level, sbase, cs, ce);
	case S2_OP_UNMAP: return s2_unmap_visit(w, t, idx, level, sbase, cs, ce);
	case S2_OP_PROTECT: return s2_protect_visit(w, t, idx, level, sbase, cs, ce);
	}
	return -E_INVAL;
}

/* Visit the entries of @t (whose entry 0 maps IPA @base) overlapping
 * [start, end). */
static int s2_walk_tbl(struct s2_walk *w, struct s2_tbl *t, u32 level, u64 base, u64 start, u64 end)
{
	u32 shift = pte_level_shift(level);
	u64 idx = (start - base) >> shift, last = (end - 1 - base) >> shift;
	int ret;

	/* A virtual last-level table holds nothing that could conflict or
	 * need a table: skipping it keeps the prepare pass cheap. */
	if (w->dry && !t->slots && level == PTE_LAST_LEVEL)
		return 0;
	for (; idx <= last; idx++) {
		u64 sbase = base + (idx << shift);
		u64 cs = MAX(start, sbase), ce = MIN(end, sbase + BIT(shift));

		ret = s2_visit(w, t, idx, level, sbase, cs, ce);
		if (ret)
			return ret;
	}
	return 0;
}

static int s2_walk_root(struct s2_walk *w)
{
	struct s2_tbl root = {.slots = pa_to_ptr(w->pt->root), .live = true};

	return s2_walk_tbl(w, &root, w->pt->start_level, 0, w->start, w->end);
}

static int s2_run(struct s2_walk *w)
{
	int ret;

	w->dry = true;
	ret = s2_walk_root(w);
	if (ret)
		return ret;
	ret = s2_stash_fill(w);
	if (ret)
		return ret;
	w->dry = false;
	ret = s2_walk_root(w);
	S2_BUG_ON(ret || w->nstash);
	s2_tlbi_flush(w);
	arch_s2_sync_tables();
	return 0;
}

/* ---------------------------------------------------------------- checks */

static int s2_check_ipa(const struct s2_pgtable *pt, u64 ipa, u64 size)
{
	u64 limit;

	if (!pt->pool || !size || !IS_ALIGNED(ipa | size, PAGE_SIZE))
		return -E_INVAL;
	limit = BIT(pt->ipa_bits);
	if (ipa >= limit || size > limit - ipa)
		return -E_RANGE;
	return 0;
}

static int s2_check_pa(u64 pa, u64 size)
{
	if (!IS_ALIGNED(pa, PAGE_SIZE))
		return -E_INVAL;
	if (pa >= PTE_OA_LIMIT || size > PTE_OA_LIMIT - pa)
		return -E_RANGE;
	return 0;
}

/* Device mappings must be execute-never: the CPU may fetch speculatively
 * from any executable location, and reads of MMIO can have side effects. */
static int s2_attr_bits(u32 attrs, u64 *out)
{
	if ((attrs & ~S2_ATTRS_ALL) || ((attrs & S2_DEVICE) && (attrs & S2_X)))
		return -E_INVAL;
	*out = pte_s2_attr(attrs & S2_DEVICE, attrs & S2_R, attrs & S2_W, attrs & S2_X);
	return 0;
}

static u32 s2_attrs_of(u64 d)
{
	u32 a = 0;

	if (pte_s2_readable(d))
		a |= S2_R;
	if (pte_s2_writable(d))
		a |= S2_W;
	if (pte_s2_executable(d))
		a |= S2_X;
	if (pte_s2_is_device(d))
		a |= S2_DEVICE;
	return a;
}

/* ---------------------------------------------------------------- API */

int s2_map(struct s2_pgtable *pt, ipaddr_t ipa, paddr_t pa, u64 size, u32 attrs)
{
	struct s2_walk w = {.pt = pt, .op = S2_OP_MAP};
	int ret;

	ret = s2_check_ipa(pt, ipa_addr(ipa), size);
	if (!ret)
		ret = s2_check_pa(pa_addr(pa), size);
	if (!ret)
		ret = s2_attr_bits(attrs, &w.attr);
	if (ret)
		return ret;
	w.start = ipa_addr(ipa);
	w.end = w.start + size;
	w.pa = pa_addr(pa);
	return s2_run(&w);
}

int s2_unmap(struct s2_pgtable *pt, ipaddr_t ipa, u64 size)
{
	struct s2_walk w = {.pt = pt, .op = S2_OP_UNMAP};
	int ret;

	ret = s2_check_ipa(pt, ipa_addr(ipa), size);
	if (ret)
		return ret;
	w.start = ipa_addr(ipa);
	w.end = w.start + size;
	return s2_run(&w);
}

int s2_protect(struct s2_pgtable *pt, ipaddr_t ipa, u64 size, u32 attrs)
{
	struct s2_walk w = {.pt = pt, .op = S2_OP_PROTECT};
	int ret;

	ret = s2_check_ipa(pt, ipa_addr(ipa), size);
	if (!ret)
		ret = s2_attr_bits(attrs, &w.attr);
	if (ret)
		return ret;
	w.start = ipa_addr(ipa);
	w.end = w.start + size;
	return s2_run(&w);
}

bool s2_lookup(const struct s2_pgtable *pt, ipaddr_t ipa, paddr_t *pa, u32 *attrs,
	       u64 *mapping_size)
{
	u64 addr = ipa_addr(ipa), d, size;
	const u64 *slots;
	u32 level, shift;

	if (!pt->pool || addr >= BIT(pt->ipa_bits))
		return false;
	slots = pa_to_ptr(pt->root);
	for (level = pt->start_level;; level++) {
		shift = pte_level_shift(level);
		/* The root may be concatenated tables: index it with every bit. */
		d = slots[level == pt->start_level ? addr >> shift
						   : (addr >> shift) & (PTE_ENTRIES - 1)];
		if (!pte_is_table(d, level))
			break;
		slots = pa_to_ptr(pte_oa(d));
	}
	if (!pte_is_leaf(d, level))
		return false;
	size = BIT(shift);
	if (pa)
		*pa = pa_add(pte_oa(d), addr & (size - 1));
	if (attrs)
		*attrs = s2_attrs_of(d);
	if (mapping_size)
		*mapping_size = size;
	return true;
}

/* A root of @start_level that @cfg's VTCR value describes. */
static bool s2_cfg_valid(const struct s2_cfg *cfg)
{
	u32 pages = s2_root_pages(cfg->ipa_bits, cfg->start_level);

	return cfg->ipa_bits >= S2_MIN_IPA_BITS && pages && pages == cfg->root_pages &&
	       FIELD_GET(VTCR_T0SZ_MASK, cfg->vtcr) == 64U - cfg->ipa_bits &&
	       FIELD_GET(VTCR_SL0_MASK, cfg->vtcr) == 2U - cfg->start_level;
}

int s2_init(struct s2_pgtable *pt, const struct s2_cfg *cfg, u16 vmid, struct pt_pool *pool)
{
	paddr_t root;

	if (!pt || !cfg || !pool)
		return -E_INVAL;
	*pt = (struct s2_pgtable){0};
	if (!s2_cfg_valid(cfg))
		return -E_INVAL;
	/* With VTCR_EL2.VS == 0 the VMID is 8 bits and VTTBR_EL2[63:56] RES0. */
	if (!(cfg->vtcr & VTCR_VS) && vmid > 0xff)
		return -E_INVAL;
	if (pt_pool_get_contig(pool, cfg->root_pages, &root))
		return -E_NOMEM;
	pt->root = root;
	pt->vmid = vmid;
	pt->ipa_bits = cfg->ipa_bits;
	pt->start_level = cfg->start_level;
	pt->root_pages = cfg->root_pages;
	pt->pool = pool;
	return 0;
}

static void s2_free_subtree(struct pt_pool *pool, paddr_t table, u32 level)
{
	const u64 *slots = pa_to_ptr(table);
	u32 i;

	for (i = 0; i < PTE_ENTRIES; i++)
		if (pte_is_table(slots[i], level))
			s2_free_subtree(pool, pte_oa(slots[i]), level + 1);
	S2_BUG_ON(pt_pool_put(pool, table));
}

void s2_destroy(struct s2_pgtable *pt)
{
	const u64 *root;
	u64 i;

	if (!pt->pool)
		return;
	/* Cached walks and translations go first: the pool may hand these
	 * pages out again as soon as they are back. */
	arch_s2_tlbi_vmid(pt->vmid);
	root = pa_to_ptr(pt->root);
	for (i = 0; i < (u64)pt->root_pages * PTE_ENTRIES; i++)
		if (pte_is_table(root[i], pt->start_level))
			s2_free_subtree(pt->pool, pte_oa(root[i]), pt->start_level + 1);
	for (i = 0; i < pt->root_pages; i++)
		S2_BUG_ON(pt_pool_put(pt->pool, pa_add(pt->root, i * PAGE_SIZE)));
	*pt = (struct s2_pgtable){0};
}
