#ifndef AETHER_ARCH_PMU_H
#define AETHER_ARCH_PMU_H

#include "types.h"

/* Keeps the last PMU event counter for EL2 (counting instructions retired
 * at EL2 only) and returns the MDCR_EL2 bits (HPMN, HPME) that hide it from
 * guests.  With no PMU, guests get whatever there is and this returns 0. */
u64 pmu_reserve_el2_counter(void);
/* Instructions retired at EL2 on this CPU so far (0 without a PMU). */
u64 pmu_el2_instructions(void);

#endif
