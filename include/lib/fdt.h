/* Bounds-checked reader for Flattened Device Tree blobs (DTB).
 *
 * fdt_open() validates the header and walks the whole structure block once.
 * After that the accessors trust the shape of the tree, but every read is
 * still clamped to the blob, so a blob that changes under us (e.g. it lives
 * in guest-writable memory) can yield wrong answers but never a stray read.
 *
 * A node is named by its offset from the start of the structure block, as
 * in libfdt.  Negative return values are FDT_ERR_* codes. */
#ifndef AETHER_LIB_FDT_H
#define AETHER_LIB_FDT_H

#include "types.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 0x1U
#define FDT_END_NODE 0x2U
#define FDT_PROP 0x3U
#define FDT_NOP 0x4U
#define FDT_END 0x9U

#define FDT_HDR_SIZE 40U /* header size for version 17 */
#define FDT_MAX_DEPTH 32 /* nesting levels, root included */
#define FDT_MAX_CELLS 2	 /* widest #address-cells/#size-cells fdt_read_reg takes */

#define FDT_ERR_TRUNCATED (-1) /* buffer smaller than header or totalsize */
#define FDT_ERR_BADMAGIC (-2)
#define FDT_ERR_BADVERSION (-3)
#define FDT_ERR_BADHEADER (-4)	 /* totalsize smaller than the header or absurd */
#define FDT_ERR_BADLAYOUT (-5)	 /* a block lies (partly) outside the blob */
#define FDT_ERR_BADALIGN (-6)	 /* rsvmap not 8-aligned or struct not 4-aligned */
#define FDT_ERR_BADRSVMAP (-7)	 /* reservation map has no terminator */
#define FDT_ERR_BADTOKEN (-8)	 /* unknown structure token */
#define FDT_ERR_BADNAME (-9)	 /* node name not NUL-terminated in the block */
#define FDT_ERR_BADPROP (-10)	 /* property header or value past end of block */
#define FDT_ERR_BADSTRING (-11)	 /* property nameoff outside strings / unterminated */
#define FDT_ERR_BADNESTING (-12) /* unbalanced BEGIN/END_NODE or not one root */
#define FDT_ERR_NOEND (-13)	 /* structure block ends without FDT_END */
#define FDT_ERR_TOODEEP (-14)	 /* nesting deeper than FDT_MAX_DEPTH */
#define FDT_ERR_NOTFOUND (-15)
#define FDT_ERR_BADOFFSET (-16) /* offset is not a node */
#define FDT_ERR_BADCELLS (-17)	/* unsupported or malformed #*-cells */
#define FDT_ERR_RANGE (-18)	/* index out of range */
#define FDT_ERR_BADPATH (-19)	/* path does not start with '/' */
#define FDT_ERR_BADVALUE (-20)	/* property has the wrong length for its type */

struct fdt {
	const u8 *blob;
	u32 totalsize;
	u32 off_struct, size_struct; /* size_struct ends right after FDT_END */
	u32 off_strings, size_strings;
	u32 off_rsvmap;
};

int fdt_open(struct fdt *f, const void *blob, u64 max_size);
const char *fdt_strerror(int err);

/* Depth-first walk.  offset < 0 yields the root with *depth = 0.  With a
 * depth pointer the walk stops when it leaves the subtree it started in
 * (depth < 0); without one it runs to the end of the tree. */
int fdt_next_node(const struct fdt *f, int offset, int *depth);
int fdt_path_offset(const struct fdt *f, const char *path);
const char *fdt_node_name(const struct fdt *f, int node);
int fdt_parent_offset(const struct fdt *f, int node);

/* Returns the raw big-endian value (unaligned) or NULL; *len set on success. */
const void *fdt_getprop(const struct fdt *f, int node, const char *name, u32 *len);
bool fdt_prop_u32(const struct fdt *f, int node, const char *name, u32 *out);
bool fdt_is_compatible(const struct fdt *f, int node, const char *compat);
int fdt_find_compatible(const struct fdt *f, int after, const char *compat);
int fdt_find_device_type(const struct fdt *f, int after, const char *type);
bool fdt_status_okay(const struct fdt *f, int node);

int fdt_addr_cells(const struct fdt *f, int node);
int fdt_size_cells(const struct fdt *f, int node);
int fdt_read_reg(const struct fdt *f, int node, int index, u64 *addr, u64 *size);

int fdt_num_memreserve(const struct fdt *f);
int fdt_get_memreserve(const struct fdt *f, int i, u64 *addr, u64 *size);

#endif
