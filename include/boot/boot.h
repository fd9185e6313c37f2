/* What boot/ offers itself: the platform probe and the end of the run. */
#ifndef AETHER_BOOT_BOOT_H
#define AETHER_BOOT_BOOT_H

#include "drivers/uart.h"
#include "lib/fdt.h"
#include "platform_info.h"
#include "types.h"

/* The platform from the DTB at dtb (boot/platform.c), in two steps, each
 * returning 0 or a negative error after writing a message naming the
 * problem into err.  First the console: *con is the stdout UART, or after a
 * refusal the UART to report it on (no ops when the DTB names none we
 * drive).  Then everything else in *p: memory, CPUs, PSCI, GIC, timer. */
int platform_probe_console(const void *dtb, u64 max_size, struct platform_info *p, struct uart *con,
			   char *err, size_t errlen);
int platform_probe(const void *dtb, u64 max_size, struct platform_info *p, char *err,
		   size_t errlen);

/* The interrupt controller (boot/platform_gic.c): the root of the interrupt
 * tree, a GICv3 or a GICv2 with its virtualization frames. */
int platform_probe_gic(const struct fdt *f, struct platform_info *p, char *err, size_t errlen);

/* The INTID of a node's index-th interrupt specifier in the GIC binding's
 * three cells. */
bool platform_intid(const struct fdt *f, int node, u32 index, u32 *intid);

/* FNV-1a of the hypervisor's text and read-only data (boot/shutdown.c). */
u64 image_checksum(void);

#endif
