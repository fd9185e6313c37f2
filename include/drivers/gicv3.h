#ifndef AETHER_DRIVERS_GICV3_H
#define AETHER_DRIVERS_GICV3_H

#include "types.h"

/* Brings up the distributor (once) and this CPU's redistributor and CPU
 * interface; returns 0 or -E_NOENT if no redistributor matches the CPU. */
int gic_init_dist(paddr_t gicd);
int gic_init_cpu(paddr_t gicr, u64 gicr_size, u64 mpidr);
void gic_enable_ppi(u32 intid);
u32 gic_ack(void);	 /* INTID, or >= 1020 when nothing is pending */
void gic_eoi(u32 intid); /* priority drop only (EOImode 1) */
void gic_deactivate(u32 intid);
void gic_send_sgi(u64 mpidr, u32 intid);
void gic_enable_spi(u32 intid, u64 target_mpidr);

#define INTID_KICK 0	     /* SGI: "look at your vCPUs again" */
#define INTID_MAINTENANCE 25 /* GIC virtual interface maintenance PPI */
u32 gic_nr_lrs(void);

#endif
