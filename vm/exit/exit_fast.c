/* The short path of a synchronous exit (arch/arm64/entry.S saves only
 * x0-x19 and x30 before calling it, and restores only those after): leaf
 * hypercalls (HVC #0) and the common MMIO access.  It runs only while this
 * CPU's exit_work word is zero, so the general path would have done nothing
 * else: no list register to sync, no reschedule (vm/exit/exit.c).  Either
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
 * load or store (LDRS* and every refusal are the general path's), Rt saved
 * (not x20-x29), no software step in progress, and an access the region's
 * fast_mask passes (width, alignment, inside the implemented registers).
 * Anything else returns 0 before touching anything, and handle_dabt
 * decides.  Once the device has acted the access is complete: Rt and
 * ELR_EL2 written, 1.  Counted in exits[] alone (the VM's Stage-2 fault
 * count adds them: vm/mgmt/ops_info.c). */
/* The bytes an access of 2^SAS bytes moves. */
static const u64 sas_mask[4] = {0xff, 0xffff, 0xffffffffUL, ~0UL};

static inline u64 dabt_fast(struct vcpu *v, u64 esr)
{
	unsigned rt = (unsigned)FIELD_GET(DABT_SRT_MASK, esr);
	unsigned sas = (unsigned)FIELD_GET(DABT_SAS_MASK, esr);
	const struct mmio_region *r;
	struct vm *vm = v->vm;
	u64 ipa, off, mask;

	if (!(esr & DABT_ISV) || (esr & (DABT_FNV | DABT_S1PTW | DABT_SSE)) || rt - 20 < 10 ||
	    (read_spsr_el2() & PSR_SS))
		return 0;
	ipa = fault_ipa(read_hpfar_el2(), read_far_el2());
	r = v->mmio_hint;
	if (unlikely(!r) || (off = ipa - ipa_addr(r->base)) >= r->size) {
		r = mmio_find(vm->mmio, vm->nr_mmio, ipa_init(ipa));
		if (!r)
			return 0;
		v->mmio_hint = r;
		off = ipa - ipa_addr(r->base);
	}
	if (!mmio_fast_ok(r, off, sas))
		return 0;
	vm->exits[EXIT_DABT_MMIO]++;
	mask = sas_mask[sas];
	/* Complete before the device acts (it cannot refuse now), so that
	 * after its call only the loaded value is left to store. */
	write_elr_el2(read_elr_el2() + 4); /* ISV: a 32-bit A64 load or store */
	if (esr & DABT_WNR) {
		r->ops->write(r->dev, v, off, 1u << sas, rt == 31 ? 0 : v->ctx.x[rt] & mask);
	} else {
		/* Where the value goes, found before the call so that only it
		 * and the mask live across it; none for Rt 31 (XZR).  A W
		 * register's upper half is zero: size <= 4. */
		u64 *dst = rt == 31 ? NULL : &v->ctx.x[rt];
		u64 val = r->ops->read(r->dev, v, off, 1u << sas) & mask;

		if (dst)
			*dst = val;
	}
	return 1;
}

/* The call below is a tail call, so the common case (a leaf hypercall)
 * needs no stack frame here. */
/* x0 unused: the arguments stay in the registers they arrived in (noipa
 * keeps the signature as written). */
static __attribute__((noipa)) u64 dabt_fast_exit(u64 x0, struct vcpu *v, u64 esr)
{
	if (!dabt_fast(v, esr))
		return 0;
	/* The device may have raised an interrupt, kicked a vCPU. */
	if (unlikely(this_cpu()->exit_work)) {
		this_cpu()->sync_done = true;
		return 0;
	}
	return 1;
}

static inline u64 sync_fast(u64 x0, struct vcpu *v, u64 esr)
{
	if (esr == ESR_HVC64_IMM0)
		return hcall_fast(x0, v);
	if (ESR_EC(esr) == EC_DABT_LOW)
		return dabt_fast_exit(x0, v, esr);
	return 0;
}

/* Apart, so that the common case below needs no stack frame (its calls
 * are tail calls): exit work pending, maybe only a completed timer. */
static __attribute__((noinline)) u64 sync_fast_work(u64 x0, struct vcpu *v)
{
	if (!exit_work_none(this_cpu()))
		return 0;
	return sync_fast(x0, v, read_esr_el2());
}

u64 handle_guest_sync_fast(u64 x0, struct vcpu *v)
{
	if (unlikely(this_cpu()->exit_work))
		return sync_fast_work(x0, v);
	return sync_fast(x0, v, read_esr_el2());
}

/* The IRQ vector's short path: with no exit work (or only a completed
 * timer to free), the virtual timer goes straight into list register 0
 * (vm/irq.c); 0 completes the save and runs handle_guest_irq, with what
 * was acknowledged here already handled. */
u64 handle_guest_irq_fast(u64 x0, struct vcpu *v)
{
	v->vm->exits[EXIT_IRQ]++;
	if (unlikely(!exit_work_none(this_cpu())))
		return 0;
	return irq_vtimer_fast(v);
}
