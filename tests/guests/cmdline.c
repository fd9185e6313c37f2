/* Reports the command line the hypervisor handed it (/chosen/bootargs) in
 * brackets, byte for byte, so a test can check that `make run BOOTARGS=...`
 * arrives verbatim, including an empty one. */
#include "lib/fdt.h"
#include "guest.h"

void guest_main(u64 dtb);

void guest_main(u64 dtb)
{
	struct fdt f;
	const char *args = NULL;
	u32 len = 0;

	if (fdt_open(&f, (const void *)dtb, SZ_2M) == 0)
		args = fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "bootargs", &len);
	if (!args)
		g_printf("CMDLINE-ABSENT\n");
	else
		g_printf("CMDLINE=[%s] bytes=%u\n", args, len);
	g_check("cmdline-present", args != NULL, "no /chosen/bootargs");
}
