/* Ending, restarting and resetting VMs (vm/lifecycle.c). */
#ifndef AETHER_VM_LIFECYCLE_H
#define AETHER_VM_LIFECYCLE_H

#include "types.h"
#include "vm/vm.h"

/* Stops every vCPU of the VM; with on_exit = restart (and not a
 * SYSTEM_OFF) schedules a restart instead of ending it for good. */
void vm_end(struct vm *vm, enum vm_end_reason why);
/* A vm_end() is between stopping its VM and logging the end: the run is
 * not over yet, even if no VM is running (vm/sched.c). */
bool vm_end_in_progress(void);
/* Restarts the whole VM from its image (PSCI SYSTEM_RESET). */
void vm_reset(struct vm *vm);
/* Starts an ended VM again from its image (from its vCPU 0's CPU, as a
 * restart is; counted as one when as_restart); -E_BUSY unless it is ended. */
int vm_start(struct vm *vm, bool as_restart);
/* No vCPU of the VM is loaded on any CPU. */
bool vm_quiet(const struct vm *vm);
/* Starts VMs whose restart time has come; run by the CPU of their vCPU 0. */
void vm_run_restarts(u32 cpu);
/* Earliest pending restart time (CNTPCT) for VMs whose vCPU 0 is on cpu. */
u64 vm_next_restart(u32 cpu, u64 limit);

#endif
