/* Which driver takes which DTB compatible string.  A node lists its
 * compatibles most specific first; boot/platform_console.c takes the first
 * of them found here. */
#include "drivers/uart.h"
#include "lib.h"

const struct uart_compat uart_compats[] = {
	{"arm,pl011", &pl011_uart_ops, false},	    {"snps,dw-apb-uart", &ns16550_uart_ops, true},
	{"ns16550a", &ns16550_uart_ops, true},	    {"ns16550", &ns16550_uart_ops, true},
	{"cdns,uart-r1p12", &cdns_uart_ops, false},
};
const u32 nr_uart_compats = sizeof(uart_compats) / sizeof(uart_compats[0]);

const struct uart_compat *uart_compat_find(const char *compatible)
{
	for (u32 i = 0; i < nr_uart_compats; i++)
		if (!strcmp(uart_compats[i].compatible, compatible))
			return &uart_compats[i];
	return NULL;
}
