/* When a vCPU's debug registers live in the CPU (include/vm/vcpu_debug.h).
 *
 * In memory (the default): MDCR_EL2.TDA traps every access, the accesses
 * act on v->dbg (vm/vdebug.c) and the CPU's MDSCR_EL1 is 0, so no
 * breakpoint, watchpoint or step can fire for this guest.  As soon as an
 * access leaves something armed with the OS lock clear, the state is
 * loaded and TDA lifted for this vCPU; the guest then programs the
 * hardware directly and takes its debug exceptions at its own EL1.  On a
 * switch the registers are saved and MDSCR_EL1 zeroed before another vCPU
 * runs; a vCPU that disarmed everything goes back to trapping.  OSLAR_EL1
 * always traps (MDCR_EL2.TDOSA), so setting the OS lock moves the state
 * back to memory at once. */
#include "vm/vcpu_debug.h"
#include "arch/debug.h"
#include "vm/vdebug.h"
#include "vm/vm.h"

/* What the CPU implements (ID_AA64DFR0_EL1); guests see the same counts. */
static u32 nbrp(void)
{
	return MIN(arch_debug_brps(), ARCH_DBG_MAX);
}

static u32 nwrp(void)
{
	return MIN(arch_debug_wrps(), ARCH_DBG_MAX);
}

static void to_cpu(struct vcpu *v)
{
	arch_debug_load(&v->dbg.r, nbrp(), nwrp(), v->dbg.r.mdscr);
	arch_debug_trap(false);
	v->dbg.active = true;
}

static void to_memory(struct vcpu *v)
{
	arch_debug_save(&v->dbg.r, nbrp(), nwrp());
	arch_debug_quiesce();
	arch_debug_trap(true);
	v->dbg.active = false;
}

/* After a trapped access changed the copy in memory (v runs here). */
static void settle(struct vcpu *v)
{
	if (!v->dbg.active && vdebug_wants_cpu(&v->dbg, nbrp(), nwrp()))
		to_cpu(v);
}

void vcpu_debug_reset(struct vcpu *v)
{
	vdebug_reset(&v->dbg);
}

void vcpu_debug_load(struct vcpu *v)
{
	if (v->dbg.active)
		to_cpu(v);
	else
		arch_debug_trap(true);
}

void vcpu_debug_save(struct vcpu *v)
{
	if (!v->dbg.active)
		return;
	to_memory(v);
	/* Still armed: loaded again with the vCPU. */
	v->dbg.active = vdebug_wants_cpu(&v->dbg, nbrp(), nwrp());
}

void vcpu_debug_put(struct vcpu *v)
{
	if (v->dbg.active)
		to_memory(v);
}

bool vcpu_debug_bpwp(struct vcpu *v, u32 n, u32 op2, bool read, u64 *val)
{
	if (!vdebug_bpwp_access(&v->dbg, n, op2, read, val, nbrp(), nwrp()))
		return false;
	if (!read)
		settle(v);
	return true;
}

void vcpu_debug_mdscr(struct vcpu *v, bool read, u64 *val)
{
	vdebug_mdscr_access(&v->dbg, read, val);
	if (!read)
		settle(v);
}

void vcpu_debug_oslar(struct vcpu *v, u64 val)
{
	if (v->dbg.active)
		to_memory(v); /* the copy in memory is the current one again */
	vdebug_oslar_write(&v->dbg, val);
	settle(v);
}

u64 vcpu_debug_oslsr(const struct vcpu *v)
{
	return vdebug_oslsr_read(&v->dbg);
}
