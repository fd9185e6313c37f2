/* Exceptions injected into a guest by the trap handlers (vm/exit/inject.c). */
#ifndef AETHER_VM_EXIT_INJECT_H
#define AETHER_VM_EXIT_INJECT_H

#include "types.h"

struct vcpu;

/* Each injects through arch/arm64/inject.c; a fault inside the guest's own
 * exception vector ends the VM instead (its on_exit policy may restart it). */
void inject_undef(struct vcpu *v);
void inject_dabt(struct vcpu *v, u64 va, bool write);
void inject_iabt(struct vcpu *v, u64 va);

#endif
