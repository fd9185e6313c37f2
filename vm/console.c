/* Console input: bytes typed on the physical UART go to the virtual UART of
 * the VM that has input focus (the first VM still running). */
#include "vm/console.h"
#include "log.h"
#include "platform.h"
#include "vm/vm.h"

static struct vm *focus_vm(void)
{
	for (u32 i = 0; i < nr_vms; i++)
		if (vms[i].state == VM_RUNNING)
			return &vms[i];
	return NULL;
}

void console_rx_irq(void)
{
	struct vm *vm = focus_vm();
	int c;

	while ((c = console_getc()) >= 0) {
		if (vm)
			vpl011_rx_push(&vm->uart, (u8)c);
	}
}
