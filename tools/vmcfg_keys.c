/* The keys of vm and node blocks, one function each, and the tables that
 * map key names to them.  What a key can check on its own line is checked
 * here; rules across keys or VMs are in vmcfg_check.c. */
#include "vmcfg_internal.h"

#include <stdio.h>
#include <string.h>

static int key_image(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	return parse_path(p, s, vm->image.path, "image");
}

static int key_initrd(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	return parse_path(p, s, vm->initrd.path, "initrd");
}

static int key_memory(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	char sz[32];
	uint64_t v;

	if (one_value(p, s) || parse_num(p, s, &s->v[0], true, &v))
		return -1;
	vmcfg_fmt_size(sz, sizeof(sz), v);
	if (!v)
		return fail(p, s->line, "memory must not be zero");
	if (v % VMCFG_MEM_ALIGN)
		return fail(p, s->line, "memory %s is not a multiple of 2M", sz);
	if (v > VMCFG_MEM_LIMIT)
		return fail(p, s->line, "memory %s is more than the 1T a VM may have", sz);
	vm->mem_size = v;
	return 0;
}

static int key_vcpus(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	uint32_t v;

	if (one_value(p, s) || parse_u32(p, s, &s->v[0], &v))
		return -1;
	if (v < 1 || v > VMCFG_MAX_VCPUS)
		return fail(p, s->line, "vcpus must be 1..%d, got %u", VMCFG_MAX_VCPUS, v);
	vm->nr_vcpus = v;
	return 0;
}

/* Checked against vcpus and the node's CPUs once the whole file is read. */
static int key_cpus(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	unsigned int i;

	if (s->n > VMCFG_MAX_VCPUS)
		return fail(p, s->line, "cpus lists more than %d CPUs", VMCFG_MAX_VCPUS);
	for (i = 0; i < s->n; i++)
		if (parse_u32(p, s, &s->v[i], &vm->cpus[i]))
			return -1;
	vm->nr_cpus = s->n;
	return 0;
}

static int key_layout(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	static const char *const names[] = {"virt", "identity", NULL};
	int i = parse_choice(p, s, names, "virt or identity");

	if (i < 0)
		return -1;
	vm->layout = i ? VMCFG_LAYOUT_IDENTITY : VMCFG_LAYOUT_VIRT;
	return 0;
}

static int key_bootargs(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	if (one_value(p, s))
		return -1;
	if (s->v[0].kind != TOK_STRING)
		return fail(p, s->line, "bootargs must be a double-quoted string");
	return copy_text(p, s, &s->v[0], vm->bootargs, sizeof(vm->bootargs), "bootargs");
}

static int key_on_exit(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	static const char *const names[] = {"off", "restart", NULL};
	int i = parse_choice(p, s, names, "off or restart");

	if (i < 0)
		return -1;
	vm->on_exit = i ? VMCFG_ON_EXIT_RESTART : VMCFG_ON_EXIT_OFF;
	return 0;
}

static int key_management(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	static const char *const names[] = {"no", "yes", NULL};
	int i = parse_choice(p, s, names, "yes or no");

	if (i < 0)
		return -1;
	vm->management = i == 1;
	return 0;
}

static int key_slot(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	static const char *const names[] = {"no", "yes", NULL};
	int i = parse_choice(p, s, names, "yes or no");

	if (i < 0)
		return -1;
	vm->slot = i == 1;
	return 0;
}

static int check_irq(struct parser *p, const struct stmt *s, uint32_t irq)
{
	if (irq == VMCFG_UART_INTID)
		return fail(p, s->line, "interrupt %u is the UART's, owned by the hypervisor", irq);
	if (irq < VMCFG_SPI_MIN || irq > VMCFG_SPI_MAX)
		return fail(p, s->line, "interrupt %u is not an SPI (%d..%d)", irq, VMCFG_SPI_MIN,
			    VMCFG_SPI_MAX);
	return 0;
}

static int device_irqs(struct parser *p, const struct stmt *s, struct vmcfg_device *d)
{
	unsigned int i;

	if (s->n == 2)
		return 0;
	if (!tok_is(&s->v[2], "irq"))
		return fail(p, s->line, "device: expected 'irq' after the size");
	if (s->n == 3)
		return fail(p, s->line, "device: 'irq' needs at least one INTID");
	if (s->n - 3 > VMCFG_MAX_IRQS)
		return fail(p, s->line, "device has more than %d interrupts", VMCFG_MAX_IRQS);
	for (i = 3; i < s->n; i++) {
		uint32_t irq;

		if (parse_u32(p, s, &s->v[i], &irq) || check_irq(p, s, irq))
			return -1;
		d->irqs[d->nr_irqs++] = irq;
	}
	return 0;
}

static int key_device(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	struct vmcfg_device *d;

	if (vm->nr_devices >= VMCFG_MAX_DEVICES)
		return fail(p, s->line, "more than %d devices", VMCFG_MAX_DEVICES);
	d = &vm->devices[vm->nr_devices];
	memset(d, 0, sizeof(*d));
	d->line = s->line;
	if (s->n < 2)
		return fail(p, s->line, "device needs a base and a size");
	if (parse_num(p, s, &s->v[0], false, &d->base) || parse_num(p, s, &s->v[1], true, &d->size))
		return -1;
	if (!d->size)
		return fail(p, s->line, "device size must not be zero");
	if (d->base % VMCFG_PAGE_SIZE || d->size % VMCFG_PAGE_SIZE)
		return fail(p, s->line, "device 0x%llx size 0x%llx is not page-aligned",
			    (unsigned long long)d->base, (unsigned long long)d->size);
	if (d->base >= VMCFG_PA_LIMIT || d->size > VMCFG_PA_LIMIT - d->base)
		return fail(p, s->line,
			    "device 0x%llx size 0x%llx ends beyond the 48-bit address space",
			    (unsigned long long)d->base, (unsigned long long)d->size);
	if (device_irqs(p, s, d))
		return -1;
	vm->nr_devices++;
	return 0;
}

/* virtio = BASE irq INTID: one of the machine's virtio-mmio transports
 * (0x200 bytes) passed through.  Stage-2 maps whole pages, so the VM gets
 * the page holding it; its device tree gets a "virtio,mmio" node for the
 * transport itself, so the guest's in-tree virtio_mmio driver binds it.
 * The device DMAs to guest-physical addresses: checked against the layout
 * once the whole block is read (check_virtio_layout). */
static int key_virtio(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	struct vmcfg_device *d;
	uint64_t base;

	if (vm->nr_devices >= VMCFG_MAX_DEVICES)
		return fail(p, s->line, "more than %d devices", VMCFG_MAX_DEVICES);
	if (s->n != 3 || !tok_is(&s->v[1], "irq"))
		return fail(p, s->line, "virtio needs a transport base, 'irq' and one INTID");
	if (parse_num(p, s, &s->v[0], false, &base))
		return -1;
	if (base % VMCFG_VIRTIO_SIZE || base >= VMCFG_PA_LIMIT)
		return fail(p, s->line,
			    "virtio transport 0x%llx is not a %#llx-aligned address below 2^48",
			    (unsigned long long)base, (unsigned long long)VMCFG_VIRTIO_SIZE);
	d = &vm->devices[vm->nr_devices];
	memset(d, 0, sizeof(*d));
	d->line = s->line;
	d->base = base & ~(VMCFG_PAGE_SIZE - 1);
	d->size = VMCFG_PAGE_SIZE;
	d->virtio_base = base;
	if (parse_u32(p, s, &s->v[2], &d->irqs[0]) || check_irq(p, s, d->irqs[0]))
		return -1;
	d->nr_irqs = 1;
	vm->nr_devices++;
	return 0;
}

struct vm_key {
	const char *name;
	enum vmcfg_key key;
	int (*parse)(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s);
};

static const struct vm_key vm_keys[] = {
	{"image", VMCFG_KEY_IMAGE, key_image},
	{"memory", VMCFG_KEY_MEMORY, key_memory},
	{"vcpus", VMCFG_KEY_VCPUS, key_vcpus},
	{"cpus", VMCFG_KEY_CPUS, key_cpus},
	{"layout", VMCFG_KEY_LAYOUT, key_layout},
	{"initrd", VMCFG_KEY_INITRD, key_initrd},
	{"bootargs", VMCFG_KEY_BOOTARGS, key_bootargs},
	{"on_exit", VMCFG_KEY_ON_EXIT, key_on_exit},
	{"management", VMCFG_KEY_MANAGEMENT, key_management},
	{"slot", VMCFG_KEY_SLOT, key_slot},
	{"device", VMCFG_KEY_DEVICE, key_device},
	{"virtio", VMCFG_KEY_DEVICE, key_virtio},
};

int vm_stmt(struct parser *p, void *block, const struct stmt *s)
{
	struct vmcfg_vm *vm = block;
	size_t i;

	for (i = 0; i < sizeof(vm_keys) / sizeof(vm_keys[0]); i++) {
		const struct vm_key *k = &vm_keys[i];

		if (!tok_is(&s->key, k->name))
			continue;
		if (vm->key_line[k->key] && k->key != VMCFG_KEY_DEVICE)
			return fail(p, s->line, "duplicate key '%s' (first on line %d)", k->name,
				    vm->key_line[k->key]);
		vm->key_line[k->key] = s->line;
		return k->parse(p, vm, s);
	}
	return fail(p, s->line, "unknown key '%.*s'", TOKF(&s->key));
}

/* ------------------------------------------------------------ node keys */

static int node_cpus(struct parser *p, struct vmcfg *cfg, const struct stmt *s)
{
	uint32_t v;

	if (cfg->node_cpus_line)
		return fail(p, s->line, "duplicate key 'cpus' (first on line %d)",
			    cfg->node_cpus_line);
	cfg->node_cpus_line = s->line;
	if (one_value(p, s) || parse_u32(p, s, &s->v[0], &v))
		return -1;
	if (v < 1 || v > VMCFG_MAX_NODE_CPUS)
		return fail(p, s->line, "cpus must be 1..%d, got %u", VMCFG_MAX_NODE_CPUS, v);
	cfg->node_cpus = v;
	return 0;
}

static int node_memory(struct parser *p, struct vmcfg *cfg, const struct stmt *s)
{
	char sz[32];
	uint64_t v;

	if (cfg->node_mem_line)
		return fail(p, s->line, "duplicate key 'memory' (first on line %d)",
			    cfg->node_mem_line);
	cfg->node_mem_line = s->line;
	if (one_value(p, s) || parse_num(p, s, &s->v[0], true, &v))
		return -1;
	vmcfg_fmt_size(sz, sizeof(sz), v);
	if (v <= VMCFG_HYP_RESERVED)
		return fail(p, s->line,
			    "memory %s leaves nothing after the 64M reserved for the hypervisor",
			    sz);
	cfg->node_mem = v;
	return 0;
}

/* Indexed by enum vmcfg_platform. */
static const char *const platform_names[] = {"virt", "virt-gicv2", "zcu102", NULL};
static const unsigned int platform_gic[] = {3, 2, 2};

const char *vmcfg_platform_name(enum vmcfg_platform p)
{
	return (unsigned int)p < 3 ? platform_names[p] : "?";
}

unsigned int vmcfg_platform_gic(enum vmcfg_platform p)
{
	return (unsigned int)p < 3 ? platform_gic[p] : 0;
}

static int node_platform(struct parser *p, struct vmcfg *cfg, const struct stmt *s)
{
	int i;

	if (cfg->node_platform_line)
		return fail(p, s->line, "duplicate key 'platform' (first on line %d)",
			    cfg->node_platform_line);
	cfg->node_platform_line = s->line;
	i = parse_choice(p, s, platform_names, "virt, virt-gicv2 or zcu102");
	if (i < 0)
		return -1;
	cfg->platform = (enum vmcfg_platform)i;
	return 0;
}

/* Trusting RAM to read as zero at boot is a claim about what ran before
 * the hypervisor (nothing, under QEMU's -kernel), so it is never the
 * default: firmware and boot loaders leave data behind. */
static int node_boot_ram_zero(struct parser *p, struct vmcfg *cfg, const struct stmt *s)
{
	static const char *const names[] = {"no", "yes", NULL};
	int i;

	if (cfg->node_boot_ram_zero_line)
		return fail(p, s->line, "duplicate key 'boot_ram_zero' (first on line %d)",
			    cfg->node_boot_ram_zero_line);
	cfg->node_boot_ram_zero_line = s->line;
	i = parse_choice(p, s, names, "yes or no");
	if (i < 0)
		return -1;
	cfg->boot_ram_zero = i == 1;
	return 0;
}

int node_stmt(struct parser *p, void *block, const struct stmt *s)
{
	if (tok_is(&s->key, "cpus"))
		return node_cpus(p, block, s);
	if (tok_is(&s->key, "memory"))
		return node_memory(p, block, s);
	if (tok_is(&s->key, "platform"))
		return node_platform(p, block, s);
	if (tok_is(&s->key, "boot_ram_zero"))
		return node_boot_ram_zero(p, block, s);
	return fail(p, s->line, "unknown key '%.*s'", TOKF(&s->key));
}
