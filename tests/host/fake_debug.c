/* Host fake of arch/arm64/debug.c; see fake_debug.h. */
#include <string.h>

#include "fake_debug.h"
#include "vm/vcpu_timer.h"

struct arch_debug_regs fake_dbg_cpu;
bool fake_dbg_trap = true;
unsigned fake_dbg_loads, fake_dbg_saves;

void fake_debug_reset(void)
{
	memset(&fake_dbg_cpu, 0, sizeof(fake_dbg_cpu));
	fake_dbg_trap = true;
	fake_dbg_loads = fake_dbg_saves = 0;
}

u32 arch_debug_brps(void)
{
	return FAKE_BRPS;
}

u32 arch_debug_wrps(void)
{
	return FAKE_WRPS;
}

void arch_debug_save(struct arch_debug_regs *r, u32 nbrp, u32 nwrp)
{
	fake_dbg_saves++;
	r->mdscr = fake_dbg_cpu.mdscr;
	for (u32 n = 0; n < nbrp; n++) {
		r->bvr[n] = fake_dbg_cpu.bvr[n];
		r->bcr[n] = fake_dbg_cpu.bcr[n];
	}
	for (u32 n = 0; n < nwrp; n++) {
		r->wvr[n] = fake_dbg_cpu.wvr[n];
		r->wcr[n] = fake_dbg_cpu.wcr[n];
	}
}

void arch_debug_load(const struct arch_debug_regs *r, u32 nbrp, u32 nwrp, u64 mdscr)
{
	fake_dbg_loads++;
	for (u32 n = 0; n < nbrp; n++) {
		fake_dbg_cpu.bvr[n] = r->bvr[n];
		fake_dbg_cpu.bcr[n] = r->bcr[n];
	}
	for (u32 n = 0; n < nwrp; n++) {
		fake_dbg_cpu.wvr[n] = r->wvr[n];
		fake_dbg_cpu.wcr[n] = r->wcr[n];
	}
	fake_dbg_cpu.mdscr = mdscr;
}

void arch_debug_quiesce(void)
{
	fake_dbg_cpu.mdscr = 0;
}

void arch_debug_trap(bool on)
{
	fake_dbg_trap = on;
}

/* vm/vcpu_timer.c's exit-path flag (this_cpu() is not on the host). */
void vcpu_timers_changed(void)
{
}

void arch_debug_init_cpu(void)
{
	fake_dbg_cpu.mdscr = 0;
}
