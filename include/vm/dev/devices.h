/* The attach step: builds a VM's virtual devices from its description. */
#ifndef AETHER_VM_DEV_DEVICES_H
#define AETHER_VM_DEV_DEVICES_H

struct vm;

/* Offers every device in vm/dev/devices.c's table to the VM (created by
 * vm_create, not yet loaded); 0, or the first device's error. */
int vm_devs_attach(struct vm *vm);

#endif
