/* The console UART, once the DTB has named it.  Before that, output waits
 * in a buffer: on a board the address QEMU virt uses for its PL011 may be
 * anything (on the ZCU102 it is not a UART), so nothing is written to any
 * device until boot/platform_console.c has found the stdout UART. */
#include "drivers/uart.h"
#include "spinlock.h"

#define EARLY_BUF_SIZE 2048

static struct uart con;
static bool started;
static char early[EARLY_BUF_SIZE];
static u32 early_len, early_lost;
static spinlock_t rx_irq_lock; /* set_rx_irq may read-modify-write a mask */

static void put_str(const char *s)
{
	for (; *s; s++)
		con.ops->putc(&con, (u8)*s);
}

/* The lost-byte count in decimal, without the formatter (lib/ is above). */
static void put_count(u32 n)
{
	char d[11];
	int i = 0;

	do
		d[i++] = (char)('0' + n % 10);
	while ((n /= 10) && i < (int)sizeof(d));
	while (i)
		con.ops->putc(&con, (u8)d[--i]);
}

void uart_console_start(const struct uart *u)
{
	con = *u;
	con.ops->init(&con);
	for (u32 i = 0; i < early_len; i++)
		con.ops->putc(&con, (u8)early[i]);
	if (early_lost) {
		put_str("aether: (");
		put_count(early_lost);
		put_str(" bytes of early output lost)\r\n");
	}
	early_len = early_lost = 0;
	__atomic_store_n(&started, true, __ATOMIC_RELEASE);
}

bool uart_console_ready(void)
{
	return __atomic_load_n(&started, __ATOMIC_ACQUIRE);
}

const struct uart *uart_console(void)
{
	return uart_console_ready() ? &con : NULL;
}

/* Callers serialise whole lines (lib/log.c's console lock). */
void uart_console_putc(char c)
{
	if (uart_console_ready())
		con.ops->putc(&con, (u8)c);
	else if (early_len < EARLY_BUF_SIZE)
		early[early_len++] = c;
	else
		early_lost++;
}

int uart_console_getc(void)
{
	return uart_console_ready() ? con.ops->getc(&con) : -1;
}

void uart_console_set_rx_irq(bool on)
{
	if (!uart_console_ready())
		return;
	spin_lock(&rx_irq_lock);
	con.ops->set_rx_irq(&con, on);
	spin_unlock(&rx_irq_lock);
}
