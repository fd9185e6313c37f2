#ifndef AETHER_ARCH_FIRMWARE_H
#define AETHER_ARCH_FIRMWARE_H

#include "types.h"

/* PSCI calls from EL2 to the platform firmware.  The conduit comes from
 * the DTB's /psci (boot/platform.c); with none, CPU_ON is not supported and
 * power-off or reset halt this CPU. */
enum fw_conduit { FW_CONDUIT_NONE, FW_CONDUIT_SMC };
void fw_set_conduit(enum fw_conduit c);
s64 fw_psci_cpu_on(u64 mpidr, paddr_t entry, u64 context);
void fw_system_off(void) __attribute__((noreturn));
void fw_system_reset(void) __attribute__((noreturn));

#endif
