/* The per-VM virtual UART as a device on the socket (vm/dev/uart.c): a
 * vPL011 at GUEST_UART_BASE whose line is SPI GUEST_UART_INTID. */
#ifndef AETHER_VM_DEV_UART_H
#define AETHER_VM_DEV_UART_H

#include "vm/dev/vpl011.h"
#include "vm/vdev.h"

struct vm;

extern const struct vm_dev uart_dev;

/* The VM's vPL011, or NULL if it has none. */
struct vpl011 *vm_uart(const struct vm *vm);

#endif
