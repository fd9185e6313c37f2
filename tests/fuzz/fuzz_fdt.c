/* libFuzzer harness for lib/fdt.c.
 *
 * The input is copied into a buffer of exactly its size so ASan flags any
 * read past the blob.  When fdt_open accepts it, every accessor is run on
 * every node, plus on offsets that are not nodes, since fdt_open's promise
 * is that nothing after it can read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Results land here so the calls cannot be optimised away. */
volatile unsigned fuzz_fdt_sink;

static const char *const prop_names[] = {
	"reg",	       "compatible", "status", "device_type", "#address-cells",
	"#size-cells", "interrupts", "ranges", "name",	      "",
};

static const char *const compats[] = {
	"arm,pl011", "arm,gic-v3", "arm,psci-0.2", "virtio,mmio", "", "a",
};

static const char *const paths[] = {
	"/",	     "/cpus",	"/chosen", "/memory",  "/cpus/cpu@0",
	"/cpus/cpu", "//a//b/", "/a@1",	   "relative", "",
};

/* Touch every byte a pointer claims, so ASan checks the whole range. */
static unsigned sink(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	unsigned x = 0;

	while (len--)
		x += *b++;
	return x;
}

static unsigned poke_node(const struct fdt *f, int node)
{
	unsigned x = 0, i;
	const char *name;
	const void *p;
	uint32_t len, v;
	u64 a, s;
	int idx;

	name = fdt_node_name(f, node);
	if (name)
		x += sink(name, strlen(name) + 1);
	x += fdt_parent_offset(f, node);
	for (i = 0; i < sizeof(prop_names) / sizeof(prop_names[0]); i++) {
		p = fdt_getprop(f, node, prop_names[i], &len);
		if (p)
			x += sink(p, len);
		x += fdt_prop_u32(f, node, prop_names[i], &v);
	}
	for (idx = -1; idx <= 3; idx++)
		x += fdt_read_reg(f, node, idx, &a, &s) == 0 ? (unsigned)(a + s) : 0;
	for (i = 0; i < sizeof(compats) / sizeof(compats[0]); i++)
		x += fdt_is_compatible(f, node, compats[i]);
	x += fdt_status_okay(f, node);
	x += fdt_addr_cells(f, node) + fdt_size_cells(f, node);
	return x;
}

static unsigned walk(const struct fdt *f)
{
	int node, depth = 0, n = 0;
	unsigned x = 0;

	for (node = fdt_next_node(f, -1, &depth); node >= 0;
	     node = fdt_next_node(f, node, &depth)) {
		x += poke_node(f, node) + depth;
		if (++n > 100000)
			abort(); /* offsets only grow, so this would be a bug */
	}
	return x;
}

static unsigned search(const struct fdt *f)
{
	unsigned x = 0, i;
	int node;
	u64 a, s;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		x += fdt_path_offset(f, paths[i]);
	for (i = 0; i < sizeof(compats) / sizeof(compats[0]); i++)
		for (node = -1; (node = fdt_find_compatible(f, node, compats[i])) >= 0;)
			x++;
	for (node = -1; (node = fdt_find_device_type(f, node, "memory")) >= 0;)
		x++;
	for (node = -1; (node = fdt_find_device_type(f, node, "cpu")) >= 0;)
		x++;
	for (i = 0; i <= (unsigned)fdt_num_memreserve(f); i++)
		x += fdt_get_memreserve(f, (int)i, &a, &s) == 0 ? (unsigned)(a ^ s) : 0;
	return x;
}

/* Offsets that are not nodes: all must be refused or read in bounds. */
static unsigned stray_offsets(const struct fdt *f)
{
	unsigned x = 0;
	u32 off;

	for (off = 0; off < f->size_struct + 8 && off < 4096; off++) {
		x += fdt_node_name(f, (int)off) != NULL;
		x += fdt_next_node(f, (int)off, NULL);
		x += fdt_getprop(f, (int)off, "reg", NULL) != NULL;
	}
	return x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdt f;
	uint8_t *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (fdt_open(&f, copy, size) == 0) {
		if (f.totalsize > size || f.size_struct > f.totalsize)
			abort();
		fuzz_fdt_sink += walk(&f) + search(&f) + stray_offsets(&f);
	} else {
		/* A failed handle must still be safe to use. */
		fuzz_fdt_sink += walk(&f) + search(&f);
	}
	free(copy);
	return 0;
}
