/* Console history ring and input queue (vm/con_buf.c). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "vm/con_buf.h"

static void test_hist_offsets(void)
{
	static struct con_hist h;
	char buf[CON_HIST_SIZE + 100];
	u64 first = 99, n;

	memset(&h, 0, sizeof(h));
	CHECK_EQ(con_hist_read(&h, 0, buf, 10, &first), 0);
	CHECK_EQ(first, 0);
	for (int i = 0; i < 100; i++)
		con_hist_put(&h, (char)('a' + i % 26));
	n = con_hist_read(&h, 10, buf, 5, &first);
	CHECK_EQ(n, 5);
	CHECK_EQ(first, 10);
	CHECK(memcmp(buf, "klmno", 5) == 0);
	n = con_hist_read(&h, 98, buf, 50, &first); /* only what exists */
	CHECK_EQ(n, 2);
	CHECK_EQ(first, 98);
	n = con_hist_read(&h, 500, buf, 50, &first); /* beyond head: nothing, at head */
	CHECK_EQ(n, 0);
	CHECK_EQ(first, 100);
	CHECK_EQ(con_hist_head(&h), 100);
}

static void test_hist_wrap(void)
{
	static struct con_hist h;
	static char buf[CON_HIST_SIZE + 100];
	u64 first, n, total = 3 * CON_HIST_SIZE + 123;

	memset(&h, 0, sizeof(h));
	for (u64 i = 0; i < total; i++)
		con_hist_put(&h, (char)(i * 7));
	n = con_hist_read(&h, 0, buf, sizeof(buf), &first); /* oldest kept */
	CHECK_EQ(first, total - (CON_HIST_SIZE - 1));	    /* size - 1 bytes are readable */
	CHECK_EQ(n, CON_HIST_SIZE - 1);
	for (u64 i = 0; i < n; i++)
		if (buf[i] != (char)((first + i) * 7)) {
			CHECK(0);
			break;
		}
	n = con_hist_read(&h, total - 10, buf, 4, &first);
	CHECK_EQ(n, 4);
	CHECK_EQ(first, total - 10);
	CHECK_EQ((u8)buf[0], (u8)((total - 10) * 7));
}

/* A writer laps the reader while it copies: what comes back is never torn
 * (every byte matches its offset) and never older than the ring holds. */
static struct con_hist race_h;
static volatile int race_stop;

static void *race_writer(void *arg)
{
	for (u64 i = 0; !race_stop; i++)
		con_hist_put(&race_h, (char)(i * 7 + (i >> 8)));
	return NULL;
}

static void test_hist_concurrent(void)
{
	static char buf[CON_HIST_SIZE];
	pthread_t t;
	u64 bad = 0, got = 0;

	memset(&race_h, 0, sizeof(race_h));
	race_stop = 0;
	pthread_create(&t, NULL, race_writer, NULL);
	while (con_hist_head(&race_h) < 3 * CON_HIST_SIZE)
		;
	for (int round = 0; round < 3000; round++) {
		u64 first, n = con_hist_read(&race_h, 0, buf, sizeof(buf), &first);
		for (u64 i = 0; i < n; i++) {
			u64 off = first + i;
			bad += buf[i] != (char)(off * 7 + (off >> 8));
		}
		got += n;
	}
	race_stop = 1;
	pthread_join(t, NULL);
	CHECK_EQ(bad, 0);
	CHECK(got > 0);
}

static void test_inq(void)
{
	static struct con_inq q;
	static u8 in[CON_INQ_SIZE + 50], out[CON_INQ_SIZE + 50];

	memset(&q, 0, sizeof(q));
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (u8)i;
	CHECK_EQ(con_inq_push(&q, in, 10), 10);
	CHECK_EQ(con_inq_pop(&q, out, 4), 4);
	CHECK(memcmp(out, in, 4) == 0);
	/* fills to the brim, refuses the rest */
	CHECK_EQ(con_inq_push(&q, in + 10, sizeof(in) - 10), CON_INQ_SIZE - 6);
	CHECK_EQ(con_inq_count(&q), CON_INQ_SIZE);
	CHECK_EQ(con_inq_push(&q, in, 1), 0);
	CHECK_EQ(con_inq_pop(&q, out, sizeof(out)), CON_INQ_SIZE);
	CHECK(memcmp(out, in + 4, CON_INQ_SIZE) == 0); /* in order across the wrap */
	CHECK_EQ(con_inq_pop(&q, out, 1), 0);
	CHECK_EQ(con_inq_push(&q, in, 3), 3);
	con_inq_reset(&q);
	CHECK_EQ(con_inq_count(&q), 0);
}

int main(void)
{
	RUN_TEST(test_hist_offsets);
	RUN_TEST(test_hist_wrap);
	RUN_TEST(test_hist_concurrent);
	RUN_TEST(test_inq);
	return check_done();
}
