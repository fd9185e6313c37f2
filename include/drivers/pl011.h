#ifndef AETHER_DRIVERS_PL011_H
#define AETHER_DRIVERS_PL011_H

#include "types.h"

void pl011_init(paddr_t base);
void pl011_putc(char c);
int pl011_getc(void);
/* Receive interrupt on or off: off is how input is throttled. */
void pl011_set_rx_irq(bool on);

#endif
