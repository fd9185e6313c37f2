/* libFuzzer harness for the VM description parser and validator.
 *
 * The input is parsed as a whole description.  The fake file system makes
 * every path exist except those containing "nope" (not found) or "empty"
 * (size 0), so the validator's later stages are reachable without real
 * files.  Beyond "no crash, no sanitizer report", a successful parse must
 * have produced values inside the limits that vms.c and the EL2 code rely
 * on, and a failed one a NUL-terminated message that starts with the file
 * name. */
#include "vmcfg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fake_size(void *ctx, const char *path, uint64_t *size)
{
	(void)ctx;
	if (strstr(path, "nope"))
		return -1;
	*size = strstr(path, "empty") ? 0 : strlen(path);
	return 0;
}

static void check_device(const struct vmcfg_device *d)
{
	uint32_t i;

	if (!d->size || d->base % VMCFG_PAGE_SIZE || d->size % VMCFG_PAGE_SIZE ||
	    d->base + d->size > VMCFG_PA_LIMIT || d->nr_irqs > VMCFG_MAX_IRQS)
		abort();
	for (i = 0; i < d->nr_irqs; i++)
		if (d->irqs[i] < VMCFG_SPI_MIN || d->irqs[i] > VMCFG_SPI_MAX ||
		    d->irqs[i] == VMCFG_UART_INTID)
			abort();
}

static bool hits(const struct vmcfg_device *d, uint64_t base, uint64_t size)
{
	return d->base < base + size && base < d->base + d->size;
}

static void check_vm(const struct vmcfg *cfg, const struct vmcfg_vm *vm)
{
	uint32_t i;

	/* a slot has no image or initrd and is not the management VM; any
	 * other VM has a non-empty image */
	if (vm->slot ? vm->image.path[0] || vm->initrd.path[0] || vm->management ||
			       strlen(vm->bootargs) > VMCFG_SLOT_BOOTARGS_MAX
		     : !vm->image.path[0] || !vm->image.size)
		abort();
	if (!vm->name[0] || strlen(vm->name) >= VMCFG_NAME_MAX || !vm->mem_size ||
	    vm->mem_size % VMCFG_MEM_ALIGN || vm->nr_vcpus < 1 || vm->nr_vcpus > VMCFG_MAX_VCPUS ||
	    strlen(vm->bootargs) > VMCFG_BOOTARGS_MAX || vm->nr_devices > VMCFG_MAX_DEVICES)
		abort();
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpu_cpu[i] >= cfg->node_cpus ||
		    !(vm->cpu_mask & (1ULL << vm->vcpu_cpu[i])))
			abort();
	for (i = 0; i < vm->nr_devices; i++) {
		const struct vmcfg_device *d = &vm->devices[i];

		check_device(d);
		if (vm->management && (hits(d, MGMT_DOORBELL_IPA, MGMT_DOORBELL_SIZE) ||
				       hits(d, MGMT_WINDOW_IPA, MGMT_WINDOW_SIZE)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmcfg cfg;
	const char *err;
	uint32_t i;

	err = vmcfg_parse(&cfg, "fuzz.cfg", (const char *)data, size, fake_size, NULL);
	if (err) {
		if (err != cfg.err || strnlen(err, VMCFG_ERR_MAX) >= VMCFG_ERR_MAX ||
		    strncmp(err, "fuzz.cfg", 8))
			abort();
		return 0;
	}
	if (!cfg.nr_vms || cfg.nr_vms > VMCFG_MAX_VMS || !cfg.node_cpus ||
	    cfg.node_cpus > VMCFG_MAX_NODE_CPUS)
		abort();
	for (i = 0; i < cfg.nr_vms; i++)
		check_vm(&cfg, &cfg.vms[i]);
	return 0;
}
