/* The C functions the exception vectors (arch/arm64/entry.S) call.  The
 * hardware enters EL2 through VBAR_EL2, and the vectors hand the trap to
 * the layer that owns it: these are implemented above arch/ (the exit
 * layer, boot), and are the only calls from arch/ upward
 * (tools/check_layers.py lists them apart). */
#ifndef AETHER_ARCH_ENTRY_H
#define AETHER_ARCH_ENTRY_H

#include "types.h"

struct vcpu;

/* A guest trapped, or took an IRQ, FIQ or SError (kind 2 or 3) to EL2:
 * each returns the vCPU to resume (vm/exit/exit.c). */
struct vcpu *handle_guest_sync(struct vcpu *v);
struct vcpu *handle_guest_irq(struct vcpu *v);
struct vcpu *handle_guest_async(struct vcpu *v, u64 kind);
/* The short path of a synchronous exit, called with only x0-x19 and x30
 * saved, x0 as the guest left it (vm/exit/hypercall.c): non-zero when the
 * exit is handled and the guest resumes at once; 0 when nothing was done and
 * handle_guest_sync must run. */
u64 handle_guest_sync_fast(u64 x0, struct vcpu *v);
/* The same for an IRQ (vm/exit/exit_fast.c): non-zero when the guest
 * resumes at once; 0 when handle_guest_irq must run. */
u64 handle_guest_irq_fast(u64 x0, struct vcpu *v);
/* A handler above returned no vCPU: no VM is left (boot/shutdown.c). */
void el2_no_vm_left(void) __attribute__((noreturn));
/* An exception taken at EL2 itself, regs = x0..x30 (boot/el2_fault.c). */
void el2_exception(const u64 *regs, u64 kind);

/* The MMIO short path's device call (arch/arm64/fast_call.S): a tail
 * call from handle_guest_sync_fast's MMIO case, which returns what these
 * do.  fast_load stores read(dev, v, off, size), zero-extended from size
 * bytes (shift = 64 - 8 * size), into *dst; fast_store calls write.  Both
 * return 1, or, with exit work pending, set percpu.sync_done and return 0. */
u64 fast_load(void *dev, struct vcpu *v, u64 off, unsigned size, u64 *dst, unsigned shift,
	      u64 (*read)(void *dev, struct vcpu *v, u64 off, unsigned size));
u64 fast_store(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val,
	       void (*write)(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val));

/* Enters v at EL1 (arch/arm64/entry.S); never returns. */
void guest_resume(struct vcpu *v) __attribute__((noreturn));
/* Stops this CPU for good (arch/arm64/entry.S). */
void cpu_halt(void) __attribute__((noreturn));

#endif
