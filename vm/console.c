/* Console input: bytes typed on the physical UART go to the virtual UART of
 * the VM that has input focus (the first VM still running). */
#include "vm/console.h"
#include "drivers/pl011.h"
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

/* Input is flow-controlled, not dropped: while the focused VM's receive
 * FIFO is full, bytes wait in the physical UART (and QEMU's or the remote
 * terminal's buffers) with the receive interrupt masked; the guest reading
 * its FIFO turns it back on (console_rx_room). */
void console_rx_irq(void)
{
	struct vm *vm = focus_vm();
	int c;

	while (!(vm && vpl011_rx_full(&vm->uart)) && (c = console_getc()) >= 0) {
		if (vm)
			vpl011_rx_push(&vm->uart, (u8)c);
	}
	if (vm && vpl011_rx_full(&vm->uart))
		pl011_set_rx_irq(false);
}

void console_rx_room(void *ctx)
{
	pl011_set_rx_irq(true);
}
