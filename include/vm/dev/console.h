#ifndef AETHER_VM_DEV_CONSOLE_H
#define AETHER_VM_DEV_CONSOLE_H

/* Physical UART receive interrupt: hands typed bytes to the VM that has the
 * console's input focus. */
void console_rx_irq(void);

#endif
