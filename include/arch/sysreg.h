/* System-register accessors, generated from one list.
 *
 * On the EL2 build each entry becomes a pair of static inline read_X()/write_X()
 * functions wrapping MRS/MSR.  Host unit tests build with AETHER_HOST, where
 * the same list only declares the functions so a test can supply fakes. */
#ifndef AETHER_ARCH_SYSREG_H
#define AETHER_ARCH_SYSREG_H

#include "types.h"

/* clang-format off */
#define AETHER_SYSREGS(X)                                                           \
	X(currentel) X(hcr_el2) X(vtcr_el2) X(vttbr_el2) X(vbar_el2) X(sctlr_el2)   \
	X(tcr_el2) X(mair_el2) X(ttbr0_el2) X(cptr_el2) X(cnthctl_el2)              \
	X(cntvoff_el2) X(mdcr_el2) X(esr_el2) X(elr_el2) X(spsr_el2) X(far_el2)     \
	X(hpfar_el2) X(tpidr_el2) X(vpidr_el2) X(vmpidr_el2) X(hstr_el2)            \
	X(id_aa64mmfr0_el1) X(id_aa64mmfr1_el1) X(id_aa64pfr0_el1)                  \
	X(id_aa64pfr1_el1) X(id_aa64isar0_el1) X(id_aa64isar1_el1)                  \
	X(id_aa64dfr0_el1) X(id_aa64mmfr2_el1) X(midr_el1) X(mpidr_el1)             \
	X(esr_el1) X(far_el1) X(elr_el1) X(spsr_el1) X(vbar_el1) X(sctlr_el1)       \
	X(sp_el1) X(cntfrq_el0) X(cntpct_el0) X(cntvct_el0) X(cntv_ctl_el0)         \
	X(cntv_cval_el0) X(cnthp_ctl_el2) X(cnthp_cval_el2) X(cnthp_tval_el2) X(pmcr_el0) \
	X(daif) X(cpacr_el1) X(ttbr0_el1) X(ttbr1_el1) X(tcr_el1) X(mair_el1)       \
	X(amair_el1) X(contextidr_el1) X(tpidr_el0) X(tpidrro_el0) X(tpidr_el1)     \
	X(sp_el0) X(afsr0_el1) X(afsr1_el1) X(par_el1) X(cntkctl_el1) X(csselr_el1)
/* clang-format on */

/* GICv3 CPU-interface registers, named by encoding so the file builds
 * without -march flags that know their names. */
#define AETHER_SYSREGS_ENC(X)                \
	X(icc_sre_el2, "s3_4_c12_c9_5")      \
	X(icc_pmr_el1, "s3_0_c4_c6_0")       \
	X(icc_igrpen1_el1, "s3_0_c12_c12_7") \
	X(icc_iar1_el1, "s3_0_c12_c12_0")    \
	X(icc_hppir1_el1, "s3_0_c12_c12_2")  \
	X(icc_eoir1_el1, "s3_0_c12_c12_1")   \
	X(icc_ctlr_el1, "s3_0_c12_c12_4")    \
	X(ich_hcr_el2, "s3_4_c12_c11_0")     \
	X(ich_vtr_el2, "s3_4_c12_c11_1")     \
	X(ich_vmcr_el2, "s3_4_c12_c11_7")    \
	X(ich_misr_el2, "s3_4_c12_c11_2")    \
	X(ich_ap1r0_el2, "s3_4_c12_c9_0")    \
	X(icc_sgi1r_el1, "s3_0_c12_c11_5")   \
	X(icc_dir_el1, "s3_0_c12_c11_1")

#ifdef AETHER_HOST
#define AETHER_SYSREG_DECL(r) \
	u64 read_##r(void);   \
	void write_##r(u64 v);
AETHER_SYSREGS(AETHER_SYSREG_DECL)
#define AETHER_SYSREG_ENC_DECL(r, enc) AETHER_SYSREG_DECL(r)
AETHER_SYSREGS_ENC(AETHER_SYSREG_ENC_DECL)
static inline void isb(void)
{
}
static inline void dsb_sy(void)
{
}
#else
#define AETHER_SYSREG_DEF(r)                                              \
	static inline u64 read_##r(void)                                  \
	{                                                                 \
		u64 v;                                                    \
		__asm__ volatile("mrs %0, " #r : "=r"(v));                \
		return v;                                                 \
	}                                                                 \
	static inline void write_##r(u64 v)                               \
	{                                                                 \
		__asm__ volatile("msr " #r ", %0" : : "r"(v) : "memory"); \
	}
AETHER_SYSREGS(AETHER_SYSREG_DEF)

#define AETHER_SYSREG_ENC(name, enc)                                       \
	static inline u64 read_##name(void)                                \
	{                                                                  \
		u64 v;                                                     \
		__asm__ volatile("mrs %0, " enc : "=r"(v));                \
		return v;                                                  \
	}                                                                  \
	static inline void write_##name(u64 v)                             \
	{                                                                  \
		__asm__ volatile("msr " enc ", %0" : : "r"(v) : "memory"); \
	}
AETHER_SYSREGS_ENC(AETHER_SYSREG_ENC)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}
static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}
static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" : : : "memory");
}
static inline void wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}
#endif

#endif
