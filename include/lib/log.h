#ifndef AETHER_LIB_LOG_H
#define AETHER_LIB_LOG_H

#include "types.h"

void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define LOG(fmt, ...) log_printf("aether: " fmt "\n", ##__VA_ARGS__)

/* Token bucket on the counter: a guest that triggers warnings in a loop gets
 * RL_BURST lines per RL_PERIOD_MS, then one "suppressed" line per period. */
#define RL_BURST 10
#define RL_PERIOD_MS 1000
struct ratelimit {
	u64 window_start;
	u32 printed;
	u32 suppressed;
};
bool ratelimit_allow(struct ratelimit *rl);

/* Physical console. */
void console_putc(char c);
void console_write(const char *s, size_t n);
int console_getc(void); /* -1 when nothing is waiting */
/* A VM's console output: prefixed "[name] " at line starts, and held back
 * while another writer is in the middle of a line. */
struct console_line {
	const char *name;
	u32 n;
	char buf[160];
};
void console_line_init(struct console_line *cl, const char *name);
void console_vm_putc(struct console_line *cl, char c);

#endif
