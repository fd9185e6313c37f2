/* Rate limiting of guest-triggered log lines (include/lib/log.h): a token
 * bucket on the counter, pure enough to run under the host tests' fake
 * counters. */
#include "arch/sysreg.h"
#include "lib/log.h"

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
