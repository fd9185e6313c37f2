/* Console history ring and input queue (see include/vm/con_buf.h). */
#include "vm/con_buf.h"
#include "lib.h"

#define HIST_MASK (CON_HIST_SIZE - 1)
#define INQ_MASK (CON_INQ_SIZE - 1)

_Static_assert((CON_HIST_SIZE & HIST_MASK) == 0, "history size is a power of two");
_Static_assert((CON_INQ_SIZE & INQ_MASK) == 0, "input size is a power of two");

/* The byte is stored before head moves past it (release), so a reader
 * that sees the new head sees the byte. */
void con_hist_put(struct con_hist *h, char c)
{
	u64 at = h->head;

	h->buf[at & HIST_MASK] = c;
	__atomic_store_n(&h->head, at + 1, __ATOMIC_RELEASE);
}

u64 con_hist_head(const struct con_hist *h)
{
	return __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
}

/* The oldest offset a reader may take: the writer stores the byte at head
 * before moving head, and that store lands on offset head - size, so the
 * ring holds size - 1 readable bytes. */
static u64 oldest(u64 head)
{
	return head >= CON_HIST_SIZE ? head - CON_HIST_SIZE + 1 : 0;
}

/* Copies n bytes from offset from: at most two runs of the ring. */
static void copy_out(const struct con_hist *h, u64 from, char *dst, u64 n)
{
	u64 at = from & HIST_MASK, first = MIN(n, CON_HIST_SIZE - at);

	memcpy(dst, h->buf + at, first);
	memcpy(dst + first, h->buf, n - first);
}

u64 con_hist_read(const struct con_hist *h, u64 from, char *dst, u64 len, u64 *first)
{
	u64 head = con_hist_head(h), n, valid;

	if (from < oldest(head))
		from = oldest(head);
	if (from > head)
		from = head;
	n = MIN(len, head - from);
	copy_out(h, from, dst, n);
	/* A writer may have lapped the start of what was copied meanwhile:
	 * those bytes are dropped. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	valid = oldest(con_hist_head(h));
	if (valid > from) {
		u64 drop = MIN(valid - from, n);
		memmove(dst, dst + drop, n - drop);
		n -= drop;
		from += drop;
	}
	*first = from;
	return n;
}

u32 con_inq_push(struct con_inq *q, const u8 *src, u32 len)
{
	u32 n = 0;

	spin_lock(&q->lock);
	for (; n < len && q->count < CON_INQ_SIZE; n++, q->count++)
		q->buf[(q->head + q->count) & INQ_MASK] = src[n];
	spin_unlock(&q->lock);
	return n;
}

u32 con_inq_pop(struct con_inq *q, u8 *dst, u32 max)
{
	u32 n = 0;

	spin_lock(&q->lock);
	for (; n < max && q->count; n++, q->count--, q->head = (q->head + 1) & INQ_MASK)
		dst[n] = q->buf[q->head];
	spin_unlock(&q->lock);
	return n;
}

u32 con_inq_count(struct con_inq *q)
{
	return __atomic_load_n(&q->count, __ATOMIC_ACQUIRE);
}

void con_inq_reset(struct con_inq *q)
{
	spin_lock(&q->lock);
	q->head = 0;
	q->count = 0;
	spin_unlock(&q->lock);
}
