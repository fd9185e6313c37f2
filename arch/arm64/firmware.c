#include "arch/firmware.h"
#include "aether_abi.h"
#include "arch/entry.h"

/* SMC until the DTB's /psci says otherwise (boot/platform.c): a DTB that
 * cannot be read is refused by powering off, which needs some conduit. */
static enum fw_conduit conduit = FW_CONDUIT_SMC;

void fw_set_conduit(enum fw_conduit c)
{
	conduit = c;
}

static s64 smc3(u64 fid, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fid;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (s64)x0;
}

s64 fw_psci_cpu_on(u64 mpidr, paddr_t entry, u64 context)
{
	if (conduit != FW_CONDUIT_SMC)
		return PSCI_RET_NOT_SUPPORTED;
	return smc3(PSCI_CPU_ON_64, mpidr, pa_addr(entry), context);
}

void fw_system_off(void)
{
	if (conduit == FW_CONDUIT_SMC)
		smc3(PSCI_SYSTEM_OFF, 0, 0, 0);
	cpu_halt(); /* firmware without PSCI: stop here */
}

void fw_system_reset(void)
{
	if (conduit == FW_CONDUIT_SMC)
		smc3(PSCI_SYSTEM_RESET, 0, 0, 0);
	cpu_halt();
}
