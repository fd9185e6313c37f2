/* A VM's console as the management interface sees it.
 *
 * History: every byte the VM writes to its UART, kept in a ring addressed
 * by a monotonic offset (the count of bytes ever written), so a reader
 * asks "from offset N" and learns what it missed when the ring wrapped.
 * One writer (the VM's UART, under its lock) and lock-free readers.
 *
 * Input: bytes the management VM sends, queued until the VM's receive
 * FIFO has room (a UART FIFO is 32 bytes; a pasted line is longer). */
#ifndef AETHER_VM_CON_BUF_H
#define AETHER_VM_CON_BUF_H

#include "spinlock.h"
#include "types.h"

#define CON_HIST_SIZE 16384 /* power of two */
#define CON_INQ_SIZE 1024   /* power of two */

struct con_hist {
	u64 head; /* bytes ever written; buf[head % size] is next */
	char buf[CON_HIST_SIZE];
};

void con_hist_put(struct con_hist *h, char c);
/* Holds the last CON_HIST_SIZE - 1 bytes.  Copies up to len bytes from offset from (or from the
 * oldest byte still held when from is older).  Returns the count; *first is the offset of dst[0].
 * Bytes overwritten by a concurrent writer during the copy are dropped from the front, never
 * returned torn. */
u64 con_hist_read(const struct con_hist *h, u64 from, char *dst, u64 len, u64 *first);
u64 con_hist_head(const struct con_hist *h);

struct con_inq {
	spinlock_t lock;
	u32 head, count;
	u8 buf[CON_INQ_SIZE];
};

/* Queues what fits; returns the count queued. */
u32 con_inq_push(struct con_inq *q, const u8 *src, u32 len);
/* Takes up to max bytes, oldest first; returns the count. */
u32 con_inq_pop(struct con_inq *q, u8 *dst, u32 max);
u32 con_inq_count(struct con_inq *q);
void con_inq_reset(struct con_inq *q);

#endif
