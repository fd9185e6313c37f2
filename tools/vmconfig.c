/* vmconfig: compile a node's VM description into sources for the EL2 image.
 *
 *   tools/vmconfig <config.cfg> <outdir>
 *
 * writes, in outdir (created if needed):
 *   vm-<name>.dts, vm-<name>.dtb  the guest device tree of each VM (via dtc)
 *   vms.S                          .incbin of every image, initrd and dtb
 *   vms.c                          vm_configs[] and nr_vm_configs
 *   vms.d                          make dependencies of vms.c
 *
 * Parsing and every check live in vmcfg_parse.c; this file only does I/O.
 * The whole description is validated before anything is written, and the
 * outputs are written under temporary names and renamed only once all of
 * them (dtc included) succeeded, so a failed run leaves the previous good
 * outputs alone and make never sees half a configuration.
 *
 * Exit status: 0 on success, 1 on any error, 2 on bad usage.  $DTC names
 * the device tree compiler (default "dtc"). */
#define _POSIX_C_SOURCE 200809L

#include "vmcfg.h"
#include "vm/loader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CFG_MAX_BYTES (1 << 20) /* a description is a few hundred bytes */
#define OUT_PATH_MAX 4096
/* per VM a dts and a dtb, plus vms.S, vms.c and vms.d */
#define MAX_OUTPUTS (2 * VMCFG_MAX_VMS + 3)

struct output {
	char tmp[OUT_PATH_MAX];
	char path[OUT_PATH_MAX];
};

struct job {
	const char *cfg_path;
	const char *outdir;
	struct vmcfg cfg;
	uint64_t dtb_size[VMCFG_MAX_VMS];
	struct output out[MAX_OUTPUTS];
	unsigned int nr_out;
};

static int __attribute__((format(printf, 1, 2))) error(const char *fmt, ...)
{
	va_list ap;

	fputs("vmconfig: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* ------------------------------------------------------------ input */

static int read_file(const char *path, char **bufp, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return error("cannot open %s: %s", path, strerror(errno));
	buf = malloc(CFG_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return error("out of memory");
	}
	len = fread(buf, 1, CFG_MAX_BYTES + 1, f);
	if (ferror(f) || len > CFG_MAX_BYTES) {
		fclose(f);
		free(buf);
		return error("cannot read %s: %s", path,
			     len > CFG_MAX_BYTES ? "file too large" : strerror(errno));
	}
	fclose(f);
	*bufp = buf;
	*lenp = len;
	return 0;
}

static int stat_size(void *ctx, const char *path, uint64_t *size)
{
	struct stat st;

	(void)ctx;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -1;
	*size = (uint64_t)st.st_size;
	return 0;
}

/* Paths land unquoted in vms.d and quoted in vms.S; keep them plain. */
static int check_plain_path(const char *what, const char *path)
{
	const char *c;

	if (!*path)
		return error("empty %s path", what);
	for (c = path; *c; c++) {
		bool alnum = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			     (*c >= '0' && *c <= '9');

		if (alnum || strchr("._/+,@-", *c))
			continue;
		return error("%s path '%s' contains '%c' (use A-Z a-z 0-9 . _ / + , @ -)", what, path,
			     *c);
	}
	if (strlen(path) > OUT_PATH_MAX / 2)
		return error("%s path '%s' is too long", what, path);
	return 0;
}

static int mkdir_p(const char *dir)
{
	char path[OUT_PATH_MAX];
	size_t i, len = strlen(dir);

	if (len >= sizeof(path))
		return error("path too long: %s", dir);
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) && errno != EEXIST)
			return error("cannot create %s: %s", path, strerror(errno));
		path[i] = dir[i];
	}
	return 0;
}

/* ------------------------------------------------------------ outputs */

/* Registers outdir/name; the caller writes to the returned temporary. */
static struct output *new_output(struct job *job, const char *name)
{
	struct output *o = &job->out[job->nr_out++];

	snprintf(o->path, sizeof(o->path), "%s/%s", job->outdir, name);
	snprintf(o->tmp, sizeof(o->tmp), "%s/%s.tmp", job->outdir, name);
	return o;
}

static void drop_outputs(struct job *job)
{
	unsigned int i;

	for (i = 0; i < job->nr_out; i++)
		unlink(job->out[i].tmp);
}

static int commit_outputs(struct job *job)
{
	unsigned int i;

	for (i = 0; i < job->nr_out; i++)
		if (rename(job->out[i].tmp, job->out[i].path))
			return error("cannot rename %s: %s", job->out[i].tmp, strerror(errno));
	return 0;
}

typedef void (*emit_fn)(FILE *f, const struct job *job, const void *arg);

static int write_output(const struct output *o, emit_fn emit, const struct job *job,
			const void *arg)
{
	FILE *f = fopen(o->tmp, "w");
	int bad;

	if (!f)
		return error("cannot create %s: %s", o->tmp, strerror(errno));
	emit(f, job, arg);
	bad = ferror(f);
	if (fclose(f) || bad)
		return error("cannot write %s: %s", o->tmp, strerror(errno));
	return 0;
}

/* ------------------------------------------------------------ device tree */

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

/* PSCI, timer, GIC, clock and UART as in QEMU virt with gic-version=3: the
 * timer PPIs are secure phys, non-secure phys, virtual, hyp, level high
 * (GICv3 has no CPU-mask bits in the flags cell).  One 128K redistributor
 * frame per vCPU. */
static void emit_dts_platform(FILE *f, const struct vmcfg_vm *vm)
{
	fprintf(f,
		"\tpsci {\n"
		"\t\tcompatible = \"arm,psci-1.0\", \"arm,psci-0.2\";\n"
		"\t\tmethod = \"hvc\";\n"
		"\t};\n\n"
		"\ttimer {\n"
		"\t\tcompatible = \"arm,armv8-timer\";\n"
		"\t\tinterrupts = <1 13 0x4>, <1 14 0x4>, <1 11 0x4>, <1 10 0x4>;\n"
		"\t\talways-on;\n"
		"\t};\n\n"
		"\tgic: interrupt-controller@8000000 {\n"
		"\t\tcompatible = \"arm,gic-v3\";\n"
		"\t\t#interrupt-cells = <3>;\n"
		"\t\t#address-cells = <2>;\n"
		"\t\t#size-cells = <2>;\n"
		"\t\tranges;\n"
		"\t\tinterrupt-controller;\n"
		"\t\treg = <0x0 0x08000000 0x0 0x10000>, <0x0 0x080a0000 0x0 0x%x>;\n"
		"\t};\n\n"
		"\tclk: apb-pclk {\n"
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
		"\t};\n\n",
		0x20000 * vm->nr_vcpus);
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

static void emit_dts(FILE *f, const struct job *job, const void *arg)
{
	const struct vmcfg_vm *vm = arg;
	uint32_t i;

	fprintf(f, "/* Generated by tools/vmconfig from %s; do not edit. */\n", job->cfg_path);
	fprintf(f, "/dts-v1/;\n\n/ {\n"
		   "\t#address-cells = <2>;\n"
		   "\t#size-cells = <2>;\n"
		   "\tcompatible = \"linux,dummy-virt\";\n"
		   "\tmodel = \"Aether EdgeCloud VM %s\";\n"
		   "\tinterrupt-parent = <&gic>;\n\n",
		vm->name);
	emit_dts_memory(f, vm);
	emit_dts_cpus(f, vm);
	emit_dts_platform(f, vm);
	for (i = 0; i < vm->nr_devices; i++)
		emit_dts_device(f, &vm->devices[i]);
	if (vm->management)
		emit_dts_mgmt(f);
	emit_dts_chosen(f, vm);
	fprintf(f, "};\n");
}

/* Runs dtc without a shell so paths need no quoting. */
static int run_dtc(const char *dts, const char *dtb)
{
	const char *dtc = getenv("DTC");
	int status;
	pid_t pid;

	if (!dtc || !*dtc)
		dtc = "dtc";
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return error("cannot run %s: %s", dtc, strerror(errno));
	if (pid == 0) {
		execlp(dtc, dtc, "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts, (char *)NULL);
		fprintf(stderr, "vmconfig: cannot run %s: %s\n", dtc, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return error("waiting for %s: %s", dtc, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return error("%s failed on %s (%s %d)", dtc, dts,
			     WIFEXITED(status) ? "exit status" : "signal",
			     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

/* Runs the hypervisor's own loader planning (vm/loader_plan.c) on the image,
 * so an image that would not load fails the build, not the boot. */
static int check_image(const struct job *job, const struct vmcfg_vm *vm, uint64_t dtb_size)
{
	struct load_plan plan;
	const char *why = NULL;
	char *img = malloc(vm->image.size ? vm->image.size : 1);
	FILE *f = fopen(vm->image.path, "rb");
	int ret = 0;

	if (!img || !f || fread(img, 1, vm->image.size, f) != vm->image.size)
		why = "cannot be read";
	else if (loader_plan((const u8 *)img, vm->image.size, vm->initrd.size, dtb_size,
			     0x40000000, vm->mem_size, &plan, &why) == 0 &&
		 vm->layout == VMCFG_LAYOUT_IDENTITY && plan.kind == IMAGE_ELF)
		why = "is an ELF, whose addresses are fixed: it needs layout = virt";
	if (why)
		ret = error("%s: vm '%s': image '%s' %s%s", job->cfg_path, vm->name, vm->image.path,
			    why[0] == 'c' || why[0] == 'i' ? "" : "will not load: ", why);
	if (f)
		fclose(f);
	free(img);
	return ret;
}

static int build_dtb(struct job *job, uint32_t i)
{
	const struct vmcfg_vm *vm = &job->cfg.vms[i];
	struct output *dts, *dtb;
	char name[VMCFG_NAME_MAX + 8];
	uint64_t size;

	snprintf(name, sizeof(name), "vm-%s.dts", vm->name);
	dts = new_output(job, name);
	snprintf(name, sizeof(name), "vm-%s.dtb", vm->name);
	dtb = new_output(job, name);
	if (write_output(dts, emit_dts, job, vm))
		return -1;
	if (run_dtc(dts->tmp, dtb->tmp))
		return error("%s: vm '%s': cannot compile its device tree", job->cfg_path, vm->name);
	if (stat_size(NULL, dtb->tmp, &size) || !size)
		return error("dtc left no %s", dtb->tmp);
	job->dtb_size[i] = size;
	/* A slot's image is checked by EL2 at deploy, by the same loader. */
	return vm->slot ? 0 : check_image(job, vm, size);
}

/* ------------------------------------------------------------ vms.S */

static void emit_blob(FILE *f, uint32_t i, const char *kind, const char *path, uint64_t size)
{
	fprintf(f,
		"\n\t.balign 4096\n"
		"\t.globl vm%1$u_%2$s_start\n"
		"\t.hidden vm%1$u_%2$s_start\n"
		"\t.type vm%1$u_%2$s_start, %%object\n"
		"vm%1$u_%2$s_start:\n"
		"\t.incbin \"%3$s\"\n"
		"\t.globl vm%1$u_%2$s_end\n"
		"\t.hidden vm%1$u_%2$s_end\n"
		"vm%1$u_%2$s_end:\n"
		"\t.size vm%1$u_%2$s_start, vm%1$u_%2$s_end - vm%1$u_%2$s_start\n"
		/* vms.c carries the size as a number; catch a file that changed
		 * between vmconfig and the assembler. */
		"\t.if vm%1$u_%2$s_end - vm%1$u_%2$s_start != %4$llu\n"
		"\t.error \"%3$s changed size since vmconfig ran; rebuild\"\n"
		"\t.endif\n",
		i, kind, path, (unsigned long long)size);
}

static void emit_asm(FILE *f, const struct job *job, const void *arg)
{
	const struct vmcfg *cfg = &job->cfg;
	char dtb[OUT_PATH_MAX];
	uint32_t i;

	(void)arg;
	fprintf(f, "/* Generated by tools/vmconfig from %s; do not edit.\n"
		   " * Guest images, initrds and device trees, page-aligned so the\n"
		   " * hypervisor can map or copy them by page. */\n"
		   "\t.section .rodata.guest,\"a\"\n",
		job->cfg_path);
	for (i = 0; i < cfg->nr_vms; i++) {
		const struct vmcfg_vm *vm = &cfg->vms[i];

		if (!vm->slot)
			emit_blob(f, i, "image", vm->image.path, vm->image.size);
		if (vm->initrd.path[0])
			emit_blob(f, i, "initrd", vm->initrd.path, vm->initrd.size);
		snprintf(dtb, sizeof(dtb), "%s/vm-%s.dtb", job->outdir, vm->name);
		emit_blob(f, i, "dtb", dtb, job->dtb_size[i]);
	}
	fprintf(f, "\n\t.section .note.GNU-stack,\"\",%%progbits\n");
}

/* ------------------------------------------------------------ vms.c */

static void emit_externs(FILE *f, uint32_t i, const char *kind)
{
	fprintf(f,
		"extern const u8 vm%1$u_%2$s_start[] __attribute__((visibility(\"hidden\")));\n"
		"extern const u8 vm%1$u_%2$s_end[] __attribute__((visibility(\"hidden\")));\n",
		i, kind);
}

static void emit_c_devices(FILE *f, const struct vmcfg_vm *vm)
{
	uint32_t i, j;

	fprintf(f, "\t\t.nr_devices = %u,\n", vm->nr_devices);
	if (!vm->nr_devices)
		return;
	fprintf(f, "\t\t.devices = {\n");
	for (i = 0; i < vm->nr_devices; i++) {
		const struct vmcfg_device *d = &vm->devices[i];

		fprintf(f, "\t\t\t{ .base = 0x%llx, .size = 0x%llx, .nr_irqs = %u, .irqs = { ",
			(unsigned long long)d->base, (unsigned long long)d->size, d->nr_irqs);
		for (j = 0; j < d->nr_irqs; j++)
			fprintf(f, "%s%u", j ? ", " : "", d->irqs[j]);
		fprintf(f, "%s} },\n", d->nr_irqs ? " " : "0 ");
	}
	fprintf(f, "\t\t},\n");
}

static void emit_c_vm(FILE *f, const struct job *job, uint32_t i)
{
	const struct vmcfg_vm *vm = &job->cfg.vms[i];
	bool identity = vm->layout == VMCFG_LAYOUT_IDENTITY;
	char sz[32];
	uint32_t j;

	vmcfg_fmt_size(sz, sizeof(sz), vm->mem_size);
	fprintf(f, "\t{\n\t\t.name = \"%s\",\n", vm->name);
	fprintf(f, "\t\t.mem_size = 0x%llx, /* %s */\n", (unsigned long long)vm->mem_size, sz);
	fprintf(f, "\t\t.ram_ipa = 0x%llx,%s\n", identity ? 0ULL : VMCFG_RAM_IPA,
		identity ? " /* identity: IPA == PA, chosen at boot */" : "");
	fprintf(f, "\t\t.nr_vcpus = %u,\n", vm->nr_vcpus);
	fprintf(f, "\t\t.cpu_mask = 0x%llx,\n", (unsigned long long)vm->cpu_mask);
	fprintf(f, "\t\t.vcpu_cpu = { ");
	for (j = 0; j < vm->nr_vcpus; j++)
		fprintf(f, "%s%u", j ? ", " : "", vm->vcpu_cpu[j]);
	fprintf(f, " },\n");
	fprintf(f, "\t\t.layout = %s,\n", identity ? "VM_LAYOUT_IDENTITY" : "VM_LAYOUT_VIRT");
	fprintf(f, "\t\t.on_exit = %s,\n",
		vm->on_exit == VMCFG_ON_EXIT_RESTART ? "VM_ON_EXIT_RESTART" : "VM_ON_EXIT_OFF");
	fprintf(f, "\t\t.management = %s,\n", vm->management ? "true" : "false");
	fprintf(f, "\t\t.slot = %s,\n", vm->slot ? "true" : "false");
	if (vm->slot)
		fprintf(f, "\t\t.image = { 0, 0 }, /* deployed at run time */\n");
	else
		fprintf(f, "\t\t.image = { vm%u_image_start, %llu },\n", i,
			(unsigned long long)vm->image.size);
	if (vm->initrd.path[0])
		fprintf(f, "\t\t.initrd = { vm%u_initrd_start, %llu },\n", i,
			(unsigned long long)vm->initrd.size);
	else
		fprintf(f, "\t\t.initrd = { 0, 0 },\n");
	fprintf(f, "\t\t.dtb = { vm%u_dtb_start, %llu },\n", i,
		(unsigned long long)job->dtb_size[i]);
	emit_c_devices(f, vm);
	fprintf(f, "\t},\n");
}

static void emit_c(FILE *f, const struct job *job, const void *arg)
{
	const struct vmcfg *cfg = &job->cfg;
	uint32_t i;

	(void)arg;
	fprintf(f, "/* Generated by tools/vmconfig from %s; do not edit.\n"
		   " * Blob sizes are numbers because a difference of two symbols is not\n"
		   " * a constant expression in C; vms.S checks they still match. */\n"
		   "#include \"vm/config.h\"\n\n",
		job->cfg_path);
	for (i = 0; i < cfg->nr_vms; i++) {
		if (!cfg->vms[i].slot)
			emit_externs(f, i, "image");
		if (cfg->vms[i].initrd.path[0])
			emit_externs(f, i, "initrd");
		emit_externs(f, i, "dtb");
	}
	fprintf(f, "\nconst struct vm_config vm_configs[] = {\n");
	for (i = 0; i < cfg->nr_vms; i++)
		emit_c_vm(f, job, i);
	fprintf(f, "};\n\nconst u32 nr_vm_configs = %u;\n", cfg->nr_vms);
}

/* ------------------------------------------------------------ vms.d */

static void add_path(const char **paths, unsigned int *n, const char *path)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(paths[i], path))
			return;
	paths[(*n)++] = path;
}

/* Every image and initrd path, each once, in the order of the file. */
static unsigned int input_paths(const struct vmcfg *cfg, const char **paths)
{
	unsigned int n = 0;
	uint32_t i;

	for (i = 0; i < cfg->nr_vms; i++) {
		if (!cfg->vms[i].slot)
			add_path(paths, &n, cfg->vms[i].image.path);
		if (cfg->vms[i].initrd.path[0])
			add_path(paths, &n, cfg->vms[i].initrd.path);
	}
	return n;
}

/* Empty rules for each input, as gcc -MP does, so that deleting an image
 * makes vmconfig report it rather than make failing with "no rule". */
static void emit_dep(FILE *f, const struct job *job, const void *arg)
{
	const char *paths[2 * VMCFG_MAX_VMS];
	unsigned int i, n = input_paths(&job->cfg, paths);

	(void)arg;
	fprintf(f, "%s/vms.c: %s", job->outdir, job->cfg_path);
	for (i = 0; i < n; i++)
		fprintf(f, " %s", paths[i]);
	fprintf(f, "\n\n%s:\n", job->cfg_path);
	for (i = 0; i < n; i++)
		fprintf(f, "%s:\n", paths[i]);
}

/* ------------------------------------------------------------ main */

static int generate(struct job *job)
{
	uint32_t i;

	if (mkdir_p(job->outdir))
		return -1;
	for (i = 0; i < job->cfg.nr_vms; i++)
		if (build_dtb(job, i))
			return -1;
	if (write_output(new_output(job, "vms.S"), emit_asm, job, NULL) ||
	    write_output(new_output(job, "vms.c"), emit_c, job, NULL) ||
	    write_output(new_output(job, "vms.d"), emit_dep, job, NULL))
		return -1;
	return commit_outputs(job);
}

static int load(struct job *job)
{
	const char *err;
	char *buf = NULL;
	size_t len = 0;

	if (check_plain_path("config", job->cfg_path) || check_plain_path("output", job->outdir))
		return -1;
	if (read_file(job->cfg_path, &buf, &len))
		return -1;
	err = vmcfg_parse(&job->cfg, job->cfg_path, buf, len, stat_size, NULL);
	free(buf);
	if (err) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct job job;
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s <config.cfg> <outdir>\n", argc ? argv[0] : "vmconfig");
		return 2;
	}
	job.cfg_path = argv[1];
	job.outdir = argv[2];
	/* "out/" and "out" must name the same files in vms.S and vms.d */
	n = strlen(argv[2]);
	while (n > 1 && argv[2][n - 1] == '/')
		argv[2][--n] = '\0';
	if (load(&job))
		return 1;
	if (generate(&job)) {
		drop_outputs(&job);
		return 1;
	}
	return 0;
}
