/* The console's line discipline (lib/log.c): VM lines carry their name,
 * and lines from different writers never mix. */
#include "check.h"
#include "lib/log.h"

static char out[8192];
static size_t out_len;
static u64 fake_now, fake_step; /* the clock advances fake_step per read */
/* Bytes "another CPU" writes to fake_writer while the hypervisor waits for
 * a VM's line to end, one per clock read. */
static const char *fake_other;
static struct console_line *fake_writer;

/* Fakes for what log.c uses. */
void uart_console_putc(char c)
{
	if (out_len < sizeof(out) - 1)
		out[out_len++] = c;
	out[out_len] = 0;
}
int uart_console_getc(void)
{
	return -1;
}
u64 read_cntpct_el0(void)
{
	static bool inside;

	if (fake_other && *fake_other && !inside) {
		inside = true;
		console_vm_putc(fake_writer, *fake_other++);
		inside = false;
	}
	return fake_now += fake_step;
}
u64 read_cntfrq_el0(void)
{
	return 1000000;
} /* 1 tick = 1 us */

static void reset(void)
{
	out_len = 0;
	out[0] = 0;
}

static void put(struct console_line *cl, const char *s)
{
	while (*s)
		console_vm_putc(cl, *s++);
}

static struct console_line a, b;

static void test_prefix_each_line(void)
{
	reset();
	put(&a, "one\ntwo\n");
	CHECK(strcmp(out, "[a] one\r\n[a] two\r\n") == 0);
}

static void test_lines_do_not_mix(void)
{
	reset();
	fake_now = 100;
	put(&a, "hel");
	put(&b, "world\n"); /* a is mid-line and not stalled: b waits */
	CHECK(strcmp(out, "[a] hel") == 0);
	put(&a, "lo\n"); /* a's line ends: b's waiting line follows whole */
	CHECK(strcmp(out, "[a] hello\r\n[b] world\r\n") == 0);
}

static void test_stalled_line_is_broken(void)
{
	reset();
	fake_now = 1000;
	put(&a, "/ # ");    /* a prompt that waits for input */
	fake_now += 105000; /* 105 ms later, longer than the stall limit */
	put(&b, "news\n");
	CHECK(strcmp(out, "[a] / # \r\n[b] news\r\n") == 0);
	put(&a, "ls\n"); /* a continues on a fresh, prefixed line */
	CHECK(strstr(out, "[b] news\r\n[a] ls\r\n") != NULL);
}

static void test_full_buffer_flushes(void)
{
	char big[200];

	reset();
	fake_now = 50000;
	put(&a, "x");
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	put(&b, big); /* more than b's buffer holds: it must get out */
	CHECK(strstr(out, "[b] yyyy") != NULL);
	CHECK(strncmp(out, "[a] x\r\n", 7) == 0);
	put(&b, "\n");
	put(&a, "\n");
}

/* A VM that never ends its line delays the hypervisor's only boundedly. */
static void test_hypervisor_line_breaks_vm_line(void)
{
	reset();
	fake_step = 100;
	put(&a, "partial");
	log_printf("aether: hello\n");
	fake_step = 0;
	CHECK(strcmp(out, "[a] partial\r\naether: hello\r\n") == 0);
	put(&a, "rest\n");
	CHECK(strstr(out, "aether: hello\r\n[a] rest\r\n") != NULL);
}

/* The VM mid-line on another CPU ends its line while the hypervisor waits:
 * the hypervisor's line follows it whole instead of cutting it. */
static void test_hypervisor_waits_for_vm_line(void)
{
	reset();
	fake_now = 200000;
	put(&a, "[mgmt] P");
	fake_other = "ASS slot-ran-again\n";
	fake_writer = &a;
	fake_step = 10;
	log_printf("aether: vm slot: powered off\n");
	fake_step = 0;
	fake_other = NULL;
	CHECK(strcmp(out, "[a] [mgmt] PASS slot-ran-again\r\naether: vm slot: powered off\r\n") ==
	      0);
}

int main(void)
{
	console_line_init(&a, "a");
	console_line_init(&b, "b");
	RUN_TEST(test_prefix_each_line);
	RUN_TEST(test_lines_do_not_mix);
	RUN_TEST(test_stalled_line_is_broken);
	RUN_TEST(test_full_buffer_flushes);
	RUN_TEST(test_hypervisor_line_breaks_vm_line);
	RUN_TEST(test_hypervisor_waits_for_vm_line);
	return check_done();
}
