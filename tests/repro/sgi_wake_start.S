/* Bare-metal start for the SGI wake-up reproducer (no hypervisor).  QEMU
 * enters CPU 0 here at EL2 (-machine virt,virtualization=on); CPU 1 enters
 * repro_secondary through QEMU's own PSCI CPU_ON.  Each CPU gets 16 KiB of
 * stack and runs C with the MMU off. */
	.section .text.boot, "ax"
	.globl	_start
_start:
	msr	daifset, #0xf
	adr	x0, stacks + 16384
	mov	sp, x0
	adr	x0, __bss_start
	adr	x1, __bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	repro_main0
3:	wfi
	b	3b

	.globl	repro_secondary
repro_secondary:
	msr	daifset, #0xf
	adr	x0, stacks + 32768
	mov	sp, x0
	bl	repro_main1
4:	wfi
	b	4b

	.section .bss.stacks, "aw", %nobits
	.balign	16
stacks:
	.space	32768
