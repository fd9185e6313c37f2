/* Helpers shared by the parts of the platform probe (boot/platform*.c;
 * defined in boot/platform_dt.c), and the console part. */
#ifndef AETHER_BOOT_PLATFORM_DT_H
#define AETHER_BOOT_PLATFORM_DT_H

#include "drivers/uart.h"
#include "lib/fdt.h"
#include "platform_info.h"

/* The node's full path ("/axi/serial@ff000000"), cut to fit. */
void node_path(const struct fdt *f, int node, char *buf, size_t len);

/* The console: the UART /chosen/stdout-path names (aliases resolved,
 * ":115200n8" options dropped), or without stdout-path the first UART in
 * the tree a driver takes.  Fills *u and the UART fields of *p.  On a
 * refusal *u is still filled, when the DTB names any UART we drive, so the
 * refusal can be read somewhere (boot/platform_console.c). */
int platform_console_probe(const struct fdt *f, struct platform_info *p, struct uart *u, char *err,
			   size_t errlen);

#endif
