/* Bitmap page allocator over a handful of boot-time regions.
 *
 * Per page two bits: "used" (allocated) and "head" (first page of an
 * allocation).  The head bits are what let a free check that it names one
 * whole allocation, so a confused caller cannot free half of someone else's
 * buffer.  Bits past the end of a region are kept "used" so searches never
 * need a bounds check on the last word. */
#include "mm/page_alloc.h"
#include "arch/mm.h"

#define WORD_BITS 64U

struct pa_region {
	u64 start;  /* first byte of the region, metadata included */
	u64 end;    /* one past the last byte */
	u64 base;   /* first allocatable page */
	u64 npages; /* allocatable pages */
	u64 nfree;
	u64 hint; /* no free page below this index */
	u64 *used;
	u64 *head;
	/* Pages that may hold data: handed out since boot, or all of them
	 * unless the region was known to read as zero when added.  Only
	 * these are zeroed when handed out (again). */
	u64 *dirty;
};

/* Regions added while this is set read as zero (page_alloc_boot_zero). */
static bool pa_boot_zero;

static struct pa_region pa_regions[PAGE_ALLOC_MAX_REGIONS];
static u32 pa_nregions;

static bool bm_test(const u64 *bm, u64 i)
{
	return (bm[i / WORD_BITS] >> (i % WORD_BITS)) & 1;
}

static void bm_set(u64 *bm, u64 i)
{
	bm[i / WORD_BITS] |= 1UL << (i % WORD_BITS);
}

static void bm_clear(u64 *bm, u64 i)
{
	bm[i / WORD_BITS] &= ~(1UL << (i % WORD_BITS));
}

/* First set bit in [from, to), or @to. */
static u64 bm_find_set(const u64 *bm, u64 from, u64 to)
{
	u64 i;

	for (i = from; i < to; i++) {
		if (i % WORD_BITS == 0 && bm[i / WORD_BITS] == 0 && to - i >= WORD_BITS) {
			i += WORD_BITS - 1;
			continue;
		}
		if (bm_test(bm, i))
			return i;
	}
	return to;
}

/* First clear bit in whole words [from_word, nwords), or ~0. */
static u64 bm_find_clear(const u64 *bm, u64 from_word, u64 nwords)
{
	u64 w;

	for (w = from_word; w < nwords; w++)
		if (bm[w] != ~0UL)
			return w * WORD_BITS + (u64)__builtin_ctzl(~bm[w]);
	return ~0UL;
}

/* First clear bit in [from, to), or @to. */
static u64 bm_find_clear_in(const u64 *bm, u64 from, u64 to)
{
	u64 i;

	for (i = from; i < to; i++) {
		if (i % WORD_BITS == 0 && bm[i / WORD_BITS] == ~0UL && to - i >= WORD_BITS) {
			i += WORD_BITS - 1;
			continue;
		}
		if (!bm_test(bm, i))
			return i;
	}
	return to;
}

/* Pages and metadata are zeroed with DC ZVA: a whole guest's RAM goes
 * through here, and eight stores per 64 bytes made that most of a Linux
 * guest's start-up time. */
static void pa_zero(u64 pa, u64 bytes)
{
	arch_zero(pa_to_ptr(pa_init(pa)), bytes);
}

static u64 words_for(u64 bits)
{
	return (bits + WORD_BITS - 1) / WORD_BITS;
}

static struct pa_region *pa_region_of(u64 pa)
{
	u32 i;

	for (i = 0; i < pa_nregions; i++) {
		struct pa_region *r = &pa_regions[i];

		if (pa >= r->base && pa - r->base < r->npages * PAGE_SIZE)
			return r;
	}
	return NULL;
}

static bool pa_overlaps(u64 start, u64 end)
{
	u32 i;

	for (i = 0; i < pa_nregions; i++)
		if (start < pa_regions[i].end && pa_regions[i].start < end)
			return true;
	return false;
}

void page_alloc_init(void)
{
	u32 i;

	for (i = 0; i < PAGE_ALLOC_MAX_REGIONS; i++)
		pa_regions[i] = (struct pa_region){0};
	pa_nregions = 0;
	pa_boot_zero = false;
}

/* Metadata pages for a region of @total pages.  Sized for all of them, which
 * over-reserves by at most a page and keeps the arithmetic obvious. */
static u64 pa_meta_pages(u64 total)
{
	return ALIGN_UP(3 * words_for(total) * sizeof(u64), PAGE_SIZE) / PAGE_SIZE;
}

static void pa_region_setup(struct pa_region *r, u64 start, u64 end)
{
	u64 total = (end - start) / PAGE_SIZE;
	u64 meta = pa_meta_pages(total);
	u64 words, i;

	r->start = start;
	r->end = end;
	r->base = start + meta * PAGE_SIZE;
	r->npages = total - meta;
	r->nfree = r->npages;
	r->hint = 0;
	words = words_for(r->npages);
	r->used = pa_to_ptr(pa_init(start));
	r->head = r->used + words;
	r->dirty = r->head + words;
	pa_zero(start, 3 * words * sizeof(u64));
	for (i = r->npages; i < words * WORD_BITS; i++)
		bm_set(r->used, i);
	if (!pa_boot_zero)
		for (i = 0; i < words; i++)
			r->dirty[i] = ~0UL;
}

void page_alloc_boot_zero(bool zero)
{
	pa_boot_zero = zero;
}

/* Zeroes the pages of [idx, idx + n) that may hold data, a run at a time,
 * and marks them all as handed out: a page reused after a free is always
 * zeroed again (scrubbing between owners). */
static void pa_scrub(struct pa_region *r, u64 idx, u64 n)
{
	u64 i = idx, end = idx + n;

	while ((i = bm_find_set(r->dirty, i, end)) < end) {
		u64 e = bm_find_clear_in(r->dirty, i, end);

		pa_zero(r->base + i * PAGE_SIZE, (e - i) * PAGE_SIZE);
		i = e;
	}
	for (i = idx; i < end; i++)
		bm_set(r->dirty, i);
}

int page_alloc_add_region(paddr_t base, u64 size)
{
	u64 raw = pa_addr(base), start, end;

	if (size > ~0UL - raw || raw > ~0UL - (PAGE_SIZE - 1))
		return -E_RANGE;
	start = ALIGN_UP(raw, PAGE_SIZE);
	end = ALIGN_DOWN(raw + size, PAGE_SIZE);
	if (end <= start || (end - start) / PAGE_SIZE <= pa_meta_pages((end - start) / PAGE_SIZE))
		return -E_INVAL;
	if (pa_overlaps(start, end))
		return -E_EXIST;
	if (pa_nregions == PAGE_ALLOC_MAX_REGIONS)
		return -E_NOMEM;
	pa_region_setup(&pa_regions[pa_nregions++], start, end);
	return 0;
}

static void pa_take(struct pa_region *r, u64 idx, u64 npages)
{
	u64 i;

	for (i = idx; i < idx + npages; i++)
		bm_set(r->used, i);
	bm_set(r->head, idx);
	r->nfree -= npages;
	if (r->hint == idx)
		r->hint = idx + npages;
	pa_scrub(r, idx, npages);
}

bool page_alloc(paddr_t *out)
{
	u32 i;

	for (i = 0; i < pa_nregions; i++) {
		struct pa_region *r = &pa_regions[i];
		u64 idx;

		if (!r->nfree)
			continue;
		idx = bm_find_clear(r->used, r->hint / WORD_BITS, words_for(r->npages));
		if (idx == ~0UL) /* hint was stale: cannot happen, but be safe */
			idx = bm_find_clear(r->used, 0, words_for(r->npages));
		if (idx >= r->npages)
			continue;
		pa_take(r, idx, 1);
		*out = pa_init(r->base + idx * PAGE_SIZE);
		return true;
	}
	return false;
}

/* Index of the first page at or after byte offset @from_pa that is
 * @align-aligned, or ~0 if that would overflow. */
static u64 pa_aligned_idx(const struct pa_region *r, u64 from_pa, u64 align)
{
	if (from_pa > ~0UL - (align - 1))
		return ~0UL;
	return (ALIGN_UP(from_pa, align) - r->base) / PAGE_SIZE;
}

static u64 pa_find_run(const struct pa_region *r, u64 npages, u64 align)
{
	u64 idx = pa_aligned_idx(r, r->base, align);

	while (idx < r->npages && npages <= r->npages - idx) {
		u64 busy = bm_find_set(r->used, idx, idx + npages);

		if (busy == idx + npages)
			return idx;
		idx = pa_aligned_idx(r, r->base + (busy + 1) * PAGE_SIZE, align);
	}
	return ~0UL;
}

int page_alloc_contig(u64 npages, u64 align, paddr_t *out)
{
	u32 i;

	if (!npages || !out || (align & (align - 1)))
		return -E_INVAL;
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	for (i = 0; i < pa_nregions; i++) {
		struct pa_region *r = &pa_regions[i];
		u64 idx;

		if (r->nfree < npages)
			continue;
		idx = pa_find_run(r, npages, align);
		if (idx == ~0UL)
			continue;
		pa_take(r, idx, npages);
		*out = pa_init(r->base + idx * PAGE_SIZE);
		return 0;
	}
	return -E_NOMEM;
}

/* True if [idx, idx + npages) is exactly one live allocation. */
static bool pa_is_allocation(const struct pa_region *r, u64 idx, u64 npages)
{
	u64 end = idx + npages, i;

	if (!bm_test(r->head, idx))
		return false;
	for (i = idx; i < end; i++)
		if (!bm_test(r->used, i) || (i != idx && bm_test(r->head, i)))
			return false;
	/* The next page must not continue this allocation. */
	return end == r->npages || !bm_test(r->used, end) || bm_test(r->head, end);
}

int page_free_contig(paddr_t pa, u64 npages)
{
	u64 addr = pa_addr(pa), idx, i;
	struct pa_region *r;

	if (!npages || !IS_ALIGNED(addr, PAGE_SIZE))
		return -E_INVAL;
	r = pa_region_of(addr);
	if (!r)
		return -E_INVAL;
	idx = (addr - r->base) / PAGE_SIZE;
	if (npages > r->npages - idx || !pa_is_allocation(r, idx, npages))
		return -E_INVAL;
	for (i = idx; i < idx + npages; i++)
		bm_clear(r->used, i);
	bm_clear(r->head, idx);
	r->nfree += npages;
	r->hint = MIN(r->hint, idx);
	return 0;
}

int page_free(paddr_t pa)
{
	return page_free_contig(pa, 1);
}

u64 page_free_count(void)
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < pa_nregions; i++)
		n += pa_regions[i].nfree;
	return n;
}
