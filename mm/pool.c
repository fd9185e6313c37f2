/* Per-VM Stage-2 table page pool: one contiguous reservation plus a bitmap
 * of handed-out pages, so a page can be checked for membership and double
 * returns are caught rather than corrupting the free state. */
#include "mm/pool.h"
#include "mm/page_alloc.h"

#define POOL_WORD_BITS 64U

static u32 pool_words(u32 npages)
{
	return (npages + POOL_WORD_BITS - 1) / POOL_WORD_BITS;
}

static bool pool_test(const struct pt_pool *pool, u32 i)
{
	return (pool->used[i / POOL_WORD_BITS] >> (i % POOL_WORD_BITS)) & 1;
}

static void pool_mark(struct pt_pool *pool, u32 i, bool used)
{
	u64 bit = 1UL << (i % POOL_WORD_BITS);

	if (used)
		pool->used[i / POOL_WORD_BITS] |= bit;
	else
		pool->used[i / POOL_WORD_BITS] &= ~bit;
}

static paddr_t pool_page(const struct pt_pool *pool, u32 i)
{
	return pa_add(pool->base, (u64)i * PAGE_SIZE);
}

/* Kept local so the compiler cannot turn it into a memset call. */
static void pool_zero_page(paddr_t page)
{
	u64 *p = pa_to_ptr(page);
	u32 i;

	for (i = 0; i < PAGE_SIZE / sizeof(u64); i++) {
		p[i] = 0;
		__asm__ volatile("" : : "r"(p) : "memory");
	}
}

int pt_pool_init(struct pt_pool *pool, u32 npages)
{
	u32 meta;
	paddr_t base;

	*pool = (struct pt_pool){0};
	if (!npages)
		return -E_INVAL;
	meta = (u32)(ALIGN_UP((u64)pool_words(npages) * sizeof(u64), PAGE_SIZE) / PAGE_SIZE);
	if (page_alloc_contig((u64)npages + meta, PT_POOL_ALIGN, &base))
		return -E_NOMEM;
	/* page_alloc_contig zeroed everything, bitmap included. */
	pool->base = base;
	pool->npages = npages;
	pool->nfree = npages;
	pool->meta_pages = meta;
	pool->used = pa_to_ptr(pool_page(pool, npages));
	return 0;
}

static void pool_hand_out(struct pt_pool *pool, u32 first, u32 n)
{
	u32 i;

	for (i = first; i < first + n; i++) {
		pool_mark(pool, i, true);
		pool_zero_page(pool_page(pool, i));
	}
	pool->nfree -= n;
	if (pool->hint == first)
		pool->hint = first + n;
}

bool pt_pool_get(struct pt_pool *pool, paddr_t *out)
{
	u32 i;

	if (!pool->nfree)
		return false;
	for (i = pool->hint; i < pool->npages; i++) {
		if (!pool_test(pool, i)) {
			pool_hand_out(pool, i, 1);
			*out = pool_page(pool, i);
			return true;
		}
	}
	return false; /* nfree said otherwise: the bitmap was corrupted */
}

static bool pool_run_free(const struct pt_pool *pool, u32 first, u32 n)
{
	u32 i;

	for (i = first; i < first + n; i++)
		if (pool_test(pool, i))
			return false;
	return true;
}

int pt_pool_get_contig(struct pt_pool *pool, u32 n, paddr_t *out)
{
	u32 first;

	if (!n || n > PT_POOL_MAX_CONTIG || (n & (n - 1)))
		return -E_INVAL;
	if (pool->nfree < n)
		return -E_NOMEM;
	/* base is PT_POOL_ALIGN aligned, so index alignment is PA alignment. */
	for (first = 0; first + n <= pool->npages; first += n) {
		if (pool_run_free(pool, first, n)) {
			pool_hand_out(pool, first, n);
			*out = pool_page(pool, first);
			return 0;
		}
	}
	return -E_NOMEM;
}

bool pt_pool_owns(const struct pt_pool *pool, paddr_t page)
{
	u64 pa = pa_addr(page), base = pa_addr(pool->base);

	return pool->npages && IS_ALIGNED(pa, PAGE_SIZE) && pa >= base &&
	       (pa - base) / PAGE_SIZE < pool->npages;
}

bool pt_pool_in_use(const struct pt_pool *pool, paddr_t page)
{
	if (!pt_pool_owns(pool, page))
		return false;
	return pool_test(pool, (u32)((pa_addr(page) - pa_addr(pool->base)) / PAGE_SIZE));
}

int pt_pool_put(struct pt_pool *pool, paddr_t page)
{
	u32 i;

	if (!pt_pool_in_use(pool, page))
		return -E_INVAL;
	i = (u32)((pa_addr(page) - pa_addr(pool->base)) / PAGE_SIZE);
	pool_mark(pool, i, false);
	pool->nfree++;
	pool->hint = MIN(pool->hint, i);
	return 0;
}

u32 pt_pool_free(const struct pt_pool *pool)
{
	return pool->nfree;
}

int pt_pool_release(struct pt_pool *pool)
{
	if (!pool->npages)
		return 0;
	if (pool->nfree != pool->npages)
		return -E_BUSY;
	if (page_free_contig(pool->base, (u64)pool->npages + pool->meta_pages))
		return -E_INVAL; /* not ours to free: leave it alone */
	*pool = (struct pt_pool){0};
	return 0;
}
