/* The VMs of this node and their creation: memory allocated and mapped,
 * vCPUs pinned, the vGIC's windows registered, passthrough interrupts
 * claimed.  Devices are attached next (vm/dev/devices.c), then the image is
 * loaded (vm/load.c). */
#include "vm/vm.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "platform.h"
#include "platform_info.h"
#include "vm/passthrough.h"

struct vm vms[MAX_VMS];
u32 nr_vms;

const char *vm_end_reason_str(enum vm_end_reason why)
{
	switch (why) {
	case VM_END_POWEROFF: return "powered off";
	case VM_END_RESET: return "reset";
	case VM_END_FAULT: return "terminated (fault)";
	case VM_END_ALL_CPUS_OFF: return "all vCPUs off";
	case VM_END_KILLED: return "killed";
	default: return "running";
	}
}

/* A VM with the identity layout sees its RAM at its PA, and its emulated
 * devices at the virt addresses below GUEST_RAM_BASE: on a board whose RAM
 * starts low (ZynqMP: at 0) a run of RAM there would hide them. */
static bool hides_guest_devices(const struct vm_config *c, paddr_t pa)
{
	return c->layout == VM_LAYOUT_IDENTITY && pa_addr(pa) < GUEST_RAM_BASE &&
	       pa_addr(pa) + c->mem_size > GUEST_GICD_BASE;
}

#define RAM_TRIES 8

/* The VM's RAM, skipping (then giving back) runs an identity VM cannot use. */
static int vm_alloc_ram(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;
	u64 pages = c->mem_size / PAGE_SIZE;
	paddr_t held[RAM_TRIES];
	u32 n = 0;
	int ret;

	while (!(ret = page_alloc_contig(pages, SZ_2M, &vm->ram_pa)) &&
	       hides_guest_devices(c, vm->ram_pa) && n < RAM_TRIES)
		held[n++] = vm->ram_pa;
	if (!ret && hides_guest_devices(c, vm->ram_pa)) {
		page_free_contig(vm->ram_pa, pages);
		ret = -E_NOMEM;
	}
	while (n)
		page_free_contig(held[--n], pages);
	return ret;
}

static int vm_map_memory(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;
	int ret;

	ret = vm_alloc_ram(vm);
	if (ret)
		return ret;
	vm->ram_size = c->mem_size;
	vm->ram_zeroed = true; /* the allocator zeroes what it hands out */
	vm->ram_ipa = c->layout == VM_LAYOUT_IDENTITY ? ipa_init(pa_addr(vm->ram_pa))
						      : ipa_init(c->ram_ipa);
	ret = s2_map(&vm->s2, vm->ram_ipa, vm->ram_pa, vm->ram_size, S2_R | S2_W | S2_X);
	for (u32 i = 0; !ret && i < c->nr_devices; i++)
		ret = s2_map(&vm->s2, ipa_init(c->devices[i].base), pa_init(c->devices[i].base),
			     c->devices[i].size, S2_R | S2_W | S2_DEVICE);
	return ret;
}

static int vm_gic_v3(struct vm *vm)
{
	int ret = mmio_register(vm->mmio, &vm->nr_mmio, ipa_init(GUEST_GICD_BASE), VGIC_DIST_SIZE,
				&vgic_dist_ops, vm);

	return ret
		       ?: mmio_register(vm->mmio, &vm->nr_mmio, ipa_init(GUEST_GICR_BASE),
					vm->nr_vcpus * VGIC_REDIST_STRIDE, &vgic_redist_ops, vm);
}

/* A virtual GICv2: the distributor is emulated, the CPU interface is the
 * host's GICV frame (the hardware's virtual CPU interface, driven by the
 * list registers) at the guest's GICC address. */
static int vm_gic_v2(struct vm *vm)
{
	vm->vgic.v2 = true;
	return mmio_register(vm->mmio, &vm->nr_mmio, ipa_init(GUEST_GICD_BASE), VGIC_V2_DIST_SIZE,
			     &vgic_dist_v2_ops, vm)
		       ?: s2_map(&vm->s2, ipa_init(GUEST_GICC_BASE), plat.gicv, VGIC_V2_CPU_SIZE,
				 S2_R | S2_W | S2_DEVICE);
}

int vm_create(struct vm *vm, u32 id, const struct vm_config *cfg)
{
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	vm->cfg = cfg;
	vm->vmid = (u16)(id + 1); /* VMID 0 is never given to a guest */
	vm->nr_vcpus = cfg->nr_vcpus;
	vm->image = cfg->image;
	vm->initrd = cfg->initrd;
	ret = pt_pool_init(&vm->pt_pool, VM_PT_POOL_PAGES);
	if (ret)
		return ret;
	ret = s2_init(&vm->s2, &s2_config, vm->vmid, &vm->pt_pool);
	if (!ret)
		ret = vm_map_memory(vm);
	if (ret)
		return ret;
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].mmio_hint = &mmio_no_region;
		vm->vcpus[i].id = i;
		vm->vcpus[i].pcpu = cfg->vcpu_cpu[i];
		vm->vcpus[i].state = VCPU_OFF;
	}
	ret = node_platform.gic_version == 2 ? vm_gic_v2(vm) : vm_gic_v3(vm);
	if (!ret)
		vm_claim_spis(vm);
	return ret;
}
