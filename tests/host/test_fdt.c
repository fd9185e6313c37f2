/* Host tests for lib/fdt.c.
 *
 * Blobs are produced by a tiny builder below, then corrupted field by field.
 * Every blob handed to fdt_open() lives in a malloc buffer of exactly its
 * size, so ASan turns any read past the end into a failure. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/fdt.h"
#include "data/virt_dtb.h"

/* Header field offsets, spelled out here rather than shared with the code
 * under test so a wrong offset there cannot hide. */
enum {
	H_MAGIC = 0,
	H_TOTALSIZE = 4,
	H_OFF_STRUCT = 8,
	H_OFF_STRINGS = 12,
	H_OFF_RSVMAP = 16,
	H_VERSION = 20,
	H_LAST_COMP = 24,
	H_SIZE_STRINGS = 32,
	H_SIZE_STRUCT = 36,
};

/* ------------------------------------------------------------ builder */

struct bld {
	u8 st[16384];
	u32 nst;
	char str[1024];
	u32 nstr;
	u64 rsv[8][2];
	int nrsv;
	enum { RSV_FIRST, RSV_LAST, STRUCT_LAST } layout;
};

struct blob {
	u8 *p;
	u32 size;
};

static void put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void put64(u8 *p, u64 v)
{
	put32(p, v >> 32);
	put32(p + 4, (u32)v);
}

static void b_raw(struct bld *b, const void *data, u32 len)
{
	memcpy(b->st + b->nst, data, len);
	b->nst += len;
}

static void b_pad(struct bld *b)
{
	while (b->nst % 4)
		b->st[b->nst++] = 0;
}

static void b_tok(struct bld *b, u32 v)
{
	put32(b->st + b->nst, v);
	b->nst += 4;
}

static void b_begin(struct bld *b, const char *name)
{
	b_tok(b, FDT_BEGIN_NODE);
	b_raw(b, name, strlen(name) + 1);
	b_pad(b);
}

static void b_end(struct bld *b)
{
	b_tok(b, FDT_END_NODE);
}

static u32 b_string(struct bld *b, const char *s)
{
	u32 off;

	for (off = 0; off < b->nstr; off += strlen(b->str + off) + 1)
		if (!strcmp(b->str + off, s))
			return off;
	strcpy(b->str + b->nstr, s);
	b->nstr += strlen(s) + 1;
	return off;
}

/* Property with an explicit name offset and length, for lying headers. */
static void b_prop_raw(struct bld *b, u32 nameoff, u32 len, const void *data, u32 dlen)
{
	b_tok(b, FDT_PROP);
	b_tok(b, len);
	b_tok(b, nameoff);
	b_raw(b, data, dlen);
	b_pad(b);
}

static void b_prop(struct bld *b, const char *name, const void *data, u32 len)
{
	b_prop_raw(b, b_string(b, name), len, data, len);
}

static void b_prop_str(struct bld *b, const char *name, const char *s)
{
	b_prop(b, name, s, strlen(s) + 1);
}

/* n big-endian cells */
static void b_prop_cells(struct bld *b, const char *name, int n, ...)
{
	u8 buf[64];
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		put32(buf + 4 * i, va_arg(ap, u32));
	va_end(ap);
	b_prop(b, name, buf, 4 * n);
}

static void b_rsv(struct bld *b, u64 addr, u64 size)
{
	b->rsv[b->nrsv][0] = addr;
	b->rsv[b->nrsv][1] = size;
	b->nrsv++;
}

/* Lays out the header and three blocks in an exact-size buffer.  Which block
 * comes last matters: only there does an over-read leave the blob. */
static struct blob b_finish(const struct bld *b)
{
	u32 rsv_size = (b->nrsv + 1) * 16, off_rsv, off_st, off_str, total;
	struct blob out;
	int i;

	if (b->layout == RSV_LAST) {
		off_st = 40;
		off_str = off_st + b->nst;
		off_rsv = (off_str + b->nstr + 7) & ~7u;
		total = off_rsv + rsv_size;
	} else if (b->layout == STRUCT_LAST) {
		off_rsv = 40;
		off_str = off_rsv + rsv_size;
		off_st = (off_str + b->nstr + 3) & ~3u;
		total = off_st + b->nst;
	} else {
		off_rsv = 40;
		off_st = off_rsv + rsv_size;
		off_str = off_st + b->nst;
		total = off_str + b->nstr;
	}
	out.size = total;
	out.p = calloc(1, total);
	put32(out.p + H_MAGIC, FDT_MAGIC);
	put32(out.p + H_TOTALSIZE, total);
	put32(out.p + H_OFF_STRUCT, off_st);
	put32(out.p + H_OFF_STRINGS, off_str);
	put32(out.p + H_OFF_RSVMAP, off_rsv);
	put32(out.p + H_VERSION, 17);
	put32(out.p + H_LAST_COMP, 16);
	put32(out.p + H_SIZE_STRINGS, b->nstr);
	put32(out.p + H_SIZE_STRUCT, b->nst);
	for (i = 0; i < b->nrsv; i++) {
		put64(out.p + off_rsv + 16 * i, b->rsv[i][0]);
		put64(out.p + off_rsv + 16 * i + 8, b->rsv[i][1]);
	}
	memcpy(out.p + off_st, b->st, b->nst);
	memcpy(out.p + off_str, b->str, b->nstr);
	return out;
}

static void set_hdr(struct blob *bl, u32 field, u32 v)
{
	put32(bl->p + field, v);
}

static u32 hdr(const struct blob *bl, u32 field)
{
	return get32(bl->p + field);
}

static int open_blob(struct blob *bl, struct fdt *f)
{
	return fdt_open(f, bl->p, bl->size);
}

static int open_and_free(struct blob bl)
{
	struct fdt f;
	int err = open_blob(&bl, &f);

	free(bl.p);
	return err;
}

static struct blob copy_exact(const void *data, u32 len)
{
	struct blob bl = {malloc(len ? len : 1), len};

	memcpy(bl.p, data, len);
	return bl;
}

/* The tree most accessor tests run against:
 *
 * / { #address-cells=2; #size-cells=2; compatible="acme,board"; empty;
 *   memory@80000000 { device_type="memory"; reg=<0 0x80000000 1 0>, <8 0 0 0x40000000>; }
 *   soc { #address-cells=1; #size-cells=1;
 *     uart@1000 { compatible="acme,uart-v2","ns16550a"; reg=<0x1000 0x100>; status="okay"; }
 *     uart@2000 { compatible="ns16550a"; reg=<0x2000 0x100>; status="disabled"; }
 *     timer@3000 { compatible="acme,timer"; reg=<0x3000 0x10 0x4000 0x20>; status="ok"; } }
 *   cpus { #address-cells=1; #size-cells=0; cpu@0 {..reg=<0>} cpu@1 {..reg=<1>} }
 *   chosen { bootargs="console=ttyAMA0"; }
 *   wide { #address-cells=3; child { reg=<1 2 3 4 5>; } } }
 * with two memory reservations. */
static void sample_tree(struct bld *b)
{
	b_tok(b, FDT_NOP);
	b_begin(b, "");
	b_prop_cells(b, "#address-cells", 1, 2);
	b_prop_cells(b, "#size-cells", 1, 2);
	b_tok(b, FDT_NOP);
	b_prop_str(b, "compatible", "acme,board");
	b_prop(b, "empty", "", 0);
	b_begin(b, "memory@80000000");
	b_prop_str(b, "device_type", "memory");
	b_prop_cells(b, "reg", 8, 0, 0x80000000, 1, 0, 8, 0, 0, 0x40000000);
	b_end(b);
	b_begin(b, "soc");
	b_prop_cells(b, "#address-cells", 1, 1);
	b_prop_cells(b, "#size-cells", 1, 1);
	b_begin(b, "uart@1000");
	b_prop(b, "compatible", "acme,uart-v2\0ns16550a", sizeof("acme,uart-v2\0ns16550a"));
	b_prop_cells(b, "reg", 2, 0x1000, 0x100);
	b_prop_str(b, "status", "okay");
	b_end(b);
	b_begin(b, "uart@2000");
	b_prop_str(b, "compatible", "ns16550a");
	b_prop_cells(b, "reg", 2, 0x2000, 0x100);
	b_prop_str(b, "status", "disabled");
	b_end(b);
	b_begin(b, "timer@3000");
	b_prop_str(b, "compatible", "acme,timer");
	b_prop_cells(b, "reg", 4, 0x3000, 0x10, 0x4000, 0x20);
	b_prop_str(b, "status", "ok");
	b_end(b);
	b_end(b);
	b_begin(b, "cpus");
	b_prop_cells(b, "#address-cells", 1, 1);
	b_prop_cells(b, "#size-cells", 1, 0);
	b_begin(b, "cpu@0");
	b_prop_str(b, "device_type", "cpu");
	b_prop_cells(b, "reg", 1, 0);
	b_end(b);
	b_begin(b, "cpu@1");
	b_prop_str(b, "device_type", "cpu");
	b_prop_cells(b, "reg", 1, 1);
	b_end(b);
	b_end(b);
	b_begin(b, "chosen");
	b_prop_str(b, "bootargs", "console=ttyAMA0");
	b_end(b);
	b_begin(b, "wide");
	b_prop_cells(b, "#address-cells", 1, 3);
	b_begin(b, "child");
	b_prop_cells(b, "reg", 5, 1, 2, 3, 4, 5);
	b_end(b);
	b_end(b);
	b_end(b);
	b_tok(b, FDT_END);
	b_rsv(b, 0x100001000ULL, 0x2000);
	b_rsv(b, 0x8000000000000000ULL, 0xfffffffffffff000ULL);
}

static struct bld bld;

static struct blob sample_blob(void)
{
	memset(&bld, 0, sizeof(bld));
	sample_tree(&bld);
	return b_finish(&bld);
}

/* A blob whose struct block is exactly the tokens the caller adds. */
static void raw_start(void)
{
	memset(&bld, 0, sizeof(bld));
	b_string(&bld, "prop");
	b_string(&bld, "other");
}

/* ------------------------------------------------------------ header */

static void test_valid_blob(void)
{
	struct blob bl = sample_blob();
	struct fdt f;

	CHECK_EQ(open_blob(&bl, &f), 0);
	CHECK(f.blob == bl.p);
	CHECK_EQ(f.totalsize, bl.size);
	CHECK_EQ(f.off_struct, hdr(&bl, H_OFF_STRUCT));
	CHECK_EQ(f.size_struct, hdr(&bl, H_SIZE_STRUCT));
	CHECK_EQ(f.off_strings, hdr(&bl, H_OFF_STRINGS));
	CHECK_EQ(f.size_strings, hdr(&bl, H_SIZE_STRINGS));
	CHECK_EQ(f.off_rsvmap, 40);
	/* A bigger buffer than the blob is fine. */
	CHECK_EQ(fdt_open(&f, bl.p, (u64)bl.size + 4096), 0);
	free(bl.p);
}

static void test_strerror(void)
{
	int e, j;

	CHECK(!strcmp(fdt_strerror(FDT_ERR_BADMAGIC), "bad magic"));
	CHECK(!strcmp(fdt_strerror(FDT_ERR_TRUNCATED), "truncated"));
	CHECK(!strcmp(fdt_strerror(1), "unknown error"));
	CHECK(!strcmp(fdt_strerror(-1000), "unknown error"));
	CHECK(!strcmp(fdt_strerror(INT32_MIN), "unknown error"));
	/* Every code has its own text. */
	for (e = FDT_ERR_TRUNCATED; e >= FDT_ERR_BADVALUE; e--) {
		CHECK(strcmp(fdt_strerror(e), "unknown error") != 0);
		for (j = e - 1; j >= FDT_ERR_BADVALUE; j--)
			CHECK(strcmp(fdt_strerror(e), fdt_strerror(j)) != 0);
	}
}

static void test_bad_magic(void)
{
	struct blob bl = sample_blob();
	struct fdt f;

	set_hdr(&bl, H_MAGIC, 0xedfe0dd0); /* byte-swapped */
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADMAGIC);
	CHECK(f.blob == NULL);
	CHECK_EQ(f.size_struct, 0);
	free(bl.p);
}

static void test_bad_version(void)
{
	struct blob bl = sample_blob();
	struct fdt f;

	set_hdr(&bl, H_VERSION, 15);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADVERSION);
	set_hdr(&bl, H_VERSION, 17);
	set_hdr(&bl, H_LAST_COMP, 18);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADVERSION);
	set_hdr(&bl, H_LAST_COMP, 17);
	CHECK_EQ(open_blob(&bl, &f), 0);
	free(bl.p);
}

/* v16 has no size_dt_struct; the walk has to find the end itself. */
static void test_version16(void)
{
	struct blob bl = sample_blob();
	u32 real = hdr(&bl, H_SIZE_STRUCT);
	struct fdt f;

	set_hdr(&bl, H_VERSION, 16);
	set_hdr(&bl, H_SIZE_STRUCT, 0xdeadbeef);
	CHECK_EQ(open_blob(&bl, &f), 0);
	CHECK_EQ(f.size_struct, real);
	CHECK(fdt_path_offset(&f, "/soc/uart@2000") >= 0);
	free(bl.p);
}

static void test_totalsize_vs_max_size(void)
{
	struct blob bl = sample_blob();
	struct fdt f;

	CHECK_EQ(fdt_open(&f, bl.p, bl.size - 1), FDT_ERR_TRUNCATED);
	CHECK_EQ(fdt_open(&f, bl.p, 39), FDT_ERR_TRUNCATED);
	CHECK_EQ(fdt_open(&f, NULL, bl.size), FDT_ERR_TRUNCATED);
	set_hdr(&bl, H_TOTALSIZE, bl.size + 1);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_TRUNCATED);
	free(bl.p);
}

static void test_totalsize_too_small(void)
{
	struct blob bl = sample_blob();
	struct fdt f;

	set_hdr(&bl, H_TOTALSIZE, 39);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADHEADER);
	set_hdr(&bl, H_TOTALSIZE, 0);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADHEADER);
	/* Big enough for the header but not the blocks it names. */
	set_hdr(&bl, H_TOTALSIZE, 40);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	/* Over 2 GiB is refused even if the caller claims the memory. */
	set_hdr(&bl, H_TOTALSIZE, 0x80000000u);
	CHECK_EQ(fdt_open(&f, bl.p, ~0ULL), FDT_ERR_BADHEADER);
	free(bl.p);
}

/* Every proper prefix of a valid blob, in a buffer of exactly that size. */
static void test_truncated_blob(void)
{
	struct blob bl = sample_blob();
	struct blob cut;
	u32 n;
	int bad = 0;

	for (n = 0; n < bl.size; n++) {
		cut = copy_exact(bl.p, n);
		bad += open_and_free(cut) != FDT_ERR_TRUNCATED;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(open_and_free(copy_exact(bl.p, bl.size)), 0);
	free(bl.p);
}

static void test_struct_out_of_range(void)
{
	struct blob bl = sample_blob();
	u32 size = hdr(&bl, H_SIZE_STRUCT), off = hdr(&bl, H_OFF_STRUCT);
	struct fdt f;

	set_hdr(&bl, H_SIZE_STRUCT, bl.size - off + 1);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_SIZE_STRUCT, bl.size - off); /* exactly to the end is legal */
	CHECK_EQ(open_blob(&bl, &f), 0);
	set_hdr(&bl, H_SIZE_STRUCT, size);
	set_hdr(&bl, H_OFF_STRUCT, bl.size + 4);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_OFF_STRUCT, 0); /* on top of the header */
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	free(bl.p);
}

static void test_strings_out_of_range(void)
{
	struct blob bl = sample_blob();
	u32 size = hdr(&bl, H_SIZE_STRINGS);
	struct fdt f;

	set_hdr(&bl, H_SIZE_STRINGS, size + 1);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_SIZE_STRINGS, size);
	set_hdr(&bl, H_OFF_STRINGS, bl.size - size + 1);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_OFF_STRINGS, 8);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	free(bl.p);
}

/* off + size wraps to something small that a naive check would accept. */
static void test_offset_overflow(void)
{
	struct blob bl = sample_blob();
	u32 st_off = hdr(&bl, H_OFF_STRUCT), st_size = hdr(&bl, H_SIZE_STRUCT);
	u32 str_off = hdr(&bl, H_OFF_STRINGS), str_size = hdr(&bl, H_SIZE_STRINGS);
	struct fdt f;

	set_hdr(&bl, H_OFF_STRUCT, 0xfffffff0u);
	set_hdr(&bl, H_SIZE_STRUCT, 0x20); /* wraps to 0x10 */
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_OFF_STRUCT, st_off);
	set_hdr(&bl, H_SIZE_STRUCT, 0u - st_off + 8); /* wraps to 8 */
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_SIZE_STRUCT, st_size);
	set_hdr(&bl, H_OFF_STRINGS, 0xffffff00u);
	set_hdr(&bl, H_SIZE_STRINGS, 0x100 + 48);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_OFF_STRINGS, str_off);
	set_hdr(&bl, H_SIZE_STRINGS, 0xffffffffu);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_SIZE_STRINGS, str_size);
	set_hdr(&bl, H_OFF_RSVMAP, 0xfffffff8u);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_OFF_RSVMAP, 40);
	CHECK_EQ(open_blob(&bl, &f), 0);
	free(bl.p);
}

static void test_misaligned_blocks(void)
{
	struct blob bl = sample_blob();
	u32 off = hdr(&bl, H_OFF_STRUCT);
	struct fdt f;

	set_hdr(&bl, H_OFF_STRUCT, off + 2);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADALIGN);
	set_hdr(&bl, H_OFF_STRUCT, off);
	set_hdr(&bl, H_OFF_RSVMAP, 44);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADALIGN);
	free(bl.p);
}

static void test_rsvmap_layout(void)
{
	struct blob bl;
	struct fdt f;

	memset(&bld, 0, sizeof(bld));
	sample_tree(&bld);
	bld.layout = RSV_LAST;
	bl = b_finish(&bld);
	CHECK_EQ(open_blob(&bl, &f), 0);
	CHECK_EQ(fdt_num_memreserve(&f), 2);
	/* Clobber the terminator: the map now runs off the end of the blob. */
	bl.p[bl.size - 1] = 1;
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADRSVMAP);
	set_hdr(&bl, H_OFF_RSVMAP, bl.size - 8);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	set_hdr(&bl, H_OFF_RSVMAP, 32); /* inside the header */
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADLAYOUT);
	free(bl.p);
}

/* ------------------------------------------------------------ structure */

static void test_minimal_tree(void)
{
	raw_start();
	b_begin(&bld, "");
	b_end(&bld);
	b_tok(&bld, FDT_END);
	CHECK_EQ(open_and_free(b_finish(&bld)), 0);
}

static void test_unterminated_name(void)
{
	raw_start();
	b_tok(&bld, FDT_BEGIN_NODE);
	b_raw(&bld, "abcdefgh", 8);
	/* The strings block right behind holds NULs; they must not end the name. */
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADNAME);
	bld.layout = STRUCT_LAST;
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADNAME);

	raw_start();
	b_begin(&bld, "");
	b_tok(&bld, FDT_BEGIN_NODE);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADNAME);
}

static void test_prop_past_block(void)
{
	/* 12 bytes (data, END_NODE, END) follow the property header; 13 is one
	 * too many and 0xfffffffc wraps the offset to just before the header. */
	static const u32 lens[] = {13, 0x100, 0x7fffffff, 0xfffffffc, 0xffffffff};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		raw_start();
		b_begin(&bld, "");
		b_prop_raw(&bld, 0, lens[i], "\0\0\0\0", 4);
		b_end(&bld);
		b_tok(&bld, FDT_END);
		CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADPROP);
	}
	/* Property header cut short by the end of the block, and of the blob. */
	raw_start();
	b_begin(&bld, "");
	b_tok(&bld, FDT_PROP);
	b_tok(&bld, 0);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADPROP);
	bld.layout = STRUCT_LAST;
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADPROP);
	/* Length that reaches exactly the end of the block is legal but leaves no END. */
	raw_start();
	b_begin(&bld, "");
	b_prop_raw(&bld, 0, 8, "\0\0\0\x02\0\0\0\x09", 8);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_NOEND);
}

static void test_bad_nameoff(void)
{
	struct blob bl;
	struct fdt f;

	raw_start();
	b_begin(&bld, "");
	b_prop_raw(&bld, bld.nstr, 0, "", 0); /* one past the last string */
	b_end(&bld);
	b_tok(&bld, FDT_END);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADSTRING);

	raw_start();
	b_begin(&bld, "");
	b_prop_raw(&bld, 0xffffffffu, 0, "", 0);
	b_end(&bld);
	b_tok(&bld, FDT_END);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADSTRING);

	/* "other" is the last string; shrink the block so its NUL falls outside. */
	raw_start();
	b_begin(&bld, "");
	b_prop_raw(&bld, b_string(&bld, "other"), 0, "", 0);
	b_end(&bld);
	b_tok(&bld, FDT_END);
	bl = b_finish(&bld);
	CHECK_EQ(open_blob(&bl, &f), 0);
	set_hdr(&bl, H_SIZE_STRINGS, hdr(&bl, H_SIZE_STRINGS) - 1);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_BADSTRING);
	free(bl.p);
}

static void test_unbalanced(void)
{
	/* one END_NODE too many */
	raw_start();
	b_begin(&bld, "");
	b_end(&bld);
	b_end(&bld);
	b_tok(&bld, FDT_END);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADNESTING);
	/* ... even when a later BEGIN_NODE makes the count come out even */
	raw_start();
	b_begin(&bld, "");
	b_end(&bld);
	b_end(&bld);
	b_begin(&bld, "");
	b_tok(&bld, FDT_END);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADNESTING);
	/* root never closed */
	raw_start();
	b_begin(&bld, "");
	b_begin(&bld, "a");
	b_end(&bld);
	b_tok(&bld, FDT_END);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADNESTING);
	/* two roots */
	raw_start();
	b_begin(&bld, "");
	b_end(&bld);
	b_begin(&bld, "");
	b_end(&bld);
	b_tok(&bld, FDT_END);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADNESTING);
	/* no root at all */
	raw_start();
	b_tok(&bld, FDT_NOP);
	b_tok(&bld, FDT_END);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADNESTING);
	/* property outside any node */
	raw_start();
	b_prop_raw(&bld, 0, 0, "", 0);
	b_begin(&bld, "");
	b_end(&bld);
	b_tok(&bld, FDT_END);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADNESTING);
}

static void test_missing_end(void)
{
	struct blob bl;
	struct fdt f;

	raw_start();
	b_begin(&bld, "");
	b_end(&bld);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_NOEND);

	/* The END token is in the blob but outside the declared struct block. */
	bl = sample_blob();
	set_hdr(&bl, H_SIZE_STRUCT, hdr(&bl, H_SIZE_STRUCT) - 4);
	CHECK_EQ(open_blob(&bl, &f), FDT_ERR_NOEND);
	free(bl.p);
}

static void test_bad_token(void)
{
	static const u32 toks[] = {0, 5, 8, 10, 0x01000000};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(toks); i++) {
		raw_start();
		b_begin(&bld, "");
		b_tok(&bld, toks[i]);
		b_end(&bld);
		b_tok(&bld, FDT_END);
		CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_BADTOKEN);
	}
}

static void build_nested(int levels)
{
	int i;

	raw_start();
	for (i = 0; i < levels; i++)
		b_begin(&bld, i ? "n" : "");
	for (i = 0; i < levels; i++)
		b_end(&bld);
	b_tok(&bld, FDT_END);
}

static void test_nesting_depth(void)
{
	struct blob bl;
	struct fdt f;
	int node, depth = 0, max = 0, last = -1;

	build_nested(FDT_MAX_DEPTH);
	bl = b_finish(&bld);
	CHECK_EQ(open_blob(&bl, &f), 0);
	for (node = fdt_next_node(&f, -1, &depth); node >= 0;
	     node = fdt_next_node(&f, node, &depth)) {
		max = depth > max ? depth : max;
		last = node;
	}
	CHECK_EQ(max, FDT_MAX_DEPTH - 1);
	CHECK(fdt_parent_offset(&f, last) >= 0);
	free(bl.p);

	build_nested(FDT_MAX_DEPTH + 1);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_TOODEEP);
	build_nested(1000);
	CHECK_EQ(open_and_free(b_finish(&bld)), FDT_ERR_TOODEEP);
}

/* A property value holding a BEGIN_NODE token, at an aligned offset (which
 * an accessor cannot tell from a node, and so reads in bounds) and at an
 * unaligned one (which it must refuse). */
static void test_node_lookalike(void)
{
	static const u8 fake[] = {0, 0, 0, 1, 'x', 0, 0, 0, 1, 'y', 0, 0};
	struct blob bl;
	struct fdt f;
	int data;

	raw_start();
	b_begin(&bld, "");
	b_prop(&bld, "prop", fake, sizeof(fake));
	b_end(&bld);
	b_tok(&bld, FDT_END);
	bl = b_finish(&bld);
	CHECK_EQ(open_blob(&bl, &f), 0);
	data = 8 + 12; /* root BEGIN_NODE "", PROP header */
	CHECK(!memcmp(fdt_getprop(&f, 0, "prop", NULL), fake, sizeof(fake)));
	CHECK(!strcmp(fdt_node_name(&f, data) ?: "", "x"));
	CHECK_EQ(fdt_parent_offset(&f, data), FDT_ERR_BADOFFSET);
	CHECK(fdt_node_name(&f, data + 5) == NULL); /* 00 00 00 01 at data+5 */
	CHECK_EQ(fdt_next_node(&f, data + 5, NULL), FDT_ERR_BADOFFSET);
	free(bl.p);
}

/* ------------------------------------------------------------ accessors */

static struct blob sample;
static struct fdt sf;

static void open_sample(void)
{
	sample = sample_blob();
	CHECK_EQ(open_blob(&sample, &sf), 0);
}

static void close_sample(void)
{
	free(sample.p);
}

static int path(const char *p)
{
	return fdt_path_offset(&sf, p);
}

static const char *name_at(const char *p)
{
	const char *n = fdt_node_name(&sf, path(p));

	return n ? n : "(null)";
}

static void test_walk_order(void)
{
	static const struct {
		const char *name;
		int depth;
	} want[] = {
		{"", 0},	  {"memory@80000000", 1}, {"soc", 1},  {"uart@1000", 2},
		{"uart@2000", 2}, {"timer@3000", 2},	  {"cpus", 1}, {"cpu@0", 2},
		{"cpu@1", 2},	  {"chosen", 1},	  {"wide", 1}, {"child", 2},
	};
	int node, depth = 0, n = 0, soc;

	open_sample();
	for (node = fdt_next_node(&sf, -1, &depth); node >= 0;
	     node = fdt_next_node(&sf, node, &depth), n++) {
		if (n >= (int)ARRAY_SIZE(want))
			break;
		CHECK(!strcmp(fdt_node_name(&sf, node), want[n].name));
		CHECK_EQ(depth, want[n].depth);
	}
	CHECK_EQ(n, ARRAY_SIZE(want));
	CHECK_EQ(node, FDT_ERR_NOTFOUND);
	/* Without a depth pointer the walk runs to the end of the tree. */
	for (n = 0, node = fdt_next_node(&sf, -1, NULL); node >= 0;
	     node = fdt_next_node(&sf, node, NULL))
		n++;
	CHECK_EQ(n, ARRAY_SIZE(want));
	/* With one it stops after the subtree it started in. */
	soc = path("/soc");
	for (n = 0, depth = 0, node = fdt_next_node(&sf, soc, &depth); node >= 0;
	     node = fdt_next_node(&sf, node, &depth))
		n++;
	CHECK_EQ(n, 3);
	close_sample();
}

static void test_path_lookup(void)
{
	int mem;

	open_sample();
	CHECK_EQ(path("/"), fdt_next_node(&sf, -1, NULL));
	CHECK(!strcmp(name_at("/"), ""));
	CHECK(!strcmp(name_at("/soc"), "soc"));
	CHECK(!strcmp(name_at("/chosen"), "chosen"));
	CHECK(!strcmp(name_at("/soc/uart@2000"), "uart@2000"));
	CHECK(!strcmp(name_at("/soc/timer"), "timer@3000"));
	CHECK(!strcmp(name_at("/cpus/cpu"), "cpu@0")); /* first match wins */
	mem = path("/memory@80000000");
	CHECK(mem > 0);
	CHECK_EQ(path("/memory"), mem);
	CHECK_EQ(path("//memory/"), mem);
	CHECK_EQ(path("/memory@8"), FDT_ERR_NOTFOUND); /* no prefix match on unit addresses */
	CHECK_EQ(path("/memory@800000000"), FDT_ERR_NOTFOUND);
	CHECK_EQ(path("/mem"), FDT_ERR_NOTFOUND); /* no prefix match on names */
	CHECK_EQ(path("/memory@80000000x"), FDT_ERR_NOTFOUND);
	CHECK_EQ(path("/uart@1000"), FDT_ERR_NOTFOUND); /* grandchildren are not children */
	CHECK_EQ(path("/soc/uart@1000/x"), FDT_ERR_NOTFOUND);
	CHECK_EQ(path("/nope"), FDT_ERR_NOTFOUND);
	CHECK_EQ(path("soc"), FDT_ERR_BADPATH);
	CHECK_EQ(path(""), FDT_ERR_BADPATH);
	CHECK_EQ(fdt_path_offset(&sf, NULL), FDT_ERR_BADPATH);
	close_sample();

	/* A component with '@' matches exactly, even against a malformed name. */
	raw_start();
	b_begin(&bld, "");
	b_begin(&bld, "odd@1@2");
	b_end(&bld);
	b_end(&bld);
	b_tok(&bld, FDT_END);
	sample = b_finish(&bld);
	CHECK_EQ(open_blob(&sample, &sf), 0);
	CHECK_EQ(path("/odd@1"), FDT_ERR_NOTFOUND);
	CHECK(path("/odd@1@2") > 0);
	CHECK_EQ(path("/odd"), path("/odd@1@2"));
	close_sample();
}

static void test_parent(void)
{
	open_sample();
	CHECK_EQ(fdt_parent_offset(&sf, path("/soc/uart@2000")), path("/soc"));
	CHECK_EQ(fdt_parent_offset(&sf, path("/wide/child")), path("/wide"));
	CHECK_EQ(fdt_parent_offset(&sf, path("/cpus")), path("/"));
	CHECK_EQ(fdt_parent_offset(&sf, path("/")), FDT_ERR_NOTFOUND);
	close_sample();
}

/* Offsets that do not name a node are refused, not misread. */
static void test_bad_offsets(void)
{
	static const int bad[] = {-1, 1, 2, 3, 0x7ffffffc, INT32_MIN};
	u32 len = 1234;
	u64 a = 0, s = 0;
	unsigned i;
	int prop_off;

	open_sample();
	prop_off = path("/soc") + 8; /* the PROP token after "soc\0" */
	for (i = 0; i < ARRAY_SIZE(bad) + 2; i++) {
		int off = i < ARRAY_SIZE(bad)	 ? bad[i]
			  : i == ARRAY_SIZE(bad) ? prop_off
						 : (int)sf.size_struct;

		CHECK(fdt_node_name(&sf, off) == NULL);
		CHECK(fdt_getprop(&sf, off, "reg", &len) == NULL);
		CHECK_EQ(len, 1234);
		CHECK_EQ(fdt_parent_offset(&sf, off), FDT_ERR_BADOFFSET);
		CHECK_EQ(fdt_read_reg(&sf, off, 0, &a, &s), FDT_ERR_BADOFFSET);
		CHECK_EQ(fdt_addr_cells(&sf, off), FDT_ERR_BADOFFSET);
		CHECK_EQ(fdt_size_cells(&sf, off), FDT_ERR_BADOFFSET);
		CHECK(!fdt_status_okay(&sf, off));
		CHECK(!fdt_is_compatible(&sf, off, "ns16550a"));
		if (off >= 0)
			CHECK_EQ(fdt_next_node(&sf, off, NULL), FDT_ERR_BADOFFSET);
	}
	close_sample();
}

static void test_getprop(void)
{
	const u8 *p;
	u32 len = 99, v = 0;
	int root;

	open_sample();
	root = path("/");
	p = fdt_getprop(&sf, root, "compatible", &len);
	CHECK(p && len == sizeof("acme,board") && !memcmp(p, "acme,board", len));
	p = fdt_getprop(&sf, root, "empty", &len); /* present but empty is not absent */
	CHECK(p != NULL);
	CHECK_EQ(len, 0);
	CHECK(fdt_getprop(&sf, root, "compat", NULL) == NULL);	    /* prefix */
	CHECK(fdt_getprop(&sf, root, "compatiblex", NULL) == NULL); /* longer */
	CHECK(fdt_getprop(&sf, root, "bootargs", NULL) == NULL);    /* belongs to /chosen */
	CHECK(fdt_getprop(&sf, path("/chosen"), "bootargs", NULL) != NULL);
	CHECK(fdt_getprop(&sf, path("/soc"), "reg", NULL) == NULL); /* children's reg is not ours */
	CHECK(fdt_prop_u32(&sf, path("/wide"), "#address-cells", &v));
	CHECK_EQ(v, 3);
	CHECK(!fdt_prop_u32(&sf, root, "compatible", &v)); /* wrong length */
	CHECK(!fdt_prop_u32(&sf, root, "empty", &v));
	CHECK(!fdt_prop_u32(&sf, root, "missing", &v));
	close_sample();
}

static void test_cells(void)
{
	open_sample();
	CHECK_EQ(fdt_addr_cells(&sf, path("/")), 2);
	CHECK_EQ(fdt_size_cells(&sf, path("/")), 2);
	CHECK_EQ(fdt_addr_cells(&sf, path("/soc")), 1);
	CHECK_EQ(fdt_size_cells(&sf, path("/cpus")), 0);
	CHECK_EQ(fdt_addr_cells(&sf, path("/chosen")), 2); /* defaults */
	CHECK_EQ(fdt_size_cells(&sf, path("/chosen")), 1);
	CHECK_EQ(fdt_addr_cells(&sf, path("/wide")), 3);
	close_sample();
}

static void test_reg_two_cells(void)
{
	int mem;
	u64 a = 0, s = 0;

	open_sample();
	mem = path("/memory");
	CHECK_EQ(fdt_read_reg(&sf, mem, 0, &a, &s), 0);
	CHECK_EQ(a, 0x80000000);
	CHECK_EQ(s, 0x100000000ULL);
	CHECK_EQ(fdt_read_reg(&sf, mem, 1, &a, &s), 0);
	CHECK_EQ(a, 0x800000000ULL);
	CHECK_EQ(s, 0x40000000);
	CHECK_EQ(fdt_read_reg(&sf, mem, 0, NULL, NULL), 0);
	close_sample();
}

static void test_reg_one_cell(void)
{
	int timer;
	u64 a = 0, s = 0;

	open_sample();
	CHECK_EQ(fdt_read_reg(&sf, path("/soc/uart@2000"), 0, &a, &s), 0);
	CHECK_EQ(a, 0x2000);
	CHECK_EQ(s, 0x100);
	timer = path("/soc/timer");
	CHECK_EQ(fdt_read_reg(&sf, timer, 1, &a, &s), 0);
	CHECK_EQ(a, 0x4000);
	CHECK_EQ(s, 0x20);
	/* #size-cells = 0: reg is a bare id */
	s = 77;
	CHECK_EQ(fdt_read_reg(&sf, path("/cpus/cpu@1"), 0, &a, &s), 0);
	CHECK_EQ(a, 1);
	CHECK_EQ(s, 0);
	close_sample();
}

static void test_reg_errors(void)
{
	u64 a = 0x55, s = 0x66;

	open_sample();
	CHECK_EQ(fdt_read_reg(&sf, path("/memory"), 2, &a, &s), FDT_ERR_RANGE);
	CHECK_EQ(fdt_read_reg(&sf, path("/memory"), -1, &a, &s), FDT_ERR_RANGE);
	CHECK_EQ(fdt_read_reg(&sf, path("/soc/timer"), 2, &a, &s), FDT_ERR_RANGE);
	CHECK_EQ(fdt_read_reg(&sf, path("/cpus/cpu@0"), 1, &a, &s), FDT_ERR_RANGE);
	CHECK_EQ(fdt_read_reg(&sf, path("/wide/child"), 0, &a, &s), FDT_ERR_BADCELLS);
	CHECK_EQ(fdt_read_reg(&sf, path("/chosen"), 0, &a, &s), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_read_reg(&sf, path("/"), 0, &a, &s), FDT_ERR_NOTFOUND);
	CHECK_EQ(a, 0x55); /* failures leave the outputs alone */
	CHECK_EQ(s, 0x66);
	close_sample();
}

/* Malformed #*-cells values are reported, and a reg whose length is not a
 * whole number of entries only exposes the whole ones. */
static void test_reg_malformed(void)
{
	struct blob bl;
	struct fdt f;
	u64 a, s;
	int n;

	raw_start();
	b_begin(&bld, "");
	b_prop_cells(&bld, "#address-cells", 1, 0);
	b_begin(&bld, "zero");
	b_prop_cells(&bld, "reg", 2, 1, 2);
	b_end(&bld);
	b_begin(&bld, "huge");
	b_prop_cells(&bld, "#address-cells", 1, 0x80000001u);
	b_prop(&bld, "#size-cells", "\0\0\0\1\0", 5);
	b_begin(&bld, "kid");
	b_prop_cells(&bld, "reg", 2, 1, 2);
	b_end(&bld);
	b_end(&bld);
	b_begin(&bld, "bent");
	b_prop_cells(&bld, "#address-cells", 1, 1);
	b_prop(&bld, "#size-cells", "\0\0\0\1\0", 5);
	b_begin(&bld, "kid");
	b_prop_cells(&bld, "reg", 2, 1, 2);
	b_end(&bld);
	b_end(&bld);
	b_begin(&bld, "wide");
	b_prop_cells(&bld, "#address-cells", 1, 1);
	b_prop_cells(&bld, "#size-cells", 1, 3);
	b_begin(&bld, "w");
	b_prop_cells(&bld, "reg", 4, 1, 2, 3, 4);
	b_end(&bld);
	b_end(&bld);
	b_begin(&bld, "ragged");
	b_prop_cells(&bld, "#address-cells", 1, 1);
	b_prop_cells(&bld, "#size-cells", 1, 1);
	b_begin(&bld, "r");
	b_prop_cells(&bld, "reg", 3, 0x10, 0x20, 0x30);
	b_end(&bld);
	b_end(&bld);
	b_end(&bld);
	b_tok(&bld, FDT_END);
	bl = b_finish(&bld);
	CHECK_EQ(open_blob(&bl, &f), 0);
	CHECK_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/zero"), 0, &a, &s), FDT_ERR_BADCELLS);
	n = fdt_path_offset(&f, "/huge");
	CHECK_EQ(fdt_addr_cells(&f, n), FDT_ERR_BADCELLS);
	CHECK_EQ(fdt_size_cells(&f, n), FDT_ERR_BADVALUE);
	CHECK_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/huge/kid"), 0, &a, &s), FDT_ERR_BADCELLS);
	CHECK_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/bent/kid"), 0, &a, &s), FDT_ERR_BADVALUE);
	CHECK_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/wide/w"), 0, &a, &s), FDT_ERR_BADCELLS);
	n = fdt_path_offset(&f, "/ragged/r");
	CHECK_EQ(fdt_read_reg(&f, n, 0, &a, &s), 0);
	CHECK_EQ(a, 0x10);
	CHECK_EQ(s, 0x20);
	CHECK_EQ(fdt_read_reg(&f, n, 1, &a, &s), FDT_ERR_RANGE);
	free(bl.p);
}

static void test_compatible(void)
{
	int uart1, uart2, n;

	open_sample();
	uart1 = path("/soc/uart@1000");
	uart2 = path("/soc/uart@2000");
	CHECK(fdt_is_compatible(&sf, uart1, "acme,uart-v2"));
	CHECK(fdt_is_compatible(&sf, uart1, "ns16550a")); /* second entry */
	CHECK(!fdt_is_compatible(&sf, uart1, "ns16550")); /* prefix of an entry */
	CHECK(!fdt_is_compatible(&sf, uart1, "ns16550ab"));
	CHECK(!fdt_is_compatible(&sf, uart1, "acme"));
	CHECK(!fdt_is_compatible(&sf, uart1, ""));
	CHECK(!fdt_is_compatible(&sf, path("/chosen"), "ns16550a")); /* no compatible */
	CHECK_EQ(fdt_find_compatible(&sf, -1, "ns16550a"), uart1);
	CHECK_EQ(fdt_find_compatible(&sf, uart1, "ns16550a"), uart2);
	CHECK_EQ(fdt_find_compatible(&sf, uart2, "ns16550a"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_find_compatible(&sf, -1, "acme,board"), path("/"));
	CHECK_EQ(fdt_find_compatible(&sf, -1, "acme,timer"), path("/soc/timer@3000"));
	CHECK_EQ(fdt_find_compatible(&sf, -1, "nothing"), FDT_ERR_NOTFOUND);
	for (n = 0, uart1 = -1; (uart1 = fdt_find_compatible(&sf, uart1, "ns16550a")) >= 0;)
		n++;
	CHECK_EQ(n, 2);
	close_sample();
}

/* The last stringlist entry only counts if it is NUL-terminated. */
static void test_compatible_unterminated(void)
{
	struct blob bl;
	struct fdt f;
	int root;

	raw_start();
	b_begin(&bld, "");
	b_prop(&bld, "compatible", "a,b\0c,d", 7);
	b_prop(&bld, "device_type", "cpuX", 4); /* "cpu" + a byte that is not NUL */
	b_end(&bld);
	b_tok(&bld, FDT_END);
	bl = b_finish(&bld);
	CHECK_EQ(open_blob(&bl, &f), 0);
	root = fdt_path_offset(&f, "/");
	CHECK(fdt_is_compatible(&f, root, "a,b"));
	CHECK(!fdt_is_compatible(&f, root, "c,d"));
	CHECK_EQ(fdt_find_device_type(&f, -1, "cpu"), FDT_ERR_NOTFOUND);
	free(bl.p);
}

static void test_device_type(void)
{
	int cpu, n = 0;

	open_sample();
	CHECK_EQ(fdt_find_device_type(&sf, -1, "memory"), path("/memory"));
	for (cpu = -1; (cpu = fdt_find_device_type(&sf, cpu, "cpu")) >= 0; n++)
		CHECK_EQ(fdt_parent_offset(&sf, cpu), path("/cpus"));
	CHECK_EQ(n, 2);
	CHECK_EQ(fdt_find_device_type(&sf, -1, "cp"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_find_device_type(&sf, -1, "cpus"), FDT_ERR_NOTFOUND);
	close_sample();
}

static void test_status(void)
{
	open_sample();
	CHECK(fdt_status_okay(&sf, path("/soc/uart@1000")));  /* "okay" */
	CHECK(!fdt_status_okay(&sf, path("/soc/uart@2000"))); /* "disabled" */
	CHECK(fdt_status_okay(&sf, path("/soc/timer@3000"))); /* "ok" */
	CHECK(fdt_status_okay(&sf, path("/chosen")));	      /* absent */
	close_sample();

	raw_start();
	b_begin(&bld, "");
	b_prop(&bld, "status", "okay", 4); /* no NUL */
	b_begin(&bld, "a");
	b_prop_str(&bld, "status", "okayish");
	b_end(&bld);
	b_end(&bld);
	b_tok(&bld, FDT_END);
	sample = b_finish(&bld);
	CHECK_EQ(open_blob(&sample, &sf), 0);
	CHECK(!fdt_status_okay(&sf, path("/")));
	CHECK(!fdt_status_okay(&sf, path("/a")));
	close_sample();
}

static void test_memreserve(void)
{
	u64 a = 0, s = 0;

	open_sample();
	CHECK_EQ(fdt_num_memreserve(&sf), 2);
	CHECK_EQ(fdt_get_memreserve(&sf, 0, &a, &s), 0);
	CHECK_EQ(a, 0x100001000ULL);
	CHECK_EQ(s, 0x2000);
	CHECK_EQ(fdt_get_memreserve(&sf, 1, &a, &s), 0);
	CHECK_EQ(a, 0x8000000000000000ULL);
	CHECK_EQ(s, 0xfffffffffffff000ULL);
	CHECK_EQ(fdt_get_memreserve(&sf, 2, &a, &s), FDT_ERR_RANGE);
	CHECK_EQ(fdt_get_memreserve(&sf, -1, &a, &s), FDT_ERR_RANGE);
	close_sample();

	/* An entry with size 0 but nonzero address is not the terminator. */
	memset(&bld, 0, sizeof(bld));
	sample_tree(&bld);
	bld.nrsv = 0;
	b_rsv(&bld, 0x1000, 0);
	sample = b_finish(&bld);
	CHECK_EQ(open_blob(&sample, &sf), 0);
	CHECK_EQ(fdt_num_memreserve(&sf), 1);
	close_sample();
}

/* A failed open leaves a handle every accessor can be called on safely. */
static void test_failed_handle(void)
{
	struct fdt f;
	u64 a, s;

	CHECK_EQ(fdt_open(&f, "garbage garbage garbage garbage garbage!", 41), FDT_ERR_BADMAGIC);
	CHECK_EQ(fdt_next_node(&f, -1, NULL), FDT_ERR_NOEND);
	CHECK_EQ(fdt_path_offset(&f, "/"), FDT_ERR_NOEND);
	CHECK_EQ(fdt_num_memreserve(&f), 0);
	CHECK_EQ(fdt_get_memreserve(&f, 0, &a, &s), FDT_ERR_RANGE);
	CHECK(fdt_getprop(&f, 0, "x", NULL) == NULL);
}

/* fdt_open's promise only holds for the bytes it saw.  Scribble over a
 * validated blob and make sure nothing reads outside it; ASan is the judge. */
static void poke_everything(const struct fdt *f)
{
	static const char *const names[] = {"reg", "compatible", "status", "#address-cells"};
	int node, depth = 0, guard = 0, off, i;
	u64 a, s;
	u32 v, len;

	for (node = fdt_next_node(f, -1, &depth); node >= 0 && guard++ < 10000;
	     node = fdt_next_node(f, node, &depth)) {
		fdt_node_name(f, node);
		fdt_parent_offset(f, node);
		for (i = 0; i < (int)ARRAY_SIZE(names); i++) {
			fdt_getprop(f, node, names[i], &len);
			fdt_prop_u32(f, node, names[i], &v);
		}
		fdt_read_reg(f, node, 0, &a, &s);
		fdt_read_reg(f, node, 1, &a, &s);
		fdt_is_compatible(f, node, "ns16550a");
		fdt_status_okay(f, node);
	}
	for (off = 0; off <= (int)f->size_struct + 8; off += 4) {
		fdt_node_name(f, off);
		fdt_next_node(f, off, NULL);
		fdt_getprop(f, off, "reg", &len);
	}
	fdt_path_offset(f, "/soc/uart");
	fdt_find_compatible(f, -1, "x");
	fdt_find_device_type(f, -1, "cpu");
}

static void test_mutation_after_open(void)
{
	u32 seed = 12345, i, k;
	struct fdt f;
	struct blob bl = sample_blob();
	u8 *orig = malloc(bl.size);

	memcpy(orig, bl.p, bl.size);
	for (i = 0; i < 3000; i++) {
		memcpy(bl.p, orig, bl.size);
		CHECK_EQ(open_blob(&bl, &f), 0);
		for (k = 0; k < 1 + i % 8; k++) {
			seed = seed * 1103515245 + 12345;
			/* Aim at the struct and strings blocks, where it hurts. */
			bl.p[f.off_struct + (seed >> 8) % (bl.size - f.off_struct)] = seed >> 24;
		}
		poke_everything(&f);
	}
	free(orig);
	free(bl.p);
}

/* Turn the innermost END_NODE of a maximal tree into a BEGIN_NODE, which
 * makes the tree one level deeper than fdt_open allowed. */
static void test_deepened_after_open(void)
{
	struct blob bl;
	struct fdt f;
	int node, depth = 0, deepest = -1;
	u32 at;

	build_nested(FDT_MAX_DEPTH);
	bl = b_finish(&bld);
	CHECK_EQ(open_blob(&bl, &f), 0);
	for (node = fdt_next_node(&f, -1, &depth); node >= 0;
	     node = fdt_next_node(&f, node, &depth))
		deepest = node;
	at = f.off_struct + deepest + 8; /* BEGIN_NODE "n\0" pad: 8 bytes */
	CHECK_EQ(get32(bl.p + at), FDT_END_NODE);
	put32(bl.p + at, FDT_BEGIN_NODE);
	node = fdt_next_node(&f, deepest, NULL);
	CHECK_EQ(node, deepest + 8);
	CHECK_EQ(fdt_parent_offset(&f, node), FDT_ERR_TOODEEP);
	poke_everything(&f);
	free(bl.p);
}

/* ------------------------------------------------------------ QEMU virt */

static struct blob virt;
static struct fdt vf;

static void open_virt(void)
{
	virt = copy_exact(virt_dtb, virt_dtb_len);
	CHECK_EQ(open_blob(&virt, &vf), 0);
}

static void test_virt_open(void)
{
	int node, n = 0;

	open_virt();
	CHECK_EQ(vf.totalsize, virt_dtb_len);
	CHECK_EQ(fdt_num_memreserve(&vf), 0);
	for (node = fdt_next_node(&vf, -1, NULL); node >= 0; node = fdt_next_node(&vf, node, NULL))
		n++;
	CHECK_EQ(n, 58); /* dtc -O dts | grep -c '{$' */
	CHECK(fdt_is_compatible(&vf, fdt_path_offset(&vf, "/"), "linux,dummy-virt"));
	free(virt.p);
}

static void test_virt_memory(void)
{
	int mem;
	u64 a = 0, s = 0;

	open_virt();
	mem = fdt_find_device_type(&vf, -1, "memory");
	CHECK(mem >= 0);
	CHECK_EQ(fdt_path_offset(&vf, "/memory"), mem);
	CHECK(!strcmp(fdt_node_name(&vf, mem) ?: "", "memory@40000000"));
	CHECK_EQ(fdt_read_reg(&vf, mem, 0, &a, &s), 0);
	CHECK_EQ(a, 0x40000000);
	CHECK_EQ(s, 0x40000000); /* -m 1024 */
	CHECK_EQ(fdt_read_reg(&vf, mem, 1, &a, &s), FDT_ERR_RANGE);
	CHECK_EQ(fdt_find_device_type(&vf, mem, "memory"), FDT_ERR_NOTFOUND);
	free(virt.p);
}

static void test_virt_uart(void)
{
	const char *stdout_path;
	int uart;
	u64 a = 0, s = 0;

	open_virt();
	uart = fdt_find_compatible(&vf, -1, "arm,pl011");
	CHECK(uart >= 0);
	CHECK_EQ(fdt_read_reg(&vf, uart, 0, &a, &s), 0);
	CHECK_EQ(a, 0x09000000);
	CHECK_EQ(s, 0x1000);
	CHECK(fdt_is_compatible(&vf, uart, "arm,primecell"));
	CHECK(fdt_status_okay(&vf, uart));
	CHECK_EQ(fdt_find_compatible(&vf, uart, "arm,pl011"), FDT_ERR_NOTFOUND);
	stdout_path = fdt_getprop(&vf, fdt_path_offset(&vf, "/chosen"), "stdout-path", NULL);
	CHECK(stdout_path && !strcmp(stdout_path, "/pl011@9000000"));
	CHECK_EQ(fdt_path_offset(&vf, stdout_path ?: "/x"), uart);
	free(virt.p);
}

static void test_virt_gic(void)
{
	int gic, its;
	u64 a = 0, s = 0;

	open_virt();
	gic = fdt_find_compatible(&vf, -1, "arm,gic-v3");
	CHECK(gic >= 0);
	CHECK(fdt_getprop(&vf, gic, "interrupt-controller", NULL) != NULL);
	CHECK_EQ(fdt_read_reg(&vf, gic, 0, &a, &s), 0); /* distributor */
	CHECK_EQ(a, 0x08000000);
	CHECK_EQ(s, 0x10000);
	CHECK_EQ(fdt_read_reg(&vf, gic, 1, &a, &s), 0); /* redistributors */
	CHECK_EQ(a, 0x080a0000);
	CHECK_EQ(s, 0xf60000);
	CHECK_EQ(fdt_read_reg(&vf, gic, 2, &a, &s), FDT_ERR_RANGE);
	its = fdt_find_compatible(&vf, -1, "arm,gic-v3-its");
	CHECK_EQ(fdt_parent_offset(&vf, its), gic);
	CHECK_EQ(fdt_read_reg(&vf, its, 0, &a, &s), 0);
	CHECK_EQ(a, 0x08080000);
	CHECK_EQ(s, 0x20000);
	free(virt.p);
}

static void test_virt_cpus(void)
{
	int cpus, cpu, n = 0;
	u64 a, s;
	u32 len;
	const char *method;

	open_virt();
	cpus = fdt_path_offset(&vf, "/cpus");
	CHECK(cpus >= 0);
	CHECK_EQ(fdt_addr_cells(&vf, cpus), 1);
	CHECK_EQ(fdt_size_cells(&vf, cpus), 0);
	for (cpu = -1; (cpu = fdt_find_device_type(&vf, cpu, "cpu")) >= 0; n++) {
		CHECK_EQ(fdt_parent_offset(&vf, cpu), cpus);
		CHECK(fdt_is_compatible(&vf, cpu, "arm,cortex-a57"));
		CHECK_EQ(fdt_read_reg(&vf, cpu, 0, &a, &s), 0);
		CHECK_EQ(a, n);
		CHECK_EQ(s, 0);
		method = fdt_getprop(&vf, cpu, "enable-method", &len);
		CHECK(method && len == 5 && !strcmp(method, "psci"));
	}
	CHECK_EQ(n, 2);
	free(virt.p);
}

static void test_virt_psci_timer(void)
{
	int psci, timer;
	u32 v = 0, len = 0;
	const char *method;

	open_virt();
	psci = fdt_find_compatible(&vf, -1, "arm,psci-0.2"); /* second entry */
	CHECK(psci >= 0);
	CHECK_EQ(fdt_find_compatible(&vf, -1, "arm,psci-1.0"), psci);
	CHECK_EQ(fdt_path_offset(&vf, "/psci"), psci);
	method = fdt_getprop(&vf, psci, "method", NULL);
	CHECK(method && !strcmp(method, "smc"));
	CHECK(fdt_prop_u32(&vf, psci, "cpu_on", &v));
	CHECK_EQ(v, 0xc4000003);
	timer = fdt_find_compatible(&vf, -1, "arm,armv8-timer");
	CHECK(timer >= 0);
	CHECK_EQ(fdt_find_compatible(&vf, -1, "arm,armv7-timer"), timer);
	CHECK(fdt_getprop(&vf, timer, "interrupts", &len) != NULL);
	CHECK_EQ(len, 4 * 12); /* secure, non-secure, virtual, hyp PPIs */
	CHECK(fdt_getprop(&vf, timer, "always-on", &len) != NULL);
	CHECK_EQ(len, 0);
	free(virt.p);
}

int main(void)
{
	RUN_TEST(test_valid_blob);
	RUN_TEST(test_strerror);
	RUN_TEST(test_bad_magic);
	RUN_TEST(test_bad_version);
	RUN_TEST(test_version16);
	RUN_TEST(test_totalsize_vs_max_size);
	RUN_TEST(test_totalsize_too_small);
	RUN_TEST(test_truncated_blob);
	RUN_TEST(test_struct_out_of_range);
	RUN_TEST(test_strings_out_of_range);
	RUN_TEST(test_offset_overflow);
	RUN_TEST(test_misaligned_blocks);
	RUN_TEST(test_rsvmap_layout);
	RUN_TEST(test_minimal_tree);
	RUN_TEST(test_unterminated_name);
	RUN_TEST(test_prop_past_block);
	RUN_TEST(test_bad_nameoff);
	RUN_TEST(test_unbalanced);
	RUN_TEST(test_missing_end);
	RUN_TEST(test_bad_token);
	RUN_TEST(test_nesting_depth);
	RUN_TEST(test_node_lookalike);
	RUN_TEST(test_walk_order);
	RUN_TEST(test_path_lookup);
	RUN_TEST(test_parent);
	RUN_TEST(test_bad_offsets);
	RUN_TEST(test_getprop);
	RUN_TEST(test_cells);
	RUN_TEST(test_reg_two_cells);
	RUN_TEST(test_reg_one_cell);
	RUN_TEST(test_reg_errors);
	RUN_TEST(test_reg_malformed);
	RUN_TEST(test_compatible);
	RUN_TEST(test_compatible_unterminated);
	RUN_TEST(test_device_type);
	RUN_TEST(test_status);
	RUN_TEST(test_memreserve);
	RUN_TEST(test_failed_handle);
	RUN_TEST(test_mutation_after_open);
	RUN_TEST(test_deepened_after_open);
	RUN_TEST(test_virt_open);
	RUN_TEST(test_virt_memory);
	RUN_TEST(test_virt_uart);
	RUN_TEST(test_virt_gic);
	RUN_TEST(test_virt_cpus);
	RUN_TEST(test_virt_psci_timer);
	return check_done();
}
