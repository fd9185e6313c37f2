/* A passthrough device: QEMU virt's first virtio-mmio transport is given to
 * this VM, mapped at its physical address; its neighbour is not. */
#include "guest.h"

void guest_main(u64 dtb);

#define VIRTIO0 0x0a000000UL
#define VIRTIO1 0x0a000200UL
#define VIRTIO_MAGIC 0x74726976 /* "virt" */

void guest_main(u64 dtb)
{
	u64 before = g_last_exc.count;

	CHECK_EQ("passthrough-magic", mmio_read32(VIRTIO0), VIRTIO_MAGIC);
	/* QEMU 7.2 defaults to the legacy interface (1); 2 is virtio 1.0. */
	g_check("passthrough-version", mmio_read32(VIRTIO0 + 4) - 1 <= 1, "version %lu",
		(unsigned long)mmio_read32(VIRTIO0 + 4));
	CHECK_EQ("passthrough-no-exit", g_last_exc.count, before);
	(void)mmio_read32(0x0a001000UL); /* the next page: not given to us */
	CHECK_EQ("neighbour-page-aborts", g_last_exc.count, before + 1);
	CHECK_EQ("neighbour-abort-far", g_last_exc.far, 0x0a001000UL);
}
