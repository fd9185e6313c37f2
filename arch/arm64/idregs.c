/* Reading feature ID registers by (CRm, op2) and cache maintenance by VA. */
#include "arch/idregs.h"

#define IDREG(crm, op2)                                                        \
	case ((crm) << 3) | (op2):                                             \
		__asm__ volatile("mrs %0, S3_0_C0_C" #crm "_" #op2 : "=r"(v)); \
		break;
/* clang-format off */
#define IDREG_ROW(crm) \
	IDREG(crm, 0) IDREG(crm, 1) IDREG(crm, 2) IDREG(crm, 3) \
	IDREG(crm, 4) IDREG(crm, 5) IDREG(crm, 6) IDREG(crm, 7)
/* clang-format on */

u64 arch_read_id_reg(u32 crm, u32 op2)
{
	u64 v = 0;

	switch ((crm << 3) | op2) {
		/* clang-format off */
		IDREG_ROW(1) IDREG_ROW(2) IDREG_ROW(3) IDREG_ROW(4)
		IDREG_ROW(5) IDREG_ROW(6) IDREG_ROW(7)
			/* clang-format on */
			default : break;
	}
	return v;
}

static u64 dcache_line_size(void)
{
	u64 ctr;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	return 4UL << ((ctr >> 16) & 0xf); /* DminLine, log2 words */
}

void arch_dcache_clean_inval(void *va, u64 size)
{
	u64 line = dcache_line_size();
	uintptr_t p = ALIGN_DOWN((uintptr_t)va, line), end = (uintptr_t)va + size;

	for (; p < end; p += line)
		__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}
