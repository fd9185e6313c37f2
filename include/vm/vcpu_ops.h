/* vCPU state transitions, implemented in vm/vcpu.c (EL2) and by fakes in
 * host tests of the code that requests them (PSCI, trap handlers). */
#ifndef AETHER_VM_VCPU_OPS_H
#define AETHER_VM_VCPU_OPS_H

#include "types.h"

struct vcpu;
struct vm;

/* Arms a powered-off vCPU to start at entry (IPA) with x0 = context_id. */
void vcpu_power_on(struct vcpu *v, u64 entry, u64 context_id);
/* Powers v off; ends its VM when it was the last vCPU on. */
void vcpu_power_off(struct vcpu *v);
/* Idles until the vCPU has something to do (WFI, CPU_SUSPEND). */
void vcpu_wait(struct vcpu *v);
/* Restarts the whole VM from its image (PSCI SYSTEM_RESET). */
void vm_reset(struct vm *vm);

#endif
