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
	bool slicing; /* more than one vCPU shares this CPU: slice timer on */
	/* Exactly one vCPU is pinned here: vm/sched.c's table says so too,
	 * this copy is for the exit path (one load, no index). */
	bool alone;
	/* Every list register is zero: set by vgic_vcpu_stop, cleared by the
	 * next vcpu_load (nothing writes them while no vCPU is loaded). */
	bool lrs_zero;
	/* The way back to the guest tests this one word: zero means the
	 * current vCPU keeps running with its list registers as they are, so
	 * the vGIC and the scheduler are not called at all (vm/exit/exit.c). */
	union {
		u64 exit_work;
		struct {
			/* The first four alone: what the short paths test,
			 * which neither read nor change the vGIC model. */
			union {
				u32 exit_work_short;
				struct {
					bool need_resched; /* the slice ended or a vCPU here was
							      woken */
					bool vgic_work;	  /* list registers in use, or to be rebuilt
							   */
					bool cur_changed; /* the current vCPU waited or powered off
							   */
					bool timer_work; /* a guest timer line may change: sample it
							  */
				};
			};
			/* List register 0 holds the current vCPU's virtual
			 * timer, placed by the IRQ short path without the vGIC
			 * model knowing (vm/vgic_fast.h), maybe completed by
			 * now; the general path folds or frees it first. */
			bool vtimer_lr;
		};
	};
	/* The physical PPI of the virtual timer on a GICv3 host, whose IRQ
	 * short path takes it (vm/irq.c); 0 on a GICv2 host: no short path. */
	u32 vtimer_intid;
	/* The vectors' short path completed this exit (an MMIO access) but
	 * left exit work: the general path only does the work. */
	bool sync_done;
	u64 slice_end;	    /* CNTPCT at which the running slice ends; 0: none */
	u64 hyp_timer_cval; /* what the EL2 timer is armed for; 0: off */
};

extern struct percpu percpu_data[MAX_CPUS];

#ifndef AETHER_HOST
#include "arch/sysreg.h"
static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)(uintptr_t)read_tpidr_el2();
}
#else
struct percpu *this_cpu(void); /* host tests supply it */
#endif

#endif
