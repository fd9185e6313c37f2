/* Injecting synchronous exceptions into a guest's EL1 (Arm ARM D1.10: the
 * hypervisor does for the guest what hardware does on exception entry).
 * Mechanism only: what to do with a guest whose vector itself faults is
 * the exit layer's decision (vm/exit/inject.c). */
#include "arch/inject.h"
#include "arch/regs.h"
#include "arch/sysreg.h"

/* Offset of the synchronous vector for an exception taken to EL1 from the
 * mode in pstate (VBAR_EL1 layout). */
u64 inject_vector_offset(u64 pstate)
{
	if (pstate & PSR_MODE32)
		return 0x600;
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL1T: return 0x000;
	case PSR_MODE_EL1H: return 0x200;
	default: return 0x400; /* from EL0 */
	}
}

static bool from_el0(const struct cpu_ctx *c)
{
	return (c->pstate & PSR_MODE_MASK) == PSR_MODE_EL0T;
}

/* A guest whose exception vector itself faults would take the same
 * exception forever without executing a single instruction of its own. */
static bool fault_in_vector(const struct cpu_ctx *c)
{
	u64 vec = read_vbar_el1() + inject_vector_offset(c->pstate);

	return c->pc >= vec && c->pc < vec + 0x80;
}

/* Out of line: three callers, none on a hot path. */
static __attribute__((noinline)) enum inject_result inject_sync(struct cpu_ctx *c, u64 esr, u64 far,
								bool set_far)
{
	if (fault_in_vector(c))
		return INJECT_IN_VECTOR;
	write_elr_el1(c->pc);
	write_spsr_el1(c->pstate);
	write_esr_el1(esr);
	if (set_far)
		write_far_el1(far);
	c->pc = read_vbar_el1() + inject_vector_offset(c->pstate);
	c->pstate = PSR_MODE_EL1H | PSR_DAIF;
	return INJECT_DONE;
}

enum inject_result arch_inject_undef(struct cpu_ctx *c)
{
	return inject_sync(c, ((u64)EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL, 0, false);
}

enum inject_result arch_inject_dabt(struct cpu_ctx *c, u64 va, bool write)
{
	u64 ec = from_el0(c) ? EC_DABT_LOW : EC_DABT_CUR;
	u64 esr = (ec << ESR_EC_SHIFT) | ESR_IL | FSC_EXTABT | (write ? DABT_WNR : 0);

	return inject_sync(c, esr, va, true);
}

enum inject_result arch_inject_iabt(struct cpu_ctx *c, u64 va)
{
	u64 ec = from_el0(c) ? EC_IABT_LOW : EC_IABT_CUR;

	return inject_sync(c, (ec << ESR_EC_SHIFT) | ESR_IL | FSC_EXTABT, va, true);
}
