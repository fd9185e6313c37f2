/* Image header and early EL2 initialisation (boot flow steps 1 and 2).
 *
 * The file starts with the arm64 Linux Image header so QEMU's -kernel and
 * U-Boot's booti both treat the hypervisor as a kernel: they enter it at EL2
 * with the MMU and caches off, interrupts masked and x0 = DTB address. */
#include "asm-offsets.h"
#include "platform.h"

#define R_AARCH64_RELATIVE 1027
/* RES1 bits plus TZ (8) and TSM (12): SVE and SME trap, since guests are not
 * offered them; TFP clear: FP/SIMD belongs to the guest. */
#define CPTR_EL2_DEFAULT 0x33ff
/* SCTLR_EL2 RES1 bits with M, C, I clear: MMU and caches off, little-endian. */
#define SCTLR_EL2_BOOT 0x30c50830

.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

	.section .text.head, "ax"
	/* _head, the image's first byte, is defined by linker.ld. */
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: any 2 MiB boundary */
	.quad	0			/* image_size incl. BSS: filled in by tools/check_image.py */
	.quad	0xa			/* flags: LE, 4K pages, place anywhere */
	.quad	0, 0, 0			/* reserved */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* reserved (PE header offset) */

primary_entry:
	mov	x19, x0			/* DTB physical address */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	and	x1, x1, #0xc
	cmp	x1, #(2 << 2)
	b.ne	not_at_el2

	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb

	bl	self_relocate

	/* EL2 stack of CPU 0 */
	adr_l	x1, el2_stacks
	add	x1, x1, #EL2_STACK_SZ
	mov	sp, x1

	/* FP/SIMD usable at EL1 and EL0 without trapping to EL2 */
	mov	x1, #CPTR_EL2_DEFAULT
	msr	cptr_el2, x1
	/* EL1 may read the physical counter; the physical timer traps */
	mov	x1, #1
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr

	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	/* Exception vectors (boot flow step 3) */
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb

	mov	x0, x19
	adr	x1, secondary_entry	/* where PSCI CPU_ON starts the others */
	bl	aether_main
	b	cpu_halt

/* Secondary CPUs, started by the boot CPU through PSCI CPU_ON with
 * x0 = logical CPU number.  The image is already relocated, BSS cleared and
 * the EL2 page tables built: set up this CPU's registers and join. */
	.globl	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb
	adr_l	x1, el2_stacks
	mov	x2, #EL2_STACK_SZ
	madd	x1, x19, x2, x1
	add	sp, x1, x2
	mov	x1, #CPTR_EL2_DEFAULT
	msr	cptr_el2, x1
	mov	x1, #1
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	bl	secondary_main
	b	cpu_halt

/* Apply R_AARCH64_RELATIVE relocations so the image runs at whatever
 * 2 MiB-aligned address the loader chose.  Nothing else may run first:
 * function-pointer tables are wrong until this has run. */
self_relocate:
	adr	x20, _head
	ldr	x21, =PLAT_LINK_BASE
	sub	x22, x20, x21
	cbz	x22, 3f
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
1:	cmp	x1, x2
	b.hs	3f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	x4, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x3, x3, x22
	add	x5, x5, x22
	str	x5, [x3]
	b	1b
3:	ret

/* Entered at EL1 or EL3: no EL2 register may be touched.  Relocate, take
 * CPU 0's stack, clear BSS and let C find the console in the DTB to say so
 * there (nothing is written to a UART the DTB does not name), then stop. */
not_at_el2:
	lsr	x23, x1, #2		/* CurrentEL.EL */
	bl	self_relocate
	adr_l	x1, el2_stacks
	add	x1, x1, #EL2_STACK_SZ
	mov	sp, x1
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
4:	cmp	x1, x2
	b.hs	5f
	stp	xzr, xzr, [x1], #16
	b	4b
5:	mov	x0, x19
	mov	x1, x23
	bl	not_el2_main
	b	cpu_halt

	.section .bss.stacks, "aw", %nobits
	.balign	16
	.globl	el2_stacks
el2_stacks:
	.space	EL2_STACK_SZ * 8
