/* Learning the machine from the DTB the hypervisor was booted with.  Every
 * read goes through the bounds-checked reader in lib/fdt.c; anything
 * missing or inconsistent is refused with a message naming it. */
#include "boot/boot.h"
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

static int probe_cpus(const struct fdt *f, struct platform_info *p, char *err, size_t errlen)
{
	u64 mpidr, unused;

	for (int n = fdt_find_device_type(f, -1, "cpu"); n >= 0;
	     n = fdt_find_device_type(f, n, "cpu")) {
		if (!fdt_status_okay(f, n) || fdt_read_reg(f, n, 0, &mpidr, &unused))
			continue;
		if (p->nr_cpus == MAX_CPUS)
			break; /* extra CPUs stay off */
		p->cpu_mpidr[p->nr_cpus++] = mpidr;
	}
	if (!p->nr_cpus)
		FAIL("no cpu nodes");
	return 0;
}

/* INTID of the index-th 3-cell GIC interrupt specifier of a node. */
static bool node_intid(const struct fdt *f, int node, u32 index, u32 *intid)
{
	u32 len;
	const u8 *prop = fdt_getprop(f, node, "interrupts", &len);

	if (!prop || len < (index + 1) * 12)
		return false;
	prop += index * 12;
	u32 type = (u32)prop[0] << 24 | prop[1] << 16 | prop[2] << 8 | prop[3];
	u32 num = (u32)prop[4] << 24 | prop[5] << 16 | prop[6] << 8 | prop[7];
	*intid = num + (type == 1 ? 16 : 32); /* 1: PPI, 0: SPI */
	return true;
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
	int uart = find_okay(f, "arm,pl011"), gic = find_okay(f, "arm,gic-v3");
	int timer = find_okay(f, "arm,armv8-timer");
	u64 base, size;

	if (uart < 0 || fdt_read_reg(f, uart, 0, &base, &size))
		FAIL("no usable arm,pl011 UART");
	p->uart = pa_init(base);
	if (!node_intid(f, uart, 0, &p->uart_intid))
		p->uart_intid = 0;
	if (gic < 0 || fdt_read_reg(f, gic, 0, &base, &size))
		FAIL("no arm,gic-v3 interrupt controller (GICv3 is required)");
	p->gicd = pa_init(base);
	if (fdt_read_reg(f, gic, 1, &base, &p->gicr_size))
		FAIL("gic-v3 node has no redistributor range");
	p->gicr = pa_init(base);
	if (timer < 0 || !node_intid(f, timer, 2, &p->timer_virt_intid) ||
	    !node_intid(f, timer, 3, &p->timer_hyp_intid))
		FAIL("no arm,armv8-timer with virtual and hypervisor interrupts");
	return 0;
}

int platform_probe(const void *dtb, u64 max_size, struct platform_info *p, char *err, size_t errlen)
{
	struct fdt f;
	int ret = fdt_open(&f, dtb, max_size);

	memset(p, 0, sizeof(*p));
	if (ret)
		FAIL("malformed device tree: %s", fdt_strerror(ret));
	p->dtb = ptr_to_pa(dtb);
	p->dtb_size = f.totalsize;
	ret = probe_memory(&f, p, err, errlen);
	if (!ret)
		ret = probe_cpus(&f, p, err, errlen);
	if (!ret)
		ret = probe_devices(&f, p, err, errlen);
	if (!ret)
		probe_reserved(&f, p);
	return ret;
}
