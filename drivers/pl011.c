/* The hypervisor's own console: a polled PL011 (PrimeCell UART TRM 3.3).
 * The firmware or QEMU has set the baud rate; we only transmit and receive. */
#include "drivers/pl011.h"
#include "platform.h"
#include "spinlock.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_IMSC 0x38
#define IMSC_RX (1u << 4)
#define IMSC_RT (1u << 6)
#define FR_TXFF (1u << 5)
#define FR_RXFE (1u << 4)
#define FR_BUSY (1u << 3)
#define TX_SPIN_LIMIT 1000000 /* a wedged UART must not hang the hypervisor */

static volatile u32 *uart = (volatile u32 *)PLAT_EARLY_UART;

void pl011_init(paddr_t base)
{
	uart = (volatile u32 *)pa_to_ptr(base);
}

void pl011_putc(char c)
{
	for (int i = 0; i < TX_SPIN_LIMIT && (uart[UART_FR / 4] & FR_TXFF); i++)
		;
	uart[UART_DR / 4] = (u8)c;
}

static spinlock_t imsc_lock;

void pl011_set_rx_irq(bool on)
{
	spin_lock(&imsc_lock);
	if (on)
		uart[UART_IMSC / 4] |= IMSC_RX | IMSC_RT;
	else
		uart[UART_IMSC / 4] &= ~(IMSC_RX | IMSC_RT);
	spin_unlock(&imsc_lock);
}

int pl011_getc(void)
{
	if (uart[UART_FR / 4] & FR_RXFE)
		return -1;
	return (int)(uart[UART_DR / 4] & 0xff);
}
