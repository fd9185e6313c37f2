/* The default guest: says hello with what the hypervisor told it, then
 * powers its VM off. */
#include "guest.h"

void guest_main(u64 dtb);

void guest_main(u64 dtb)
{
	struct smccc_res info = hvc_call(AETHER_HC_VM_INFO, 0, 0, 0);
	u64 el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	g_printf("Hello from a guest at EL%lu: VM %lu, vCPU %lu of %lu, DTB at 0x%lx, SP_EL1 0x%lx\n",
		 (unsigned long)(el >> 2), (unsigned long)info.a1, (unsigned long)info.a2,
		 (unsigned long)info.a3, (unsigned long)dtb, (unsigned long)boot_sp);
	CHECK_EQ("hello-el1", el >> 2, 1);
	g_check("hello-dtb", *(volatile u32 *)dtb == 0xedfe0dd0, "no FDT magic at x0");
}
