/* A bounded per-VM pool of Stage-2 table pages.
 *
 * The pool takes all its pages from the page allocator when the VM is
 * created, so however a guest's mappings fragment, its page tables can never
 * eat into memory the hypervisor or another VM needs: Stage-2 operations
 * fail with -E_NOMEM against the pool instead.
 *
 * The pages are one contiguous, 64 KiB aligned block (a concatenated Stage-2
 * root must be aligned to its size, at most 16 pages), followed by the
 * pool's in-use bitmap.  Not internally locked: a VM's Stage-2 operations
 * are serialised by its owner. */
#ifndef AETHER_MM_POOL_H
#define AETHER_MM_POOL_H

#include "types.h"

#define PT_POOL_ALIGN SZ_64K
#define PT_POOL_MAX_CONTIG 16U

struct pt_pool {
	paddr_t base; /* first table page */
	u32 npages;   /* table pages, bitmap excluded */
	u32 nfree;
	u32 meta_pages; /* bitmap pages after the table pages */
	u32 hint;	/* no free page below this index */
	u64 *used;	/* bit set: page handed out */
};

/* Reserve @npages table pages.  -E_INVAL for 0, -E_NOMEM when the page
 * allocator cannot supply them (nothing is kept in that case). */
int pt_pool_init(struct pt_pool *pool, u32 npages);
/* A zeroed table page; false when the pool is empty. */
bool pt_pool_get(struct pt_pool *pool, paddr_t *out);
/* @n (a power of two, at most 16) zeroed contiguous pages aligned to
 * n * PAGE_SIZE, for a concatenated root.  -E_INVAL or -E_NOMEM. */
int pt_pool_get_contig(struct pt_pool *pool, u32 n, paddr_t *out);
/* Give one page back.  -E_INVAL if it is not a handed-out page of @pool. */
int pt_pool_put(struct pt_pool *pool, paddr_t page);
/* Pages available to pt_pool_get. */
u32 pt_pool_free(const struct pt_pool *pool);
/* @page is one of the pool's table pages (handed out or not). */
bool pt_pool_owns(const struct pt_pool *pool, paddr_t page);
/* @page is one of the pool's pages and currently handed out. */
bool pt_pool_in_use(const struct pt_pool *pool, paddr_t page);
/* Return every page to the page allocator.  Refuses with -E_BUSY, changing
 * nothing, while any page is still handed out: those may still be live page
 * tables.  A zeroed or released pool releases as a no-op. */
int pt_pool_release(struct pt_pool *pool);

#endif
