/* Baseline for the trap storm (tests/hostile): the same second of busy
 * guest time as atk_storm, but without a single exit. */
#include "atk_lib.c"

void guest_main(u64 dtb);

void guest_main(u64 dtb)
{
	u64 t0 = atk_ms(), n = 0;

	while (atk_ms() - t0 < 1000)
		n++;
	g_check("busy-second", n > 0, "no loop");
}
