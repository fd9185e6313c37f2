/* Arm PrimeCell PL011 (PL011 TRM r1p5, 3.3): 32-bit registers at fixed
 * offsets.  The line is already set up; the transmitter and receiver are
 * left as the firmware enabled them. */
#include "arch/mmio.h"
#include "drivers/uart.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_IMSC 0x38
#define IMSC_RXIM (1u << 4)
#define IMSC_RTIM (1u << 6)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

static void pl011_rx_irq(struct uart *u, bool on)
{
	u32 imsc = mmio_read32(u->base + UART_IMSC);

	if (on)
		imsc |= IMSC_RXIM | IMSC_RTIM;
	else
		imsc &= ~(IMSC_RXIM | IMSC_RTIM);
	mmio_write32(u->base + UART_IMSC, imsc);
}

static void pl011_init(struct uart *u)
{
	pl011_rx_irq(u, false);
}

static void pl011_putc(struct uart *u, u8 c)
{
	for (int i = 0; i < UART_TX_SPIN_LIMIT && (mmio_read32(u->base + UART_FR) & FR_TXFF); i++)
		;
	mmio_write32(u->base + UART_DR, c);
}

static int pl011_getc(struct uart *u)
{
	if (mmio_read32(u->base + UART_FR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(u->base + UART_DR) & 0xff);
}

const struct uart_ops pl011_uart_ops = {
	.name = "pl011",
	.init = pl011_init,
	.putc = pl011_putc,
	.getc = pl011_getc,
	.set_rx_irq = pl011_rx_irq,
};
