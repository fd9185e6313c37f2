/* Loading a VM for a start or restart (vm/load.c). */
#ifndef AETHER_VM_LOAD_H
#define AETHER_VM_LOAD_H

struct vm;

/* Zeroes the VM's RAM, loads image, initrd and DTB, resets its vGIC and
 * devices and arms vCPU 0 at the entry point; 0 or -E_INVAL. */
int vm_load(struct vm *vm);

#endif
