/* Injection policy: a guest whose exception vector itself faults would
 * take the same exception forever without executing a single instruction
 * of its own.  That is a crash, and it ends the VM. */
#include "vm/exit/inject.h"
#include "arch/inject.h"
#include "arch/sysreg.h"
#include "vm/lifecycle.h"
#include "vm/vm.h"

static void injected(struct vcpu *v, enum inject_result r)
{
	if (likely(r == INJECT_DONE))
		return;
	vm_log(v->vm,
	       "vcpu %u: fault at 0x%lx inside its own exception vector (VBAR_EL1 0x%lx): "
	       "terminating",
	       v->id, (unsigned long)v->ctx.pc, (unsigned long)read_vbar_el1());
	vm_end(v->vm, VM_END_FAULT);
}

void inject_undef(struct vcpu *v)
{
	injected(v, arch_inject_undef(&v->ctx));
}

void inject_dabt(struct vcpu *v, u64 va, bool write)
{
	injected(v, arch_inject_dabt(&v->ctx, va, write));
}

void inject_iabt(struct vcpu *v, u64 va)
{
	injected(v, arch_inject_iabt(&v->ctx, va));
}
