/* Self-hosted debug from EL1 (Arm ARM D2 "AArch64 Self-hosted Debug"):
 * register accessors shared by the debug test guests (dbg.c, atk_dbg.c). */
#ifndef GUEST_DBG_H
#define GUEST_DBG_H

#include "guest.h"

/* ESR_ELx.EC of debug exceptions taken without a change of EL. */
#define EC_BKPT_CUR 0x31
#define EC_STEP_CUR 0x33
#define EC_WATCH_CUR 0x35
#define EC_BRK 0x3c
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define FSC_DEBUG 0x22		 /* IFSC/DFSC: debug exception */
#define ESR_WNR (1UL << 6)	 /* watchpoint: write */
#define ESR_STEP_ISV (1UL << 24) /* software step: EX valid */

/* MDSCR_EL1 */
#define MDSCR_SS (1UL << 0)
#define MDSCR_KDE (1UL << 13)
#define MDSCR_MDE (1UL << 15)
/* DBGBCR<n>_EL1: E, PMC[2:1], BAS[8:5], HMC[13], SSC[15:14], BT[23:20] */
#define BCR_E 1UL
#define BCR_PMC_EL1_EL0 (3UL << 1)
#define BCR_BAS_A64 (0xfUL << 5)
#define BCR_HMC (1UL << 13)
#define BCR_SSC(x) ((u64)(x) << 14)
#define BCR_EXEC (BCR_E | BCR_PMC_EL1_EL0 | BCR_BAS_A64)
/* DBGWCR<n>_EL1: E, PAC[2:1], LSC[4:3], BAS[12:5], HMC[13], SSC[15:14],
 * MASK[28:24] */
#define WCR_E 1UL
#define WCR_PAC_EL1_EL0 (3UL << 1)
#define WCR_LOAD (1UL << 3)
#define WCR_STORE (2UL << 3)
#define WCR_BAS8 (0xffUL << 5)
#define WCR_HMC (1UL << 13)
#define WCR_SSC(x) ((u64)(x) << 14)
#define WCR_MASK(x) ((u64)(x) << 24)
/* OSLSR_EL1.OSLK */
#define OSLSR_OSLK (1UL << 1)
/* SPSR: EL1h, A, I, F masked, D clear, SS set */
#define SPSR_EL1H_STEP (0x5UL | 0x1c0UL | (1UL << 21))

#define SYSRD(reg)                                                 \
	({                                                         \
		u64 _v;                                            \
		__asm__ volatile("isb; mrs %0, " #reg : "=r"(_v)); \
		_v;                                                \
	})
#define SYSWR(reg, v) __asm__ volatile("msr " #reg ", %0; isb" : : "r"((u64)(v)) : "memory")

#define DBG_CASES(X) \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

#define DBG_ACCESSORS(reg)                            \
	static inline void set_##reg(u32 n, u64 v)    \
	{                                             \
		switch (n) {                          \
			DBG_CASES(DBG_SET_##reg)      \
		}                                     \
		__asm__ volatile("isb" ::: "memory"); \
	}                                             \
	static inline u64 get_##reg(u32 n)            \
	{                                             \
		u64 v = 0;                            \
		switch (n) {                          \
			DBG_CASES(DBG_GET_##reg)      \
		}                                     \
		return v;                             \
	}
#define DBG_SET_bvr(n)                                                   \
	case n:                                                          \
		__asm__ volatile("msr dbgbvr" #n "_el1, %0" : : "r"(v)); \
		break;
#define DBG_GET_bvr(n)                                                  \
	case n:                                                         \
		__asm__ volatile("mrs %0, dbgbvr" #n "_el1" : "=r"(v)); \
		break;
#define DBG_SET_bcr(n)                                                   \
	case n:                                                          \
		__asm__ volatile("msr dbgbcr" #n "_el1, %0" : : "r"(v)); \
		break;
#define DBG_GET_bcr(n)                                                  \
	case n:                                                         \
		__asm__ volatile("mrs %0, dbgbcr" #n "_el1" : "=r"(v)); \
		break;
#define DBG_SET_wvr(n)                                                   \
	case n:                                                          \
		__asm__ volatile("msr dbgwvr" #n "_el1, %0" : : "r"(v)); \
		break;
#define DBG_GET_wvr(n)                                                  \
	case n:                                                         \
		__asm__ volatile("mrs %0, dbgwvr" #n "_el1" : "=r"(v)); \
		break;
#define DBG_SET_wcr(n)                                                   \
	case n:                                                          \
		__asm__ volatile("msr dbgwcr" #n "_el1, %0" : : "r"(v)); \
		break;
#define DBG_GET_wcr(n) \
	case n: __asm__ volatile("mrs %0, dbgwcr" #n "_el1" : "=r"(v)); break;
DBG_ACCESSORS(bvr)
DBG_ACCESSORS(bcr)
DBG_ACCESSORS(wvr)
DBG_ACCESSORS(wcr)

static inline u32 dbg_brps(void)
{
	return (u32)((SYSRD(id_aa64dfr0_el1) >> 12) & 0xf) + 1;
}

static inline u32 dbg_wrps(void)
{
	return (u32)((SYSRD(id_aa64dfr0_el1) >> 20) & 0xf) + 1;
}

static inline void dbg_mask(void)
{
	__asm__ volatile("msr daifset, #8; isb" ::: "memory");
}

static inline void dbg_unmask(void)
{
	__asm__ volatile("msr daifclr, #8; isb" ::: "memory");
}

/* Runs code at entry with PSTATE.SS set (ERET at EL1 with SPSR.SS = 1) and
 * returns to the caller of step_run when that code returns; the caller has
 * set MDSCR_EL1.SS with PSTATE.D masked.  Interrupts stay masked after it. */
void step_run(u64 entry);
__asm__(".text\n"
	".globl step_run\n"
	"step_run:\n"
	"	msr elr_el1, x0\n"
	"	mov x1, #0x01c5\n"
	"	movk x1, #0x20, lsl #16\n" /* SPSR_EL1H_STEP */
	"	msr spsr_el1, x1\n"
	"	isb\n"
	"	eret\n");

#endif
