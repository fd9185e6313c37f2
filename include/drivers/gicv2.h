#ifndef AETHER_DRIVERS_GICV2_H
#define AETHER_DRIVERS_GICV2_H

#include "types.h"

/* The GICv2 driver (drivers/gicv2.c), reached through include/drivers/gic.h.
 * Interrupt tokens: INTID in [23:0], and for an SGI the source CPU interface
 * number from GICC_IAR.CPUID in [26:24], which EOIR and DIR need back. */
#define GICV2_TOKEN_SRC GENMASK(26, 24)

int gicv2_init_dist(paddr_t gicd, paddr_t gicc);
int gicv2_init_cpu(u64 mpidr);
void gicv2_enable_ppi(u32 intid);
void gicv2_send_sgi(u64 mpidr, u32 intid);
void gicv2_enable_spi(u32 intid, u64 target_mpidr);
u32 gicv2_ack(void);
void gicv2_eoi(u32 token);
void gicv2_deactivate(u32 token);
/* The CPU interface mask (GICD_ITARGETSR bit) of the CPU with this MPIDR,
 * learned when it came up; 0 if it never did. */
u8 gicv2_cpu_mask(u64 mpidr);

#endif
