#ifndef AETHER_ARCH_FIRMWARE_H
#define AETHER_ARCH_FIRMWARE_H

#include "types.h"

/* PSCI calls from EL2 to the platform firmware (SMC conduit). */
s64 fw_psci_cpu_on(u64 mpidr, paddr_t entry, u64 context);
void fw_system_off(void) __attribute__((noreturn));
void fw_system_reset(void) __attribute__((noreturn));

#endif
