/* Host stand-ins for what vm/vgic/lr.c calls below itself: the list
 * registers, ICH_HCR_EL2, the physical GIC's deactivation and this CPU's
 * percpu (always CPU 0).  tests/host/fake_gic_lr.c; tests read and set
 * the list registers through fake_lr[] as the hardware would hold them. */
#ifndef AETHER_TESTS_FAKE_GIC_LR_H
#define AETHER_TESTS_FAKE_GIC_LR_H

#include "arch/gic_lr.h"
#include "arch/percpu.h"

extern u64 fake_lr[GIC_MAX_LRS];
extern u64 fake_hcr;	     /* last value written to ICH_HCR_EL2 */
extern u32 fake_deactivated; /* gic_deactivate calls */

#endif
