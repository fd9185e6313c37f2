/* A vCPU's self-hosted debug state moving between memory and the CPU
 * (vm/vcpu_debug.c; the semantics are in include/vm/vdebug.h).  Lazy: the
 * breakpoint, watchpoint and MDSCR_EL1 registers stay trapped, and cost a
 * guest nothing, until it arms something; then they are loaded and
 * switched with the vCPU for as long as anything stays armed. */
#ifndef AETHER_VM_VCPU_DEBUG_H
#define AETHER_VM_VCPU_DEBUG_H

#include "types.h"

struct vcpu;

/* A freshly started vCPU: nothing armed, OS lock set. */
void vcpu_debug_reset(struct vcpu *v);
/* v is being loaded onto / saved from / taken off this CPU. */
void vcpu_debug_load(struct vcpu *v);
void vcpu_debug_save(struct vcpu *v);
void vcpu_debug_put(struct vcpu *v);
/* Trapped accesses; false means UNDEF. */
bool vcpu_debug_bpwp(struct vcpu *v, u32 n, u32 op2, bool read, u64 *val);
void vcpu_debug_mdscr(struct vcpu *v, bool read, u64 *val);
void vcpu_debug_oslar(struct vcpu *v, u64 val);
u64 vcpu_debug_oslsr(const struct vcpu *v);

#endif
