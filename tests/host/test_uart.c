/* The console UART drivers (drivers/uart/) against models of their
 * registers: every access the driver makes goes through the mmio_* fakes
 * below, which check its width and alignment and act as the device would.
 * Also the console's early buffer (drivers/uart/console.c). */
#include "check.h"
#include "arch/mmio.h"
#include "drivers/uart.h"

#define BASE 0x10000000UL

/* ------------------------------------------------------------ bus */
enum model { M_16550, M_CDNS };
static enum model model;
static u32 shift, width; /* the 16550's layout as the DTB describes it */
static u32 bad_accesses; /* wrong width, misaligned, outside the device */
static u32 accesses;

/* Device state.  TX: bytes sent; tx_busy polls report the FIFO full. */
static char tx[4096];
static u32 tx_len;
static u32 tx_busy;
static bool tx_wedged;
static u8 rxq[64];
static u32 rx_len;
static int push_on_isr_clear = -1; /* a byte that arrives as ISR is cleared */
/* 16550 */
static u8 ier, fcr;
static u32 other_writes; /* LCR, DLL, MCR...: the driver must not touch them */
/* Cadence */
static u32 cr, imr, isr, rxwm;

static void reset_model(enum model m, u32 s, u32 w)
{
	model = m;
	shift = s;
	width = w;
	bad_accesses = accesses = tx_len = tx_busy = rx_len = other_writes = 0;
	tx_wedged = false;
	push_on_isr_clear = -1;
	ier = fcr = 0;
	cr = 0x128; /* Cadence reset value: RX and TX disabled */
	imr = isr = rxwm = 0;
}

static void rx_push(u8 c)
{
	rxq[rx_len++] = c;
	isr |= 1u << 0; /* RTRIG: the trigger level is one byte */
}

static u8 rx_pop(void)
{
	u8 c = rxq[0];

	memmove(rxq, rxq + 1, --rx_len);
	return c;
}

static bool tx_full(void)
{
	if (tx_wedged)
		return true;
	if (tx_busy) {
		tx_busy--;
		return true;
	}
	return false;
}

/* Register index of a 16550 access, or -1 after recording a bad one. */
static int reg_16550(uintptr_t a, u32 w)
{
	uintptr_t off = a - BASE;

	if (w != width || off & ((1u << shift) - 1) || (off >> shift) > 7) {
		bad_accesses++;
		return -1;
	}
	return (int)(off >> shift);
}

static u32 read_16550(uintptr_t a, u32 w)
{
	switch (reg_16550(a, w)) {
	case 0: return rx_len ? rx_pop() : 0;
	case 1: return ier;
	case 5: /* LSR: DR, THRE, TEMT */
		return (rx_len ? 1u : 0) | (tx_full() ? 0 : (1u << 5) | (1u << 6));
	default: return 0;
	}
}

static void write_16550(uintptr_t a, u32 w, u32 v)
{
	switch (reg_16550(a, w)) {
	case -1: return;
	case 0:
		if (tx_len < sizeof(tx))
			tx[tx_len++] = (char)v;
		return;
	case 1: ier = (u8)v; return;
	case 2: fcr = (u8)v; return;
	default: other_writes++;
	}
}

static u32 read_cdns(uintptr_t a, u32 w)
{
	uintptr_t off = a - BASE;

	if (w != 4 || off & 3) {
		bad_accesses++;
		return 0;
	}
	switch (off) {
	case 0x00: return cr;
	case 0x10: return imr;
	case 0x14: return isr;
	case 0x2c: /* SR: RXEMPTY, TXFULL */
		return (rx_len ? 0 : 1u << 1) | (tx_full() ? 1u << 4 : 0);
	case 0x30: return rx_len ? rx_pop() : 0;
	default: return 0;
	}
}

static void write_cdns(uintptr_t a, u32 w, u32 v)
{
	uintptr_t off = a - BASE;

	if (w != 4 || off & 3) {
		bad_accesses++;
		return;
	}
	switch (off) {
	case 0x00: cr = v; break;
	case 0x08: imr |= v; break;
	case 0x0c: imr &= ~v; break;
	case 0x14:
		isr &= ~v;
		if (push_on_isr_clear >= 0) {
			rx_push((u8)push_on_isr_clear);
			push_on_isr_clear = -1;
		}
		break;
	case 0x20: rxwm = v; break;
	case 0x30: /* as the hardware: dropped unless TX is enabled */
		if ((cr & (1u << 4)) && !(cr & (1u << 5)) && tx_len < sizeof(tx))
			tx[tx_len++] = (char)v;
		break;
	default: other_writes++;
	}
}

static u32 bus_read(uintptr_t a, u32 w)
{
	accesses++;
	return model == M_16550 ? read_16550(a, w) : read_cdns(a, w);
}

static void bus_write(uintptr_t a, u32 w, u32 v)
{
	accesses++;
	if (model == M_16550)
		write_16550(a, w, v);
	else
		write_cdns(a, w, v);
}

u8 mmio_read8(uintptr_t a)
{
	return (u8)bus_read(a, 1);
}
u32 mmio_read32(uintptr_t a)
{
	return bus_read(a, 4);
}
void mmio_write8(uintptr_t a, u8 v)
{
	bus_write(a, 1, v);
}
void mmio_write32(uintptr_t a, u32 v)
{
	bus_write(a, 4, v);
}

static struct uart make(const struct uart_ops *ops, u32 s, u32 w)
{
	return (struct uart){ops, BASE, s, w};
}

/* ------------------------------------------------------------ 16550 */
static void check_16550_layout(u32 s, u32 w)
{
	struct uart u = make(&ns16550_uart_ops, s, w);

	reset_model(M_16550, s, w);
	u.ops->init(&u);
	CHECK_EQ(ier, 0);	/* interrupts off */
	CHECK_EQ(fcr & 0x7, 1); /* FIFOs on, neither FIFO reset */
	u.ops->putc(&u, 'h');
	u.ops->putc(&u, 'i');
	CHECK_EQ(tx_len, 2);
	CHECK(!memcmp(tx, "hi", 2));
	rx_push('x');
	CHECK_EQ(u.ops->getc(&u), 'x');
	CHECK_EQ(u.ops->getc(&u), -1);
	CHECK_EQ(bad_accesses, 0);
	CHECK_EQ(other_writes, 0); /* line control and divisor untouched */
}

static void test_16550_byte_registers(void)
{
	check_16550_layout(0, 1); /* ns16550a as on many boards */
}

static void test_16550_dw_apb_shift2_width4(void)
{
	check_16550_layout(2, 4); /* snps,dw-apb-uart: reg-shift 2, reg-io-width 4 */
}

static void test_16550_shift2_width1(void)
{
	check_16550_layout(2, 1);
}

static void test_16550_wrong_layout_is_seen(void)
{
	/* The model notices a driver using another layout than the DTB's:
	 * the checks above would fail if the driver ignored reg-shift. */
	struct uart u = make(&ns16550_uart_ops, 0, 1);

	reset_model(M_16550, 2, 4);
	u.ops->putc(&u, 'a');
	CHECK(bad_accesses > 0);
}

static void test_16550_waits_for_thre(void)
{
	struct uart u = make(&ns16550_uart_ops, 2, 4);

	reset_model(M_16550, 2, 4);
	tx_busy = 5; /* five polls of a full transmitter */
	u.ops->putc(&u, 'z');
	CHECK_EQ(tx_busy, 0);
	CHECK_EQ(tx_len, 1);
	CHECK_EQ(accesses, 7); /* 6 LSR reads, one THR write */
}

static void test_16550_wedged_tx_is_bounded(void)
{
	struct uart u = make(&ns16550_uart_ops, 0, 1);

	reset_model(M_16550, 0, 1);
	tx_wedged = true;
	u.ops->putc(&u, 'q'); /* returns: a wedged UART must not hang EL2 */
	CHECK_EQ(accesses, UART_TX_SPIN_LIMIT + 1);
}

static void test_16550_rx_irq(void)
{
	struct uart u = make(&ns16550_uart_ops, 2, 4);

	reset_model(M_16550, 2, 4);
	u.ops->set_rx_irq(&u, true);
	CHECK_EQ(ier, 0x5); /* ERBFI | ELSI; no transmit interrupt */
	u.ops->set_rx_irq(&u, false);
	CHECK_EQ(ier, 0);
	CHECK_EQ(bad_accesses, 0);
}

static void test_16550_rx_order(void)
{
	struct uart u = make(&ns16550_uart_ops, 0, 1);

	reset_model(M_16550, 0, 1);
	rx_push('1');
	rx_push('2');
	rx_push('3');
	CHECK_EQ(u.ops->getc(&u), '1');
	CHECK_EQ(u.ops->getc(&u), '2');
	CHECK_EQ(u.ops->getc(&u), '3');
	CHECK_EQ(u.ops->getc(&u), -1);
}

/* ------------------------------------------------------------ Cadence */
static void test_cdns_init_enables_tx_rx(void)
{
	struct uart u = make(&cdns_uart_ops, 0, 4);

	reset_model(M_CDNS, 0, 4);
	imr = 0x3fff;
	isr = 0x3;
	u.ops->putc(&u, 'x'); /* out of reset TX is disabled: dropped */
	CHECK_EQ(tx_len, 0);
	u.ops->init(&u);
	CHECK(cr & (1u << 4));			/* TX_EN */
	CHECK(cr & (1u << 2));			/* RX_EN */
	CHECK(!(cr & ((1u << 5) | (1u << 3)))); /* TX_DIS, RX_DIS clear */
	CHECK(!(cr & 3));			/* no FIFO reset */
	CHECK_EQ(imr, 0);			/* all interrupts off */
	CHECK_EQ(isr, 0);			/* stale status cleared */
	CHECK_EQ(rxwm, 1);
	u.ops->putc(&u, 'o');
	u.ops->putc(&u, 'k');
	CHECK_EQ(tx_len, 2);
	CHECK(!memcmp(tx, "ok", 2));
	CHECK_EQ(bad_accesses, 0);
	CHECK_EQ(other_writes, 0);
}

static void test_cdns_waits_while_tx_full(void)
{
	struct uart u = make(&cdns_uart_ops, 0, 4);

	reset_model(M_CDNS, 0, 4);
	u.ops->init(&u);
	accesses = 0;
	tx_busy = 3;
	u.ops->putc(&u, 'w');
	CHECK_EQ(tx_busy, 0);
	CHECK_EQ(tx_len, 1);
	CHECK_EQ(accesses, 5); /* 4 SR reads, one FIFO write */
	tx_wedged = true;
	accesses = 0;
	u.ops->putc(&u, 'x');
	CHECK_EQ(accesses, UART_TX_SPIN_LIMIT + 1);
}

static void test_cdns_rx_and_ack(void)
{
	struct uart u = make(&cdns_uart_ops, 0, 4);

	reset_model(M_CDNS, 0, 4);
	u.ops->init(&u);
	rx_push('a');
	rx_push('b');
	CHECK(isr & 1);
	CHECK_EQ(u.ops->getc(&u), 'a');
	CHECK_EQ(u.ops->getc(&u), 'b');
	CHECK(isr & 1); /* still pending until the FIFO is seen empty */
	CHECK_EQ(u.ops->getc(&u), -1);
	CHECK_EQ(isr & 0x125, 0); /* RXTRIG, RXFULL, RXOVR, TOUT acknowledged */
}

static void test_cdns_byte_racing_the_ack(void)
{
	struct uart u = make(&cdns_uart_ops, 0, 4);

	reset_model(M_CDNS, 0, 4);
	u.ops->init(&u);
	push_on_isr_clear = 'r'; /* arrives just as the interrupt is acknowledged */
	CHECK_EQ(u.ops->getc(&u), 'r');
	CHECK_EQ(u.ops->getc(&u), -1);
	CHECK_EQ(rx_len, 0);
}

static void test_cdns_rx_irq(void)
{
	struct uart u = make(&cdns_uart_ops, 0, 4);

	reset_model(M_CDNS, 0, 4);
	u.ops->init(&u);
	u.ops->set_rx_irq(&u, true);
	CHECK_EQ(imr, 0x125);	   /* RXTRIG | RXFULL | RXOVR | TOUT */
	CHECK(!(imr & (1u << 3))); /* never TX empty */
	u.ops->set_rx_irq(&u, false);
	CHECK_EQ(imr, 0);
	CHECK_EQ(bad_accesses, 0);
}

/* ------------------------------------------------------------ table */
static void test_compatibles(void)
{
	CHECK(uart_compat_find("ns16550a")->ops == &ns16550_uart_ops);
	CHECK(uart_compat_find("snps,dw-apb-uart")->dt_reg_layout);
	CHECK(uart_compat_find("cdns,uart-r1p12")->ops == &cdns_uart_ops);
	CHECK(uart_compat_find("arm,pl011")->ops == &pl011_uart_ops);
	CHECK(!uart_compat_find("xlnx,zynqmp-uart")); /* the generic entry is the cdns one */
	CHECK(!uart_compat_find("arm,dcc"));
	CHECK(!uart_compat_find(""));
}

/* ------------------------------------------------------------ console */
/* Early output waits, untouched by any device, until the console starts;
 * more than the 2048-byte buffer holds comes out as what fitted, in order,
 * then a count of the rest. */
static void test_console_buffers_until_start(void)
{
	struct uart u = make(&cdns_uart_ops, 0, 4);
	static const char lost[] = "aether: (58 bytes of early output lost)\r\n";

	reset_model(M_CDNS, 0, 4);
	CHECK(!uart_console_ready());
	CHECK(!uart_console());
	for (const char *s = "early\n"; *s; s++)
		uart_console_putc(*s);
	for (int i = 0; i < 2100; i++)
		uart_console_putc((char)('a' + i % 26));
	CHECK_EQ(uart_console_getc(), -1);
	uart_console_set_rx_irq(true);
	CHECK_EQ(accesses, 0); /* nothing touches any device before start */
	uart_console_start(&u);
	CHECK(uart_console_ready());
	CHECK_EQ(tx_len, 2048 + sizeof(lost) - 1);
	CHECK(!memcmp(tx, "early\n", 6));
	CHECK_EQ(tx[6], 'a');
	CHECK_EQ(tx[2047], (char)('a' + (2047 - 6) % 26));
	CHECK(!memcmp(tx + 2048, lost, sizeof(lost) - 1));
	tx_len = 0;
	uart_console_putc('!');
	CHECK_EQ(tx_len, 1);
	CHECK_EQ(tx[0], '!');
	rx_push('k');
	CHECK_EQ(uart_console_getc(), 'k');
	uart_console_set_rx_irq(true);
	CHECK_EQ(imr, 0x125);
	CHECK(uart_console()->ops == &cdns_uart_ops);
}

int main(void)
{
	/* Before anything else: the console has not been started. */
	RUN_TEST(test_console_buffers_until_start);
	RUN_TEST(test_16550_byte_registers);
	RUN_TEST(test_16550_dw_apb_shift2_width4);
	RUN_TEST(test_16550_shift2_width1);
	RUN_TEST(test_16550_wrong_layout_is_seen);
	RUN_TEST(test_16550_waits_for_thre);
	RUN_TEST(test_16550_wedged_tx_is_bounded);
	RUN_TEST(test_16550_rx_irq);
	RUN_TEST(test_16550_rx_order);
	RUN_TEST(test_cdns_init_enables_tx_rx);
	RUN_TEST(test_cdns_waits_while_tx_full);
	RUN_TEST(test_cdns_rx_and_ack);
	RUN_TEST(test_cdns_byte_racing_the_ack);
	RUN_TEST(test_cdns_rx_irq);
	RUN_TEST(test_compatibles);
	return check_done();
}
