/* The device tree source of a VM: memory, vCPUs, the emulated platform
 * (PSCI, timer, GICv3 or GICv2, UART), its passthrough and virtio devices, the
 * management interface for the management VM, and /chosen.  Every property
 * the hypervisor patches at boot or deploy is emitted with its final size. */
#include "vmconfig.h"

#include <string.h>

static void emit_dts_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void emit_reg(FILE *f, uint64_t base, uint64_t size)
{
	fprintf(f, "<0x%x 0x%08x 0x%x 0x%08x>", (unsigned int)(base >> 32), (unsigned int)base,
		(unsigned int)(size >> 32), (unsigned int)size);
}

static void emit_dts_memory(FILE *f, const struct vmcfg_vm *vm)
{
	/* An identity VM's base is only known at boot: the hypervisor patches
	 * this reg in place, so it keeps the 2-cell shape of a virt one. */
	fprintf(f, "\tmemory@40000000 {\n\t\tdevice_type = \"memory\";\n\t\treg = ");
	emit_reg(f, VMCFG_RAM_IPA, vm->mem_size);
	fprintf(f, ";\n\t};\n\n");
}

static void emit_dts_cpus(FILE *f, const struct vmcfg_vm *vm)
{
	uint32_t i;

	fprintf(f, "\tcpus {\n\t\t#address-cells = <1>;\n\t\t#size-cells = <0>;\n");
	for (i = 0; i < vm->nr_vcpus; i++)
		fprintf(f,
			"\n\t\tcpu@%u {\n"
			"\t\t\tdevice_type = \"cpu\";\n"
			"\t\t\tcompatible = \"arm,armv8\";\n"
			"\t\t\treg = <%u>;\n"
			"\t\t\tenable-method = \"psci\";\n"
			"\t\t};\n",
			i, i);
	fprintf(f, "\t};\n\n");
}

/* The GIC: a GICv3 with one 128K redistributor frame per vCPU, or a GICv2
 * (arm,cortex-a15-gic, as QEMU virt with gic-version=2 describes it) with its
 * 4K distributor and the 8K CPU interface, and no virtualization frames:
 * the guest has none. */
static void emit_dts_gic(FILE *f, const struct vmcfg_vm *vm, unsigned int gic)
{
	if (gic == 2) {
		fprintf(f, "\tgic: interrupt-controller@8000000 {\n"
			   "\t\tcompatible = \"arm,cortex-a15-gic\";\n"
			   "\t\t#interrupt-cells = <3>;\n"
			   "\t\tinterrupt-controller;\n"
			   "\t\treg = <0x0 0x08000000 0x0 0x1000>, <0x0 0x08010000 0x0 0x2000>;\n"
			   "\t};\n\n");
		return;
	}
	fprintf(f,
		"\tgic: interrupt-controller@8000000 {\n"
		"\t\tcompatible = \"arm,gic-v3\";\n"
		"\t\t#interrupt-cells = <3>;\n"
		"\t\t#address-cells = <2>;\n"
		"\t\t#size-cells = <2>;\n"
		"\t\tranges;\n"
		"\t\tinterrupt-controller;\n"
		"\t\treg = <0x0 0x08000000 0x0 0x10000>, <0x0 0x080a0000 0x0 0x%x>;\n"
		"\t};\n\n",
		0x20000 * vm->nr_vcpus);
}

/* PSCI, timer, GIC, clock and UART as in QEMU virt: the timer PPIs are
 * secure phys, non-secure phys, virtual, hyp, level high.  On a GICv2 the
 * flags cell also names the CPUs a PPI goes to ([15:8], one bit per vCPU);
 * GICv3 has no such bits. */
static void emit_dts_platform(FILE *f, const struct vmcfg_vm *vm, unsigned int gic)
{
	unsigned int fl = 0x4 | (gic == 2 ? ((1u << vm->nr_vcpus) - 1) << 8 : 0);

	fprintf(f,
		"\tpsci {\n"
		"\t\tcompatible = \"arm,psci-1.0\", \"arm,psci-0.2\";\n"
		"\t\tmethod = \"hvc\";\n"
		"\t};\n\n"
		"\ttimer {\n"
		"\t\tcompatible = \"arm,armv8-timer\";\n"
		"\t\tinterrupts = <1 13 0x%x>, <1 14 0x%x>, <1 11 0x%x>, <1 10 0x%x>;\n"
		"\t\talways-on;\n"
		"\t};\n\n",
		fl, fl, fl, fl);
	emit_dts_gic(f, vm, gic);
	fprintf(f, "\tclk: apb-pclk {\n"
		   "\t\tcompatible = \"fixed-clock\";\n"
		   "\t\t#clock-cells = <0>;\n"
		   "\t\tclock-frequency = <24000000>;\n"
		   "\t\tclock-output-names = \"clk24mhz\";\n"
		   "\t};\n\n"
		   "\tpl011@9000000 {\n"
		   "\t\tcompatible = \"arm,pl011\", \"arm,primecell\";\n"
		   "\t\treg = <0x0 0x09000000 0x0 0x1000>;\n"
		   "\t\tinterrupts = <0 1 4>;\n"
		   "\t\tclocks = <&clk>, <&clk>;\n"
		   "\t\tclock-names = \"uartclk\", \"apb_pclk\";\n"
		   "\t};\n\n");
}

/* Edge-triggered and DMA-coherent, as QEMU describes its own transports. */
static void emit_dts_virtio(FILE *f, const struct vmcfg_device *d)
{
	fprintf(f, "\tvirtio_mmio@%llx {\n\t\tcompatible = \"virtio,mmio\";\n\t\treg = ",
		(unsigned long long)d->virtio_base);
	emit_reg(f, d->virtio_base, VMCFG_VIRTIO_SIZE);
	fprintf(f, ";\n\t\tinterrupts = <0 %u 1>;\n\t\tdma-coherent;\n\t};\n\n",
		d->irqs[0] - VMCFG_SPI_MIN);
}

static void emit_dts_device(FILE *f, const struct vmcfg_device *d)
{
	uint32_t i;

	if (d->virtio_base) {
		emit_dts_virtio(f, d);
		return;
	}
	fprintf(f, "\tpassthrough@%llx {\n\t\tcompatible = \"aether,passthrough\";\n\t\treg = ",
		(unsigned long long)d->base);
	emit_reg(f, d->base, d->size);
	fprintf(f, ";\n");
	if (d->nr_irqs) {
		fprintf(f, "\t\tinterrupts = ");
		for (i = 0; i < d->nr_irqs; i++)
			fprintf(f, "%s<0 %u 4>", i ? ", " : "", d->irqs[i] - VMCFG_SPI_MIN);
		fprintf(f, ";\n");
	}
	fprintf(f, "\t};\n\n");
}

/* Only in the management VM's tree: the mailbox of include/aether_mgmt_abi.h
 * (doorbell page, then the shared window). */
static void emit_dts_mgmt(FILE *f)
{
	fprintf(f, "\taether-mgmt@%llx {\n\t\tcompatible = \"%s\";\n\t\treg = ",
		(unsigned long long)MGMT_DOORBELL_IPA, MGMT_DT_COMPATIBLE);
	emit_reg(f, MGMT_DOORBELL_IPA, MGMT_DOORBELL_SIZE);
	fprintf(f, ", ");
	emit_reg(f, MGMT_WINDOW_IPA, MGMT_WINDOW_SIZE);
	fprintf(f, ";\n\t};\n\n");
}

/* A slot's bootargs are rewritten in place at deploy, so the property has
 * the full MGMT_BOOTARGS_MAX bytes: the string, its NUL, then NUL padding
 * (Linux reads it up to the first NUL, as any string). */
static void emit_dts_bootargs(FILE *f, const struct vmcfg_vm *vm)
{
	size_t pad = MGMT_BOOTARGS_MAX - strlen(vm->bootargs) - 1, i;

	fprintf(f, "\t\tbootargs = ");
	emit_dts_string(f, vm->bootargs);
	if (vm->slot && pad) {
		fprintf(f, ", [");
		for (i = 0; i < pad; i++)
			fprintf(f, "%s00", i % 32 ? " " : (i ? "\n\t\t\t" : ""));
		fprintf(f, "]");
	}
	fprintf(f, ";\n");
}

static void emit_dts_chosen(FILE *f, const struct vmcfg_vm *vm)
{
	fprintf(f, "\tchosen {\n");
	emit_dts_bootargs(f, vm);
	fprintf(f, "\t\tstdout-path = \"/pl011@9000000\";\n");
	/* 64-bit placeholders the hypervisor fills in once it has placed the
	 * initrd in guest RAM (a slot's deploy may bring one). */
	if (vm->initrd.path[0] || vm->slot)
		fprintf(f, "\t\tlinux,initrd-start = /bits/ 64 <0>;\n"
			   "\t\tlinux,initrd-end = /bits/ 64 <0>;\n");
	fprintf(f, "\t};\n");
}

void emit_dts(FILE *f, const struct job *job, const void *arg)
{
	const struct vmcfg_vm *vm = arg;
	uint32_t i;

	fprintf(f, "/* Generated by tools/vmconfig from %s; do not edit. */\n", job->cfg_path);
	fprintf(f,
		"/dts-v1/;\n\n/ {\n"
		"\t#address-cells = <2>;\n"
		"\t#size-cells = <2>;\n"
		"\tcompatible = \"linux,dummy-virt\";\n"
		"\tmodel = \"Aether EdgeCloud VM %s\";\n"
		"\tinterrupt-parent = <&gic>;\n\n",
		vm->name);
	emit_dts_memory(f, vm);
	emit_dts_cpus(f, vm);
	emit_dts_platform(f, vm, vmcfg_platform_gic(job->cfg.platform));
	for (i = 0; i < vm->nr_devices; i++)
		emit_dts_device(f, &vm->devices[i]);
	if (vm->management)
		emit_dts_mgmt(f);
	emit_dts_chosen(f, vm);
	fprintf(f, "};\n");
}
