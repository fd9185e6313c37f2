/* The short path of a synchronous exit (arch/arm64/entry.S saves only
 * x0-x19 and x30 before calling it, and restores only those after): leaf
 * hypercalls (HVC #0) and the common MMIO access.  It runs only while this
 * CPU's exit_work_short is zero, so the general path would have done
 * nothing else: no list register to sync, no reschedule (vm/exit/exit.c).
 * The one flag it does not look at, vtimer_lr (the virtual timer the IRQ
 * short path left in list register 0), only matters to the vGIC model,
 * which neither a leaf hypercall nor an MMIO short path reads: the vGIC's
 * registers are general-path-only regions (mmio_ops.general_only).  Either
 * the exit is handled and the guest resumes at once (non-zero), or nothing
 * has changed and the vectors complete the save for handle_guest_sync (0);
 * or, for an MMIO access whose device left exit work, the access is done,
 * percpu.sync_done says so, and handle_guest_sync only does the work. */
#include "arch/entry.h"
#include "arch/percpu.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "arch/fault.h"
#include "vm/exit/hypercall.h"
#include "vm/exit/trap.h"
#include "vm/irq.h"
#include "vm/mmio.h"
#include "platform.h"
#include "platform_info.h"
#include "arch/vcpu_ctx.h"
#include "vm/vgic.h"
#include "vm/vm.h"

/* ESR_EL2 of HVC #0 from AArch64: any other immediate is not SMCCC. */
#define ESR_HVC64_IMM0 ((u64)EC_HVC64 << ESR_EC_SHIFT | ESR_IL)

/* An MMIO access with only x0-x19 and x30 saved, ELR_EL2 and SPSR_EL2
 * still live.  It takes the common case alone: a valid syndrome for a plain
 * load or store (LDRS* and every refusal are the general path's; the EC and
 * those syndrome bits are one test), Rt saved (not x20-x29; a load to XZR is
 * the general path's too), no software step in progress, and an access the
 * region's fast_mask passes (width, alignment, inside the implemented
 * registers and the region).  Anything else returns 0 before touching
 * anything, and handle_dabt decides.  Once the device has acted the access
 * is complete: Rt and ELR_EL2 written, 1.  Counted in exits[] alone (the
 * VM's Stage-2 fault count adds them: vm/mgmt/ops_info.c).  The device's
 * call is a tail call into arch/arm64/fast_call.S, so that this needs no
 * stack frame. */
#define DABT_FAST_SEL (ESR_EC_MASK | DABT_ISV | DABT_FNV | DABT_S1PTW | DABT_SSE)
#define DABT_FAST_WANT ((u64)EC_DABT_LOW << ESR_EC_SHIFT | DABT_ISV)

/* The access's IPA: HPFAR_EL2.FIPA (bits 47:4, IPA bits 51:12) with
 * FAR_EL2's page offset.  Bits above FIPA are RES0 and not masked as
 * fault_ipa does: if one were set, the region tests fail and the general
 * path decides. */
static inline u64 dabt_fast_ipa(void)
{
	return (read_hpfar_el2() << 8 & ~0xfffUL) | (read_far_el2() & 0xfff);
}

/* Once the device cannot refuse: counted, and complete before the device
 * acts, so that after its call only a loaded value is left to store
 * (arch/arm64/fast_call.S does that, and looks for exit work the device may
 * have left). */
static inline void dabt_fast_begin(struct vcpu *v)
{
	v->exits[EXIT_DABT_MMIO]++;
	write_elr_el2(read_elr_el2() + 4); /* ISV: a 32-bit A64 load or store */
}

/* The access, once the region passed it: counted, ELR_EL2 advanced, and
 * the device called by a tail call.  shift is what zero-extends a value
 * from size bytes, taken mod 64 (0 for 8). */
static inline __attribute__((always_inline)) u64
dabt_fast_go(struct vcpu *v, const struct mmio_region *r, u64 off, u64 esr, u64 rt, unsigned size)
{
	unsigned shift = -(size << 3);

	if (esr & DABT_WNR) {
		u64 val = rt == 31 ? 0 : v->ctx.x[rt] << (shift & 63) >> (shift & 63);

		dabt_fast_begin(v);
		return fast_store(r->dev, v, off, size, val, r->write);
	}
	if (rt == 31)
		return 0;
	dabt_fast_begin(v);
	return fast_load(r->dev, v, off, size, &v->ctx.x[rt], shift, r->read);
}

/* The hint missed: the region the IPA falls in, remembered; apart, so that
 * dabt_fast needs no stack frame (noipa: the arguments where dabt_fast has
 * them). */
static __attribute__((noipa)) u64 dabt_fast_miss(u64 ipa, struct vcpu *v, u64 esr)
{
	const struct vm *vm = v->vm;
	const struct mmio_region *r = mmio_find(vm->mmio, vm->nr_mmio, ipa_init(ipa));
	u64 off;

	if (!r)
		return 0;
	v->mmio_hint = r;
	off = ipa - ipa_addr(r->base);
	if (!mmio_fast_ok(r, off, FIELD_GET(DABT_SAS_MASK, esr)))
		return 0;
	return dabt_fast_go(v, r, off, esr, FIELD_GET(DABT_SRT_MASK, esr),
			    1u << FIELD_GET(DABT_SAS_MASK, esr));
}

/* x0 unused: the arguments stay in the registers they arrived in (noipa
 * keeps the signature as written, and the hypercall's path short). */
static __attribute__((noipa)) u64 dabt_fast(u64 x0, struct vcpu *v, u64 esr)
{
	const struct mmio_region *r = v->mmio_hint;
	u64 rt = FIELD_GET(DABT_SRT_MASK, esr), sas = FIELD_GET(DABT_SAS_MASK, esr);
	unsigned size = 1u << sas;
	u64 ipa, off;

	if (rt - 20 < 10 || (read_spsr_el2() & PSR_SS))
		return 0;
	ipa = dabt_fast_ipa();
	off = ipa - ipa_addr(r->base);
	if (unlikely(!mmio_fast_ok(r, off, sas)))
		return dabt_fast_miss(ipa, v, esr);
	return dabt_fast_go(v, r, off, esr, rt, size);
}

/* ESR bit 31 (EC bit 5) splits the two: set for a data abort from a lower
 * EL (EC 0x24), clear for HVC (0x16); one test-bit on each side's way. */
static inline u64 sync_fast(u64 x0, struct vcpu *v, u64 esr)
{
	if (esr & BIT(31)) {
		if ((esr & DABT_FAST_SEL) == DABT_FAST_WANT)
			return dabt_fast(x0, v, esr);
	} else if (esr == ESR_HVC64_IMM0) {
		return hcall_fast(x0, v);
	}
	return 0;
}

u64 handle_guest_sync_fast(u64 x0, struct vcpu *v)
{
	if (unlikely(this_cpu()->exit_work_short))
		return 0;
	return sync_fast(x0, v, read_esr_el2());
}

/* The IRQ vector's short path: with no exit work (but maybe the timer
 * this path left in list register 0 before), the virtual timer goes
 * straight into list register 0 (vm/irq.c); 0 completes the save and runs handle_guest_irq, with
 * what was acknowledged here already handled.  An exit this completes is counted as the placement
 * (vgic.fast_injected, which vm_exits adds to the IRQ exits); handle_guest_irq counts the others.
 */
u64 handle_guest_irq_fast(u64 x0, struct vcpu *v)
{
	struct percpu *pc = this_cpu();

	if (unlikely(pc->exit_work_short))
		return 0;
	return irq_vtimer_fast(v, pc);
}
