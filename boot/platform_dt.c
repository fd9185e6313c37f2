/* Reading nodes of the boot DTB: helpers every part of the platform probe
 * (boot/platform*.c) uses. */
#include "boot/boot.h"
#include "boot/platform_dt.h"
#include "lib.h"

/* INTID of the index-th 3-cell GIC interrupt specifier of a node. */
bool platform_intid(const struct fdt *f, int node, u32 index, u32 *intid)
{
	u32 len;
	const u8 *prop = fdt_getprop(f, node, "interrupts", &len);

	if (!prop || len < (index + 1) * 12)
		return false;
	prop += index * 12;
	u32 type = (u32)prop[0] << 24 | prop[1] << 16 | prop[2] << 8 | prop[3];
	u32 num = (u32)prop[4] << 24 | prop[5] << 16 | prop[6] << 8 | prop[7];
	*intid = num + (type == 1 ? 16 : 32); /* 1: PPI, 0: SPI */
	return true;
}

void node_path(const struct fdt *f, int node, char *buf, size_t len)
{
	const char *names[FDT_MAX_DEPTH];
	int depth = 0;
	size_t n = 0;

	for (int o = node; o > 0 && depth < FDT_MAX_DEPTH; o = fdt_parent_offset(f, o))
		names[depth++] = fdt_node_name(f, o) ?: "?";
	buf[0] = '\0';
	if (!depth)
		snprintf(buf, len, "/");
	while (depth-- && n < len)
		n += (size_t)snprintf(buf + n, len - n, "/%s", names[depth]);
}
