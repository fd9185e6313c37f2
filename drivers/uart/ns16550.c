/* 16550-compatible UARTs (PC16550D data sheet; Synopsys DesignWare APB UART,
 * which adds the reg-shift/reg-io-width layouts boards use).  Register n
 * lives at base + (n << reg_shift) and is accessed io_width bytes wide, the
 * value in the low byte.  Only the registers below are touched: the divisor
 * latch and line control stay as the firmware set them. */
#include "arch/mmio.h"
#include "drivers/uart.h"

#define UART_RBR 0 /* read: receive buffer */
#define UART_THR 0 /* write: transmit holding */
#define UART_IER 1
#define UART_FCR 2 /* write: FIFO control */
#define UART_LSR 5
#define IER_ERBFI (1u << 0) /* received data available */
#define IER_ELSI (1u << 2)  /* receiver line status */
#define FCR_FIFOE (1u << 0)
#define LSR_DR (1u << 0)   /* data ready */
#define LSR_THRE (1u << 5) /* transmit holding register empty */

static u32 rd(struct uart *u, u32 reg)
{
	uintptr_t a = u->base + ((uintptr_t)reg << u->reg_shift);

	return u->io_width == 4 ? mmio_read32(a) & 0xff : mmio_read8(a);
}

static void wr(struct uart *u, u32 reg, u32 v)
{
	uintptr_t a = u->base + ((uintptr_t)reg << u->reg_shift);

	if (u->io_width == 4)
		mmio_write32(a, v & 0xff);
	else
		mmio_write8(a, (u8)v);
}

static void ns16550_init(struct uart *u)
{
	wr(u, UART_IER, 0);
	wr(u, UART_FCR, FCR_FIFOE); /* FIFOs on, nothing reset: pending output stays */
}

static void ns16550_putc(struct uart *u, u8 c)
{
	for (int i = 0; i < UART_TX_SPIN_LIMIT && !(rd(u, UART_LSR) & LSR_THRE); i++)
		;
	wr(u, UART_THR, c);
}

static int ns16550_getc(struct uart *u)
{
	if (!(rd(u, UART_LSR) & LSR_DR))
		return -1;
	return (int)rd(u, UART_RBR);
}

static void ns16550_rx_irq(struct uart *u, bool on)
{
	wr(u, UART_IER, on ? IER_ERBFI | IER_ELSI : 0);
}

const struct uart_ops ns16550_uart_ops = {
	.name = "16550",
	.init = ns16550_init,
	.putc = ns16550_putc,
	.getc = ns16550_getc,
	.set_rx_irq = ns16550_rx_irq,
};
