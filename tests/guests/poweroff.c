/* Ending a VM: SYSTEM_RESET restarts it from its image (with its memory
 * zeroed), and the second run powers off with CPU_OFF of its last vCPU. */
#include "guest.h"

void guest_main(u64 dtb);

static u64 marker; /* in BSS: must read 0 after a restart */

void guest_main(u64 dtb)
{
	u64 restarts = hvc_call(AETHER_HC_RESTARTS, 0, 0, 0).a0;

	g_printf("poweroff guest: run %lu\n", (unsigned long)restarts + 1);
	CHECK_EQ("memory-zeroed-on-start", *(volatile u64 *)0x40800000UL, 0);
	*(volatile u64 *)0x40800000UL = 0xfeedface; /* outside the image: zeroing is the VM's */
	marker = 1;
	if (restarts == 0) {
		g_printf("requesting SYSTEM_RESET\n");
		hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
		g_printf("FAIL system-reset-returned\n");
	}
	g_printf("GUEST RESULT: run 2, calling CPU_OFF on the last vCPU\n");
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
	g_printf("FAIL cpu-off-returned\n");
}
