/* vCPU power states and kicks (vm/vcpu.c); fakes in host tests of the
 * code that requests them (PSCI, trap handlers). */
#ifndef AETHER_VM_VCPU_OPS_H
#define AETHER_VM_VCPU_OPS_H

#include "types.h"

struct vcpu;

/* Arms a powered-off vCPU to start at entry (IPA) with x0 = context_id. */
void vcpu_power_on(struct vcpu *v, u64 entry, u64 context_id);
/* Powers v off; true when it was the VM's last vCPU on (the caller then
 * ends the VM). */
bool vcpu_power_off(struct vcpu *v);
/* Makes the CPU that runs v look at it again: its interrupts or its power
 * state changed. */
void vcpu_kick(struct vcpu *v);

#endif
