/* The hypervisor's console UART: one small interface, one driver per
 * family of hardware (drivers/uart/).  The firmware or boot loader has set
 * the line up (baud rate, framing); the drivers only move bytes and turn the
 * receive interrupt on and off.
 *
 * Which UART, and where, comes from the DTB (boot/platform_console.c): the
 * drivers know register layouts, never addresses. */
#ifndef AETHER_DRIVERS_UART_H
#define AETHER_DRIVERS_UART_H

#include "types.h"

/* A transmitter that never drains must not hang the hypervisor: after this
 * many polls of a full FIFO the byte is written anyway (and may be lost). */
#define UART_TX_SPIN_LIMIT 1000000

struct uart;

struct uart_ops {
	const char *name;		    /* for the boot log: "pl011", "16550", "cadence" */
	void (*init)(struct uart *u);	    /* enable transmitter and receiver, interrupts off */
	void (*putc)(struct uart *u, u8 c); /* waits (bounded) for FIFO space */
	int (*getc)(struct uart *u);	    /* a received byte, or -1 when none is waiting */
	void (*set_rx_irq)(struct uart *u, bool on);
};

struct uart {
	const struct uart_ops *ops;
	uintptr_t base; /* where the registers are mapped (identity: the PA) */
	u32 reg_shift;	/* register n at base + (n << reg_shift) (16550 only) */
	u32 io_width;	/* bytes per register access, 1 or 4 (16550 only) */
};

/* One compatible string a driver takes, and whether the node's reg-shift
 * and reg-io-width properties apply to it. */
struct uart_compat {
	const char *compatible;
	const struct uart_ops *ops;
	bool dt_reg_layout;
};

extern const struct uart_ops pl011_uart_ops;
extern const struct uart_ops ns16550_uart_ops;
extern const struct uart_ops cdns_uart_ops;

/* The compatible strings the drivers take, in preference order. */
extern const struct uart_compat uart_compats[];
extern const u32 nr_uart_compats;
const struct uart_compat *uart_compat_find(const char *compatible);

/* The console (drivers/uart/console.c).  Until uart_console_start() names
 * the UART, output is kept in a buffer (nothing is written to any address
 * the DTB has not given); starting the console writes the buffer out. */
void uart_console_start(const struct uart *u);
bool uart_console_ready(void);
void uart_console_putc(char c);
int uart_console_getc(void); /* -1 when nothing is waiting or no console */
/* Receive interrupt on or off: off is how input is throttled. */
void uart_console_set_rx_irq(bool on);
const struct uart *uart_console(void); /* NULL before start */

#endif
