/* A virtual PL011 per VM (ARM PrimeCell UART, DDI 0183). */
#ifndef AETHER_VM_DEV_VPL011_H
#define AETHER_VM_DEV_VPL011_H

#include "lib/log.h"
#include "spinlock.h"
#include "types.h"
#include "vm/con_buf.h"
#include "vm/mmio.h"

#define VPL011_RX_FIFO 32

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
	/* Output history and queued input for the management interface
	 * (either may be NULL). */
	struct con_hist *hist;
	struct con_inq *inq;
};

extern const struct mmio_ops vpl011_ops;

void vpl011_init(struct vpl011 *u, const char *vm_name);
/* Queues a byte typed on the physical console; false if the FIFO is full. */
bool vpl011_rx_push(struct vpl011 *u, u8 c);
/* Free bytes in the receive FIFO. */
u32 vpl011_rx_space(const struct vpl011 *u);
/* Interrupt line level as the guest would see it (RIS & IMSC != 0). */
bool vpl011_irq_level(const struct vpl011 *u);
/* Queues input from the management interface (up to the queue's room)
 * and moves what fits into the receive FIFO; returns the count queued. */
u32 vpl011_input(struct vpl011 *u, const u8 *src, u32 len);

#endif
