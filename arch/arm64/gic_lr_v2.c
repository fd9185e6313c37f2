/* List registers between the GICv3 layout the vGIC writes and a GICv2 host's
 * GICH_LR<n> (IHI 0048B 5.3.11): 10-bit INTIDs, 5 priority bits, and with
 * HW = 0 the EOI bit and an SGI's source CPU where the physical INTID goes
 * with HW = 1.  Pure functions, so the host unit tests run them as they are. */
#include "arch/gic_lr.h"

u32 gic_lr_to_v2(u64 lr)
{
	u64 v = FIELD_PREP(GICH_LR_VID, lr & ICH_LR_VINTID_MASK) |
		FIELD_PREP(GICH_LR_PRIO, FIELD_GET(ICH_LR_PRIO_MASK, lr) >> 3) |
		FIELD_PREP(GICH_LR_STATE, FIELD_GET(ICH_LR_STATE_MASK, lr));

	if (lr & ICH_LR_GROUP1)
		v |= GICH_LR_GRP1;
	if (lr & ICH_LR_HW)
		return (u32)(v | GICH_LR_HW |
			     FIELD_PREP(GICH_LR_PID, FIELD_GET(ICH_LR_PINTID_MASK, lr)));
	if (lr & ICH_LR_EOI)
		v |= GICH_LR_EOI;
	return (u32)(v | FIELD_PREP(GICH_LR_CPUID, FIELD_GET(GIC_LR_SGI_SRC, lr)));
}

u64 gic_lr_from_v2(u32 lr)
{
	u64 v = FIELD_GET(GICH_LR_VID, lr) |
		FIELD_PREP(ICH_LR_PRIO_MASK, FIELD_GET(GICH_LR_PRIO, lr) << 3) |
		FIELD_PREP(ICH_LR_STATE_MASK, FIELD_GET(GICH_LR_STATE, lr));

	if (lr & GICH_LR_GRP1)
		v |= ICH_LR_GROUP1;
	if (lr & GICH_LR_HW)
		return v | ICH_LR_HW | FIELD_PREP(ICH_LR_PINTID_MASK, FIELD_GET(GICH_LR_PID, lr));
	if (lr & GICH_LR_EOI)
		v |= ICH_LR_EOI;
	return v | FIELD_PREP(GIC_LR_SGI_SRC, FIELD_GET(GICH_LR_CPUID, lr));
}
