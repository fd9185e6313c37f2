/* Reads lines from its virtual UART (polling) and echoes each back as
 * "<vm name> got: <line>"; the line "quit" ends it. */
#include "guest.h"

void guest_main(u64 dtb);

static int getc_poll(void)
{
	while (mmio_read32(UART_BASE + 0x18) & (1u << 4)) /* RXFE */
		;
	return (int)(mmio_read32(UART_BASE) & 0xff);
}

void guest_main(u64 dtb)
{
	u64 id = hvc_call(AETHER_HC_VM_INFO, 0, 0, 0).a1;
	char line[64];
	int lines = 0;

	g_printf("echo vm %lu ready\n", (unsigned long)id);
	for (;;) {
		int n = 0, c;
		while ((c = getc_poll()) != '\n' && c != '\r')
			if (n < (int)sizeof(line) - 1)
				line[n++] = (char)c;
		line[n] = 0;
		if (!n)
			continue;
		g_printf("vm%lu got: %s\n", (unsigned long)id, line);
		lines++;
		if (!strcmp(line, "quit"))
			break;
	}
	g_check("echo-lines", lines >= 2, "%d lines", lines);
}
