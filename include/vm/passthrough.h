/* Physical SPIs passed through to VMs by their descriptions
 * (vm/passthrough.c). */
#ifndef AETHER_VM_PASSTHROUGH_H
#define AETHER_VM_PASSTHROUGH_H

#include "types.h"

struct vm;

/* The VM a physical SPI is passed through to, or NULL. */
struct vm *vm_spi_owner(u32 intid);
/* At creation: takes the VM's SPIs and routes them to its vCPU 0's CPU. */
void vm_claim_spis(struct vm *vm);
/* At every start: forwards them into the vGIC with the HW bit. */
void vm_map_spis(struct vm *vm);
/* When the VM ends: deactivates any it left active. */
void vm_release_spis(struct vm *vm);

#endif
