/* Flattened Device Tree reader; the contract is in include/lib/fdt.h.
 *
 * Every read of the blob goes through a helper that checks it against the
 * block it belongs to, including after fdt_open() has validated the tree:
 * the blob may sit in memory someone else can write, and a wrong answer is
 * survivable where a wild read at EL2 is not.  All multi-byte fields are
 * assembled byte by byte so the blob needs no alignment (-mstrict-align). */
#include "lib/fdt.h"

#define FDT_V16_HDR_SIZE 36U /* v16 has no size_dt_struct field */
#define RSV_ENTRY_SIZE 16U
#define CELLS_LIMIT 4U /* bigger #*-cells values are nonsense, not just unsupported */

/* Byte offsets of the big-endian u32 header fields. */
enum {
	HDR_MAGIC = 0,
	HDR_TOTALSIZE = 4,
	HDR_OFF_STRUCT = 8,
	HDR_OFF_STRINGS = 12,
	HDR_OFF_RSVMAP = 16,
	HDR_VERSION = 20,
	HDR_LAST_COMP = 24,
	HDR_SIZE_STRINGS = 32,
	HDR_SIZE_STRUCT = 36
};

/* One decoded structure-block token. */
struct tok {
	u32 tag;
	u32 next;	  /* offset of the token after this one */
	const char *name; /* node name (BEGIN_NODE) or property name (PROP) */
	const u8 *data;	  /* property value */
	u32 len;	  /* property length */
};

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 be64(const u8 *p)
{
	return (u64)be32(p) << 32 | be32(p + 4);
}

/* Length of the string at p, or max when there is no NUL in the first max bytes. */
static u32 bounded_strlen(const u8 *p, u32 max)
{
	u32 n = 0;

	while (n < max && p[n])
		n++;
	return n;
}

/* Is the n-byte run at p exactly the C string s?  Stops at s's NUL. */
static bool run_is(const u8 *p, u32 n, const char *s)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!s[i] || p[i] != (u8)s[i])
			return false;
	return !s[n];
}

/* Compares only up to the first difference, so neither string is read past its NUL. */
static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* [off, off + len) inside [0, size), written so that nothing can wrap. */
static bool fits(u32 off, u32 len, u32 size)
{
	return off <= size && len <= size - off;
}

static const char *string_at(const struct fdt *f, u32 nameoff)
{
	const u8 *s;
	u32 room;

	if (nameoff >= f->size_strings)
		return NULL;
	s = f->blob + f->off_strings + nameoff;
	room = f->size_strings - nameoff;
	return bounded_strlen(s, room) < room ? (const char *)s : NULL;
}

/* Decodes the token at struct offset off.  This is the only place that
 * interprets the structure block, so fdt_open's validation and every later
 * walk share the same bounds checks. */
static int scan_token(const struct fdt *f, u32 off, struct tok *t)
{
	u32 size = f->size_struct, n;
	const u8 *base;

	if (!fits(off, 4, size))
		return FDT_ERR_NOEND;
	base = f->blob + f->off_struct; /* not before: blob is NULL after a failed open */
	t->tag = be32(base + off);
	off += 4;
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		n = bounded_strlen(base + off, size - off);
		if (n == size - off)
			return FDT_ERR_BADNAME;
		t->name = (const char *)base + off;
		off += n + 1;
		break;
	case FDT_PROP:
		if (!fits(off, 8, size))
			return FDT_ERR_BADPROP;
		t->len = be32(base + off);
		t->name = string_at(f, be32(base + off + 4));
		t->data = base + off + 8;
		off += 8;
		if (!fits(off, t->len, size))
			return FDT_ERR_BADPROP;
		if (!t->name)
			return FDT_ERR_BADSTRING;
		off += t->len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END: break;
	default: return FDT_ERR_BADTOKEN;
	}
	/* totalsize < 2^31, so this cannot wrap; a result past the block
	 * end is caught by the next scan. */
	t->next = (u32)ALIGN_UP(off, 4);
	return 0;
}

/* Decodes the BEGIN_NODE token a node offset must point at. */
static int node_tok(const struct fdt *f, int node, struct tok *t)
{
	if (node < 0 || !IS_ALIGNED((u32)node, 4) || scan_token(f, (u32)node, t) ||
	    t->tag != FDT_BEGIN_NODE)
		return FDT_ERR_BADOFFSET;
	return 0;
}

static int check_header(struct fdt *f, const u8 *b, u64 max_size)
{
	u32 version;

	if (!b || max_size < FDT_HDR_SIZE)
		return FDT_ERR_TRUNCATED;
	if (be32(b + HDR_MAGIC) != FDT_MAGIC)
		return FDT_ERR_BADMAGIC;
	version = be32(b + HDR_VERSION);
	if (version < 16 || be32(b + HDR_LAST_COMP) > 17)
		return FDT_ERR_BADVERSION;
	f->blob = b;
	f->totalsize = be32(b + HDR_TOTALSIZE);
	/* The 2 GiB cap keeps every struct offset representable as an int. */
	if (f->totalsize < FDT_HDR_SIZE || f->totalsize > INT32_MAX)
		return FDT_ERR_BADHEADER;
	if (f->totalsize > max_size)
		return FDT_ERR_TRUNCATED;
	f->off_struct = be32(b + HDR_OFF_STRUCT);
	f->off_strings = be32(b + HDR_OFF_STRINGS);
	f->size_strings = be32(b + HDR_SIZE_STRINGS);
	f->off_rsvmap = be32(b + HDR_OFF_RSVMAP);
	if (version >= 17)
		f->size_struct = be32(b + HDR_SIZE_STRUCT);
	else if (f->off_struct <= f->totalsize) /* walk finds the real end */
		f->size_struct = f->totalsize - f->off_struct;
	return 0;
}

static int check_layout(const struct fdt *f)
{
	u32 hdr = be32(f->blob + HDR_VERSION) >= 17 ? FDT_HDR_SIZE : FDT_V16_HDR_SIZE;

	if (f->off_rsvmap < hdr || !fits(f->off_rsvmap, RSV_ENTRY_SIZE, f->totalsize))
		return FDT_ERR_BADLAYOUT;
	if (f->off_struct < hdr || !fits(f->off_struct, f->size_struct, f->totalsize))
		return FDT_ERR_BADLAYOUT;
	if (f->off_strings < hdr || !fits(f->off_strings, f->size_strings, f->totalsize))
		return FDT_ERR_BADLAYOUT;
	if (!IS_ALIGNED(f->off_rsvmap, 8) || !IS_ALIGNED(f->off_struct, 4))
		return FDT_ERR_BADALIGN;
	return 0;
}

/* Entry i of the reservation map, or NULL if it would leave the blob. */
static const u8 *rsv_entry(const struct fdt *f, int i)
{
	u64 off = f->off_rsvmap + (u64)i * RSV_ENTRY_SIZE;

	if (i < 0 || off + RSV_ENTRY_SIZE > f->totalsize)
		return NULL;
	return f->blob + off;
}

/* One pass over the structure block; on success size_struct is trimmed to
 * end right after FDT_END so later walks never look at trailing bytes. */
static int check_struct(struct fdt *f)
{
	struct tok t;
	u32 off = 0;
	int depth = 0, roots = 0, err;

	for (;;) {
		err = scan_token(f, off, &t);
		if (err)
			return err;
		off = t.next;
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0 && roots++)
				return FDT_ERR_BADNESTING;
			if (++depth > FDT_MAX_DEPTH)
				return FDT_ERR_TOODEEP;
			break;
		case FDT_END_NODE:
			if (depth-- == 0)
				return FDT_ERR_BADNESTING;
			break;
		case FDT_PROP:
			if (depth == 0)
				return FDT_ERR_BADNESTING;
			break;
		case FDT_END:
			if (depth || !roots)
				return FDT_ERR_BADNESTING;
			f->size_struct = off;
			return 0;
		}
	}
}

int fdt_open(struct fdt *f, const void *blob, u64 max_size)
{
	int err;

	err = check_header(f, blob, max_size);
	if (!err)
		err = check_layout(f);
	/* The entry after the last one counted is the terminator, if it fits. */
	if (!err && !rsv_entry(f, fdt_num_memreserve(f)))
		err = FDT_ERR_BADRSVMAP;
	if (!err)
		err = check_struct(f);
	if (err) /* A failed handle has empty blocks, so misuse reads nothing. */
		*f = (struct fdt){0};
	return err;
}

static const char *const fdt_errstr[] = {
	[0] = "ok",
	[-FDT_ERR_TRUNCATED] = "truncated",
	[-FDT_ERR_BADMAGIC] = "bad magic",
	[-FDT_ERR_BADVERSION] = "unsupported version",
	[-FDT_ERR_BADHEADER] = "bad totalsize in header",
	[-FDT_ERR_BADLAYOUT] = "block outside blob",
	[-FDT_ERR_BADALIGN] = "misaligned block",
	[-FDT_ERR_BADRSVMAP] = "unterminated memory reservation map",
	[-FDT_ERR_BADTOKEN] = "bad structure token",
	[-FDT_ERR_BADNAME] = "unterminated node name",
	[-FDT_ERR_BADPROP] = "property runs past structure block",
	[-FDT_ERR_BADSTRING] = "bad property name offset",
	[-FDT_ERR_BADNESTING] = "unbalanced nodes",
	[-FDT_ERR_NOEND] = "missing FDT_END",
	[-FDT_ERR_TOODEEP] = "nesting too deep",
	[-FDT_ERR_NOTFOUND] = "not found",
	[-FDT_ERR_BADOFFSET] = "not a node offset",
	[-FDT_ERR_BADCELLS] = "unsupported #address-cells/#size-cells",
	[-FDT_ERR_RANGE] = "index out of range",
	[-FDT_ERR_BADPATH] = "bad path",
	[-FDT_ERR_BADVALUE] = "bad property value",
};

const char *fdt_strerror(int err)
{
	if (err > 0 || -(s64)err >= (s64)ARRAY_SIZE(fdt_errstr) || !fdt_errstr[-err])
		return "unknown error";
	return fdt_errstr[-err];
}

int fdt_next_node(const struct fdt *f, int offset, int *depth)
{
	struct tok t;
	int d = depth ? *depth : 0, err;
	u32 off = 0;

	if (offset < 0) {
		d = -1;
	} else {
		if ((err = node_tok(f, offset, &t)))
			return err;
		off = t.next;
	}
	for (;; off = t.next) {
		if ((err = scan_token(f, off, &t)))
			return err;
		if (t.tag == FDT_BEGIN_NODE) {
			if (depth)
				*depth = d + 1;
			return (int)off;
		}
		if (t.tag == FDT_END)
			return FDT_ERR_NOTFOUND;
		if (t.tag == FDT_END_NODE && --d < 0 && depth) {
			*depth = d;
			return FDT_ERR_NOTFOUND;
		}
	}
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	struct tok t;

	return node_tok(f, node, &t) ? NULL : t.name;
}

int fdt_parent_offset(const struct fdt *f, int node)
{
	int stack[FDT_MAX_DEPTH], depth = 0, cur;
	struct tok t;

	if (node_tok(f, node, &t))
		return FDT_ERR_BADOFFSET;
	for (cur = fdt_next_node(f, -1, &depth); cur >= 0; cur = fdt_next_node(f, cur, &depth)) {
		if (depth >= FDT_MAX_DEPTH) /* only if the blob changed after open */
			return FDT_ERR_TOODEEP;
		stack[depth] = cur;
		if (cur == node)
			return depth ? stack[depth - 1] : FDT_ERR_NOTFOUND;
	}
	/* A BEGIN_NODE lookalike inside some property value. */
	return FDT_ERR_BADOFFSET;
}

/* "/memory" matches "memory@40000000"; "/memory@0" must match exactly. */
static bool name_matches(const char *name, const char *comp, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (name[i] != comp[i])
			return false;
	if (name[n] == '\0')
		return true;
	for (i = 0; i < n; i++)
		if (comp[i] == '@')
			return false;
	return name[n] == '@';
}

static int find_child(const struct fdt *f, int parent, const char *comp, u32 n)
{
	int depth = 0, node = parent;
	const char *name;

	while ((node = fdt_next_node(f, node, &depth)) >= 0) {
		name = depth == 1 ? fdt_node_name(f, node) : NULL;
		if (name && name_matches(name, comp, n))
			return node;
	}
	return node;
}

int fdt_path_offset(const struct fdt *f, const char *path)
{
	int node;
	u32 n;

	if (!path || *path != '/')
		return FDT_ERR_BADPATH;
	node = fdt_next_node(f, -1, NULL);
	while (node >= 0) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		for (n = 0; path[n] && path[n] != '/'; n++)
			;
		node = find_child(f, node, path, n);
		path += n;
	}
	return node;
}

/* Properties come before subnodes, so the search stops at the first child. */
static int find_prop(const struct fdt *f, int node, const char *name, struct tok *t)
{
	u32 off;
	int err = node_tok(f, node, t);

	if (err)
		return err;
	for (off = t->next; !scan_token(f, off, t); off = t->next) {
		if (t->tag == FDT_PROP && str_eq(t->name, name))
			return 0;
		if (t->tag != FDT_PROP && t->tag != FDT_NOP)
			break;
	}
	return FDT_ERR_NOTFOUND;
}

const void *fdt_getprop(const struct fdt *f, int node, const char *name, u32 *len)
{
	struct tok t;

	if (find_prop(f, node, name, &t))
		return NULL;
	if (len)
		*len = t.len;
	return t.data;
}

bool fdt_prop_u32(const struct fdt *f, int node, const char *name, u32 *out)
{
	struct tok t;

	if (find_prop(f, node, name, &t) || t.len != 4)
		return false;
	*out = be32(t.data);
	return true;
}

/* An unterminated tail is not an entry: it could be a truncated longer name. */
static bool stringlist_has(const u8 *p, u32 len, const char *s)
{
	u32 n;

	while (len) {
		n = bounded_strlen(p, len);
		if (n == len)
			return false;
		if (run_is(p, n, s))
			return true;
		p += n + 1;
		len -= n + 1;
	}
	return false;
}

static bool value_is(const struct tok *t, const char *s)
{
	return t->len && !t->data[t->len - 1] && run_is(t->data, t->len - 1, s);
}

bool fdt_is_compatible(const struct fdt *f, int node, const char *compat)
{
	struct tok t;

	return !find_prop(f, node, "compatible", &t) && stringlist_has(t.data, t.len, compat);
}

int fdt_find_compatible(const struct fdt *f, int after, const char *compat)
{
	int node = after;

	while ((node = fdt_next_node(f, node, NULL)) >= 0)
		if (fdt_is_compatible(f, node, compat))
			break;
	return node;
}

int fdt_find_device_type(const struct fdt *f, int after, const char *type)
{
	int node = after;
	struct tok t;

	while ((node = fdt_next_node(f, node, NULL)) >= 0)
		if (!find_prop(f, node, "device_type", &t) && value_is(&t, type))
			break;
	return node;
}

bool fdt_status_okay(const struct fdt *f, int node)
{
	struct tok t;
	int err = find_prop(f, node, "status", &t);

	if (err)
		return err == FDT_ERR_NOTFOUND;
	return value_is(&t, "okay") || value_is(&t, "ok");
}

static int cells(const struct fdt *f, int node, const char *name, int dflt)
{
	struct tok t;
	int err = find_prop(f, node, name, &t);
	u32 v;

	if (err)
		return err == FDT_ERR_NOTFOUND ? dflt : err;
	if (t.len != 4)
		return FDT_ERR_BADVALUE;
	v = be32(t.data);
	return v > CELLS_LIMIT ? FDT_ERR_BADCELLS : (int)v;
}

int fdt_addr_cells(const struct fdt *f, int node)
{
	return cells(f, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *f, int node)
{
	return cells(f, node, "#size-cells", 1);
}

static u64 read_cells(const u8 *p, int n)
{
	return n == 2 ? be64(p) : n == 1 ? be32(p) : 0;
}

int fdt_read_reg(const struct fdt *f, int node, int index, u64 *addr, u64 *size)
{
	int parent = fdt_parent_offset(f, node), ac, sc;
	struct tok t;
	u32 stride;

	if (parent < 0)
		return parent;
	ac = fdt_addr_cells(f, parent);
	sc = fdt_size_cells(f, parent);
	if (ac < 0 || sc < 0)
		return ac < 0 ? ac : sc;
	/* #size-cells = 0 is how /cpus says "reg is just an id". */
	if (ac < 1 || ac > FDT_MAX_CELLS || sc > FDT_MAX_CELLS)
		return FDT_ERR_BADCELLS;
	if (find_prop(f, node, "reg", &t))
		return FDT_ERR_NOTFOUND;
	stride = (u32)(ac + sc) * 4;
	if ((u32)index >= t.len / stride) /* negative index wraps to huge */
		return FDT_ERR_RANGE;
	if (addr)
		*addr = read_cells(t.data + (u32)index * stride, ac);
	if (size)
		*size = read_cells(t.data + (u32)index * stride + (u32)ac * 4, sc);
	return 0;
}

int fdt_num_memreserve(const struct fdt *f)
{
	const u8 *e;
	int n = 0;

	while ((e = rsv_entry(f, n)) && (be64(e) || be64(e + 8)))
		n++;
	return n;
}

int fdt_get_memreserve(const struct fdt *f, int i, u64 *addr, u64 *size)
{
	const u8 *e;

	if (i < 0 || i >= fdt_num_memreserve(f))
		return FDT_ERR_RANGE;
	e = rsv_entry(f, i);
	if (addr)
		*addr = be64(e);
	if (size)
		*size = be64(e + 8);
	return 0;
}
