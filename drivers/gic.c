/* Which host GIC driver runs (include/drivers/gic.h): chosen once from what
 * boot/platform_gic.c read in the DTB. */
#include "drivers/gic.h"
#include "arch/gic_lr.h"
#include "platform_info.h"

bool gic_v2;

int gic_init(void)
{
	gic_v2 = plat.gic_version == 2;
	if (!gic_v2)
		return gicv3_init_dist(plat.gicd);
	arch_gic_vif_use_gich(plat.gich);
	return gicv2_init_dist(plat.gicd, plat.gicc);
}

int gic_init_cpu(u64 mpidr)
{
	return gic_v2 ? gicv2_init_cpu(mpidr) : gicv3_init_cpu(plat.gicr, plat.gicr_size, mpidr);
}

__cold void gic_enable_ppi(u32 intid)
{
	if (gic_v2)
		gicv2_enable_ppi(intid);
	else
		gicv3_enable_ppi(intid);
}

void gic_send_sgi(u64 mpidr, u32 intid)
{
	if (likely(!gic_v2))
		gicv3_send_sgi(mpidr, intid);
	else
		gicv2_send_sgi(mpidr, intid);
}

__cold void gic_enable_spi(u32 intid, u64 target_mpidr)
{
	if (gic_v2)
		gicv2_enable_spi(intid, target_mpidr);
	else
		gicv3_enable_spi(intid, target_mpidr);
}

u32 gic_nr_lrs(void)
{
	return arch_gic_nr_lrs();
}

const char *gic_name(void)
{
	return gic_v2 ? "GICv2" : "GICv3";
}
