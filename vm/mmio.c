/* MMIO emulation: the per-VM region registry.  Decoding and dispatch are
 * inline in vm/mmio.h (they run on every MMIO exit); all of it is pure C
 * over the values read from ESR/FAR/HPFAR, unit-tested and fuzzed on the
 * host. */
#include "vm/mmio.h"
#include "arch/fault.h"

/* What a vCPU's MMIO hint starts at: a region nothing passes, so the
 * short path needs no NULL test (its first access looks the region up). */
const struct mmio_region mmio_no_region = {.fast_mask = {~0UL, ~0UL, ~0UL, ~0UL}};

u64 mmio_fast_mask(const struct mmio_ops *ops, u64 region_size, unsigned sas)
{
	u64 size = 1UL << sas, impl = ops->impl_size < region_size ? ops->impl_size : region_size;

	if (!(ops->widths & size) || impl < size || ops->general_only)
		return ~0UL;
	/* Largest power of two not above impl: an aligned access of at most
	 * that size starting below it also ends inside it, and inside the
	 * region (the short path needs no range test of its own). */
	impl = 1UL << (63 - __builtin_clzl(impl));
	return (~(impl - 1) | (size - 1)) & ~MMIO_FAST_GUARD;
}

__cold int mmio_register(struct mmio_region *table, u32 *count, ipaddr_t base, u64 size,
			 const struct mmio_ops *ops, void *dev)
{
	u64 b = ipa_addr(base);

	if (*count >= VM_MAX_MMIO_REGIONS || size == 0 || b + size < b)
		return -E_INVAL;
	for (u32 i = 0; i < *count; i++) {
		u64 ob = ipa_addr(table[i].base);
		if (b < ob + table[i].size && ob < b + size)
			return -E_EXIST;
	}
	table[*count] = (struct mmio_region){.base = base,
					     .size = size,
					     .read = ops->read,
					     .dev = dev,
					     .write = ops->write,
					     .ops = ops};
	for (unsigned sas = 0; sas < 4; sas++)
		table[*count].fast_mask[sas] = mmio_fast_mask(ops, size, sas);
	(*count)++;
	return 0;
}
