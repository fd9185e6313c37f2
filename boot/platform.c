/* Learning the machine from the DTB the hypervisor was booted with.  Every
 * read goes through the bounds-checked reader in lib/fdt.c; anything
 * missing or inconsistent is refused with a message naming it. */
#include "boot/boot.h"
#include "boot/platform_dt.h"
#include "arch/firmware.h"
#include "arch/regs.h"
#include "platform_info.h"
#include "lib/fdt.h"
#include "lib.h"

#define FAIL(...)                                   \
	do {                                        \
		snprintf(err, errlen, __VA_ARGS__); \
		return -E_INVAL;                    \
	} while (0)

static int probe_memory(const struct fdt *f, struct platform_info *p, char *err, size_t errlen)
{
	u64 base, size;

	for (int n = fdt_find_device_type(f, -1, "memory"); n >= 0;
	     n = fdt_find_device_type(f, n, "memory")) {
		if (!fdt_status_okay(f, n))
			continue;
		for (int i = 0; fdt_read_reg(f, n, i, &base, &size) == 0; i++) {
			if (p->nr_ram == MAX_RAM_REGIONS)
				FAIL("more than %d memory ranges", MAX_RAM_REGIONS);
			/* RAM at PA 0 is as good as any (ZynqMP's starts there);
			 * only an empty or wrapping range is dropped. */
			if (size && base + size > base)
				p->ram[p->nr_ram++] = (struct mem_range){pa_init(base), size};
		}
	}
	if (!p->nr_ram)
		FAIL("no memory node");
	return 0;
}

static void add_reserved(struct platform_info *p, u64 base, u64 size)
{
	if (p->nr_reserved < MAX_RESERVED && size)
		p->reserved[p->nr_reserved++] = (struct mem_range){pa_init(base), size};
}

static void probe_reserved(const struct fdt *f, struct platform_info *p)
{
	int rm = fdt_path_offset(f, "/reserved-memory"), depth = 0;
	u64 base, size;

	for (int i = 0; i < fdt_num_memreserve(f); i++)
		if (fdt_get_memreserve(f, i, &base, &size) == 0)
			add_reserved(p, base, size);
	if (rm < 0)
		return;
	for (int n = fdt_next_node(f, rm, &depth); n >= 0 && depth > 0;
	     n = fdt_next_node(f, n, &depth))
		if (depth == 1 && fdt_read_reg(f, n, 0, &base, &size) == 0)
			add_reserved(p, base, size);
}

/* MPIDR affinity as /cpus lists it: Aff0 alone (cpu@0..3) and Aff1
 * clusters (cpu@100, cpu@101 ...) both occur; with #address-cells = 2 the
 * high word holds Aff3.  Anything outside the affinity fields, or a CPU
 * listed twice, is refused. */
static int probe_cpus(const struct fdt *f, struct platform_info *p, char *err, size_t errlen)
{
	u64 mpidr, unused;
	char path[64];

	for (int n = fdt_find_device_type(f, -1, "cpu"); n >= 0;
	     n = fdt_find_device_type(f, n, "cpu")) {
		if (!fdt_status_okay(f, n) || fdt_read_reg(f, n, 0, &mpidr, &unused))
			continue;
		node_path(f, n, path, sizeof(path));
		if (mpidr & ~MPIDR_AFF_MASK)
			FAIL("%s: reg 0x%lx is not an MPIDR affinity value", path,
			     (unsigned long)mpidr);
		for (u32 i = 0; i < p->nr_cpus; i++)
			if (p->cpu_mpidr[i] == mpidr)
				FAIL("%s: MPIDR 0x%lx listed twice", path, (unsigned long)mpidr);
		if (p->nr_cpus == MAX_CPUS)
			break; /* extra CPUs stay off */
		p->cpu_mpidr[p->nr_cpus++] = mpidr;
	}
	if (!p->nr_cpus)
		FAIL("no cpu nodes");
	return 0;
}

static int find_okay(const struct fdt *f, const char *compat)
{
	int n;

	for (n = fdt_find_compatible(f, -1, compat); n >= 0; n = fdt_find_compatible(f, n, compat))
		if (fdt_status_okay(f, n))
			return n;
	return n;
}

static int probe_devices(const struct fdt *f, struct platform_info *p, char *err, size_t errlen)
{
	int timer = find_okay(f, "arm,armv8-timer");

	if (platform_probe_gic(f, p, err, errlen))
		return -E_INVAL;
	if (timer < 0 || !platform_intid(f, timer, 2, &p->timer_virt_intid) ||
	    !platform_intid(f, timer, 3, &p->timer_hyp_intid))
		FAIL("no arm,armv8-timer with virtual and hypervisor interrupts");
	return 0;
}

/* PSCI 0.2 or later (standard function IDs).  The conduit must be SMC: an
 * HVC from EL2 is taken by EL2 itself, so firmware behind "hvc" is out of
 * reach of a hypervisor.  Without /psci the secondaries stay off and
 * power-off halts the CPU. */
static int probe_psci(const struct fdt *f, struct platform_info *p, char *err, size_t errlen)
{
	int n = find_okay(f, "arm,psci-0.2");
	u32 len;
	const char *method;

	if (n < 0)
		n = find_okay(f, "arm,psci-1.0");
	if (n < 0) {
		fw_set_conduit(FW_CONDUIT_NONE);
		return 0;
	}
	method = fdt_getprop(f, n, "method", &len);
	if (method && len == 4 && !memcmp(method, "smc", 4)) {
		fw_set_conduit(FW_CONDUIT_SMC);
		p->psci = true;
		return 0;
	}
	fw_set_conduit(FW_CONDUIT_NONE);
	if (method && len == 4 && !memcmp(method, "hvc", 4))
		FAIL("/psci method is \"hvc\": firmware reached through HVC is out of reach from "
		     "EL2 (boot the hypervisor with a DTB whose PSCI conduit is \"smc\")");
	FAIL("/psci has no method \"smc\"");
}

/* The console first, on its own, so that whatever else is refused can be
 * read on it. */
int platform_probe_console(const void *dtb, u64 max_size, struct platform_info *p, struct uart *con,
			   char *err, size_t errlen)
{
	struct fdt f;
	int ret = fdt_open(&f, dtb, max_size);

	memset(p, 0, sizeof(*p));
	memset(con, 0, sizeof(*con));
	if (ret)
		FAIL("malformed device tree: %s", fdt_strerror(ret));
	p->dtb = ptr_to_pa(dtb);
	p->dtb_size = f.totalsize;
	return platform_console_probe(&f, p, con, err, errlen);
}

int platform_probe(const void *dtb, u64 max_size, struct platform_info *p, char *err, size_t errlen)
{
	struct fdt f;
	int ret = fdt_open(&f, dtb, max_size);

	if (ret)
		FAIL("malformed device tree: %s", fdt_strerror(ret));
	ret = probe_memory(&f, p, err, errlen);
	if (!ret)
		ret = probe_cpus(&f, p, err, errlen);
	if (!ret)
		ret = probe_psci(&f, p, err, errlen);
	if (!ret)
		ret = probe_devices(&f, p, err, errlen);
	if (!ret)
		probe_reserved(&f, p);
	return ret;
}
