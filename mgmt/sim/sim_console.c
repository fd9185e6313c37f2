/* Console side of the simulated node: a byte ring per VM addressed by a
 * 64-bit offset that only grows (as the hypervisor's console ring), boot
 * banners, a tiny shell and a heartbeat. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim_node.h"

void sim_console_put(struct sim_vm *v, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		v->ring[(v->head + i) % SIM_RING] = (unsigned char)s[i];
	v->head += len;
	v->st.console_bytes = v->head;
}

void sim_console_printf(struct sim_vm *v, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		sim_console_put(v, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

size_t sim_console_read(const struct sim_vm *v, uint64_t off, void *out, size_t max,
			uint64_t *first)
{
	uint64_t oldest = v->head > SIM_RING ? v->head - SIM_RING : 0;
	unsigned char *o = out;
	size_t n;

	if (off < oldest)
		off = oldest;
	if (off > v->head)
		off = v->head; /* as the hypervisor: past the end reads empty at the end */
	n = v->head - off < max ? (size_t)(v->head - off) : max;
	for (size_t i = 0; i < n; i++)
		o[i] = v->ring[(off + i) % SIM_RING];
	*first = off;
	return n;
}

/* Prints each line of the deployed image that starts with "AETHER-MARKER". */
static void print_markers(struct sim_vm *v)
{
	static const char tag[] = "AETHER-MARKER";
	const unsigned char *p = v->image, *end = v->image + v->image_len;

	while (p && p < end) {
		const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		if (len >= sizeof(tag) - 1 && len < 200 && !memcmp(p, tag, sizeof(tag) - 1)) {
			sim_console_put(v, (const char *)p, len);
			sim_console_put(v, "\r\n", 2);
		}
		p += len + 1;
	}
}

void sim_console_boot(struct sim_vm *v)
{
	const char *name = v->info.name;

	switch (v->kind) {
	case SIM_MGMT:
		sim_console_printf(v, "[    0.000000] Booting Linux on physical CPU 0x0 (sim)\r\n"
				      "[    0.812345] Run /init as init process\r\n"
				      "mgmt: eth0 up, aetherd listening on :8080\r\n");
		break;
	case SIM_SHELL:
		sim_console_printf(v,
				   "[    0.000000] Booting Linux on physical CPU 0x0 (sim)\r\n"
				   "[    0.790211] Run /init as init process\r\n"
				   "AETHER-LINUX-READY nproc=%u\r\n~ # ",
				   v->info.nr_vcpus);
		break;
	case SIM_BEAT: sim_console_printf(v, "[%s] heartbeat guest up\r\n", name); break;
	case SIM_SLOT:
		sim_console_printf(v, "[%s] deployed image: %llu bytes, bootargs \"%s\"\r\n", name,
				   (unsigned long long)v->image_len, v->info.bootargs);
		print_markers(v);
		break;
	}
}

/* echo with the shell's $((a*b)) and $((a+b)): a typed command and its
 * result differ, so a test can tell the shell's answer from the echo. */
static void do_echo(struct sim_vm *v, const char *s)
{
	char out[256];
	size_t o = 0;

	while (*s && o < sizeof(out) - 24) {
		long a, b;
		char op;
		int used = 0;

		if (sscanf(s, "$((%ld%c%ld))%n", &a, &op, &b, &used) == 3 && used &&
		    (op == '*' || op == '+')) {
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%ld",
					      op == '*' ? a * b : a + b);
			s += used;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = 0;
	sim_console_printf(v, "%s\r\n", out);
}

static void run_line(struct sim_vm *v)
{
	char *l = v->line;

	v->line[v->line_len] = 0;
	while (*l == ' ')
		l++;
	if (!strncmp(l, "echo ", 5))
		do_echo(v, l + 5);
	else if (!strcmp(l, "uname -a"))
		sim_console_printf(v, "Linux %s 6.1.0-sim #1 SMP aarch64 GNU/Linux\r\n",
				   v->info.name);
	else if (!strcmp(l, "poweroff"))
		sim_vm_end(v, MGMT_VM_STOPPED, 1);
	else if (*l)
		sim_console_printf(v, "sh: %.64s: not found\r\n", l);
	v->line_len = 0;
	if (v->info.state == MGMT_VM_RUNNING)
		sim_console_put(v, "~ # ", 4);
}

/* A terminal in cooked mode: echo, backspace, run the line on Enter. */
void sim_console_input(struct sim_vm *v, const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len && v->info.state == MGMT_VM_RUNNING; i++) {
		unsigned char c = s[i];

		if (v->kind != SIM_SHELL) {
			sim_console_put(v, (const char *)&c, 1);
			continue;
		}
		if (c == '\r' || c == '\n') {
			sim_console_put(v, "\r\n", 2);
			run_line(v);
		} else if ((c == 0x7f || c == 8) && v->line_len) {
			v->line_len--;
			sim_console_put(v, "\b \b", 3);
		} else if (c >= 0x20 && c != 0x7f && v->line_len < sizeof(v->line) - 1) {
			v->line[v->line_len++] = (char)c;
			sim_console_put(v, (const char *)&c, 1);
		}
	}
}

void sim_console_tick(struct sim_vm *v, uint64_t now_ns)
{
	uint64_t secs = (now_ns - v->started_ns) / 1000000000ull;

	if (v->kind != SIM_BEAT && v->kind != SIM_SLOT)
		return;
	while (v->beats < secs) {
		v->beats++;
		sim_console_printf(v, "[%s] heartbeat t=%llu max_gap_us=%u\r\n", v->info.name,
				   (unsigned long long)v->beats,
				   1000 + (unsigned)(v->beats % 7) * 13);
	}
}
