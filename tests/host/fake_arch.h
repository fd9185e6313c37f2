#ifndef AETHER_FAKE_ARCH_H
#define AETHER_FAKE_ARCH_H
#include "types.h"

struct fake_arch_stats {
	unsigned long pte_stores, syncs, tlbi_range, tlbi_vmid;
	u16 last_vmid;
	u64 last_ipa, last_size;
	u64 zeroed; /* bytes through arch_zero */
};
extern struct fake_arch_stats fake_arch;
#endif
