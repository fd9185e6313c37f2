#ifndef AETHER_ARCH_GIC_LR_H
#define AETHER_ARCH_GIC_LR_H

#include "types.h"

/* ICH_LR<n>_EL2 (GICv3 spec 12.4.6) */
#define ICH_LR_VINTID_MASK GENMASK(31, 0)
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_PINTID_MASK GENMASK(44, 32)
#define ICH_LR_EOI BIT(41) /* HW = 0: maintenance interrupt when deactivated */
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_GROUP1 BIT(60)
#define ICH_LR_HW BIT(61)
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_PENDING (1UL << 62)
#define ICH_LR_ACTIVE (2UL << 62)

/* ICH_HCR_EL2 */
#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1) /* maintenance IRQ when at most one LR is valid */

/* ICH_VTR_EL2 */
#define ICH_VTR_LISTREGS_MASK GENMASK(4, 0)

u64 arch_read_lr(u32 n);
void arch_write_lr(u32 n, u64 val);

#endif
