/* Finding the console UART in the DTB: /chosen/stdout-path as Linux reads
 * it (devicetree spec 3.6: a path or an alias, options after ':'), the
 * driver from the node's compatible list, and the 16550 register layout
 * from reg-shift and reg-io-width.  A stdout UART no driver takes is
 * refused by name, never replaced by another UART: output the user would
 * look for on one port must not silently appear on a different one. */
#include "boot/boot.h"
#include "boot/platform_dt.h"
#include "lib.h"

#define FAIL(...)                                   \
	do {                                        \
		snprintf(err, errlen, __VA_ARGS__); \
		return -E_INVAL;                    \
	} while (0)

#define PATH_MAX_LEN 128
#define REG_SHIFT_MAX 3 /* registers 4 << 3 = 32 bytes apart at most */

/* The first entry of the node's compatible list that a driver takes; *first
 * is the list's first entry, for messages. */
static const struct uart_compat *node_driver(const struct fdt *f, int node, const char **first)
{
	u32 len;
	const char *p = fdt_getprop(f, node, "compatible", &len);

	*first = NULL;
	while (p && len) {
		size_t n = strnlen(p, len);
		if (n == len)
			break; /* unterminated: not an entry */
		*first = *first ?: p;
		const struct uart_compat *c = uart_compat_find(p);
		if (c)
			return c;
		p += n + 1;
		len -= (u32)(n + 1);
	}
	return NULL;
}

/* stdout-path's node: everything before ':' is a path, or an alias whose
 * value is a path (an alias may be followed by "/more"). */
static int stdout_node(const struct fdt *f, char *path, size_t pathlen, bool *given)
{
	u32 len;
	const char *sp = fdt_getprop(f, fdt_path_offset(f, "/chosen"), "stdout-path", &len);
	char want[PATH_MAX_LEN];
	size_t n = 0;

	if (!sp)
		sp = fdt_getprop(f, fdt_path_offset(f, "/chosen"), "linux,stdout-path", &len);
	*given = sp && len;
	if (!*given)
		return FDT_ERR_NOTFOUND;
	while (n < len && n < sizeof(want) - 1 && sp[n] && sp[n] != ':')
		n++;
	memcpy(want, sp, n);
	want[n] = '\0';
	snprintf(path, pathlen, "%s", want);
	if (want[0] != '/') {
		char *rest = want;
		while (*rest && *rest != '/')
			rest++;
		char tail[PATH_MAX_LEN];
		snprintf(tail, sizeof(tail), "%s", rest);
		*rest = '\0';
		const char *alias = fdt_getprop(f, fdt_path_offset(f, "/aliases"), want, &len);
		if (!alias || !len || strnlen(alias, len) == len)
			return FDT_ERR_NOTFOUND;
		snprintf(path, pathlen, "%s%s", alias, tail);
	}
	return fdt_path_offset(f, path);
}

/* Register layout and placement of a UART node the driver takes. */
static int uart_from_node(const struct fdt *f, int node, const struct uart_compat *c,
			  struct platform_info *p, struct uart *u, char *err, size_t errlen)
{
	char path[PATH_MAX_LEN];
	u64 base, size;
	u32 shift = 0, width = 1;

	node_path(f, node, path, sizeof(path));
	if (fdt_read_reg(f, node, 0, &base, &size) || !size)
		FAIL("stdout UART %s has no usable reg", path);
	if (c->dt_reg_layout) {
		fdt_prop_u32(f, node, "reg-shift", &shift);
		fdt_prop_u32(f, node, "reg-io-width", &width);
		if (shift > REG_SHIFT_MAX)
			FAIL("stdout UART %s: reg-shift %u not supported (0 to %u)", path, shift,
			     REG_SHIFT_MAX);
		if (width != 1 && width != 4)
			FAIL("stdout UART %s: reg-io-width %u not supported (1 or 4)", path, width);
	} else {
		width = 4;
	}
	*u = (struct uart){c->ops, (uintptr_t)base, shift, width};
	p->uart = pa_init(base);
	p->uart_size = size;
	if (!platform_intid(f, node, 0, &p->uart_intid))
		p->uart_intid = 0;
	p->uart_driver = c->ops->name;
	snprintf(p->uart_path, sizeof(p->uart_path), "%s", path);
	return 0;
}

/* The first enabled node after `after`, in tree order, that a driver takes. */
static int next_known_uart(const struct fdt *f, int after, const struct uart_compat **c)
{
	const char *first;

	for (int n = fdt_next_node(f, after, NULL); n >= 0; n = fdt_next_node(f, n, NULL))
		if (fdt_status_okay(f, n) && (*c = node_driver(f, n, &first)))
			return n;
	return FDT_ERR_NOTFOUND;
}

/* After a refusal: the first UART we can drive, so the message is seen
 * somewhere the DTB says there is a UART. */
static void refusal_console(const struct fdt *f, struct uart *u)
{
	const struct uart_compat *c;
	struct platform_info scratch;
	char e[8];

	u->ops = NULL;
	for (int n = next_known_uart(f, -1, &c); n >= 0; n = next_known_uart(f, n, &c))
		if (!uart_from_node(f, n, c, &scratch, u, e, sizeof(e)))
			return;
}

static int probe_stdout(const struct fdt *f, struct platform_info *p, struct uart *u, char *err,
			size_t errlen)
{
	char path[PATH_MAX_LEN];
	const struct uart_compat *c;
	const char *first;
	bool given;
	int n = stdout_node(f, path, sizeof(path), &given);

	if (!given) {
		n = next_known_uart(f, -1, &c);
		if (n < 0)
			FAIL("no /chosen/stdout-path and no UART this hypervisor drives "
			     "(arm,pl011, ns16550a, snps,dw-apb-uart, cdns,uart-r1p12)");
		return uart_from_node(f, n, c, p, u, err, errlen);
	}
	if (n < 0)
		FAIL("/chosen/stdout-path names %s, which is not in the tree", path);
	node_path(f, n, path, sizeof(path));
	if (!fdt_status_okay(f, n))
		FAIL("stdout UART %s is disabled (status)", path);
	c = node_driver(f, n, &first);
	if (!c)
		FAIL("stdout UART %s (compatible \"%s\") is not a UART this hypervisor drives "
		     "(arm,pl011, ns16550a, snps,dw-apb-uart, cdns,uart-r1p12)",
		     path, first ?: "none");
	return uart_from_node(f, n, c, p, u, err, errlen);
}

int platform_console_probe(const struct fdt *f, struct platform_info *p, struct uart *u, char *err,
			   size_t errlen)
{
	int ret = probe_stdout(f, p, u, err, errlen);

	if (ret)
		refusal_console(f, u);
	return ret;
}
