/* Guest exit dispatch (after boot step 6, every trap).  ESR_EL2.EC indexes a table
 * whose every entry is filled: anything not handled on purpose lands in
 * handle_unexpected, which injects UNDEF and says so, once per rate window. */
#include "vm/exit/trap.h"
#include "arch/fault.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "vm/exit/hypercall.h"
#include "vm/exit/inject.h"
#include "vm/vcpu_ops.h"
#include "vm/lifecycle.h"
#include "vm/sched.h"
#include "vm/vm.h"

static void count_exit(struct vcpu *v, enum exit_kind k)
{
	v->exits[k]++;
}

static __cold void handle_unexpected(struct vcpu *v, u64 esr)
{
	vm_log(v->vm,
	       "vcpu %u: unhandled EC 0x%02lx (%s) ESR=0x%lx ELR=0x%lx FAR=0x%lx: injecting UNDEF",
	       v->id, (unsigned long)ESR_EC(esr), ec_name(ESR_EC(esr)), (unsigned long)esr,
	       (unsigned long)v->ctx.pc, (unsigned long)read_far_el2());
	count_exit(v, EXIT_UNDEF_INJECTED);
	inject_undef(v);
}

static void handle_wfx(struct vcpu *v, u64 esr)
{
	count_exit(v, EXIT_WFX);
	skip_instr(v, esr);
	if (!(esr & WFX_ISS_WFE))
		vcpu_wait(v);
}

static void handle_hvc(struct vcpu *v, u64 esr)
{
	count_exit(v, EXIT_HVC);
	/* ELR already points past HVC.  Non-zero immediates are not SMCCC. */
	if (esr & 0xffff) {
		v->ctx.x[0] = (u64)(s64)-1;
		return;
	}
	hcall_run(v);
}

static void handle_smc(struct vcpu *v, u64 esr)
{
	count_exit(v, EXIT_SMC);
	/* A trapped SMC is not retired: step over it ourselves.  Never passed
	 * on to firmware: guests get the same services as over HVC. */
	skip_instr(v, esr);
	if (esr & 0xffff) {
		v->ctx.x[0] = (u64)(s64)-1;
		return;
	}
	hcall_run(v);
}

static __cold void handle_iabt(struct vcpu *v, u64 esr)
{
	u64 far = read_far_el2();

	v->vm->s2_faults++;
	count_exit(v, EXIT_ABORT_INJECTED);
	vm_log(v->vm,
	       "vcpu %u: instruction abort at IPA 0x%lx (VA 0x%lx) ESR=0x%lx ELR=0x%lx: injecting "
	       "abort",
	       v->id, (unsigned long)fault_ipa(read_hpfar_el2(), far), (unsigned long)far,
	       (unsigned long)esr, (unsigned long)v->ctx.pc);
	inject_iabt(v, far);
}

static __cold void handle_serror_sync(struct vcpu *v, u64 esr)
{
	vm_log(v->vm, "vcpu %u: SError ESR=0x%lx ELR=0x%lx: terminating", v->id, (unsigned long)esr,
	       (unsigned long)v->ctx.pc);
	vm_end(v->vm, VM_END_FAULT);
}

/* The range initialiser fills every slot first; the entries after it
 * deliberately override it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const exit_handler_fn exit_handlers[EC_MAX + 1] = {
	[0 ... EC_MAX] = handle_unexpected,
	[EC_WFX] = handle_wfx,
	[EC_HVC64] = handle_hvc,
	[EC_SMC64] = handle_smc,
	[EC_SYS64] = handle_sysreg,
	[EC_IABT_LOW] = handle_iabt,
	[EC_DABT_LOW] = handle_dabt,
	[EC_SERROR] = handle_serror_sync,
};
#pragma GCC diagnostic pop

void trap_dispatch(struct vcpu *v, u64 esr)
{
	exit_handlers[ESR_EC(esr)](v, esr);
}
