#ifndef AETHER_DRIVERS_GICV3_H
#define AETHER_DRIVERS_GICV3_H

#include "types.h"

/* The GICv3 driver (drivers/gicv3.c), reached through include/drivers/gic.h.
 * gicv3_init_cpu returns 0 or -E_NOENT if no redistributor matches the CPU. */
int gicv3_init_dist(paddr_t gicd);
int gicv3_init_cpu(paddr_t gicr, u64 gicr_size, u64 mpidr);
void gicv3_enable_ppi(u32 intid);
void gicv3_send_sgi(u64 mpidr, u32 intid);
void gicv3_enable_spi(u32 intid, u64 target_mpidr);

#endif
