/* Guest RAM seen from EL2 (vm/guest_mem.c). */
#ifndef AETHER_VM_GUEST_MEM_H
#define AETHER_VM_GUEST_MEM_H

#include "types.h"

struct vm;

bool vm_ipa_is_ram(const struct vm *vm, ipaddr_t ipa, u64 len);
/* Copy between guest RAM and EL2 memory; false when any byte is outside RAM. */
bool vm_read_guest(const struct vm *vm, ipaddr_t ipa, void *dst, u64 len);
bool vm_write_guest(const struct vm *vm, ipaddr_t ipa, const void *src, u64 len);
/* EL2's pointer to the RAM at ipa; the caller has checked the range. */
void *vm_guest_ptr(const struct vm *vm, ipaddr_t ipa);

#endif
