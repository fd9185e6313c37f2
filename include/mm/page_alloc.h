/* The hypervisor's own 4 KiB page allocator.
 *
 * Boot code hands in physically contiguous regions of free RAM; each region
 * keeps its metadata (three bits per page) in its own first pages, so
 * nothing here needs a heap.  Every allocation reads as zero: pages move
 * between VMs and the hypervisor, and stale contents would leak between
 * them.  A page is zeroed when handed out unless it was never handed out
 * since boot in a region known to read as zero then (page_alloc_boot_zero):
 * a VM's first start then costs no pass over its RAM, and every later one
 * (restart, slot reuse) still scrubs it.
 *
 * Each allocation remembers where it starts, so a free must name exactly one
 * whole allocation: double frees, frees of foreign pages and frees of the
 * wrong length are refused without touching any state.
 *
 * Not internally locked: callers serialise (boot, and VM creation/teardown
 * under the VM-management lock). */
#ifndef AETHER_MM_PAGE_ALLOC_H
#define AETHER_MM_PAGE_ALLOC_H

#include "types.h"

#define PAGE_ALLOC_MAX_REGIONS 8

/* Forget every region (boot; host tests between cases). */
void page_alloc_init(void);
/* Regions added after this with zero = true are trusted to read as zero
 * (RAM nothing has written since power-on: QEMU's, booted without
 * firmware); the node description's boot_ram_zero.  Default false. */
void page_alloc_boot_zero(bool zero);
/* Manage [base, base + size), trimmed inward to page boundaries.
 * -E_INVAL: too small to hold its metadata and a page; -E_RANGE: wraps;
 * -E_EXIST: overlaps a region already added; -E_NOMEM: region table full. */
int page_alloc_add_region(paddr_t base, u64 size);
/* One zeroed page; false when none is free. */
bool page_alloc(paddr_t *out);
/* @npages zeroed, physically contiguous pages starting at a multiple of
 * @align bytes (a power of two; 0 or anything below PAGE_SIZE means page
 * alignment).  -E_INVAL for bad arguments, -E_NOMEM when no run fits. */
int page_alloc_contig(u64 npages, u64 align, paddr_t *out);
/* Free a single-page allocation.  -E_INVAL if @pa is not the start of a
 * live one-page allocation made here. */
int page_free(paddr_t pa);
/* Free an allocation of exactly @npages pages starting at @pa. */
int page_free_contig(paddr_t pa, u64 npages);
u64 page_free_count(void);

#endif
