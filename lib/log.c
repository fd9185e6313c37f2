/* Console output and rate limiting.  One lock serialises whole lines so
 * output from several CPUs never interleaves mid-line. */
#include "arch/sysreg.h"
#include "drivers/uart.h"
#include "lib.h"
#include "lib/log.h"
#include "spinlock.h"

static spinlock_t console_lock;
/* Line discipline across writers (the hypervisor and every VM).  A VM line
 * carries the VM's name.  While one writer's line is unfinished, another
 * VM's bytes wait in that VM's line buffer and come out as whole lines when
 * the owner ends its line, or once the owner has been quiet for
 * STALL_US (a shell prompt waiting for input), so lines never mix.  100 ms:
 * under TCG on a loaded host a VM's CPU thread can be off the host CPU for
 * tens of milliseconds mid-line (20 ms still cut a ZCU102 test line in
 * session 4), and a prompt held back 100 ms is hardly noticed. */
#define STALL_US 100000
/* How long a hypervisor line waits for a VM's unfinished line (below): as
 * long as another VM's line would. */
#define HV_WAIT_US STALL_US
#define MAX_WRITERS 16

static const struct console_line *line_owner; /* NULL: the hypervisor */
static bool at_line_start = true;
static u64 owner_last_write;
static struct console_line *writers[MAX_WRITERS];
static u32 nr_writers;

static void put_prefix(const struct console_line *cl)
{
	console_putc('[');
	console_write(cl->name, strlen(cl->name));
	console_write("] ", 2);
}

static void end_foreign_line(const struct console_line *who)
{
	if (!at_line_start && line_owner != who) {
		console_putc('\n');
		at_line_start = true;
	}
	line_owner = who;
	owner_last_write = read_cntpct_el0();
}

static void emit(struct console_line *cl, char c)
{
	end_foreign_line(cl);
	if (at_line_start)
		put_prefix(cl);
	console_putc(c);
	at_line_start = c == '\n';
}

static void flush_pending(struct console_line *cl)
{
	for (u32 i = 0; i < cl->n; i++)
		emit(cl, cl->buf[i]);
	cl->n = 0;
}

/* After a line ends, writers that were held back get their turn. */
static void flush_waiting_lines(void)
{
	for (u32 i = 0; i < nr_writers && at_line_start; i++)
		if (writers[i]->n)
			flush_pending(writers[i]);
}

static bool owner_stalled(void)
{
	return read_cntpct_el0() - owner_last_write > read_cntfrq_el0() / 1000000 * STALL_US;
}

void console_line_init(struct console_line *cl, const char *name)
{
	cl->name = name;
	cl->n = 0;
	spin_lock(&console_lock);
	for (u32 i = 0; i < nr_writers; i++)
		if (writers[i] == cl)
			goto out;
	if (nr_writers < MAX_WRITERS)
		writers[nr_writers++] = cl;
out:
	spin_unlock(&console_lock);
}

void console_vm_putc(struct console_line *cl, char c)
{
	spin_lock(&console_lock);
	if (!at_line_start && line_owner != cl) {
		cl->buf[cl->n++] = c;
		if (cl->n == sizeof(cl->buf) || (c == '\n' && owner_stalled()))
			flush_pending(cl);
	} else {
		flush_pending(cl);
		emit(cl, c);
		if (at_line_start)
			flush_waiting_lines();
	}
	spin_unlock(&console_lock);
}

void console_putc(char c)
{
	if (c == '\n')
		uart_console_putc('\r');
	uart_console_putc(c);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
}

int console_getc(void)
{
	return uart_console_getc();
}

/* A VM is in the middle of a line (usually on another CPU, between two of
 * its trapped UART writes): let it finish for up to HV_WAIT_US rather
 * than cut its line in two with ours.  Called and returns with the lock
 * held; the ticket lock hands it to the waiting VM writer first.  Bounded,
 * so a guest that never ends its line only delays the hypervisor's (and the
 * hypervisor's guest-triggered lines are rate-limited). */
static void wait_for_vm_line_end(void)
{
	u64 start = read_cntpct_el0(), limit = read_cntfrq_el0() / 1000000 * HV_WAIT_US;

	while (!at_line_start && line_owner && !owner_stalled() &&
	       read_cntpct_el0() - start < limit) {
		spin_unlock(&console_lock);
		spin_lock(&console_lock);
	}
}

void log_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf)) {
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	spin_lock(&console_lock);
	wait_for_vm_line_end();
	end_foreign_line(NULL);
	console_write(buf, (size_t)n);
	at_line_start = n > 0 && buf[n - 1] == '\n';
	if (at_line_start)
		flush_waiting_lines();
	spin_unlock(&console_lock);
}
