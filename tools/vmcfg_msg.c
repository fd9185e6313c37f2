/* Error messages of the VM description parser, and the size format shared
 * with them. */
#include "vmcfg_internal.h"

#include <stdarg.h>
#include <stdio.h>

int __attribute__((format(printf, 3, 4))) fail(struct parser *p, int line, const char *fmt, ...)
{
	char *err = p->cfg->err;
	size_t size = sizeof(p->cfg->err);
	int n;
	va_list ap;

	if (line > 0)
		n = snprintf(err, size, "%s:%d: ", p->file, line);
	else
		n = snprintf(err, size, "%s: ", p->file);
	if (n >= 0 && (size_t)n < size && p->scope[0]) {
		int m = snprintf(err + n, size - (size_t)n, "%s: ", p->scope);

		n = m < 0 ? m : n + m;
	}
	if (n < 0 || (size_t)n >= size)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

void set_scope_vm(struct parser *p, const struct vmcfg_vm *vm)
{
	snprintf(p->scope, sizeof(p->scope), "vm '%s'", vm->name);
}

void set_scope(struct parser *p, const char *s)
{
	snprintf(p->scope, sizeof(p->scope), "%s", s);
}

void vmcfg_fmt_size(char *out, size_t n, uint64_t bytes)
{
	static const struct {
		uint64_t mult;
		char suffix;
	} units[] = {
		{1ULL << 40, 'T'},
		{1ULL << 30, 'G'},
		{1ULL << 20, 'M'},
		{1ULL << 10, 'K'},
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (bytes && bytes % units[i].mult == 0) {
			snprintf(out, n, "%llu%c", (unsigned long long)(bytes / units[i].mult),
				 units[i].suffix);
			return;
		}
	}
	snprintf(out, n, "%llu", (unsigned long long)bytes);
}
