/* The interrupt controller, from the DTB: the root of the interrupt tree
 * (root_irq_controller).  A GICv3 (arm,gic-v3: distributor, redistributors)
 * or a GICv2 with the virtualization extensions (arm,gic-400,
 * arm,cortex-a15-gic: GICD, GICC, GICH, GICV and the maintenance interrupt,
 * Documentation/devicetree/bindings/interrupt-controller/arm,gic.yaml).
 * Anything else is refused by name: EL2 cannot run without driving the
 * controller every interrupt goes through. */
#include "boot/boot.h"
#include "boot/platform_dt.h"
#include "drivers/gic.h"
#include "lib.h"

#define FAIL(...)                                   \
	do {                                        \
		snprintf(err, errlen, __VA_ARGS__); \
		return -E_INVAL;                    \
	} while (0)

#define GICC_MIN_SIZE 0x2000 /* GICC_DIR at 0x1000 */
#define GICV_MIN_SIZE 0x2000 /* what the guest's CPU interface needs mapped */
#define GICH_MIN_SIZE 0x200  /* GICH_LR0-63 end at 0x200 */

/* The node with this phandle, or -1. */
static int by_phandle(const struct fdt *f, u32 want)
{
	u32 ph;

	for (int n = fdt_next_node(f, -1, NULL); n >= 0; n = fdt_next_node(f, n, NULL))
		if ((fdt_prop_u32(f, n, "phandle", &ph) ||
		     fdt_prop_u32(f, n, "linux,phandle", &ph)) &&
		    ph == want)
			return n;
	return -1;
}

/* The interrupt-parent a node has, its own or the nearest ancestor's
 * (0: none). */
static u32 irq_parent_of(const struct fdt *f, int n)
{
	u32 ph;

	for (int depth = 0; n >= 0 && depth < FDT_MAX_DEPTH; n = fdt_parent_offset(f, n), depth++)
		if (fdt_prop_u32(f, n, "interrupt-parent", &ph))
			return ph;
	return 0;
}

/* The root of the interrupt tree: what the root node's interrupt-parent
 * names (QEMU's trees), else the interrupt controller whose interrupt
 * parent is itself or nobody (Linux's own board trees, e.g.
 * zynqmp-zcu102-rev1.0.dtb, put interrupt-parent on the bus, and the GIC
 * names itself). */
static int root_irq_controller(const struct fdt *f)
{
	u32 want, ph, parent;

	if (fdt_prop_u32(f, fdt_path_offset(f, "/"), "interrupt-parent", &want))
		return by_phandle(f, want);
	for (int n = fdt_next_node(f, -1, NULL); n >= 0; n = fdt_next_node(f, n, NULL)) {
		if (!fdt_getprop(f, n, "interrupt-controller", NULL) || !fdt_status_okay(f, n))
			continue;
		parent = irq_parent_of(f, n);
		if (!parent || ((fdt_prop_u32(f, n, "phandle", &ph) ||
				 fdt_prop_u32(f, n, "linux,phandle", &ph)) &&
				ph == parent))
			return n;
	}
	return -1;
}

static int probe_v3(const struct fdt *f, int gic, struct platform_info *p, char *err, size_t errlen)
{
	u64 base, size;
	char name[64];

	node_path(f, gic, name, sizeof(name));
	if (fdt_read_reg(f, gic, 0, &base, &p->gicd_size))
		FAIL("interrupt controller %s has no distributor range", name);
	p->gicd = pa_init(base);
	if (fdt_read_reg(f, gic, 1, &base, &size))
		FAIL("gic-v3 node has no redistributor range");
	p->gicr = pa_init(base);
	p->gicr_size = size;
	p->gic_version = 3;
	return 0;
}

/* A 128 KiB GICC or GICV range is a GIC-400 whose two 4 KiB pages are each
 * repeated across 64 KiB (ZynqMP, and QEMU's model of it): the 8 KiB that
 * hold page 0 and page 1 back to back start 60 KiB in, as Linux's GICv2
 * driver also finds them (gic_check_eoimode). */
#define GIC400_ALIASED_SIZE 0x20000
#define GIC400_ALIAS_SKEW 0xf000

static paddr_t cpuif_base(u64 base, u64 *size)
{
	if (*size != GIC400_ALIASED_SIZE)
		return pa_init(base);
	*size -= GIC400_ALIAS_SKEW; /* what is left of the range from there */
	return pa_init(base + GIC400_ALIAS_SKEW);
}

/* GICD, GICC, GICH, GICV in that order; the last two exist only with the
 * virtualization extensions, which EL2 needs. */
static int probe_v2(const struct fdt *f, int gic, struct platform_info *p, char *err, size_t errlen)
{
	u64 base[4], size[4];
	char name[64];

	node_path(f, gic, name, sizeof(name));
	for (int i = 0; i < 4; i++)
		if (fdt_read_reg(f, gic, i, &base[i], &size[i]))
			FAIL("GICv2 %s: reg has %d range(s), need GICD, GICC, GICH and GICV "
			     "(virtualization extensions)",
			     name, i);
	if (size[1] < GICC_MIN_SIZE || size[2] < GICH_MIN_SIZE || size[3] < GICV_MIN_SIZE)
		FAIL("GICv2 %s: GICC/GICH/GICV ranges too small (0x%lx/0x%lx/0x%lx)", name,
		     (unsigned long)size[1], (unsigned long)size[2], (unsigned long)size[3]);
	if (!platform_intid(f, gic, 0, &p->gic_maint_intid) || p->gic_maint_intid < 16 ||
	    p->gic_maint_intid >= 32)
		FAIL("GICv2 %s: no maintenance interrupt (a PPI in 'interrupts')", name);
	p->gicd = pa_init(base[0]);
	p->gicd_size = size[0];
	p->gicc = cpuif_base(base[1], &size[1]);
	p->gicc_size = size[1];
	p->gich = pa_init(base[2]);
	p->gich_size = size[2];
	p->gicv = cpuif_base(base[3], &size[3]);
	p->gicv_size = size[3];
	p->gic_version = 2;
	return 0;
}

int platform_probe_gic(const struct fdt *f, struct platform_info *p, char *err, size_t errlen)
{
	int gic = root_irq_controller(f);
	u32 len;
	const char *compat;
	char first[48] = "", name[64];

	if (gic < 0)
		FAIL("no interrupt controller (no interrupt-parent at the root, and no "
		     "interrupt-controller node at the root of the interrupt tree)");
	node_path(f, gic, name, sizeof(name));
	if (!fdt_status_okay(f, gic))
		FAIL("interrupt controller %s is disabled", name);
	p->gic_maint_intid = INTID_MAINTENANCE;
	if (fdt_is_compatible(f, gic, "arm,gic-v3")) {
		platform_intid(f, gic, 0, &p->gic_maint_intid);
		return probe_v3(f, gic, p, err, errlen);
	}
	if (fdt_is_compatible(f, gic, "arm,gic-400") ||
	    fdt_is_compatible(f, gic, "arm,cortex-a15-gic"))
		return probe_v2(f, gic, p, err, errlen);
	compat = fdt_getprop(f, gic, "compatible", &len);
	if (compat) /* its first string, which need not be terminated */
		memcpy(first, compat, strnlen(compat, MIN(len, sizeof(first) - 1)));
	FAIL("interrupt controller %s (compatible \"%s\") is not one we drive (arm,gic-v3, "
	     "arm,gic-400, arm,cortex-a15-gic)",
	     name, first);
}
