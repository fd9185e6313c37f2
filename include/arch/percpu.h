#ifndef AETHER_ARCH_PERCPU_H
#define AETHER_ARCH_PERCPU_H

#include "types.h"

#define MAX_CPUS 8
#define EL2_STACK_SIZE (16 * 1024)

struct vcpu;

/* One per physical CPU; TPIDR_EL2 points at the running CPU's copy so the
 * trap entry code finds the current vCPU with two loads. */
struct percpu {
	struct vcpu *current;
	u32 cpu_id;
	u64 mpidr;
	bool online;
	bool need_resched; /* the slice ended or a vCPU here was woken */
	bool slicing;	   /* more than one vCPU shares this CPU: slice timer on */
};

extern struct percpu percpu_data[MAX_CPUS];

#ifndef AETHER_HOST
#include "arch/sysreg.h"
static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)(uintptr_t)read_tpidr_el2();
}
#endif

#endif
