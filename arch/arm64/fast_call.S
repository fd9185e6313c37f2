/* The MMIO short path's device call (vm/exit/exit_fast.c), in assembly so
 * that its C caller needs no stack frame and the call keeps only what it
 * must across the device: the destination and the shift of a load.
 * Called with the guest's x0-x19 and x30 saved (entry.S short_path); both
 * return 1 when the guest may resume at once, or, when the device left exit
 * work (an interrupt raised, a vCPU kicked: percpu.exit_work_short), set
 * percpu.sync_done (the access is complete; the general path only does the
 * work) and return 0.
 * Costs: the load 15 instructions besides the device, the store 10. */
#include "asm-offsets.h"

	.text

/* u64 fast_load(void *dev, struct vcpu *v, u64 off, unsigned size,
 *		 u64 *dst, unsigned shift, read_fn read):
 * *dst = read(dev, v, off, size) zero-extended from size bytes, shift being
 * 64 - 8 * size (a W register's upper half is zero; LDRS* never comes
 * here). */
	.globl	fast_load
	.type	fast_load, %function
fast_load:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x4, x5, [sp, #16]
	blr	x6
	ldp	x4, x5, [sp, #16]
	ldp	x29, x30, [sp], #32
	lsl	x0, x0, x5
	lsr	x0, x0, x5
	str	x0, [x4]
	b	fast_done
	.size	fast_load, . - fast_load

/* u64 fast_store(void *dev, struct vcpu *v, u64 off, unsigned size,
 *		  u64 val, write_fn write): write(dev, v, off, size, val). */
	.globl	fast_store
	.type	fast_store, %function
fast_store:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	blr	x5
	ldp	x29, x30, [sp], #16
	/* fall through */
	.size	fast_store, . - fast_store

fast_done:
	mrs	x1, tpidr_el2
	ldr	w2, [x1, #PCPU_EXIT_WORK_SHORT]
	cbnz	x2, 1f
	mov	x0, #1
	ret
1:	mov	w0, #1
	strb	w0, [x1, #PCPU_SYNC_DONE]
	mov	x0, #0
	ret
