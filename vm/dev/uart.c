/* Every VM's UART: a vPL011 (vm/dev/vpl011.c) at the QEMU virt address,
 * its interrupt line wired to the vGIC, its output on the physical console
 * and its input from the console's focus (vm/dev/console.c). */
#include "vm/dev/uart.h"
#include "drivers/uart.h"
#include "platform.h"
#include "vm/config.h"
#include "vm/vgic.h"
#include "vm/vm.h"

static void uart_irq(void *ctx, bool level)
{
	struct vm *vm = ctx;

	vgic_set_level(vm, &vm->vcpus[0], GUEST_UART_INTID, level);
}

/* Console input was held in the physical UART while this FIFO was full:
 * let it flow again. */
static void uart_rx_room(void *ctx)
{
	uart_console_set_rx_irq(true);
}

/* Console history and management input of every VM, outside the VM's
 * device memory (16 KiB each is more than the socket's per-VM budget). */
static struct con_hist uart_hist[MAX_VMS];
static struct con_inq uart_inq[MAX_VMS];

static __cold int uart_attach(struct vm *vm, const struct vm_config *cfg, void *state)
{
	struct vpl011 *u = state;

	vpl011_init(u, cfg->name);
	u->hist = &uart_hist[vm->id % MAX_VMS];
	u->inq = &uart_inq[vm->id % MAX_VMS];
	u->irq_changed = uart_irq;
	u->irq_ctx = vm;
	u->rx_room = uart_rx_room;
	return vm_dev_mmio(vm, GUEST_UART_BASE, GUEST_UART_SIZE, &vpl011_ops, u);
}

const struct vm_dev uart_dev = {
	.name = "uart",
	.state_size = sizeof(struct vpl011),
	.attach = uart_attach,
};

struct vpl011 *vm_uart(const struct vm *vm)
{
	return vm_dev_state(vm, &uart_dev);
}
