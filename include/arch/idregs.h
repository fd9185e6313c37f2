/* Feature ID registers by (CRm, op2) and cache maintenance by VA
 * (arch/arm64/idregs.c). */
#ifndef AETHER_ARCH_IDREGS_H
#define AETHER_ARCH_IDREGS_H

#include "types.h"

/* Hardware value of ID register op0=3, op1=0, CRn=0, (CRm, op2); 0 for
 * encodings outside CRm 1..7. */
u64 arch_read_id_reg(u32 crm, u32 op2);
/* Cleans and invalidates a range of memory to the point of coherency. */
void arch_dcache_clean_inval(void *va, u64 size);

#endif
