/* boot/platform_gic.c over small device trees (the .dts files in tests/host/data/gic/):
 * the interrupt controller is the node the root's interrupt-parent names; a
 * GICv3 gives its two frames, a GICv2 its four and the maintenance PPI, and
 * anything else is refused with a message naming the node. */
#include "boot/boot.h"
#include "check.h"
#include "gic_dtbs.h"
#include "lib/fdt.h"

static char err[160];

static int probe(const unsigned char *blob, unsigned len, struct platform_info *p)
{
	struct fdt f;

	memset(p, 0, sizeof(*p));
	err[0] = '\0';
	if (fdt_open(&f, blob, len))
		return -100;
	return platform_probe_gic(&f, p, err, sizeof(err));
}
#define PROBE(name, p) probe(dtb_##name, sizeof(dtb_##name), p)

static void test_gicv3(void)
{
	struct platform_info p;

	CHECK_EQ(PROBE(virt_gicv3, &p), 0);
	CHECK_EQ(p.gic_version, 3);
	CHECK_EQ(pa_addr(p.gicd), 0x08000000);
	CHECK_EQ(pa_addr(p.gicr), 0x080a0000);
	CHECK_EQ(p.gicr_size, 0xf60000);
	CHECK_EQ(p.gic_maint_intid, 25);
}

static void test_virt_gicv2(void)
{
	struct platform_info p;

	CHECK_EQ(PROBE(virt_gicv2, &p), 0);
	CHECK_EQ(p.gic_version, 2);
	CHECK_EQ(pa_addr(p.gicd), 0x08000000);
	CHECK_EQ(pa_addr(p.gicc), 0x08010000);
	CHECK_EQ(pa_addr(p.gich), 0x08030000);
	CHECK_EQ(pa_addr(p.gicv), 0x08040000);
	CHECK_EQ(p.gicv_size, 0x10000);
	CHECK_EQ(p.gic_maint_intid, 25);
}

/* 2 address cells and 1 size cell under amba_apu, as zynqmp.dtsi has it;
 * the flags cell carries the PPI's CPU mask (0xf04).  The 128 KiB GICC and
 * GICV ranges hold 64 KiB-aliased 4 KiB pages: the contiguous 8 KiB start
 * at +0xf000. */
static void test_zcu102_gic400(void)
{
	struct platform_info p;

	CHECK_EQ(PROBE(zcu102_gic400, &p), 0);
	CHECK_EQ(p.gic_version, 2);
	CHECK_EQ(pa_addr(p.gicd), 0xf9010000);
	CHECK_EQ(pa_addr(p.gicc), 0xf902f000);
	CHECK_EQ(p.gicc_size, 0x11000);
	CHECK_EQ(pa_addr(p.gich), 0xf9040000);
	CHECK_EQ(pa_addr(p.gicv), 0xf906f000);
	CHECK_EQ(p.gic_maint_intid, 25);
}

/* Debian's zynqmp-zcu102-rev1.0.dtb has no interrupt-parent at the root:
 * the GIC is the interrupt controller that is its own parent, not the GPIO
 * controller that inherits the bus's. */
static void test_zcu102_no_root_parent(void)
{
	struct platform_info p;

	CHECK_EQ(PROBE(zcu102_debian, &p), 0);
	CHECK_EQ(p.gic_version, 2);
	CHECK_EQ(pa_addr(p.gicd), 0xf9010000);
	CHECK_EQ(pa_addr(p.gich), 0xf9040000);
	CHECK_EQ(pa_addr(p.gicv), 0xf906f000);
	CHECK_EQ(p.gicv_size, 0x11000);
}

static void test_gicv2_without_virt_refused(void)
{
	struct platform_info p;

	CHECK(PROBE(gicv2_no_virt, &p) < 0);
	CHECK(strstr(err, "GICv2 /intc@8000000: reg has 2 range(s), need GICD, GICC, GICH and "
			  "GICV") != NULL);
	CHECK(PROBE(gicv2_no_maint, &p) < 0);
	CHECK(strstr(err, "GICv2 /intc@8000000: no maintenance interrupt") != NULL);
}

static void test_unknown_controller_refused(void)
{
	struct platform_info p;

	CHECK(PROBE(unknown_gic, &p) < 0);
	CHECK(strstr(err, "interrupt controller /interrupt-controller@fd400000 (compatible "
			  "\"arm,gic-v1-example\") is not one we drive") != NULL);
	CHECK(PROBE(no_controller, &p) < 0);
	CHECK(strstr(err, "no interrupt controller") != NULL);
}

int main(void)
{
	RUN_TEST(test_gicv3);
	RUN_TEST(test_virt_gicv2);
	RUN_TEST(test_zcu102_gic400);
	RUN_TEST(test_zcu102_no_root_parent);
	RUN_TEST(test_gicv2_without_virt_refused);
	RUN_TEST(test_unknown_controller_refused);
	return check_done();
}
