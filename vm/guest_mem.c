/* Guest RAM as EL2 sees it: bounds checks and copies in and out, with the
 * cache maintenance a guest running with caches off needs. */
#include "vm/guest_mem.h"
#include "arch/idregs.h"
#include "lib.h"
#include "vm/vm.h"

bool vm_ipa_is_ram(const struct vm *vm, ipaddr_t ipa, u64 len)
{
	u64 off = ipa_addr(ipa) - ipa_addr(vm->ram_ipa);

	return ipa_addr(ipa) >= ipa_addr(vm->ram_ipa) && off <= vm->ram_size &&
	       len <= vm->ram_size - off;
}

void *vm_guest_ptr(const struct vm *vm, ipaddr_t ipa)
{
	return pa_to_ptr(pa_add(vm->ram_pa, ipa_addr(ipa) - ipa_addr(vm->ram_ipa)));
}

bool vm_read_guest(const struct vm *vm, ipaddr_t ipa, void *dst, u64 len)
{
	if (!vm_ipa_is_ram(vm, ipa, len))
		return false;
	/* The guest may run with caches off: drop any stale line first. */
	arch_dcache_clean_inval(vm_guest_ptr(vm, ipa), len);
	memcpy(dst, vm_guest_ptr(vm, ipa), len);
	return true;
}

bool vm_write_guest(const struct vm *vm, ipaddr_t ipa, const void *src, u64 len)
{
	if (!vm_ipa_is_ram(vm, ipa, len))
		return false;
	memcpy(vm_guest_ptr(vm, ipa), src, len);
	arch_dcache_clean_inval(vm_guest_ptr(vm, ipa), len);
	return true;
}
