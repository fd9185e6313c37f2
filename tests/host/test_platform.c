/* The platform probe (boot/platform.c, boot/platform_console.c) on small
 * DTBs made for it (tests/host/dtb/, compiled by the build) and on
 * Debian's own ZCU102 DTB: the console from stdout-path (aliases, options,
 * fallback, refusals by name), the 16550 layout properties, RAM from 0,
 * MPIDRs in Aff0 and Aff1 layouts, the PSCI conduit. */
#include <stdio.h>
#include <stdlib.h>
#include "check.h"
#include "arch/firmware.h"
#include "arch/mmio.h"
#include "boot/boot.h"
#include "drivers/uart.h"

/* The probe only reads the DTB: any register access is a bug. */
static u32 mmio_calls;
u8 mmio_read8(uintptr_t a)
{
	mmio_calls++;
	return 0;
}
u32 mmio_read32(uintptr_t a)
{
	mmio_calls++;
	return 0;
}
void mmio_write8(uintptr_t a, u8 v)
{
	mmio_calls++;
}
void mmio_write32(uintptr_t a, u32 v)
{
	mmio_calls++;
}
static int conduit = -1;
void fw_set_conduit(enum fw_conduit c)
{
	conduit = (int)c;
}

static u8 *blob;
static struct platform_info p;
static struct uart con;
static char err[256];

static void load(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	free(blob);
	blob = NULL;
	CHECK(f != NULL);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	blob = malloc((size_t)n);
	CHECK(fread(blob, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
}

static void load_dts(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.dtb", HOST_DTB_DIR, name);
	load(path);
}

/* Overwrites the first occurrence of from (a property value) in the blob
 * with to, NUL-padded to the same length: a different stdout-path without
 * another DTB. */
static void patch(const char *from, const char *to)
{
	size_t n = strlen(from);
	u32 size = __builtin_bswap32(*(u32 *)(blob + 4));

	for (u32 i = 0; blob && i + n <= size; i++)
		if (!memcmp(blob + i, from, n)) {
			memset(blob + i, 0, n);
			memcpy(blob + i, to, strlen(to));
			return;
		}
	CHECK(!"patch target not found");
}

static int probe_console(void)
{
	err[0] = 0;
	return blob ? platform_probe_console(blob, 1 << 20, &p, &con, err, sizeof(err)) : -1;
}

static int probe_rest(void)
{
	err[0] = 0;
	return blob ? platform_probe(blob, 1 << 20, &p, err, sizeof(err)) : -1;
}

static void test_alias_with_options_dw_apb(void)
{
	load_dts("rk-like");
	CHECK_EQ(probe_console(), 0);
	CHECK(con.ops == &ns16550_uart_ops);
	CHECK_EQ(con.base, 0xff1a0000); /* serial2, not serial0 */
	CHECK_EQ(con.reg_shift, 2);
	CHECK_EQ(con.io_width, 4);
	CHECK_EQ(pa_addr(p.uart), 0xff1a0000);
	CHECK_EQ(p.uart_size, 0x100);
	CHECK_EQ(p.uart_intid, 132); /* SPI 100 */
	CHECK(!strcmp(p.uart_path, "/serial@ff1a0000"));
	CHECK(!strcmp(p.uart_driver, "16550"));
	CHECK_EQ(mmio_calls, 0);
}

static void test_ram_at_zero_aff1_cpus_psci(void)
{
	load_dts("rk-like");
	CHECK_EQ(probe_console(), 0);
	conduit = -1;
	CHECK_EQ(probe_rest(), 0);
	CHECK_EQ(p.nr_ram, 1);
	CHECK_EQ(pa_addr(p.ram[0].base), 0);
	CHECK_EQ(p.ram[0].size, 0x80000000);
	CHECK_EQ(p.nr_cpus, 4);
	CHECK_EQ(p.cpu_mpidr[0], 0x0);
	CHECK_EQ(p.cpu_mpidr[1], 0x1);
	CHECK_EQ(p.cpu_mpidr[2], 0x100);
	CHECK_EQ(p.cpu_mpidr[3], 0x101);
	CHECK(p.psci);
	CHECK_EQ(conduit, FW_CONDUIT_SMC);
}

static void test_no_stdout_path_first_known(void)
{
	load_dts("no-stdout");
	CHECK_EQ(probe_console(), 0);
	/* serial@1000 is unknown, serial@2000 disabled: serial@3000. */
	CHECK(con.ops == &ns16550_uart_ops);
	CHECK_EQ(con.base, 0x3000);
	CHECK_EQ(con.reg_shift, 0);
	CHECK_EQ(con.io_width, 1); /* the binding's default */
	CHECK(!strcmp(p.uart_path, "/soc/serial@3000"));
	CHECK_EQ(p.uart_intid, 0); /* no interrupts: input is not taken */
}

static void refused(const char *stdout_path, const char *want)
{
	load_dts("bad-stdout");
	patch("serial0:115200n8", stdout_path);
	CHECK(probe_console() != 0);
	if (!strstr(err, want))
		fprintf(stderr, "  stdout-path %s: got \"%s\", want \"%s\"\n", stdout_path, err,
			want);
	CHECK(strstr(err, want) != NULL);
	/* The refusal is told on a UART the DTB lists that we drive: the
	 * first in tree order (serial@1000 is not usable, serial@2000 is
	 * disabled, serial@3000 has a bad layout). */
	CHECK(con.ops == &pl011_uart_ops);
	CHECK_EQ(con.base, 0x4000);
}

static void test_refusals_name_the_node(void)
{
	refused("serial0", "stdout UART /soc/serial@1000: reg-io-width 2 not supported");
	refused("serial1", "stdout UART /soc/serial@2000 is disabled");
	refused("serial2:9600", "stdout UART /soc/serial@3000: reg-shift 7 not supported");
	refused("serial3", "stdout-path names /soc/nothing-here, which is not in the tree");
	refused("serial4", "stdout UART /soc/serial@5000 (compatible \"arm,dcc\") is not a UART");
	refused("serial9", "stdout-path names serial9, which is not in the tree");
	refused("/soc/serial@5000", "stdout UART /soc/serial@5000 (compatible \"arm,dcc\")");
}

static void test_valid_path_form(void)
{
	load_dts("bad-stdout");
	patch("serial0:115200n8", "/soc/serial@4000:115");
	CHECK_EQ(probe_console(), 0);
	CHECK(con.ops == &pl011_uart_ops);
	CHECK_EQ(con.io_width, 4);
}

static void rest_refused(const char *dts, const char *want)
{
	load_dts(dts);
	CHECK_EQ(probe_console(), 0);
	CHECK(probe_rest() != 0);
	if (!strstr(err, want))
		fprintf(stderr, "  %s: got \"%s\", want \"%s\"\n", dts, err, want);
	CHECK(strstr(err, want) != NULL);
}

static void test_cpu_and_psci_refusals(void)
{
	rest_refused("psci-hvc", "/psci method is \"hvc\"");
	CHECK_EQ(conduit, FW_CONDUIT_NONE);
	rest_refused("cpu-dup", "/cpus/cpu@1: MPIDR 0x100 listed twice");
	rest_refused("cpu-bits", "/cpus/cpu@1: reg 0x80000001 is not an MPIDR affinity value");
}

/* Debian's zynqmp-zcu102-rev1.0.dtb as the package ships it. */
static void test_debian_zcu102(void)
{
	load(ZCU102_DTB);
	CHECK_EQ(probe_console(), 0);
	CHECK(con.ops == &cdns_uart_ops);
	CHECK_EQ(con.base, 0xff000000);
	CHECK(!strcmp(p.uart_path, "/axi/serial@ff000000"));
	CHECK_EQ(p.uart_intid, 53); /* SPI 21 */
	conduit = -1;
	probe_rest(); /* memory, CPUs and PSCI come before the GIC */
	CHECK_EQ(p.nr_ram, 2);
	CHECK_EQ(pa_addr(p.ram[0].base), 0);
	CHECK_EQ(p.ram[0].size, 0x80000000);
	CHECK_EQ(pa_addr(p.ram[1].base), 0x800000000);
	CHECK_EQ(p.nr_cpus, 4);
	for (u32 i = 0; i < 4; i++)
		CHECK_EQ(p.cpu_mpidr[i], i);
	CHECK(p.psci);
	CHECK_EQ(conduit, FW_CONDUIT_SMC);
}

int main(void)
{
	RUN_TEST(test_alias_with_options_dw_apb);
	RUN_TEST(test_ram_at_zero_aff1_cpus_psci);
	RUN_TEST(test_no_stdout_path_first_known);
	RUN_TEST(test_refusals_name_the_node);
	RUN_TEST(test_valid_path_form);
	RUN_TEST(test_cpu_and_psci_refusals);
	RUN_TEST(test_debian_zcu102);
	free(blob);
	return check_done();
}
