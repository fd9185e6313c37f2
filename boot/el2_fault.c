/* Exceptions taken at EL2 itself.  They mean a hypervisor bug, so they are
 * reported with everything needed to find it, then the machine stops: the
 * hypervisor never loops in a vector without saying what happened. */
#include "arch/entry.h"
#include "arch/fault.h"
#include "arch/firmware.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "lib/log.h"

static const char *const kind_names[] = {"synchronous", "IRQ", "FIQ", "SError"};

void el2_exception(const u64 *regs, u64 kind)
{
	u64 esr = read_esr_el2();

	LOG("PANIC: %s exception at EL2: ESR=0x%lx (EC 0x%lx %s) ELR=0x%lx FAR=0x%lx SPSR=0x%lx",
	    kind_names[kind & 3], (unsigned long)esr, (unsigned long)ESR_EC(esr),
	    ec_name(ESR_EC(esr)), (unsigned long)read_elr_el2(), (unsigned long)read_far_el2(),
	    (unsigned long)read_spsr_el2());
	for (int i = 0; i < 31; i += 4)
		LOG("  x%-2d %016lx %016lx %016lx %016lx", i, (unsigned long)regs[i],
		    (unsigned long)regs[i + 1], (unsigned long)regs[i + 2],
		    (unsigned long)(i + 3 < 31 ? regs[i + 3] : 0));
	LOG("PANIC: hypervisor stopped");
	fw_system_off();
}
