/* Console input flow control (vm/dev/console.c): bytes typed on the
 * physical UART fill the focused VM's receive FIFO; when it is nearly full
 * the physical receive interrupt is masked, and the guest draining its
 * FIFO re-opens it.  The race this guards against: the guest drains the
 * FIFO on another CPU after the "nearly full" test but before the mask
 * lands, so no later read re-opens input and typing stops for good. */
#include "check.h"
#include "fake_el2.h"
#include "vm/dev/console.h"
#include "vm/dev/uart.h"

struct vm vms[MAX_VMS];
u32 nr_vms;

const char *vm_end_reason_str(enum vm_end_reason why)
{
	return "ended";
}

static struct vpl011 *uart(void)
{
	return vm_uart(&vms[0]);
}

static void setup(void)
{
	fake_vm_init(&vms[0], 1);
	nr_vms = 1;
}

static void drain(void)
{
	while (uart()->rx_count)
		vpl011_ops.read(uart(), &vms[0].vcpus[0], 0, 4); /* DR */
}

/* More input than the FIFO holds: input stops nearly full, masked; the
 * guest's reads re-open it, and the rest arrives. */
static void test_flow_control(void)
{
	static char input[VPL011_RX_FIFO + 11];

	setup();
	memset(input, 'k', sizeof(input) - 1);
	fake_console_input = input;
	console_rx_irq();
	CHECK_EQ(uart()->rx_count, VPL011_RX_FIFO - 3);
	CHECK_EQ(fake_calls.rx_irq_off, 1);
	CHECK(!fake_calls.rx_irq);
	drain();
	CHECK(fake_calls.rx_irq);
	console_rx_irq();
	CHECK_EQ(uart()->rx_count, sizeof(input) - 1 - (VPL011_RX_FIFO - 3));
	CHECK(fake_calls.rx_irq);
}

/* The guest empties the FIFO just before the mask takes effect: its reads
 * (and their re-opening) came first, so after the mask nothing would
 * re-open input but console_rx_irq's second look. */
static void drain_before_mask(bool on)
{
	if (on)
		return;
	fake_rx_irq_hook = NULL;
	drain();
	fake_calls.rx_irq = false; /* the mask lands after those re-openings */
}

static void test_drained_before_mask(void)
{
	static char input[VPL011_RX_FIFO + 11];

	setup();
	memset(input, 'k', sizeof(input) - 1);
	fake_console_input = input;
	fake_rx_irq_hook = drain_before_mask;
	console_rx_irq();
	CHECK_EQ(uart()->rx_count, 0);
	CHECK(fake_calls.rx_irq); /* input open again: the rest will come */
	console_rx_irq();
	CHECK_EQ(uart()->rx_count, sizeof(input) - 1 - (VPL011_RX_FIFO - 3));
}

int main(void)
{
	RUN_TEST(test_flow_control);
	RUN_TEST(test_drained_before_mask);
	return check_done();
}
