/* A virtual PL011 per VM (ARM PrimeCell UART, DDI 0183). */
#ifndef AETHER_VM_DEV_VPL011_H
#define AETHER_VM_DEV_VPL011_H

#include "lib/log.h"
#include "spinlock.h"
#include "types.h"
#include "vm/mmio.h"

#define VPL011_RX_FIFO 32
#define VM_CONSOLE_RING 4096

/* Output ring kept per VM; the management interface reads it later. */
struct console_ring {
	char buf[VM_CONSOLE_RING];
	u64 head; /* total bytes ever written; buf[head % size] is next */
};

struct vpl011 {
	u32 cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr;
	u8 rx[VPL011_RX_FIFO];
	u32 rx_head, rx_count;
	bool irq_level; /* last level reported through irq_changed */
	/* Told when the interrupt line changes (the VM wires it to the vGIC). */
	void (*irq_changed)(void *ctx, bool level);
	void *irq_ctx;
	/* Told when the guest makes room in a receive FIFO that was full. */
	void (*rx_room)(void *ctx);
	spinlock_t lock;	  /* the vCPU's MMIO and console input race */
	struct console_line line; /* this VM's output on the physical console */
	struct console_ring ring;
};

extern const struct mmio_ops vpl011_ops;

void vpl011_init(struct vpl011 *u, const char *vm_name);
/* Queues a byte typed on the physical console; false if the FIFO is full. */
bool vpl011_rx_push(struct vpl011 *u, u8 c);
/* Free bytes in the receive FIFO. */
u32 vpl011_rx_space(const struct vpl011 *u);
/* Interrupt line level as the guest would see it (RIS & IMSC != 0). */
bool vpl011_irq_level(const struct vpl011 *u);
u64 console_ring_read(const struct console_ring *r, u64 from, char *dst, u64 len);

#endif
