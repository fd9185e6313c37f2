/* The end of a run: once no VM is left, one summary line per VM, the image
 * checksum again, and power off. */
#include "arch/entry.h"
#include "arch/firmware.h"
#include "boot/boot.h"
#include "lib/log.h"
#include "vm/vm.h"

/* FNV-1a over the hypervisor's text and read-only data (guest payloads
 * excluded): printed at boot and at power-off, so a test can show that no
 * guest changed a byte of it. */
u64 image_checksum(void)
{
	extern char _head[], _erodata[], __guest_start[], __guest_end[];
	u64 h = 0xcbf29ce484222325UL;

	for (const u8 *p = (const u8 *)_head; p < (const u8 *)_erodata; p++) {
		if (p == (const u8 *)__guest_start)
			p = (const u8 *)__guest_end;
		h = (h ^ *p) * 0x100000001b3UL;
	}
	return h;
}

static void vm_summary(const struct vm *vm)
{
	u64 x[EXIT_KINDS];

	for (u32 k = 0; k < EXIT_KINDS; k++)
		x[k] = vm_exits(vm, k);

	LOG("  vm %s: %s, restarts %u; exits: hvc %lu smc %lu sysreg %lu mmio %lu abort %lu wfx "
	    "%lu irq %lu undef %lu",
	    vm->cfg->name, vm_end_reason_str(vm->end_reason), vm->restarts,
	    (unsigned long)x[EXIT_HVC], (unsigned long)x[EXIT_SMC], (unsigned long)x[EXIT_SYSREG],
	    (unsigned long)x[EXIT_DABT_MMIO], (unsigned long)x[EXIT_ABORT_INJECTED],
	    (unsigned long)x[EXIT_WFX], (unsigned long)x[EXIT_IRQ],
	    (unsigned long)x[EXIT_UNDEF_INJECTED]);
}

void el2_no_vm_left(void)
{
	LOG("no VM left running; summary:");
	for (u32 i = 0; i < nr_vms; i++)
		vm_summary(&vms[i]);
	LOG("image checksum 0x%016lx (text and read-only data)", (unsigned long)image_checksum());
	LOG("powering off");
	fw_system_off();
}
