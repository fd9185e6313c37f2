/* MMIO emulation: the per-VM region registry.  Decoding and dispatch are
 * inline in vm/mmio.h (they run on every MMIO exit); all of it is pure C
 * over the values read from ESR/FAR/HPFAR, unit-tested and fuzzed on the
 * host. */
#include "vm/mmio.h"
#include "arch/fault.h"

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
	table[*count] = (struct mmio_region){base, size, ops, dev};
	(*count)++;
	return 0;
}
