#ifndef AETHER_VM_CONSOLE_H
#define AETHER_VM_CONSOLE_H

/* Physical UART receive interrupt: hands typed bytes to the VM that has the
 * console's input focus. */
void console_rx_irq(void);
/* A VM's receive FIFO has room again (vpl011 rx_room callback). */
void console_rx_room(void *ctx);

#endif
