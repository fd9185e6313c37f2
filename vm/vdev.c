/* The device socket (include/vm/vdev.h): attaching one device to a VM,
 * resetting the attached ones, and finding a device's per-VM state.  Knows
 * no device by name; vm/dev/devices.c holds the table. */
#include "vm/vdev.h"
#include "lib.h"
#include "mm/stage2.h"
#include "vm/vm.h"

int vm_dev_attach_one(struct vm *vm, const struct vm_dev *dev)
{
	u32 off = (u32)ALIGN_UP(vm->dev_mem_used, 16);
	void *state;
	int ret;

	if (vm->nr_devs >= VM_MAX_DEVS || dev->state_size > VM_DEV_MEM - off)
		return -E_NOMEM;
	state = &vm->dev_mem[off];
	memset(state, 0, dev->state_size);
	ret = dev->attach(vm, vm->cfg, state);
	if (ret == VM_DEV_ABSENT)
		return 0;
	if (ret)
		return ret;
	vm->devs[vm->nr_devs++] = (struct vm_dev_slot){dev, off};
	vm->dev_mem_used = off + dev->state_size;
	return 0;
}

void vm_devs_reset(struct vm *vm)
{
	for (u32 i = 0; i < vm->nr_devs; i++)
		if (vm->devs[i].dev->reset)
			vm->devs[i].dev->reset(vm, &vm->dev_mem[vm->devs[i].off]);
}

void *vm_dev_state(const struct vm *vm, const struct vm_dev *dev)
{
	for (u32 i = 0; i < vm->nr_devs; i++)
		if (vm->devs[i].dev == dev) /* the caller owns the VM */
			return (void *)&vm->dev_mem[vm->devs[i].off];
	return NULL;
}

int vm_dev_mmio(struct vm *vm, u64 base, u64 size, const struct mmio_ops *ops, void *state)
{
	return mmio_register(vm->mmio, &vm->nr_mmio, ipa_init(base), size, ops, state);
}

int vm_dev_map_ram(struct vm *vm, ipaddr_t ipa, paddr_t pa, u64 size)
{
	if (!IS_ALIGNED(ipa_addr(ipa) | pa_addr(pa) | size, PAGE_SIZE) || !size)
		return -E_INVAL;
	return s2_map(&vm->s2, ipa, pa, size, S2_RW);
}
