#ifndef AETHER_ARCH_EL2_MMU_H
#define AETHER_ARCH_EL2_MMU_H

#include "types.h"

enum el2_map_kind { EL2_MAP_TEXT, EL2_MAP_RODATA, EL2_MAP_DATA, EL2_MAP_DEVICE };

/* Identity-maps [base, base+size) for EL2; ranges must not overlap. */
int el2_map(paddr_t base, u64 size, enum el2_map_kind kind);
void el2_mmu_enable(void);
u32 el2_mmu_tables_used(void);

#endif
