#ifndef AETHER_VM_VCPU_H
#define AETHER_VM_VCPU_H

#include "types.h"
#include "vm/vgic.h"
#include "arch/vcpu_ctx.h"
#include "vm/ptimer.h"
#include "vm/vdebug.h"
#include "vm/exit_kind.h"

enum vcpu_state {
	VCPU_OFF = 0, /* powered down (PSCI CPU_OFF or never started) */
	VCPU_RUNNABLE,
	VCPU_STOPPED, /* its VM has ended */
};

/* EL1 virtual timer state, kept per vCPU (CNTVOFF included) so a vCPU can
 * move off a CPU without losing its time base. */
struct vtimer {
	u64 ctl;
	u64 cval;
	u64 voff;
};

struct vm;
struct mmio_region;

/* ctx first: the entry code treats a vcpu pointer as a context pointer. */
struct vcpu {
	struct cpu_ctx ctx;
	struct vm *vm;
	/* The MMIO region this vCPU's last short-path access hit, tried first
	 * (vm/exit/exit_fast.c): an entry of vm->mmio, which only grows while
	 * the VM is built (vm_create resets this with the rest), or at first
	 * mmio_no_region, which nothing passes. */
	const struct mmio_region *mmio_hint;
	/* Exits by kind, counted by the CPU this vCPU runs on alone: no line
	 * shared between CPUs is written on an exit, and no count is lost to
	 * a race (vm_exits sums them). */
	u64 exits[EXIT_KINDS];
	u32 id;	  /* index within the VM; also its virtual MPIDR Aff0 */
	u32 pcpu; /* physical CPU it is pinned to */
	enum vcpu_state state;
	struct vtimer vtimer;
	struct ptimer ptimer; /* emulated EL1 physical timer (PPI 30) */
	bool vtimer_pending;  /* timer fired while the guest could not take it */
	bool fresh;	      /* EL1 system registers still to be reset */
	u64 initial_sp;	      /* SP_EL1 at first entry */
	struct vgic_cpu vgic;
	bool on_cpu;	/* loaded on its physical CPU (not yet switched away) */
	bool saved;	/* arch state below holds its registers (switched out) */
	bool waiting;	/* in WFI on a shared CPU: runs again when it has cause */
	u64 wait_until; /* CNTPCT at which a waiting vCPU is re-checked anyway */
	struct arch_vcpu_ctx arch;
	struct vdebug dbg; /* self-hosted debug state (vm/vcpu_debug.c) */
	u64 run_ticks;	   /* CNTPCT ticks loaded on its CPU, up to run_since */
	u64 run_since;	   /* CNTPCT of the last load while on_cpu */
};

_Static_assert(__builtin_offsetof(struct vcpu, ctx) == 0, "entry.S: vcpu == its context");

#endif
