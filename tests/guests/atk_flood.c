/* Hostile guest, scenario 12: log flooding.  For 2.5 s of guest time it
 * triggers hypervisor warnings in a loop (loads from a hole and trapped
 * system register UNDEFs); the hypervisor prints at most 10
 * of its lines per second and then counts what it suppressed, so the
 * console and the victim are not slowed. */
#include "atk_lib.c"

void guest_main(u64 dtb);

void guest_main(u64 dtb)
{
	u64 t0 = atk_ms(), n = 0, x = 0;

	while (atk_ms() - t0 < 2500) {
		(void)*(volatile u32 *)0x10000000UL;
		__asm__ volatile("mrs %0, s2_0_c0_c2_0" : "+r"(x)); /* MDCCINT_EL1: UNDEF */
		n += 2;
	}
	g_printf("attacker: triggered %lu warnings in 2.5 s\n", (unsigned long)n);
	g_check("flood-contained", g_last_exc.count == n, "%lu exceptions for %lu",
		(unsigned long)g_last_exc.count, (unsigned long)n);
}
