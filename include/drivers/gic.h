/* The host's interrupt controller, whichever GIC the DTB named: a GICv3
 * (drivers/gicv3.c, system-register CPU interface) or a GICv2 (drivers/gicv2.c,
 * GIC-400: memory-mapped GICD and GICC).  Everything above calls gic_* and
 * never asks which.  The calls on interrupt paths are inline: one load and one
 * branch pick the version, and the GICv3 path falls through to the same
 * system-register access as before there was a choice.
 *
 * Both drivers run EOImode 1: EOI only drops priority and deactivation is
 * separate, so an interrupt forwarded to a guest through a hardware-linked
 * list register stays active until the guest completes it. */
#ifndef AETHER_DRIVERS_GIC_H
#define AETHER_DRIVERS_GIC_H

#include "arch/sysreg.h"
#include "drivers/gicv2.h"
#include "drivers/gicv3.h"
#include "platform_info.h"
#include "types.h"

#define INTID_KICK 0	     /* SGI: "look at your vCPUs again" */
#define INTID_MAINTENANCE 25 /* GIC virtual interface maintenance PPI, unless the DTB says */

/* What gic_ack returns: the INTID in [23:0] (>= 1020: nothing pending), and
 * on a GICv2 an SGI's source CPU above it.  Hand the whole token back to
 * gic_eoi and gic_deactivate. */
#define GIC_TOKEN_INTID GENMASK(23, 0)

extern bool gic_v2; /* set once by gic_init, before any interrupt */

/* Selects the driver from plat (gic_version) and brings up the distributor
 * and the virtual interface's frame; then gic_init_cpu on every CPU. */
int gic_init(void);
int gic_init_cpu(u64 mpidr);
void gic_enable_ppi(u32 intid);
void gic_send_sgi(u64 mpidr, u32 intid);
void gic_enable_spi(u32 intid, u64 target_mpidr);
u32 gic_nr_lrs(void);
const char *gic_name(void); /* "GICv3" / "GICv2" */

#ifndef AETHER_HOST
static inline u32 gic_ack(void)
{
	if (likely(!gic_v2))
		return (u32)read_icc_iar1_el1() & GIC_TOKEN_INTID;
	return gicv2_ack();
}

static inline void gic_eoi(u32 token) /* priority drop only */
{
	if (likely(!gic_v2))
		write_icc_eoir1_el1(token);
	else
		gicv2_eoi(token);
}

static inline void gic_deactivate(u32 token)
{
	if (likely(!gic_v2))
		write_icc_dir_el1(token);
	else
		gicv2_deactivate(token);
}

/* The same on a host known to have a GICv3 (the IRQ short path). */
static inline u64 gicv3_ack(void)
{
	return read_icc_iar1_el1() & GIC_TOKEN_INTID;
}

static inline void gicv3_eoi(u64 token)
{
	write_icc_eoir1_el1(token);
}

/* The highest-priority pending INTID, not acknowledged (>= 1020: none). */
static inline u64 gicv3_peek(void)
{
	return read_icc_hppir1_el1() & GIC_TOKEN_INTID;
}
#else
u32 gic_ack(void);
void gic_eoi(u32 token);
void gic_deactivate(u32 token);
#endif

#endif
