#ifndef AETHER_VM_SCHED_H
#define AETHER_VM_SCHED_H

#include "types.h"

struct vcpu;

/* The vCPU this CPU should run next, after cur exited; never returns when
 * nothing is left to run anywhere (the machine is powered off). */
struct vcpu *sched_next(struct vcpu *cur);
/* Enters the first vCPU pinned to this CPU; does not return. */
void sched_start(void) __attribute__((noreturn));
/* Programs the EL2 registers that belong to a vCPU's VM. */
void vcpu_load(struct vcpu *v);
void vcpu_reset_el1(void);
struct vcpu *sched_idle(void);
void vcpu_save(struct vcpu *v);
void vcpu_put(struct vcpu *v);
/* The slice timer fired (EL2 physical timer interrupt). */
void sched_tick(void);
/* More than one vCPU is pinned to this CPU. */
bool sched_cpu_shared(void);
void sched_vm_ended(void);
/* Handles every interrupt pending at this CPU (vm/exit.c); cur may be NULL. */
void irq_drain(struct vcpu *cur);
u64 guest_hcr(void);

#endif
