#ifndef AETHER_VM_INJECT_H
#define AETHER_VM_INJECT_H

#include "types.h"

struct vcpu;

u64 inject_vector_offset(u64 pstate);
/* Each redirects the vCPU to its EL1 vector with ESR/FAR set as hardware
 * would have reported the fault; the faulting instruction is not retired. */
void inject_undef(struct vcpu *v);
void inject_dabt(struct vcpu *v, u64 va, bool write);
void inject_iabt(struct vcpu *v, u64 va);

#endif
