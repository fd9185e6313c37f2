/* Isolation: from an identity-layout VM, read every MiB of the machine's
 * physical RAM outside this VM's own memory (so the hypervisor's image and
 * every other VM's RAM are among the addresses) and expect an abort for
 * each.  Its own RAM comes from its device tree. */
#include "lib/fdt.h"
#include "guest.h"

void guest_main(u64 dtb);

#define PHYS_RAM_BASE 0x40000000UL
#define PHYS_RAM_SIZE (1024UL << 20) /* the test's QEMU -m 1024 */
#define HYP_IMAGE 0x40200000UL

void guest_main(u64 dtb)
{
	struct fdt f;
	u64 base = 0, size = 0, tried = 0, aborted = 0, leaked = 0;
	int n;

	if (fdt_open(&f, (const void *)dtb, SZ_2M) || (n = fdt_path_offset(&f, "/memory")) < 0 ||
	    fdt_read_reg(&f, n, 0, &base, &size)) {
		g_check("own-memory-known", false, "no memory node");
		return;
	}
	g_printf("own RAM 0x%lx-0x%lx; probing the rest of 0x%lx-0x%lx\n", (unsigned long)base,
		 (unsigned long)(base + size), PHYS_RAM_BASE, PHYS_RAM_BASE + PHYS_RAM_SIZE);
	for (u64 pa = PHYS_RAM_BASE; pa < PHYS_RAM_BASE + PHYS_RAM_SIZE; pa += SZ_1M) {
		u64 a = pa == PHYS_RAM_BASE + SZ_2M ? HYP_IMAGE + 0x40 : pa; /* hypervisor text */
		u64 before = g_last_exc.count, val;
		if (a >= base && a < base + size)
			continue;
		tried++;
		val = *(volatile u64 *)a;
		if (g_last_exc.count == before + 1 && (g_last_exc.esr >> 26) == 0x25 &&
		    g_last_exc.far == a)
			aborted++;
		else
			leaked++, g_printf("FAIL read 0x%lx returned 0x%lx\n", (unsigned long)a,
					   (unsigned long)val);
		before = g_last_exc.count;
		*(volatile u64 *)a = 0x5a5a5a5a;
		if (g_last_exc.count != before + 1)
			leaked++, g_printf("FAIL write 0x%lx did not abort\n", (unsigned long)a);
	}
	g_printf("probed %lu addresses, %lu aborted\n", (unsigned long)tried,
		 (unsigned long)aborted);
	CHECK_EQ("every-foreign-address-aborts", leaked, 0);
	g_check("probed-enough", tried > 900, "only %lu", (unsigned long)tried);
}
