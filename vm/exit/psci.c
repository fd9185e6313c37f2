/* PSCI 1.1 for guests (Arm DEN 0022).  Arguments are validated in full before
 * any vCPU or VM state changes, so a rejected call has no effect. */
#include "aether_abi.h"
#include "arch/regs.h"
#include "vm/exit/hypercall.h"
#include "vm/guest_mem.h"
#include "vm/lifecycle.h"
#include "vm/sched.h"
#include "vm/vm.h"
#include "vm/vcpu_ops.h"

#define PSCI_1_1 0x10001
#define MIGRATE_INFO_NO_TOS 2 /* no Trusted OS that needs migration */

static struct vcpu *vcpu_by_mpidr(struct vm *vm, u64 mpidr)
{
	if (mpidr & ~MPIDR_AFF_MASK)
		return NULL;
	if ((mpidr & MPIDR_AFF_MASK) >= vm->nr_vcpus)
		return NULL;
	return &vm->vcpus[mpidr & 0xff];
}

static s64 psci_cpu_on(struct vcpu *v, const struct hcall_args *a)
{
	struct vcpu *t = vcpu_by_mpidr(v->vm, hcall_arg(a, 0));
	u64 entry = hcall_arg(a, 1);

	if (!t)
		return PSCI_RET_INVALID_PARAMETERS;
	s64 ret = PSCI_RET_SUCCESS;

	if (!IS_ALIGNED(entry, 4) || !vm_ipa_is_ram(v->vm, ipa_init(entry), 4))
		return PSCI_RET_INVALID_ADDRESS;
	/* Two vCPUs may race to start the same one: exactly one wins. */
	spin_lock(&v->vm->lock);
	if (t->state != VCPU_OFF)
		ret = PSCI_RET_ALREADY_ON;
	else
		vcpu_power_on(t, entry, hcall_arg(a, 2));
	spin_unlock(&v->vm->lock);
	return ret;
}

static s64 psci_affinity_info(struct vcpu *v, const struct hcall_args *a)
{
	struct vcpu *t;

	if (hcall_arg(a, 1) != 0) /* only affinity level 0 is described */
		return PSCI_RET_INVALID_PARAMETERS;
	t = vcpu_by_mpidr(v->vm, hcall_arg(a, 0));
	if (!t)
		return PSCI_RET_INVALID_PARAMETERS;
	return t->state == VCPU_RUNNABLE ? PSCI_AFF_ON : PSCI_AFF_OFF;
}

static s64 psci_cpu_off(struct vcpu *v)
{
	if (vcpu_power_off(v))
		vm_end(v->vm, VM_END_ALL_CPUS_OFF);
	return PSCI_RET_SUCCESS; /* only seen if the call failed; it cannot */
}

bool psci_implements(u32 fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES: return true;
	default: return false;
	}
}

s64 psci_call(struct vcpu *v, const struct hcall_args *a)
{
	switch (a->fid) {
	case PSCI_VERSION: return PSCI_1_1;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* Every power state is served as standby, which PSCI allows:
		 * the call returns when the vCPU has a reason to wake. */
		vcpu_wait(v);
		return PSCI_RET_SUCCESS;
	case PSCI_CPU_OFF: return psci_cpu_off(v);
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64: return psci_cpu_on(v, a);
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64: return psci_affinity_info(v, a);
	case PSCI_MIGRATE_INFO_TYPE: return MIGRATE_INFO_NO_TOS;
	case PSCI_SYSTEM_OFF: vm_end(v->vm, VM_END_POWEROFF); return PSCI_RET_SUCCESS;
	case PSCI_SYSTEM_RESET: vm_reset(v->vm); return PSCI_RET_SUCCESS;
	case PSCI_FEATURES:
		/* CPU_SUSPEND: original power-state format, no OS-initiated mode.
		 * SMCCC_VERSION may be queried too (DEN 0022 5.1.15): Linux
		 * only trusts SMCCC 1.1 when this says it exists. */
		return psci_implements((u32)hcall_arg(a, 0)) ||
				       (u32)hcall_arg(a, 0) == SMCCC_VERSION
			       ? PSCI_RET_SUCCESS
			       : PSCI_RET_NOT_SUPPORTED;
	default: return PSCI_RET_NOT_SUPPORTED;
	}
}
