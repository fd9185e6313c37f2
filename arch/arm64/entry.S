/* EL2 exception vectors and the guest entry/exit path (boot flow step 3).
 *
 * Exceptions from the guest save its x0-x30, ELR_EL2 and SPSR_EL2 into the
 * current vCPU's context, call a C handler that returns the vCPU to resume
 * (possibly another one), and restore from that.  Exceptions taken while at
 * EL2 are hypervisor bugs: they are reported with full state, never looped
 * on silently.
 *
 * Synchronous exits from AArch64 and every IRQ from the guest first save
 * only what a C call may clobber (x0-x18, x30) and x19, which then holds
 * the vCPU across the call (short_path).  handle_guest_sync_fast handles
 * what it can (a leaf hypercall, the common MMIO access), and
 * handle_guest_irq_fast the virtual timer; the guest then resumes after
 * restoring those registers alone.  Everything else completes the save
 * and takes the general path. */
#include "asm-offsets.h"

#define KIND_SYNC 0
#define KIND_IRQ 1
#define KIND_FIQ 2
#define KIND_SERROR 3

/* A vector slot holds 32 instructions.  A slot whose exception never
 * needs more than a branch elsewhere (`slot_branch`) keeps the rest of its
 * 128 bytes for code the branches reach (`slot_tail`), so the image does
 * not carry 14 slots of padding; every handler here lives inside the table.
 * The assembler refuses a slot that overflows. */
.macro slot_begin label
	.balign	0x80
\label:
.endm
.macro slot_end label
	.if	(. - \label) > 0x80
	.error	"a vector slot overflows"
	.endif
.endm

/* A short path in place, in its 128-byte vector slot (exactly 32
 * instructions): save what a C call may clobber (x0-x18, x30) and x19,
 * which holds the vCPU across the call; handler(x0 as the guest left it,
 * vcpu) returns non-zero when the guest resumes at once, after restoring
 * those registers alone (ELR_EL2 and SPSR_EL2 still hold the guest's
 * values: nothing in between can take an exception or change them), and 0
 * to complete the save at rest. */
.macro short_path label, handler, rest
	.balign	0x80
\label:
	stp	x18, x19, [sp, #-16]!
	mrs	x19, tpidr_el2
	ldr	x19, [x19, #PCPU_CURRENT]
	stp	x0, x1, [x19, #CTX_X0]
	stp	x2, x3, [x19, #CTX_X2]
	stp	x4, x5, [x19, #CTX_X4]
	stp	x6, x7, [x19, #CTX_X6]
	stp	x8, x9, [x19, #CTX_X8]
	stp	x10, x11, [x19, #CTX_X10]
	stp	x12, x13, [x19, #CTX_X12]
	stp	x14, x15, [x19, #CTX_X14]
	stp	x16, x17, [x19, #CTX_X16]
	ldp	x16, x17, [sp], #16	/* the guest's x18, x19 */
	stp	x16, x17, [x19, #CTX_X18]
	str	x30, [x19, #CTX_X30]
	mov	x1, x19			/* x0 is still the guest's */
	bl	\handler
	cbz	x0, \rest
	ldp	x0, x1, [x19, #CTX_X0]
	ldp	x2, x3, [x19, #CTX_X2]
	ldp	x4, x5, [x19, #CTX_X4]
	ldp	x6, x7, [x19, #CTX_X6]
	ldp	x8, x9, [x19, #CTX_X8]
	ldp	x10, x11, [x19, #CTX_X10]
	ldp	x12, x13, [x19, #CTX_X12]
	ldp	x14, x15, [x19, #CTX_X14]
	ldp	x16, x17, [x19, #CTX_X16]
	ldr	x30, [x19, #CTX_X30]
	ldp	x18, x19, [x19, #CTX_X18]
	eret
	dsb	nsh
	isb
	.if	(. - \label) > 0x80
	.error	"a short path overflows its vector slot"
	.endif
.endm

/* Save the guest's registers into current->ctx.  Clobbers nothing the
 * guest can see; leaves x0 = current vcpu. */
.macro save_guest
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_CURRENT]
	stp	x2, x3, [x0, #CTX_X2]
	stp	x4, x5, [x0, #CTX_X4]
	stp	x6, x7, [x0, #CTX_X6]
	stp	x8, x9, [x0, #CTX_X8]
	stp	x10, x11, [x0, #CTX_X10]
	stp	x12, x13, [x0, #CTX_X12]
	stp	x14, x15, [x0, #CTX_X14]
	stp	x16, x17, [x0, #CTX_X16]
	stp	x18, x19, [x0, #CTX_X18]
	stp	x20, x21, [x0, #CTX_X20]
	stp	x22, x23, [x0, #CTX_X22]
	stp	x24, x25, [x0, #CTX_X24]
	stp	x26, x27, [x0, #CTX_X26]
	stp	x28, x29, [x0, #CTX_X28]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #CTX_X0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x30, x2, [x0, #CTX_X30]	/* x30 and pc are adjacent */
	str	x3, [x0, #CTX_PSTATE]
.endm

/* The rest of the save for the general path: x20-x29 still hold the
 * guest's values (a C callee preserves them), ELR_EL2 and SPSR_EL2 too. */
.macro save_rest
	stp	x20, x21, [x19, #CTX_X20]
	stp	x22, x23, [x19, #CTX_X22]
	stp	x24, x25, [x19, #CTX_X24]
	stp	x26, x27, [x19, #CTX_X26]
	stp	x28, x29, [x19, #CTX_X28]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	str	x2, [x19, #CTX_PC]
	str	x3, [x19, #CTX_PSTATE]
	mov	x0, x19
.endm

/* Faults taken at EL2: build a frame of x0-x30 on the stack and report. */
.macro el2_report kind
	sub	sp, sp, #(32 * 8)
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x0, sp
	mov	x1, #\kind
	bl	el2_exception
	b	cpu_halt
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	el2_vectors
el2_vectors:
/* Current EL with SP_EL0: never used (EL2 always runs on SP_EL2). */
	slot_begin el2_sp0_sync
	b	el2_sync
	slot_end el2_sp0_sync
	slot_begin el2_sp0_irq
	b	el2_irq
/* Stops this CPU for good: interrupts masked, WFI forever. */
	.globl	cpu_halt
cpu_halt:
	msr	daifset, #0xf
7:	wfi
	b	7b
	slot_end el2_sp0_irq
	slot_begin el2_sp0_fiq
	b	el2_fiq
	slot_end el2_sp0_fiq
	slot_begin el2_sp0_serror
	b	el2_serror
	slot_end el2_sp0_serror
/* Current EL with SP_EL2: hypervisor faults, reported with full state. */
	slot_begin el2_sync
	el2_report KIND_SYNC
	slot_end el2_sync
	slot_begin el2_irq
	el2_report KIND_IRQ
	slot_end el2_irq
	slot_begin el2_fiq
	el2_report KIND_FIQ
	slot_end el2_fiq
	slot_begin el2_serror
	el2_report KIND_SERROR
	slot_end el2_serror
/* Lower EL, AArch64: the short paths, then FIQ and SError. */
	short_path guest_sync64, handle_guest_sync_fast, guest_sync_rest
	short_path guest_irq64, handle_guest_irq_fast, guest_irq_rest
	slot_begin guest_fiq
	save_guest
	mov	x1, #KIND_FIQ
	bl	handle_guest_async
	cbnz	x0, guest_resume
	b	el2_no_vm_left
	slot_end guest_fiq
	slot_begin guest_serror
	save_guest
	mov	x1, #KIND_SERROR
	bl	handle_guest_async
	cbnz	x0, guest_resume
	b	el2_no_vm_left
	slot_end guest_serror
/* Lower EL, AArch32 (a 32-bit EL0 task): the syndrome format is the same,
 * and the X registers hold the W ones.  Synchronous exits take the general
 * path at once; the other three share the AArch64 handlers. */
	slot_begin guest_sync
	save_guest
	bl	handle_guest_sync
	cbnz	x0, guest_resume
	b	el2_no_vm_left
	slot_end guest_sync
	slot_begin guest_irq32
	b	guest_irq64
guest_sync_rest:
	save_rest
	bl	handle_guest_sync
	cbnz	x0, guest_resume
	b	el2_no_vm_left
guest_irq_rest:
	save_rest
	bl	handle_guest_irq
	cbnz	x0, guest_resume
	b	el2_no_vm_left
	slot_end guest_irq32
	slot_begin guest_fiq32
	b	guest_fiq
/* x0 = vcpu to run.  Also the first entry into every vCPU. */
	.globl	guest_resume
guest_resume:
	mrs	x1, tpidr_el2
	str	x0, [x1, #PCPU_CURRENT]
	ldp	x30, x2, [x0, #CTX_X30]
	ldr	x3, [x0, #CTX_PSTATE]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x0, #CTX_X2]
	ldp	x4, x5, [x0, #CTX_X4]
	ldp	x6, x7, [x0, #CTX_X6]
	ldp	x8, x9, [x0, #CTX_X8]
	ldp	x10, x11, [x0, #CTX_X10]
	ldp	x12, x13, [x0, #CTX_X12]
	ldp	x14, x15, [x0, #CTX_X14]
	ldp	x16, x17, [x0, #CTX_X16]
	ldp	x18, x19, [x0, #CTX_X18]
	ldp	x20, x21, [x0, #CTX_X20]
	ldp	x22, x23, [x0, #CTX_X22]
	ldp	x24, x25, [x0, #CTX_X24]
	ldp	x26, x27, [x0, #CTX_X26]
	ldp	x28, x29, [x0, #CTX_X28]
	ldp	x0, x1, [x0, #CTX_X0]
	eret
	dsb	nsh			/* no straight-line speculation past eret */
	isb
	slot_end guest_fiq32
	slot_begin guest_serror32
	b	guest_serror
	slot_end guest_serror32
