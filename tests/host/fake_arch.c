/* Host stand-in for arch/arm64/mm.c: plain stores and call counters. */
#include "arch/mm.h"
#include "fake_arch.h"
#include <string.h>

struct fake_arch_stats fake_arch;

void arch_pte_store(u64 *slot, u64 value)
{
	*slot = value;
	fake_arch.pte_stores++;
}

void arch_s2_sync_tables(void)
{
	fake_arch.syncs++;
}

void arch_s2_tlbi_range(u16 vmid, ipaddr_t ipa, u64 size)
{
	fake_arch.tlbi_range++;
	fake_arch.last_vmid = vmid;
	fake_arch.last_ipa = ipa_addr(ipa);
	fake_arch.last_size = size;
}

void arch_zero(void *va, u64 size)
{
	memset(va, 0, size);
	fake_arch.zeroed += size;
}

void arch_s2_tlbi_vmid(u16 vmid)
{
	fake_arch.tlbi_vmid++;
	fake_arch.last_vmid = vmid;
}
