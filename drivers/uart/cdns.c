/* Cadence UART (cdns,uart-r1p12; Zynq UltraScale+ TRM UG1085, UART
 * registers): 32-bit registers.  Interrupt enable and disable are separate
 * write-one registers (IER/IDR, the mask readable in IMR); the interrupt
 * status register ISR is sticky, cleared by writing ones. */
#include "arch/mmio.h"
#include "drivers/uart.h"

#define CDNS_CR 0x00
#define CDNS_IER 0x08
#define CDNS_IDR 0x0c
#define CDNS_ISR 0x14
#define CDNS_RXWM 0x20 /* receive FIFO trigger level */
#define CDNS_SR 0x2c
#define CDNS_FIFO 0x30
#define CR_RX_EN (1u << 2)
#define CR_RX_DIS (1u << 3)
#define CR_TX_EN (1u << 4)
#define CR_TX_DIS (1u << 5)
#define SR_RXEMPTY (1u << 1)
#define SR_TXFULL (1u << 4)
/* The same bit positions in IER, IDR, IMR and ISR. */
#define IXR_RXTRIG (1u << 0)
#define IXR_RXFULL (1u << 2)
#define IXR_RXOVR (1u << 5)
#define IXR_TOUT (1u << 8)
#define IXR_RX (IXR_RXTRIG | IXR_RXFULL | IXR_RXOVR | IXR_TOUT)
#define IXR_ALL 0x3fffu

static void cdns_init(struct uart *u)
{
	u32 cr = mmio_read32(u->base + CDNS_CR);

	mmio_write32(u->base + CDNS_IDR, IXR_ALL);
	mmio_write32(u->base + CDNS_ISR, IXR_ALL);
	/* One byte is enough to interrupt: console input is typed. */
	mmio_write32(u->base + CDNS_RXWM, 1);
	/* Out of reset both directions are disabled; a boot loader that
	 * printed left them on.  Enable without resetting the FIFOs. */
	cr &= ~(CR_RX_DIS | CR_TX_DIS);
	mmio_write32(u->base + CDNS_CR, cr | CR_RX_EN | CR_TX_EN);
}

static void cdns_putc(struct uart *u, u8 c)
{
	for (int i = 0; i < UART_TX_SPIN_LIMIT && (mmio_read32(u->base + CDNS_SR) & SR_TXFULL); i++)
		;
	mmio_write32(u->base + CDNS_FIFO, c);
}

/* An empty FIFO acknowledges the receive interrupt.  The status is checked
 * again after clearing ISR, so a byte that arrived in between is returned
 * now rather than left behind with its interrupt already cleared. */
static int cdns_getc(struct uart *u)
{
	if (mmio_read32(u->base + CDNS_SR) & SR_RXEMPTY) {
		mmio_write32(u->base + CDNS_ISR, IXR_RX);
		if (mmio_read32(u->base + CDNS_SR) & SR_RXEMPTY)
			return -1;
	}
	return (int)(mmio_read32(u->base + CDNS_FIFO) & 0xff);
}

static void cdns_rx_irq(struct uart *u, bool on)
{
	mmio_write32(u->base + (on ? CDNS_IER : CDNS_IDR), IXR_RX);
}

const struct uart_ops cdns_uart_ops = {
	.name = "cadence",
	.init = cdns_init,
	.putc = cdns_putc,
	.getc = cdns_getc,
	.set_rx_irq = cdns_rx_irq,
};
