/* The device socket: how a virtual device plugs into a VM.
 *
 * A virtual device (vm/dev/) is one `struct vm_dev` descriptor.  Each VM's
 * devices are built from its description (struct vm_config) by one attach
 * step, vm_devs_attach() in vm/dev/devices.c, which offers every descriptor
 * in its table to the VM in turn:
 *
 *   attach(vm, cfg, state)  once, when the VM is created.  `state` is
 *       state_size zeroed bytes of per-VM private storage (kept inside
 *       struct vm, so a copy of a VM copies its devices too).  The device
 *       reads what it needs from cfg, then may register MMIO windows
 *       (vm_dev_mmio(): the existing mmio_ops, so the trap path checks
 *       width, alignment and range before the device acts) and map extra
 *       memory into the VM's Stage-2 as normal RAM-backed memory
 *       (vm_dev_map_ram()).  Returns 0 when attached, VM_DEV_ABSENT when
 *       this VM's description does not ask for the device (for example a
 *       management device on a VM without `management = yes`), or a
 *       negative error, which fails the VM's creation.
 *   reset(vm, state)  optional; on every start and restart of the VM,
 *       after its RAM was zeroed and its image loaded, before any vCPU
 *       runs.  State that must not survive a restart is cleared here.
 *
 * Adding a device is: one file in vm/dev/ defining its descriptor, one line
 * in vm/dev/devices.c's table, its source in vm/dev/objs.mk, and whatever
 * the description format must say about it.  Nothing in struct vm or in
 * the VM lifecycle changes.  Code elsewhere that must reach a device's
 * state (the console reaching the vPL011) asks vm_dev_state().
 *
 * The socket itself is vm core (vm/vdev.c): the lifecycle calls reset
 * through the descriptors, never a device by name.  The attach step is
 * above it (called by boot), so the core never depends on a device. */
#ifndef AETHER_VM_VDEV_H
#define AETHER_VM_VDEV_H

#include "types.h"

struct vm;
struct vm_config;
struct mmio_ops;

#define VM_MAX_DEVS 4	       /* devices one VM may have attached */
#define VM_DEV_MEM (6 * SZ_1K) /* per-VM private state of all its devices */
#define VM_DEV_ABSENT 1	       /* attach(): not for this VM */

struct vm_dev {
	const char *name;
	u32 state_size; /* bytes of per-VM state handed to attach and reset */
	int (*attach)(struct vm *vm, const struct vm_config *cfg, void *state);
	void (*reset)(struct vm *vm, void *state); /* may be NULL */
};

/* One attached device of a VM: its state is at dev_mem[off] of the VM (an
 * offset, not a pointer, so a copy of a struct vm is self-contained). */
struct vm_dev_slot {
	const struct vm_dev *dev;
	u32 off;
};

/* Offers dev to the VM: carves its state out of the VM's device memory and
 * calls attach.  0 when attached or absent; a negative error otherwise
 * (-E_NOMEM: no slot or state memory left), the VM unchanged but for the
 * device's own registrations. */
int vm_dev_attach_one(struct vm *vm, const struct vm_dev *dev);
/* Runs every attached device's reset hook, in attach order. */
void vm_devs_reset(struct vm *vm);
/* The private state of dev in this VM, or NULL when it is not attached. */
void *vm_dev_state(const struct vm *vm, const struct vm_dev *dev);

/* For attach hooks: an emulated MMIO window at IPA base. */
int vm_dev_mmio(struct vm *vm, u64 base, u64 size, const struct mmio_ops *ops, void *state);
/* For attach hooks: size bytes of real memory at pa, mapped at IPA ipa as
 * normal (cacheable, non-executable) RAM.  Page-aligned. */
int vm_dev_map_ram(struct vm *vm, ipaddr_t ipa, paddr_t pa, u64 size);

#endif
