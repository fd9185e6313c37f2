/* The virtual interface of the host GIC (include/arch/gic_lr.h): on a GICv3
 * the ICH_*_EL2 registers, ICH_LR<n>_EL2 by index (which MSR/MRS can only
 * name statically); on a GICv2 the GICH frame (IHI 0048B 5.3). */
#include "arch/gic_lr.h"
#include "arch/sysreg.h"

#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_MISR 0x010
#define GICH_EISR0 0x020
#define GICH_EISR1 0x024
#define GICH_ELRSR0 0x030
#define GICH_ELRSR1 0x034
#define GICH_APR 0x0f0
#define GICH_LR0 0x100

/* GICv3 CPU interface registers used only here */
#define ICH_EISR "s3_4_c12_c11_3"
#define ICH_ELRSR "s3_4_c12_c11_5"

static volatile u8 *gich; /* NULL: a GICv3 host */

void arch_gic_vif_use_gich(paddr_t pa)
{
	gich = pa_to_ptr(pa);
}

static u32 h_rd(u32 off)
{
	return *(volatile u32 *)(gich + off);
}

static void h_wr(u32 off, u32 v)
{
	*(volatile u32 *)(gich + off) = v;
}

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

/* The GICv2 paths out of line, so the GICv3 one stays a leaf: a load, a
 * branch and the MSR/MRS. */
static __attribute__((noinline)) u64 read_lr_v2(u32 n)
{
	return n < GIC_MAX_LRS ? gic_lr_from_v2(h_rd(GICH_LR0 + 4 * n)) : 0;
}

static __attribute__((noinline)) void write_lr_v2(u32 n, u64 val)
{
	if (n < GIC_MAX_LRS)
		h_wr(GICH_LR0 + 4 * n, gic_lr_to_v2(val));
}

u64 arch_read_lr(u32 n)
{
	if (unlikely(gich))
		return read_lr_v2(n);
	return lr_access(n, false, 0);
}

void arch_write_lr(u32 n, u64 val)
{
	if (unlikely(gich))
		write_lr_v2(n, val);
	else
		lr_access(n, true, val);
}

void arch_gic_hcr_write(u64 val)
{
	if (likely(!gich))
		write_ich_hcr_el2(val);
	else
		h_wr(GICH_HCR, (u32)val);
}

u32 arch_gic_nr_lrs(void)
{
	u32 n = gich ? (u32)FIELD_GET(GICH_VTR_LISTREGS, h_rd(GICH_VTR)) + 1
		     : (u32)FIELD_GET(ICH_VTR_LISTREGS_MASK, read_ich_vtr_el2()) + 1;

	return MIN(n, GIC_MAX_LRS);
}

u64 arch_gic_misr(void)
{
	return gich ? h_rd(GICH_MISR) : read_ich_misr_el2();
}

u64 arch_gic_eisr(void)
{
	u64 v;

	if (gich)
		return h_rd(GICH_EISR0) | (u64)h_rd(GICH_EISR1) << 32;
	__asm__ volatile("mrs %0, " ICH_EISR : "=r"(v));
	return v;
}

u64 arch_gic_elrsr(void)
{
	u64 v;

	if (gich)
		return h_rd(GICH_ELRSR0) | (u64)h_rd(GICH_ELRSR1) << 32;
	__asm__ volatile("mrs %0, " ICH_ELRSR : "=r"(v));
	return v;
}

u64 arch_gic_vmcr_read(void)
{
	return gich ? h_rd(GICH_VMCR) : read_ich_vmcr_el2();
}

void arch_gic_vmcr_write(u64 v)
{
	if (gich)
		h_wr(GICH_VMCR, (u32)v);
	else
		write_ich_vmcr_el2(v);
}

/* GICv2: one active-priority register (GICH_APR); GICv3 with 5 priority
 * bits: ICH_AP1R0_EL2 (Group 1 only). */
u64 arch_gic_apr_read(void)
{
	return gich ? h_rd(GICH_APR) : read_ich_ap1r0_el2();
}

void arch_gic_apr_write(u64 v)
{
	if (gich)
		h_wr(GICH_APR, (u32)v);
	else
		write_ich_ap1r0_el2(v);
}
