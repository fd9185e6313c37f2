/* What boot/ offers itself: the platform probe and the end of the run. */
#ifndef AETHER_BOOT_BOOT_H
#define AETHER_BOOT_BOOT_H

#include "platform_info.h"
#include "types.h"

/* Fills *p from the DTB at dtb; returns 0 or a negative error after
 * writing a message naming the problem into err (boot/platform.c). */
int platform_probe(const void *dtb, u64 max_size, struct platform_info *p, char *err,
		   size_t errlen);

/* FNV-1a of the hypervisor's text and read-only data (boot/shutdown.c). */
u64 image_checksum(void);

#endif
