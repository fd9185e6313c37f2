/* MMIO emulation: the per-VM region registry.  Decoding and dispatch are
 * inline in vm/mmio.h (they run on every MMIO exit); all of it is pure C
 * over the values read from ESR/FAR/HPFAR, unit-tested and fuzzed on the
 * host. */
#include "vm/mmio.h"
#include "arch/fault.h"

u64 mmio_fast_mask(const struct mmio_ops *ops, unsigned sas)
{
	u64 size = 1UL << sas, impl = ops->impl_size;

	if (!(ops->widths & size) || impl < size)
		return ~0UL;
	/* Largest power of two not above impl: an aligned access of at most
	 * that size starting below it also ends inside it. */
	impl = 1UL << (63 - __builtin_clzl(impl));
	return (~(impl - 1) | (size - 1)) & ~MMIO_FAST_GUARD;
}

int mmio_register(struct mmio_region *table, u32 *count, ipaddr_t base, u64 size,
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
	table[*count] = (struct mmio_region){base, size, ops, dev, {0}};
	for (unsigned sas = 0; sas < 4; sas++)
		table[*count].fast_mask[sas] = mmio_fast_mask(ops, sas);
	(*count)++;
	return 0;
}
