/* Injecting synchronous exceptions into a guest's EL1 (Arm ARM D1.10: the
 * hypervisor does for the guest what hardware does on exception entry). */
#include "vm/inject.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "vm/vcpu.h"
#include "vm/vm.h"

/* Offset of the synchronous vector for an exception taken to EL1 from the
 * mode in pstate (VBAR_EL1 layout). */
u64 inject_vector_offset(u64 pstate)
{
	if (pstate & PSR_MODE32)
		return 0x600;
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL1T:
		return 0x000;
	case PSR_MODE_EL1H:
		return 0x200;
	default:
		return 0x400; /* from EL0 */
	}
}

static bool from_el0(const struct vcpu *v)
{
	return (v->ctx.pstate & PSR_MODE_MASK) == PSR_MODE_EL0T;
}

/* A guest whose exception vector itself faults would take the same
 * exception forever without executing a single instruction of its own:
 * that is a crash, and it ends the VM (its policy may restart it). */
static bool fault_in_vector(struct vcpu *v)
{
	u64 vec = read_vbar_el1() + inject_vector_offset(v->ctx.pstate);

	return v->ctx.pc >= vec && v->ctx.pc < vec + 0x80;
}

static void inject_sync(struct vcpu *v, u64 esr, u64 far, bool set_far)
{
	if (fault_in_vector(v)) {
		vm_log(v->vm, "vcpu %u: fault at 0x%lx inside its own exception vector (VBAR_EL1 0x%lx): terminating",
		       v->id, (unsigned long)v->ctx.pc, (unsigned long)read_vbar_el1());
		vm_end(v->vm, VM_END_FAULT);
		return;
	}
	write_elr_el1(v->ctx.pc);
	write_spsr_el1(v->ctx.pstate);
	write_esr_el1(esr);
	if (set_far)
		write_far_el1(far);
	v->ctx.pc = read_vbar_el1() + inject_vector_offset(v->ctx.pstate);
	v->ctx.pstate = PSR_MODE_EL1H | PSR_DAIF;
}

void inject_undef(struct vcpu *v)
{
	inject_sync(v, ((u64)EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL, 0, false);
}

void inject_dabt(struct vcpu *v, u64 va, bool write)
{
	u64 ec = from_el0(v) ? EC_DABT_LOW : EC_DABT_CUR;
	u64 esr = (ec << ESR_EC_SHIFT) | ESR_IL | FSC_EXTABT | (write ? DABT_WNR : 0);

	inject_sync(v, esr, va, true);
}

void inject_iabt(struct vcpu *v, u64 va)
{
	u64 ec = from_el0(v) ? EC_IABT_LOW : EC_IABT_CUR;

	inject_sync(v, (ec << ESR_EC_SHIFT) | ESR_IL | FSC_EXTABT, va, true);
}
