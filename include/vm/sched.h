/* Which vCPU runs on this CPU (vm/sched.c), and loading one onto it
 * (vm/vcpu_switch.c). */
#ifndef AETHER_VM_SCHED_H
#define AETHER_VM_SCHED_H

#include "types.h"

struct vcpu;

/* The vCPU this CPU should run next, after cur exited; NULL on the boot
 * CPU when no VM is left anywhere (the run is over). */
struct vcpu *sched_next(struct vcpu *cur);
/* The first vCPU to enter on this CPU, list registers loaded; NULL as for
 * sched_next. */
struct vcpu *sched_first(void);
/* Waits for a vCPU to become runnable here (see sched_next). */
struct vcpu *sched_idle(void);
/* Idles until the vCPU has something to do (WFI, CPU_SUSPEND). */
void vcpu_wait(struct vcpu *v);

/* Programs the EL2 registers that belong to a vCPU's VM. */
void vcpu_load(struct vcpu *v);
/* Switches v out but keeps it alive: registers saved. */
void vcpu_save(struct vcpu *v);
/* The vCPU that ran here will not run again for now (stopped, off). */
void vcpu_put(struct vcpu *v);

#endif
