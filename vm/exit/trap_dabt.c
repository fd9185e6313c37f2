/* Stage-2 data aborts: emulated MMIO, or an external abort for the guest.
 * Order of checks: can the access be decoded at all, is there a device, then
 * width, alignment and range (in mmio_access_region), then the device acts. */
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "vm/exit/inject.h"
#include "vm/exit/trap.h"
#include "arch/fault.h"
#include "vm/vm.h"

static const char *mmio_result_str(enum mmio_result r)
{
	switch (r) {
	case MMIO_NO_REGION: return "nothing mapped";
	case MMIO_BAD_WIDTH: return "unsupported width";
	case MMIO_MISALIGNED: return "misaligned";
	default: return "ok";
	}
}

/* Only refused aborts count in s2_faults: completed MMIO accesses are in
 * exits[EXIT_DABT_MMIO], and the VM's Stage-2 fault count is the sum
 * (vm/mgmt/ops_info.c), so the exit short path updates one counter. */
static __cold void dabt_refuse(struct vcpu *v, u64 esr, u64 far, u64 ipa, const char *why)
{
	v->vm->s2_faults++;
	v->exits[EXIT_ABORT_INJECTED]++;
	vm_log(v->vm,
	       "vcpu %u: data abort at IPA 0x%lx (VA 0x%lx, %s) ESR=0x%lx ELR=0x%lx: %s; injecting "
	       "abort",
	       v->id, (unsigned long)ipa, (unsigned long)far, (esr & DABT_WNR) ? "write" : "read",
	       (unsigned long)esr, (unsigned long)v->ctx.pc, why);
	inject_dabt(v, far, (esr & DABT_WNR) != 0);
}

static void complete_mmio(struct vcpu *v, const struct mmio_access *acc, u64 val, u64 esr)
{
	if (!acc->write && acc->reg != 31)
		v->ctx.x[acc->reg] = mmio_load_result(acc, val);
	skip_instr(v, esr);
}

void handle_dabt(struct vcpu *v, u64 esr)
{
	u64 far = read_far_el2(), hpfar = read_hpfar_el2();
	u64 ipa = fault_ipa(hpfar, far);
	const struct mmio_region *r = mmio_find(v->vm->mmio, v->vm->nr_mmio, ipa_init(ipa));
	struct mmio_access acc;
	enum mmio_result res;
	u64 val = 0;

	if (!r)
		return dabt_refuse(v, esr, far, ipa, "no memory or device at this address");
	if (!mmio_decode(esr, far, hpfar, &acc))
		return dabt_refuse(v, esr, far, ipa, "access without a valid syndrome");
	if (acc.write)
		val = acc.reg == 31 ? 0 : v->ctx.x[acc.reg];
	res = mmio_access_region(r, v, &acc, &val);
	if (res != MMIO_DONE)
		return dabt_refuse(v, esr, far, ipa, mmio_result_str(res));
	v->exits[EXIT_DABT_MMIO]++;
	complete_mmio(v, &acc, val, esr);
}
