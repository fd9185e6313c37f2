/* Test-guest entry.  The first 64 bytes are a slot that tools/mkimage.py
 * fills with an arm64 Image header, so one binary serves as raw, ELF and
 * Image; code0 is a branch over the slot. */
	.section .text.boot, "ax"
	.globl	_start
_start:
	b	1f
	.space	60
1:	mov	x19, x0			/* DTB IPA from the hypervisor */
	mov	x20, sp			/* SP_EL1 the hypervisor set */
	adr	x1, boot_sp
	str	x20, [x1]
	cbnz	x20, 2f
	adr	x1, fallback_stack_top	/* keep going to report the problem */
	mov	sp, x1
2:	adr	x1, guest_vectors
	msr	vbar_el1, x1
	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN: FP/SIMD usable at EL1 */
	msr	cpacr_el1, x1
	isb
	adr	x1, __bss_start
	adr	x2, __bss_end
3:	cmp	x1, x2
	b.hs	4f
	str	xzr, [x1], #8
	b	3b
4:	adr	x1, boot_sp		/* BSS clear wiped it: store again */
	str	x20, [x1]
	mov	x0, x19
	bl	guest_main
	bl	g_finish
5:	wfi
	b	5b

/* Secondary vCPUs (PSCI CPU_ON): x0 = context id = top of their stack. */
	.globl	secondary_start
secondary_start:
	mov	sp, x0
	adr	x1, guest_vectors
	msr	vbar_el1, x1
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	bl	guest_secondary
6:	wfi
	b	6b

/* Every vector saves x0-x30 and calls guest_exception(frame, kind). */
.macro gvec kind
	.balign	0x80
	sub	sp, sp, #(34 * 8)
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	gvec_common
.endm

	.balign	2048
guest_vectors:
	gvec 0
	gvec 1
	gvec 2
	gvec 3
	gvec 4
	gvec 5
	gvec 6
	gvec 7
	gvec 8
	gvec 9
	gvec 10
	gvec 11
	gvec 12
	gvec 13
	gvec 14
	gvec 15

gvec_common:
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
	mrs	x2, elr_el1
	stp	x30, x2, [sp, #240]	/* frame[30] = x30, frame[31] = elr */
	mov	x1, x0
	mov	x0, sp
	bl	guest_exception
	ldp	x30, x2, [sp, #240]
	msr	elr_el1, x2
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #(34 * 8)
	eret

	.section .bss
	.balign	16
	.space	4096
fallback_stack_top:
	.globl	boot_sp
boot_sp:
	.quad	0
