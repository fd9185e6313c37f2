/* Console output and rate limiting.  One lock serialises whole lines so
 * output from several CPUs never interleaves mid-line. */
#include "arch/sysreg.h"
#include "drivers/pl011.h"
#include "lib.h"
#include "log.h"
#include "spinlock.h"

static spinlock_t console_lock;

void console_putc(char c)
{
	if (c == '\n')
		pl011_putc('\r');
	pl011_putc(c);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
}

int console_getc(void)
{
	return pl011_getc();
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
	console_write(buf, (size_t)n);
	spin_unlock(&console_lock);
}

bool ratelimit_allow(struct ratelimit *rl)
{
	u64 now = read_cntpct_el0();
	u64 period = read_cntfrq_el0() / 1000 * RL_PERIOD_MS;

	if (now - rl->window_start >= period) {
		u32 dropped = rl->suppressed;
		rl->window_start = now;
		rl->printed = 0;
		rl->suppressed = 0;
		if (dropped)
			log_printf("aether: %u guest-triggered messages suppressed\n", dropped);
	}
	if (rl->printed < RL_BURST) {
		rl->printed++;
		return true;
	}
	rl->suppressed++;
	return false;
}
