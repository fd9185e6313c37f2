/* The rules a VM description must follow once it is fully read: missing
 * keys, slots, pinning, devices against emulated and reserved ranges and
 * against each other, the management VM, the node's memory, and finally
 * the image files. */
#include "vmcfg_internal.h"

#include <stdio.h>
#include <string.h>

static int check_blob(struct parser *p, struct vmcfg_blob *b, const char *what)
{
	if (p->file_size(p->ctx, b->path, &b->size))
		return fail(p, 0, "%s '%s' not found", what, b->path);
	if (!b->size)
		return fail(p, 0, "%s '%s' is empty", what, b->path);
	return 0;
}

static int resolve_cpus(struct parser *p, struct vmcfg_vm *vm)
{
	int line = vm->key_line[VMCFG_KEY_CPUS];
	uint32_t i;

	/* No cpus line: spread the vCPUs, vCPU i on CPU i modulo the node's
	 * CPUs, so a 2-vCPU VM on a 2-CPU node does not time-slice on CPU 0. */
	if (!vm->nr_cpus) {
		vm->nr_cpus = vm->nr_vcpus < p->cfg->node_cpus ? vm->nr_vcpus : p->cfg->node_cpus;
		for (i = 0; i < vm->nr_cpus; i++)
			vm->cpus[i] = i;
	}
	if (vm->nr_cpus > vm->nr_vcpus)
		return fail(p, line, "cpus lists %u CPUs but the VM has %u vCPUs", vm->nr_cpus,
			    vm->nr_vcpus);
	for (i = 0; i < vm->nr_cpus; i++)
		if (vm->cpus[i] >= p->cfg->node_cpus)
			return fail(p, line ? line : vm->line,
				    "cpu %u does not exist: the node has %u CPUs", vm->cpus[i],
				    p->cfg->node_cpus);
	vm->cpu_mask = 0;
	for (i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpu_cpu[i] = vm->cpus[i % vm->nr_cpus];
		vm->cpu_mask |= 1ULL << vm->vcpu_cpu[i];
	}
	return 0;
}

struct region {
	uint64_t base;
	uint64_t size;
	const char *what;
};

/* What every VM sees emulated; a passthrough device there would shadow it. */
static const struct region emulated[] = {
	{0x08000000, 0x00010000, "the emulated GIC distributor"},
	{0x080a0000, 0x00f60000, "the emulated GIC redistributors"},
	{0x09000000, 0x00001000, "the emulated UART"},
};

/* On a GICv2 platform the CPU interface is a window too: the host's GICV,
 * mapped by Stage-2 (the redistributor range above is then unused). */
static const struct region gicv2_cpu = {0x08010000, 0x00002000, "the GICv2 CPU interface"};

/* What only the management VM sees, at fixed IPAs (include/aether_mgmt_abi.h). */
static const struct region mgmt_regions[] = {
	{MGMT_DOORBELL_IPA, MGMT_DOORBELL_SIZE, "the management doorbell page"},
	{MGMT_WINDOW_IPA, MGMT_WINDOW_SIZE, "the management window"},
};

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int overlap_fail(struct parser *p, const struct vmcfg_device *d, const struct region *r)
{
	return fail(p, d->line, "device 0x%08llx-0x%08llx overlaps %s (0x%08llx-0x%08llx)",
		    (unsigned long long)d->base, (unsigned long long)(d->base + d->size - 1),
		    r->what, (unsigned long long)r->base,
		    (unsigned long long)(r->base + r->size - 1));
}

/* Devices are mapped at IPA == PA, so for a virt VM they must also stay out
 * of its own RAM window.  Other VMs' windows are other address spaces. */
static int check_device_fixed(struct parser *p, const struct vmcfg_vm *vm,
			      const struct vmcfg_device *d)
{
	struct region ram = {VMCFG_RAM_IPA, vm->mem_size, "the VM's RAM"};
	size_t i;

	for (i = 0; i < sizeof(emulated) / sizeof(emulated[0]); i++)
		if (overlaps(d->base, d->size, emulated[i].base, emulated[i].size))
			return overlap_fail(p, d, &emulated[i]);
	if (vmcfg_platform_gic(p->cfg->platform) == 2 &&
	    overlaps(d->base, d->size, gicv2_cpu.base, gicv2_cpu.size))
		return overlap_fail(p, d, &gicv2_cpu);
	for (i = 0; vm->management && i < sizeof(mgmt_regions) / sizeof(mgmt_regions[0]); i++)
		if (overlaps(d->base, d->size, mgmt_regions[i].base, mgmt_regions[i].size))
			return overlap_fail(p, d, &mgmt_regions[i]);
	if (vm->layout == VMCFG_LAYOUT_VIRT && overlaps(d->base, d->size, ram.base, ram.size))
		return overlap_fail(p, d, &ram);
	return 0;
}

/* A slot is reserved at boot and filled through the management interface:
 * what it runs comes with the deploy, so the description may not name it. */
static int validate_slot(struct parser *p, const struct vmcfg_vm *vm)
{
	const int *line = vm->key_line;

	if (line[VMCFG_KEY_IMAGE])
		return fail(p, line[VMCFG_KEY_IMAGE],
			    "a slot has no image at boot (it is deployed through the management "
			    "interface)");
	if (line[VMCFG_KEY_INITRD])
		return fail(p, line[VMCFG_KEY_INITRD],
			    "a slot has no initrd at boot (it is deployed with the kernel)");
	/* reported on whichever of the two lines comes second */
	if (vm->management)
		return fail(p,
			    line[VMCFG_KEY_SLOT] > line[VMCFG_KEY_MANAGEMENT]
				    ? line[VMCFG_KEY_SLOT]
				    : line[VMCFG_KEY_MANAGEMENT],
			    "the management VM cannot be a slot (it must boot with its image)");
	if (strlen(vm->bootargs) > VMCFG_SLOT_BOOTARGS_MAX)
		return fail(p, line[VMCFG_KEY_BOOTARGS],
			    "a slot's bootargs are at most %d characters (deploys patch them in "
			    "place)",
			    VMCFG_SLOT_BOOTARGS_MAX);
	return 0;
}

static int validate_vm(struct parser *p, struct vmcfg_vm *vm)
{
	uint32_t i;

	set_scope_vm(p, vm);
	if (vm->slot && validate_slot(p, vm))
		return -1;
	if (!vm->slot && !vm->key_line[VMCFG_KEY_IMAGE])
		return fail(p, vm->line, "missing image");
	if (!vm->key_line[VMCFG_KEY_MEMORY])
		return fail(p, vm->line, "missing memory");
	if (resolve_cpus(p, vm))
		return -1;
	for (i = 0; i < vm->nr_devices; i++)
		if (check_device_fixed(p, vm, &vm->devices[i]))
			return -1;
	return 0;
}

static int validate_files(struct parser *p, struct vmcfg_vm *vm)
{
	set_scope_vm(p, vm);
	if (!vm->slot && check_blob(p, &vm->image, "image"))
		return -1;
	if (vm->initrd.path[0] && check_blob(p, &vm->initrd, "initrd"))
		return -1;
	return 0;
}

static int validate_management(struct parser *p)
{
	const struct vmcfg_vm *first = NULL;
	uint32_t i;

	for (i = 0; i < p->cfg->nr_vms; i++) {
		const struct vmcfg_vm *vm = &p->cfg->vms[i];

		if (!vm->management)
			continue;
		if (first) {
			set_scope_vm(p, vm);
			return fail(p, vm->key_line[VMCFG_KEY_MANAGEMENT],
				    "more than one management VM (vm '%s' is one)", first->name);
		}
		first = vm;
	}
	return 0;
}

static int validate_total_memory(struct parser *p)
{
	const struct vmcfg *cfg = p->cfg;
	char total_s[32], node_s[32];
	uint64_t total = 0;
	uint32_t i;

	if (!cfg->node_mem)
		return 0;
	for (i = 0; i < cfg->nr_vms; i++)
		total += cfg->vms[i].mem_size;
	if (total <= cfg->node_mem - VMCFG_HYP_RESERVED)
		return 0;
	vmcfg_fmt_size(total_s, sizeof(total_s), total);
	vmcfg_fmt_size(node_s, sizeof(node_s), cfg->node_mem);
	set_scope(p, "");
	return fail(p, cfg->node_mem_line,
		    "VMs need %s of memory in total, more than the node's %s minus 64M reserved "
		    "for the hypervisor",
		    total_s, node_s);
}

/* Returns an INTID both devices list, or 0 (never a valid SPI). */
static uint32_t shared_irq(const struct vmcfg_device *a, const struct vmcfg_device *b)
{
	uint32_t k, j;

	for (k = 0; k < a->nr_irqs; k++)
		for (j = 0; j < b->nr_irqs; j++)
			if (a->irqs[k] == b->irqs[j])
				return a->irqs[k];
	return 0;
}

/* Checks device i of vm against every device given before it in the file. */
static int check_device_pair(struct parser *p, uint32_t vi, uint32_t di)
{
	const struct vmcfg_vm *vm = &p->cfg->vms[vi];
	const struct vmcfg_device *d = &vm->devices[di];
	uint32_t oi, odi, irq;

	for (oi = 0; oi <= vi; oi++) {
		const struct vmcfg_vm *o = &p->cfg->vms[oi];

		for (odi = 0; odi < (oi == vi ? di : o->nr_devices); odi++) {
			const struct vmcfg_device *od = &o->devices[odi];
			char what[96];
			struct region r = {od->base, od->size, what};

			snprintf(what, sizeof(what), "the device of vm '%s' on line %d", o->name,
				 od->line);
			if (overlaps(d->base, d->size, od->base, od->size))
				return overlap_fail(p, d, &r);
			irq = shared_irq(d, od);
			if (irq)
				return fail(p, d->line,
					    "interrupt %u is already given to vm '%s' on line %d",
					    irq, o->name, od->line);
		}
	}
	return 0;
}

/* Within one device, an INTID listed twice is as wrong as across devices. */
static int check_device_self(struct parser *p, const struct vmcfg_vm *vm,
			     const struct vmcfg_device *d)
{
	uint32_t k, j;

	for (k = 0; k < d->nr_irqs; k++)
		for (j = 0; j < k; j++)
			if (d->irqs[k] == d->irqs[j])
				return fail(p, d->line,
					    "interrupt %u is already given to vm '%s' on line %d",
					    d->irqs[k], vm->name, d->line);
	return 0;
}

/* A virtio device writes guest memory by guest-physical address, which is
 * only the real one when IPA == PA. */
static int check_virtio_layout(struct parser *p, const struct vmcfg_vm *vm,
			       const struct vmcfg_device *d)
{
	if (d->virtio_base && vm->layout != VMCFG_LAYOUT_IDENTITY)
		return fail(p, d->line,
			    "virtio transport 0x%llx needs layout = identity (the device DMAs to "
			    "guest-physical addresses)",
			    (unsigned long long)d->virtio_base);
	return 0;
}

static int validate_devices(struct parser *p)
{
	uint32_t vi, di;

	for (vi = 0; vi < p->cfg->nr_vms; vi++) {
		const struct vmcfg_vm *vm = &p->cfg->vms[vi];

		set_scope_vm(p, vm);
		for (di = 0; di < vm->nr_devices; di++)
			if (check_device_self(p, vm, &vm->devices[di]) ||
			    check_virtio_layout(p, vm, &vm->devices[di]) ||
			    check_device_pair(p, vi, di))
				return -1;
	}
	return 0;
}

int validate(struct parser *p)
{
	uint32_t i;

	if (!p->cfg->nr_vms)
		return fail(p, 0, "no vm blocks");
	for (i = 0; i < p->cfg->nr_vms; i++)
		if (validate_vm(p, &p->cfg->vms[i]))
			return -1;
	if (validate_management(p) || validate_devices(p) || validate_total_memory(p))
		return -1;
	/* Files last: what is wrong with the text itself is reported even
	 * before the images have been built. */
	for (i = 0; i < p->cfg->nr_vms; i++)
		if (validate_files(p, &p->cfg->vms[i]))
			return -1;
	set_scope(p, "");
	return 0;
}
