/* Moving a vCPU's breakpoint, watchpoint and MDSCR_EL1 state between memory
 * and the CPU.  The register number is part of the instruction encoding,
 * so each register is one case of a switch. */
#include "arch/debug.h"
#include "arch/regs.h"
#include "arch/sysreg.h"

#define DBG_N(X) \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

#define RD_CASE(reg, n)                                                \
	case n:                                                        \
		__asm__ volatile("mrs %0, " #reg #n "_el1" : "=r"(v)); \
		break;
#define WR_CASE(reg, n)                                                 \
	case n:                                                         \
		__asm__ volatile("msr " #reg #n "_el1, %0" : : "r"(v)); \
		break;

#define ACCESSORS(reg)                     \
	static u64 rd_##reg(u32 n)         \
	{                                  \
		u64 v = 0;                 \
		switch (n) {               \
			DBG_N(RD_##reg)    \
		}                          \
		return v;                  \
	}                                  \
	static void wr_##reg(u32 n, u64 v) \
	{                                  \
		switch (n) {               \
			DBG_N(WR_##reg)    \
		}                          \
	}
#define RD_dbgbvr(n) RD_CASE(dbgbvr, n)
#define WR_dbgbvr(n) WR_CASE(dbgbvr, n)
#define RD_dbgbcr(n) RD_CASE(dbgbcr, n)
#define WR_dbgbcr(n) WR_CASE(dbgbcr, n)
#define RD_dbgwvr(n) RD_CASE(dbgwvr, n)
#define WR_dbgwvr(n) WR_CASE(dbgwvr, n)
#define RD_dbgwcr(n) RD_CASE(dbgwcr, n)
#define WR_dbgwcr(n) WR_CASE(dbgwcr, n)
ACCESSORS(dbgbvr)
ACCESSORS(dbgbcr)
ACCESSORS(dbgwvr)
ACCESSORS(dbgwcr)

static u64 dfr0(void)
{
	u64 v;

	__asm__ volatile("mrs %0, id_aa64dfr0_el1" : "=r"(v));
	return v;
}

u32 arch_debug_brps(void)
{
	return (u32)FIELD_GET(DFR0_BRPS_MASK, dfr0()) + 1;
}

u32 arch_debug_wrps(void)
{
	return (u32)FIELD_GET(DFR0_WRPS_MASK, dfr0()) + 1;
}

void arch_debug_save(struct arch_debug_regs *r, u32 nbrp, u32 nwrp)
{
	__asm__ volatile("mrs %0, mdscr_el1" : "=r"(r->mdscr));
	for (u32 n = 0; n < nbrp && n < ARCH_DBG_MAX; n++) {
		r->bvr[n] = rd_dbgbvr(n);
		r->bcr[n] = rd_dbgbcr(n);
	}
	for (u32 n = 0; n < nwrp && n < ARCH_DBG_MAX; n++) {
		r->wvr[n] = rd_dbgwvr(n);
		r->wcr[n] = rd_dbgwcr(n);
	}
}

void arch_debug_load(const struct arch_debug_regs *r, u32 nbrp, u32 nwrp, u64 mdscr)
{
	for (u32 n = 0; n < nbrp && n < ARCH_DBG_MAX; n++) {
		wr_dbgbvr(n, r->bvr[n]);
		wr_dbgbcr(n, r->bcr[n]);
	}
	for (u32 n = 0; n < nwrp && n < ARCH_DBG_MAX; n++) {
		wr_dbgwvr(n, r->wvr[n]);
		wr_dbgwcr(n, r->wcr[n]);
	}
	/* MDSCR last: the points are in place before they can fire. */
	__asm__ volatile("msr mdscr_el1, %0; isb" : : "r"(mdscr));
}

void arch_debug_quiesce(void)
{
	__asm__ volatile("msr mdscr_el1, xzr; isb");
}

void arch_debug_trap(bool on)
{
	u64 mdcr = read_mdcr_el2();

	write_mdcr_el2(on ? mdcr | MDCR_TDA : mdcr & ~MDCR_TDA);
}

void arch_debug_init_cpu(void)
{
	__asm__ volatile("msr oslar_el1, xzr; msr mdscr_el1, xzr; isb");
}
