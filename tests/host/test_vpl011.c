/* The virtual PL011 (vm/dev/vpl011.c) through its MMIO callbacks: register file,
 * receive FIFO, interrupt state, transmit to the console and the per-VM
 * output ring.  Offsets and bits are literals from the PL011 TRM (DDI 0183,
 * 3.2 and 3.3), not the driver's macros. */
#include "check.h"
#include "fake_el2.h"

#define DR 0x000
#define RSR 0x004
#define FR 0x018
#define ILPR 0x020
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048

#define FR_RXFE 0x10
#define FR_RXFF 0x40
#define FR_TXFE 0x80
#define INT_RX 0x10
#define INT_TX 0x20
#define INT_RT 0x40

static struct vpl011 u;
static unsigned irq_calls;
static bool irq_last;

static u64 rd(u64 off)
{
	return vpl011_ops.read(&u, NULL, off, 4);
}

static void wr(u64 off, u64 val)
{
	vpl011_ops.write(&u, NULL, off, 4, val);
}

static void irq_changed(void *ctx, bool level)
{
	CHECK(ctx == &u);
	irq_calls++;
	irq_last = level;
}

static void setup(void)
{
	fake_el2_reset();
	vpl011_init(&u, "uartvm");
	irq_calls = 0;
	irq_last = false;
}

static void test_ops_shape(void)
{
	CHECK_EQ(vpl011_ops.widths, 0x7); /* 8, 16, 32 bits; not 64 */
	CHECK_EQ(vpl011_ops.impl_size, 0x1000);
}

static void test_ids_and_reserved(void)
{
	static const u8 ids[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

	setup();
	for (u32 i = 0; i < 8; i++)
		CHECK_EQ(rd(0xfe0 + 4 * i), ids[i]);
	CHECK_EQ(vpl011_ops.read(&u, NULL, 0xfe1, 1), 0);
	CHECK_EQ(vpl011_ops.read(&u, NULL, 0xff4, 1), 0xf0);
	CHECK_EQ(rd(0xfdc), 0);
	CHECK_EQ(rd(0x800), 0);
	CHECK_EQ(rd(RSR), 0);
	CHECK_EQ(rd(ILPR), 0);
	CHECK_EQ(rd(ICR), 0); /* write-only */
}

static void test_reset_values(void)
{
	setup();
	CHECK_EQ(rd(CR), 0x300);
	CHECK_EQ(rd(IFLS), 0x12);
	CHECK_EQ(rd(RIS), INT_TX);
	CHECK_EQ(rd(IMSC), 0);
	CHECK_EQ(rd(MIS), 0);
	CHECK_EQ(rd(FR), FR_TXFE | FR_RXFE);
	CHECK_EQ(rd(LCR_H) | rd(IBRD) | rd(FBRD) | rd(DMACR), 0);
}

static void test_write_masks(void)
{
	static const struct {
		u64 off, mask;
	} regs[] = {
		{IBRD, 0xffff}, {FBRD, 0x3f},  {LCR_H, 0xff}, {CR, 0xff87},
		{IFLS, 0x3f},	{IMSC, 0x7ff}, {DMACR, 0x7},
	};

	setup();
	for (u32 i = 0; i < ARRAY_SIZE(regs); i++) {
		wr(regs[i].off, ~0UL);
		CHECK_EQ(rd(regs[i].off), regs[i].mask);
		wr(regs[i].off, 0x5555555555555555UL);
		CHECK_EQ(rd(regs[i].off), 0x55555555UL & regs[i].mask);
		wr(regs[i].off, 0);
		CHECK_EQ(rd(regs[i].off), 0);
	}
}

static void test_read_only_ignore_writes(void)
{
	static const u64 ro[] = {FR, RIS, MIS, RSR, ILPR, 0xfe0, 0xffc, 0x800, 0x04c};
	struct vpl011 before;

	setup();
	vpl011_rx_push(&u, 'x');
	wr(IMSC, INT_RX);
	memcpy(&before, &u, sizeof(u));
	for (u32 i = 0; i < ARRAY_SIZE(ro); i++)
		wr(ro[i], ~0UL);
	before.lock = u.lock; /* the host spinlock counts acquisitions */
	CHECK(memcmp(&before, &u, sizeof(u)) == 0);
	CHECK_EQ(rd(FR), FR_TXFE);
	CHECK_EQ(rd(0xfe0), 0x11);
	CHECK_EQ(fake_console_total, 0);
}

static void test_icr_clears_ris(void)
{
	setup();
	vpl011_rx_push(&u, 'a');
	CHECK_EQ(rd(RIS), INT_RX | INT_RT | INT_TX);
	wr(ICR, INT_TX);
	CHECK_EQ(rd(RIS), INT_RX | INT_RT);
	wr(ICR, INT_RT | 0x1);
	CHECK_EQ(rd(RIS), INT_RX);
	wr(ICR, ~0UL);
	CHECK_EQ(rd(RIS), 0);
	CHECK_EQ(u.rx_count, 1); /* clearing the interrupt keeps the data */
	CHECK_EQ(rd(DR), 'a');
}

static void test_rx_fifo(void)
{
	setup();
	for (u32 i = 0; i < 32; i++)
		CHECK(vpl011_rx_push(&u, (u8)('A' + i)));
	CHECK_EQ(rd(FR), FR_TXFE | FR_RXFF);
	CHECK(!vpl011_rx_push(&u, '!'));
	CHECK_EQ(u.rx_count, 32);
	for (u32 i = 0; i < 32; i++) {
		CHECK_EQ(rd(DR), 'A' + i);
		CHECK_EQ(rd(FR), i == 31 ? FR_TXFE | FR_RXFE : FR_TXFE);
	}
	CHECK_EQ(rd(RIS) & (INT_RX | INT_RT), 0); /* emptied: RX, RT drop */
	CHECK_EQ(rd(DR), 0);
	/* Order holds across the wrap of the circular buffer. */
	for (u32 i = 0; i < 20; i++)
		vpl011_rx_push(&u, (u8)i);
	for (u32 i = 0; i < 20; i++)
		CHECK_EQ(rd(DR), i);
	for (u32 i = 0; i < 32; i++)
		CHECK(vpl011_rx_push(&u, (u8)(100 + i)));
	CHECK(!vpl011_rx_push(&u, 0));
	for (u32 i = 0; i < 32; i++)
		CHECK_EQ(rd(DR), 100 + i);
	CHECK_EQ(rd(FR), FR_TXFE | FR_RXFE);
}

static unsigned room_calls;

static void rx_room(void *ctx)
{
	CHECK(ctx == &u);
	room_calls++;
}

/* Reading from a (nearly) full FIFO tells whoever throttles input; reading
 * from one with room to spare does not. */
static void test_rx_room(void)
{
	setup();
	u.rx_room = rx_room;
	u.irq_ctx = &u;
	room_calls = 0;
	CHECK_EQ(vpl011_rx_space(&u), 32);
	vpl011_rx_push(&u, '1');
	CHECK_EQ(vpl011_rx_space(&u), 31);
	rd(DR);
	CHECK_EQ(room_calls, 0);
	for (u32 i = 0; i < 32; i++)
		vpl011_rx_push(&u, 'a');
	CHECK_EQ(vpl011_rx_space(&u), 0);
	rd(DR);
	CHECK_EQ(vpl011_rx_space(&u), 1);
	CHECK(room_calls >= 1);
	while (u.rx_count)
		rd(DR);
	room_calls = 0;
	for (u32 i = 0; i < 4; i++)
		vpl011_rx_push(&u, 'b');
	for (u32 i = 0; i < 5; i++)
		rd(DR);
	rd(FR);
	CHECK_EQ(room_calls, 0);
}

static void test_irq_level(void)
{
	setup();
	u.irq_changed = irq_changed;
	u.irq_ctx = &u;
	CHECK(!vpl011_irq_level(&u)); /* TX raw, masked */
	wr(IMSC, INT_RX);
	CHECK(!vpl011_irq_level(&u));
	CHECK_EQ(irq_calls, 0);
	vpl011_rx_push(&u, 'z');
	CHECK(vpl011_irq_level(&u));
	CHECK_EQ(rd(MIS), INT_RX);
	CHECK_EQ(irq_calls, 1);
	CHECK(irq_last);
	vpl011_rx_push(&u, 'y'); /* no change, no report */
	CHECK_EQ(irq_calls, 1);
	rd(DR);
	CHECK(vpl011_irq_level(&u));
	rd(DR);
	CHECK(!vpl011_irq_level(&u));
	CHECK_EQ(irq_calls, 2);
	CHECK(!irq_last);
	wr(IMSC, INT_TX); /* TX is always raw-pending */
	CHECK(vpl011_irq_level(&u));
	CHECK_EQ(rd(MIS), INT_TX);
	wr(ICR, INT_TX);
	CHECK(!vpl011_irq_level(&u));
	CHECK_EQ(irq_calls, 4);
	wr(DR, 'q'); /* transmitting raises TX again */
	CHECK(vpl011_irq_level(&u));
}

/* IMSC rewritten with the value it holds (bits beyond the implemented
 * ones ignored) changes nothing and reports nothing (vpl011_write's
 * lock-free case); any other value still moves the line. */
static void test_imsc_unchanged(void)
{
	setup();
	u.irq_changed = irq_changed;
	u.irq_ctx = &u;
	wr(IMSC, INT_TX);
	CHECK(vpl011_irq_level(&u));
	CHECK_EQ(irq_calls, 1);
	wr(IMSC, INT_TX);
	wr(IMSC, INT_TX | 0xf800);
	CHECK_EQ(rd(IMSC), INT_TX);
	CHECK_EQ(irq_calls, 1);
	CHECK(vpl011_irq_level(&u));
	wr(IMSC, 0);
	CHECK(!vpl011_irq_level(&u));
	CHECK_EQ(irq_calls, 2);
	wr(IMSC, 0);
	CHECK_EQ(irq_calls, 2);
	CHECK_EQ(rd(FR) & (FR_RXFE | FR_TXFE), FR_RXFE | FR_TXFE); /* FR: no lock */
	vpl011_rx_push(&u, 'a');
	CHECK_EQ(rd(FR) & FR_RXFE, 0);
}

static void test_tx_console_prefix(void)
{
	static const char out[] = "ab\ncd\n\nA";
	static const char want[] = "[uartvm] ab\n[uartvm] cd\n[uartvm] \n[uartvm] A";
	static struct con_hist hist;
	char got[16];
	u64 first;

	setup();
	memset(&hist, 0, sizeof(hist));
	u.hist = &hist;
	for (u32 i = 0; out[i]; i++)
		wr(DR, out[i] == 'A' ? 0x441 : (u64)out[i]); /* only bits 7:0 are data */
	CHECK_EQ(fake_console_len, strlen(want));
	CHECK(strcmp(fake_console, want) == 0);
	CHECK_EQ(con_hist_read(&hist, 0, got, sizeof(got), &first), strlen(out));
	CHECK(first == 0 && memcmp(got, out, strlen(out)) == 0);
	u.hist = NULL;
	CHECK_EQ(rd(RIS) & INT_TX, INT_TX);
}

static char pat(u64 i)
{
	return (char)('!' + i % 89);
}

/* Output reaches the history ring; queued input enters the FIFO as the
 * guest drains it, in order, and nothing is lost when the FIFO is full. */
static void test_history_and_input(void)
{
	static struct con_hist hist;
	static struct con_inq inq;
	static u8 in[100];
	char buf[16];
	u64 first;

	setup();
	memset(&hist, 0, sizeof(hist));
	memset(&inq, 0, sizeof(inq));
	u.hist = &hist;
	u.inq = &inq;
	for (u64 i = 0; i < 5000; i++)
		wr(DR, (u8)pat(i));
	CHECK_EQ(con_hist_head(&hist), 5000);
	CHECK_EQ(con_hist_read(&hist, 4990, buf, 16, &first), 10);
	CHECK(first == 4990 && buf[0] == pat(4990) && buf[9] == pat(4999));
	for (u32 i = 0; i < sizeof(in); i++)
		in[i] = (u8)('a' + i % 26);
	CHECK_EQ(vpl011_input(&u, in, sizeof(in)), sizeof(in));
	CHECK_EQ(vpl011_rx_space(&u), 0); /* FIFO filled at once */
	for (u32 i = 0; i < sizeof(in); i++)
		if (rd(DR) != in[i]) {
			CHECK_EQ(i, sizeof(in)); /* first byte out of order */
			break;
		}
	CHECK_EQ(vpl011_rx_space(&u), VPL011_RX_FIFO);
	CHECK_EQ(con_inq_count(&inq), 0);
	u.inq = NULL; /* a UART without a queue takes nothing */
	CHECK_EQ(vpl011_input(&u, in, 4), 0);
	u.hist = NULL;
}

int main(void)
{
	RUN_TEST(test_ops_shape);
	RUN_TEST(test_ids_and_reserved);
	RUN_TEST(test_reset_values);
	RUN_TEST(test_write_masks);
	RUN_TEST(test_read_only_ignore_writes);
	RUN_TEST(test_icr_clears_ris);
	RUN_TEST(test_rx_fifo);
	RUN_TEST(test_rx_room);
	RUN_TEST(test_irq_level);
	RUN_TEST(test_imsc_unchanged);
	RUN_TEST(test_tx_console_prefix);
	RUN_TEST(test_history_and_input);
	return check_done();
}
