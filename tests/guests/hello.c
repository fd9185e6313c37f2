/* The default guest: checks what the hypervisor handed it (EL1, SP_EL1, a
 * device tree that describes its own memory and vCPUs), then powers off. */
#include "lib/fdt.h"
#include "guest.h"

void guest_main(u64 dtb);
extern char _start[];

static void check_dtb(u64 dtb, u64 nr_vcpus)
{
	struct fdt f;
	u64 base = 0, size = 0;
	int n, cpus = 0;
	const char *method;
	u32 len;

	if (fdt_open(&f, (const void *)dtb, SZ_2M)) {
		g_check("dtb-valid", false, "fdt_open failed");
		return;
	}
	n = fdt_path_offset(&f, "/memory");
	g_check("dtb-memory", n >= 0 && fdt_read_reg(&f, n, 0, &base, &size) == 0, "no memory reg");
	/* Loaded at the start of RAM: the memory node must say where that is. */
	CHECK_EQ("dtb-memory-base-is-where-we-run", base, (u64)(uintptr_t)_start);
	g_check("dtb-memory-covers-dtb", dtb >= base && dtb < base + size, "size 0x%lx",
		(unsigned long)size);
	for (n = fdt_find_device_type(&f, -1, "cpu"); n >= 0;
	     n = fdt_find_device_type(&f, n, "cpu"))
		cpus++;
	CHECK_EQ("dtb-cpu-count", cpus, nr_vcpus);
	method = fdt_getprop(&f, fdt_path_offset(&f, "/psci"), "method", &len);
	g_check("dtb-psci-hvc", method && len == 4 && !strcmp(method, "hvc"), "method");
	/* The GIC the device tree names is the one the guest has. */
	if (g_gic_v2())
		g_check("dtb-gic-v2",
			fdt_find_compatible(&f, -1, "arm,cortex-a15-gic") >= 0 &&
				fdt_find_compatible(&f, -1, "arm,gic-v3") < 0,
			"no arm,cortex-a15-gic");
	else
		g_check("dtb-gic-v3", fdt_find_compatible(&f, -1, "arm,gic-v3") >= 0, "no gic");
	g_check("dtb-pl011", fdt_find_compatible(&f, -1, "arm,pl011") >= 0, "no uart");
	g_check("dtb-bootargs",
		fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "bootargs", &len) != NULL,
		"no bootargs");
}

void guest_main(u64 dtb)
{
	struct smccc_res info = hvc_call(AETHER_HC_VM_INFO, 0, 0, 0);
	u64 el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	g_printf("Hello from a guest at EL%lu: VM %lu, vCPU %lu of %lu, DTB at 0x%lx, SP_EL1 "
		 "0x%lx\n",
		 (unsigned long)(el >> 2), (unsigned long)info.a1, (unsigned long)info.a2,
		 (unsigned long)info.a3, (unsigned long)dtb, (unsigned long)boot_sp);
	CHECK_EQ("hello-el1", el >> 2, 1);
	g_check("sp-el1-set", boot_sp != 0 && boot_sp <= dtb && (boot_sp & 15) == 0, "SP_EL1 0x%lx",
		(unsigned long)boot_sp);
	check_dtb(dtb, info.a3);
}
