/* Guest exit dispatch (boot flow step 8).  ESR_EL2.EC indexes a static table
 * whose every entry is filled: anything not handled on purpose lands in
 * handle_unexpected, which injects UNDEF and says so, once per rate window. */
#include "vm/trap.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "vm/hypercall.h"
#include "vm/inject.h"
#include "vm/vcpu_ops.h"
#include "vm/vm.h"

static void count_exit(struct vcpu *v, enum exit_kind k)
{
	v->vm->exits[k]++;
}

static void handle_unexpected(struct vcpu *v, u64 esr)
{
	vm_log(v->vm, "vcpu %u: unhandled EC 0x%02lx (%s) ESR=0x%lx ELR=0x%lx FAR=0x%lx: injecting UNDEF",
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

static void finish_hcall(struct vcpu *v)
{
	struct hcall_args a;
	struct hcall_ret r;

	hcall_decode(v->ctx.x, &a);
	hcall_dispatch(v, &a, &r);
	for (u32 i = 0; i < r.nr_ret; i++)
		v->ctx.x[i] = (u64)r.r[i];
}

static void handle_hvc(struct vcpu *v, u64 esr)
{
	count_exit(v, EXIT_HVC);
	/* ELR already points past HVC.  Non-zero immediates are not SMCCC. */
	if (esr & 0xffff) {
		v->ctx.x[0] = (u64)(s64)-1;
		return;
	}
	finish_hcall(v);
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
	finish_hcall(v);
}

static void handle_iabt(struct vcpu *v, u64 esr)
{
	u64 far = read_far_el2();

	count_exit(v, EXIT_ABORT_INJECTED);
	vm_log(v->vm, "vcpu %u: instruction abort at IPA 0x%lx (VA 0x%lx) ESR=0x%lx ELR=0x%lx: injecting abort",
	       v->id, (unsigned long)fault_ipa(read_hpfar_el2(), far), (unsigned long)far,
	       (unsigned long)esr, (unsigned long)v->ctx.pc);
	inject_iabt(v, far);
}

static void handle_serror_sync(struct vcpu *v, u64 esr)
{
	vm_log(v->vm, "vcpu %u: SError ESR=0x%lx ELR=0x%lx: terminating", v->id,
	       (unsigned long)esr, (unsigned long)v->ctx.pc);
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

/* Steps over the trapped instruction: 2 bytes for a 16-bit T32 one. */
void skip_instr(struct vcpu *v, u64 esr)
{
	v->ctx.pc += (esr & ESR_IL) ? 4 : 2;
}

u64 fault_ipa(u64 hpfar, u64 far)
{
	return ((hpfar & HPFAR_FIPA_MASK) << 8) | (far & 0xfff);
}

void trap_dispatch(struct vcpu *v, u64 esr)
{
	exit_handlers[ESR_EC(esr)](v, esr);
}

const char *ec_name(u64 ec)
{
	switch (ec) {
	case EC_UNKNOWN: return "unknown/undefined";
	case EC_WFX: return "WFI/WFE";
	case EC_FP_ASIMD: return "FP/SIMD";
	case EC_PAC: return "pointer auth";
	case EC_ILL: return "illegal state";
	case EC_HVC64: return "HVC";
	case EC_SMC64: return "SMC";
	case EC_SYS64: return "MSR/MRS";
	case EC_SVE: return "SVE";
	case EC_ERET: return "ERET";
	case EC_SME: return "SME";
	case EC_IABT_LOW: return "instruction abort";
	case EC_DABT_LOW: return "data abort";
	case EC_SERROR: return "SError";
	case EC_BRK64: return "BRK";
	default: return "other";
	}
}
