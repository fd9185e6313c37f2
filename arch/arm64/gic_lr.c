/* GICv3 virtual CPU interface registers by index (ICH_LR<n>_EL2 and the
 * active-priority registers), which MSR/MRS can only name statically. */
#include "arch/gic_lr.h"

#define LR_CASE(n, crm, op2)                                                                 \
	case n:                                                                              \
		if (write)                                                                   \
			__asm__ volatile("msr S3_4_C12_" #crm "_" #op2 ", %0" : : "r"(val)); \
		else                                                                         \
			__asm__ volatile("mrs %0, S3_4_C12_" #crm "_" #op2 : "=r"(val));     \
		break;

static u64 lr_access(u32 n, bool write, u64 val)
{
	switch (n) {
		/* clang-format off */
		LR_CASE(0, C12, 0) LR_CASE(1, C12, 1) LR_CASE(2, C12, 2) LR_CASE(3, C12, 3)
		LR_CASE(4, C12, 4) LR_CASE(5, C12, 5) LR_CASE(6, C12, 6) LR_CASE(7, C12, 7)
		LR_CASE(8, C13, 0) LR_CASE(9, C13, 1) LR_CASE(10, C13, 2) LR_CASE(11, C13, 3)
		LR_CASE(12, C13, 4) LR_CASE(13, C13, 5) LR_CASE(14, C13, 6) LR_CASE(15, C13, 7)
			/* clang-format on */
			default : break;
	}
	return val;
}

u64 arch_read_lr(u32 n)
{
	return lr_access(n, false, 0);
}

void arch_write_lr(u32 n, u64 val)
{
	lr_access(n, true, val);
}
