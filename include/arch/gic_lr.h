#ifndef AETHER_ARCH_GIC_LR_H
#define AETHER_ARCH_GIC_LR_H

#include "types.h"

/* The GIC's virtual interface (list registers and their controls), on either
 * host GIC.  The interface speaks the GICv3 layout everywhere: on a GICv3
 * host the registers are the ICH_*_EL2 system registers and values pass
 * unchanged; on a GICv2 host arch/arm64/gic_lr.c reaches the GICH frame
 * (IHI 0048B 5.3) and converts each list register (gic_lr_to_v2 and
 * gic_lr_from_v2, arch/arm64/gic_lr_v2.c).  Which one is decided once, by
 * arch_gic_vif_use_gich(), before any vCPU runs; the GICv3 path costs one
 * load and one branch. */

/* ICH_LR<n>_EL2 (GICv3 spec 12.4.6) */
#define ICH_LR_VINTID_MASK GENMASK(31, 0)
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_PINTID_MASK GENMASK(44, 32)
#define ICH_LR_EOI BIT(41) /* HW = 0: maintenance interrupt when deactivated */
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_PRIO_MASK GENMASK(55, 48)
#define ICH_LR_GROUP1 BIT(60)
#define ICH_LR_HW BIT(61)
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_STATE_MASK GENMASK(63, 62)
#define ICH_LR_PENDING (1UL << 62)
#define ICH_LR_ACTIVE (2UL << 62)
/* GICv2 hosts only: an SGI's source CPU (GICH_LR.CPUID) travels in bits
 * [44:42] with HW = 0, where ICH_LR_EOI leaves pINTID's other bits unused.
 * Only a virtual GICv2 sets it, and those exist only on GICv2 hosts, so it
 * never reaches an ICH_LR<n>_EL2. */
#define GIC_LR_SGI_SRC GENMASK(44, 42)

/* GICH_LR<n> (IHI 0048B 5.3.11) */
#define GICH_LR_VID GENMASK(9, 0)
#define GICH_LR_PID GENMASK(19, 10)   /* HW = 1 */
#define GICH_LR_CPUID GENMASK(12, 10) /* HW = 0: source of an SGI */
#define GICH_LR_EOI BIT(19)	      /* HW = 0 */
#define GICH_LR_PRIO GENMASK(27, 23)  /* priority [7:3] */
#define GICH_LR_STATE GENMASK(29, 28)
#define GICH_LR_GRP1 BIT(30)
#define GICH_LR_HW BIT(31)

/* ICH_HCR_EL2 and GICH_HCR share these bits */
#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1) /* maintenance IRQ when at most one LR is valid */

/* ICH_VTR_EL2 / GICH_VTR */
#define ICH_VTR_LISTREGS_MASK GENMASK(4, 0)
#define GICH_VTR_LISTREGS GENMASK(5, 0)
#define GIC_MAX_LRS 16 /* ICH_LR0-15; the vGIC uses no more on a GICv2 */

u32 gic_lr_to_v2(u64 lr);
u64 gic_lr_from_v2(u32 lr);

/* GICv2 host: the GICH frame's physical address (mapped by EL2's Stage-1). */
void arch_gic_vif_use_gich(paddr_t gich);

u64 arch_read_lr(u32 n);
void arch_write_lr(u32 n, u64 val);
void arch_gic_hcr_write(u64 val);
/* ICH_LR0_EL2 of a GICv3 host, named statically (the virtual timer's short
 * path, vm/vgic_fast.h): no index switch, no call. */
#ifndef AETHER_HOST
static inline u64 arch_read_lr0_v3(void)
{
	u64 v;

	__asm__ volatile("mrs %0, S3_4_C12_C12_0" : "=r"(v));
	return v;
}

static inline void arch_write_lr0_v3(u64 v)
{
	__asm__ volatile("msr S3_4_C12_C12_0, %0" : : "r"(v));
}
#else
#define arch_read_lr0_v3() arch_read_lr(0)
#define arch_write_lr0_v3(v) arch_write_lr(0, (v))
#endif
u32 arch_gic_nr_lrs(void);
u64 arch_gic_misr(void);  /* maintenance interrupt status */
u64 arch_gic_eisr(void);  /* bit n: LR n completed with EOI = 1 */
u64 arch_gic_elrsr(void); /* bit n: LR n empty */
/* The vCPU's CPU interface state: VMCR and the active-priority register,
 * opaque values that are only saved and restored on the same host. */
u64 arch_gic_vmcr_read(void);
void arch_gic_vmcr_write(u64 v);
u64 arch_gic_apr_read(void);
void arch_gic_apr_write(u64 v);

#endif
