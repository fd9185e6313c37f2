/* Parser and validator for node VM descriptions (configs/NAME.cfg).
 *
 * Format
 * ------
 * Line oriented.  '#' starts a comment that runs to the end of the line
 * (outside double-quoted strings).  Blank lines are ignored.  The file is a
 * sequence of blocks; each block opens with '{' on its header line, holds
 * one `key = value...` statement per line and closes with '}' alone on the
 * rest of its line (a statement may also end right before the '}').
 *
 *   node {
 *       cpus = 2       # physical CPUs this setup expects (default 1, max 64);
 *                      # every vCPU pinning must be below this
 *       memory = 1024M # board RAM; when given, the VMs' total memory must
 *                      # fit in it minus 64M reserved for the hypervisor
 *   }
 *   vm hello {
 *       image = build/guests/hello.bin    # required (except in a slot),
 *                                          # relative to the cwd
 *       memory = 16M                       # required, multiple of 2M
 *       vcpus = 1                          # 1..8, default 1
 *       cpus = 0 1                         # physical CPU of each vCPU; reused
 *                                          # round-robin if fewer than vcpus;
 *                                          # default: vCPU i on CPU i modulo
 *                                          # the node's cpus
 *       layout = virt                      # virt (RAM at IPA 0x40000000,
 *                                          # default) | identity (IPA == PA)
 *       initrd = path                      # optional
 *       bootargs = "console=ttyAMA0 quiet" # optional, at most 512 chars,
 *                                          # default "console=ttyAMA0"
 *       on_exit = off                      # off (default) | restart
 *       management = no                    # yes | no; at most one VM is yes
 *       slot = no                          # yes | no: a deploy slot (below)
 *       device = 0x0a000000 0x200 irq 48   # passthrough MMIO base and size
 *                                          # (page-aligned) and optionally
 *                                          # 'irq' and 1..4 SPI INTIDs;
 *                                          # repeatable, at most 8 per VM
 *       virtio = 0x0a003e00 irq 79         # a virtio-mmio transport passed
 *                                          # through (its page is mapped; the
 *                                          # DT gets a virtio,mmio node);
 *                                          # needs layout = identity (DMA);
 *                                          # counts as a device
 *   }
 *
 * A slot (`slot = yes`) is a VM whose memory, vCPUs and CPUs are reserved
 * at boot but that has no image until one is deployed into it through the
 * management interface; it starts empty.  It takes no image and no initrd,
 * its bootargs (at most 511 characters here) are the default a deploy may
 * replace, it cannot be the management VM, and its memory counts in the
 * node's total.  Its device tree carries /chosen/bootargs padded with NULs
 * to MGMT_BOOTARGS_MAX (512) bytes and 64-bit linux,initrd-start/-end, so
 * the hypervisor patches them in place at deploy.
 *
 *   vm spare {
 *       slot = yes
 *       memory = 256M
 *       vcpus = 2
 *   }
 *
 * The management VM (`management = yes`) gets the management interface
 * (include/aether_mgmt_abi.h): its device tree, and only its, has the node
 * aether-mgmt@b000000, compatible "aether,mgmt-1", reg = the doorbell page
 * (0x0b000000, 4K) and the shared window (0x0b100000, 256K).
 *
 * There may be at most one node block and 1..16 vm blocks, in any order.
 * VM names are 1..31 characters of a-z, 0-9, '_' and '-', unique.
 * Numbers are decimal or 0x-prefixed hex; memory sizes and device sizes
 * may carry a K, M or G suffix (binary multiples).  Paths may be bare or
 * double-quoted and use only A-Z a-z 0-9 . _ / + , @ -, so they can be
 * pasted into assembler, make and C without quoting.  Strings support the
 * escapes \" and \\ only and cannot span lines.
 *
 * Rules checked beyond syntax: image and initrd exist and are non-empty;
 * memory is a non-zero multiple of 2M (at most 1T); passthrough ranges do
 * not overlap each other, the emulated GIC distributor (0x08000000-
 * 0x0800ffff), redistributors (0x080a0000-0x08ffffff) or UART (0x09000000-
 * 0x09000fff), nor the owning VM's RAM window when its layout is virt, nor,
 * in the management VM, the management doorbell (0x0b000000-0x0b000fff) or
 * window (0x0b100000-0x0b13ffff); a slot has no image or initrd and is not
 * the management VM;
 * INTIDs are SPIs (32..1019), not 33 (the hypervisor's UART) and given only
 * once in the whole file.
 *
 * Errors read "file:line: vm 'name': problem"; the line or the VM is left
 * out when it would not help.  Only the first error is reported. */
#include "vmcfg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TOK_SHOW 64    /* longest token echoed in a message */
#define MAX_VALUES 16  /* a device with 4 irqs needs 7 */

enum tok_kind {
	TOK_EOF,
	TOK_NL,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_EQ,
	TOK_WORD,
	TOK_STRING, /* p/len cover the text between the quotes, still escaped */
};

struct tok {
	enum tok_kind kind;
	const char *p;
	size_t len;
	int line;
};

/* `key = values...` on one line */
struct stmt {
	struct tok key;
	struct tok v[MAX_VALUES];
	unsigned int n;
	int line;
};

struct parser {
	struct vmcfg *cfg;
	const char *file;
	const char *buf;
	size_t len;
	size_t pos;
	int line;
	bool peeked;
	struct tok peek;
	char scope[48]; /* "vm 'name'" or "node" prefix for messages, or "" */
	vmcfg_file_size_fn file_size;
	void *ctx;
};

/* Echo a token in a message without flooding it. */
#define TOKF(t) (int)((t)->len < TOK_SHOW ? (t)->len : TOK_SHOW), (t)->p

/* ------------------------------------------------------------ messages */

static int __attribute__((format(printf, 3, 4)))
fail(struct parser *p, int line, const char *fmt, ...)
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

static void set_scope_vm(struct parser *p, const struct vmcfg_vm *vm)
{
	snprintf(p->scope, sizeof(p->scope), "vm '%s'", vm->name);
}

static void set_scope(struct parser *p, const char *s)
{
	snprintf(p->scope, sizeof(p->scope), "%s", s);
}

void vmcfg_fmt_size(char *out, size_t n, uint64_t bytes)
{
	static const struct {
		uint64_t mult;
		char suffix;
	} units[] = {
		{ 1ULL << 40, 'T' },
		{ 1ULL << 30, 'G' },
		{ 1ULL << 20, 'M' },
		{ 1ULL << 10, 'K' },
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

/* ------------------------------------------------------------ lexer */

static bool is_word_char(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '{' && c != '}' && c != '=' && c != '"' && c != '#';
}

static void skip_blanks(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->buf[p->pos];

		if (c == ' ' || c == '\t' || c == '\r') {
			p->pos++;
		} else if (c == '#') {
			while (p->pos < p->len && p->buf[p->pos] != '\n')
				p->pos++;
		} else {
			break;
		}
	}
}

/* Every printable character is a word character, so only bytes get here. */
static int bad_char(struct parser *p, unsigned char c)
{
	return fail(p, p->line, "unexpected byte 0x%02x", c);
}

/* Only \" and \\ are accepted, so an unescaped copy is never longer. */
static int lex_string(struct parser *p, struct tok *t)
{
	size_t start = ++p->pos;

	while (p->pos < p->len) {
		unsigned char c = (unsigned char)p->buf[p->pos];

		if (c == '"') {
			t->kind = TOK_STRING;
			t->p = p->buf + start;
			t->len = p->pos++ - start;
			return 0;
		}
		if (c == '\n')
			break;
		if (c < ' ' || c >= 0x7f)
			return fail(p, p->line, "unexpected byte 0x%02x in string", c);
		if (c == '\\') {
			char e = p->pos + 1 < p->len ? p->buf[p->pos + 1] : 0;

			if (e != '"' && e != '\\')
				return fail(p, p->line,
					    "unsupported escape in string (only \\\" and \\\\)");
			p->pos++;
		}
		p->pos++;
	}
	return fail(p, t->line, "unterminated string");
}

static int lex(struct parser *p, struct tok *t)
{
	unsigned char c;
	size_t start;

	if (p->peeked) {
		p->peeked = false;
		*t = p->peek;
		return 0;
	}
	skip_blanks(p);
	t->line = p->line;
	t->p = p->buf + p->pos;
	t->len = 1;
	if (p->pos >= p->len) {
		t->kind = TOK_EOF;
		t->len = 0;
		return 0;
	}
	c = (unsigned char)p->buf[p->pos];
	switch (c) {
	case '\n':
		p->line++;
		t->kind = TOK_NL;
		break;
	case '{':
		t->kind = TOK_LBRACE;
		break;
	case '}':
		t->kind = TOK_RBRACE;
		break;
	case '=':
		t->kind = TOK_EQ;
		break;
	case '"':
		return lex_string(p, t);
	default:
		if (!is_word_char(c))
			return bad_char(p, c);
		start = p->pos;
		while (p->pos < p->len && is_word_char((unsigned char)p->buf[p->pos]))
			p->pos++;
		t->kind = TOK_WORD;
		t->len = p->pos - start;
		return 0;
	}
	p->pos++;
	return 0;
}

static int peek(struct parser *p, struct tok *t)
{
	if (!p->peeked) {
		if (lex(p, &p->peek))
			return -1;
		p->peeked = true;
	}
	*t = p->peek;
	return 0;
}

static bool tok_is(const struct tok *t, const char *word)
{
	return t->kind == TOK_WORD && t->len == strlen(word) && !memcmp(t->p, word, t->len);
}

static const char *tok_desc(enum tok_kind k)
{
	switch (k) {
	case TOK_EOF:
		return "end of file";
	case TOK_NL:
		return "end of line";
	case TOK_LBRACE:
		return "'{'";
	case TOK_RBRACE:
		return "'}'";
	case TOK_EQ:
		return "'='";
	case TOK_STRING:
		return "a string";
	case TOK_WORD:
		break;
	}
	return "a word";
}

/* ------------------------------------------------------------ values */

static int one_value(struct parser *p, const struct stmt *s)
{
	if (s->n != 1)
		return fail(p, s->line, "'%.*s' takes one value, got %u", TOKF(&s->key), s->n);
	return 0;
}

static int digit_value(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

static uint64_t suffix_mult(char c)
{
	switch (c) {
	case 'K':
	case 'k':
		return 1ULL << 10;
	case 'M':
	case 'm':
		return 1ULL << 20;
	case 'G':
	case 'g':
		return 1ULL << 30;
	}
	return 0;
}

/* Decimal or 0x hex, with a K/M/G suffix when sized is set. */
static int parse_num(struct parser *p, const struct stmt *s, const struct tok *t, bool sized,
		     uint64_t *out)
{
	unsigned int base = 10;
	size_t i = 0, digits;
	uint64_t v = 0, mult;
	int d;

	if (t->kind != TOK_WORD)
		return fail(p, s->line, "'%.*s' needs a number, not %s", TOKF(&s->key),
			    tok_desc(t->kind));
	if (t->len > 2 && t->p[0] == '0' && (t->p[1] == 'x' || t->p[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (digits = i; i < t->len && (d = digit_value(t->p[i], base)) >= 0; i++) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return fail(p, s->line, "number '%.*s' out of range", TOKF(t));
		v = v * base + (uint64_t)d;
	}
	if (i == digits)
		return fail(p, s->line, "bad number '%.*s'", TOKF(t));
	if (i < t->len) {
		if (!sized)
			return fail(p, s->line, "bad number '%.*s'", TOKF(t));
		mult = suffix_mult(t->p[i]);
		if (!mult || i + 1 != t->len)
			return fail(p, s->line, "bad size suffix in '%.*s' (use K, M or G)", TOKF(t));
		if (v > UINT64_MAX / mult)
			return fail(p, s->line, "number '%.*s' out of range", TOKF(t));
		v *= mult;
	}
	*out = v;
	return 0;
}

static int parse_u32(struct parser *p, const struct stmt *s, const struct tok *t, uint32_t *out)
{
	uint64_t v;

	if (parse_num(p, s, t, false, &v))
		return -1;
	if (v > UINT32_MAX)
		return fail(p, s->line, "number '%.*s' out of range", TOKF(t));
	*out = (uint32_t)v;
	return 0;
}

/* Copies a word or string token, undoing \" and \\. */
static int copy_text(struct parser *p, const struct stmt *s, const struct tok *t, char *out,
		     size_t n, const char *what)
{
	size_t i, o = 0;

	for (i = 0; i < t->len; i++) {
		char c = t->p[i];

		if (t->kind == TOK_STRING && c == '\\')
			c = t->p[++i];
		if (o + 1 >= n)
			return fail(p, s->line, "%s longer than %zu characters", what, n - 1);
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

static bool is_path_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._/+,@-", c);
}

static int parse_path(struct parser *p, const struct stmt *s, char *out, const char *what)
{
	const char *c;

	if (one_value(p, s))
		return -1;
	if (copy_text(p, s, &s->v[0], out, VMCFG_PATH_MAX, "path"))
		return -1;
	if (!out[0])
		return fail(p, s->line, "empty %s path", what);
	for (c = out; *c; c++)
		if (!is_path_char(*c))
			return fail(p, s->line,
				    "%s path '%s' contains '%c' (use A-Z a-z 0-9 . _ / + , @ -)",
				    what, out, *c);
	return 0;
}

/* Matches a one-word value against names; returns its index or -1. */
static int parse_choice(struct parser *p, const struct stmt *s, const char *const *names,
			const char *hint)
{
	int i;

	if (one_value(p, s))
		return -1;
	for (i = 0; names[i]; i++)
		if (tok_is(&s->v[0], names[i]))
			return i;
	if (s->v[0].kind != TOK_WORD)
		return fail(p, s->line, "bad value for '%.*s' (%s)", TOKF(&s->key), hint);
	return fail(p, s->line, "bad value '%.*s' for '%.*s' (%s)", TOKF(&s->v[0]), TOKF(&s->key),
		    hint);
}

/* ------------------------------------------------------------ vm keys */

static int key_image(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	return parse_path(p, s, vm->image.path, "image");
}

static int key_initrd(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	return parse_path(p, s, vm->initrd.path, "initrd");
}

static int key_memory(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	char sz[32];
	uint64_t v;

	if (one_value(p, s) || parse_num(p, s, &s->v[0], true, &v))
		return -1;
	vmcfg_fmt_size(sz, sizeof(sz), v);
	if (!v)
		return fail(p, s->line, "memory must not be zero");
	if (v % VMCFG_MEM_ALIGN)
		return fail(p, s->line, "memory %s is not a multiple of 2M", sz);
	if (v > VMCFG_MEM_LIMIT)
		return fail(p, s->line, "memory %s is more than the 1T a VM may have", sz);
	vm->mem_size = v;
	return 0;
}

static int key_vcpus(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	uint32_t v;

	if (one_value(p, s) || parse_u32(p, s, &s->v[0], &v))
		return -1;
	if (v < 1 || v > VMCFG_MAX_VCPUS)
		return fail(p, s->line, "vcpus must be 1..%d, got %u", VMCFG_MAX_VCPUS, v);
	vm->nr_vcpus = v;
	return 0;
}

/* Checked against vcpus and the node's CPUs once the whole file is read. */
static int key_cpus(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	unsigned int i;

	if (s->n > VMCFG_MAX_VCPUS)
		return fail(p, s->line, "cpus lists more than %d CPUs", VMCFG_MAX_VCPUS);
	for (i = 0; i < s->n; i++)
		if (parse_u32(p, s, &s->v[i], &vm->cpus[i]))
			return -1;
	vm->nr_cpus = s->n;
	return 0;
}

static int key_layout(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	static const char *const names[] = { "virt", "identity", NULL };
	int i = parse_choice(p, s, names, "virt or identity");

	if (i < 0)
		return -1;
	vm->layout = i ? VMCFG_LAYOUT_IDENTITY : VMCFG_LAYOUT_VIRT;
	return 0;
}

static int key_bootargs(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	if (one_value(p, s))
		return -1;
	if (s->v[0].kind != TOK_STRING)
		return fail(p, s->line, "bootargs must be a double-quoted string");
	return copy_text(p, s, &s->v[0], vm->bootargs, sizeof(vm->bootargs), "bootargs");
}

static int key_on_exit(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	static const char *const names[] = { "off", "restart", NULL };
	int i = parse_choice(p, s, names, "off or restart");

	if (i < 0)
		return -1;
	vm->on_exit = i ? VMCFG_ON_EXIT_RESTART : VMCFG_ON_EXIT_OFF;
	return 0;
}

static int key_management(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	static const char *const names[] = { "no", "yes", NULL };
	int i = parse_choice(p, s, names, "yes or no");

	if (i < 0)
		return -1;
	vm->management = i == 1;
	return 0;
}

static int key_slot(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	static const char *const names[] = { "no", "yes", NULL };
	int i = parse_choice(p, s, names, "yes or no");

	if (i < 0)
		return -1;
	vm->slot = i == 1;
	return 0;
}

static int check_irq(struct parser *p, const struct stmt *s, uint32_t irq)
{
	if (irq == VMCFG_UART_INTID)
		return fail(p, s->line, "interrupt %u is the UART's, owned by the hypervisor", irq);
	if (irq < VMCFG_SPI_MIN || irq > VMCFG_SPI_MAX)
		return fail(p, s->line, "interrupt %u is not an SPI (%d..%d)", irq, VMCFG_SPI_MIN,
			    VMCFG_SPI_MAX);
	return 0;
}

static int device_irqs(struct parser *p, const struct stmt *s, struct vmcfg_device *d)
{
	unsigned int i;

	if (s->n == 2)
		return 0;
	if (!tok_is(&s->v[2], "irq"))
		return fail(p, s->line, "device: expected 'irq' after the size");
	if (s->n == 3)
		return fail(p, s->line, "device: 'irq' needs at least one INTID");
	if (s->n - 3 > VMCFG_MAX_IRQS)
		return fail(p, s->line, "device has more than %d interrupts", VMCFG_MAX_IRQS);
	for (i = 3; i < s->n; i++) {
		uint32_t irq;

		if (parse_u32(p, s, &s->v[i], &irq) || check_irq(p, s, irq))
			return -1;
		d->irqs[d->nr_irqs++] = irq;
	}
	return 0;
}

static int key_device(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	struct vmcfg_device *d;

	if (vm->nr_devices >= VMCFG_MAX_DEVICES)
		return fail(p, s->line, "more than %d devices", VMCFG_MAX_DEVICES);
	d = &vm->devices[vm->nr_devices];
	memset(d, 0, sizeof(*d));
	d->line = s->line;
	if (s->n < 2)
		return fail(p, s->line, "device needs a base and a size");
	if (parse_num(p, s, &s->v[0], false, &d->base) ||
	    parse_num(p, s, &s->v[1], true, &d->size))
		return -1;
	if (!d->size)
		return fail(p, s->line, "device size must not be zero");
	if (d->base % VMCFG_PAGE_SIZE || d->size % VMCFG_PAGE_SIZE)
		return fail(p, s->line, "device 0x%llx size 0x%llx is not page-aligned",
			    (unsigned long long)d->base, (unsigned long long)d->size);
	if (d->base >= VMCFG_PA_LIMIT || d->size > VMCFG_PA_LIMIT - d->base)
		return fail(p, s->line, "device 0x%llx size 0x%llx ends beyond the 48-bit address space",
			    (unsigned long long)d->base, (unsigned long long)d->size);
	if (device_irqs(p, s, d))
		return -1;
	vm->nr_devices++;
	return 0;
}

/* virtio = BASE irq INTID: one of the machine's virtio-mmio transports
 * (0x200 bytes) passed through.  Stage-2 maps whole pages, so the VM gets
 * the page holding it; its device tree gets a "virtio,mmio" node for the
 * transport itself, so the guest's in-tree virtio_mmio driver binds it.
 * The device DMAs to guest-physical addresses: checked against the layout
 * once the whole block is read (check_virtio_layout). */
static int key_virtio(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s)
{
	struct vmcfg_device *d;
	uint64_t base;

	if (vm->nr_devices >= VMCFG_MAX_DEVICES)
		return fail(p, s->line, "more than %d devices", VMCFG_MAX_DEVICES);
	if (s->n != 3 || !tok_is(&s->v[1], "irq"))
		return fail(p, s->line, "virtio needs a transport base, 'irq' and one INTID");
	if (parse_num(p, s, &s->v[0], false, &base))
		return -1;
	if (base % VMCFG_VIRTIO_SIZE || base >= VMCFG_PA_LIMIT)
		return fail(p, s->line, "virtio transport 0x%llx is not a %#llx-aligned address below 2^48",
			    (unsigned long long)base, (unsigned long long)VMCFG_VIRTIO_SIZE);
	d = &vm->devices[vm->nr_devices];
	memset(d, 0, sizeof(*d));
	d->line = s->line;
	d->base = base & ~(VMCFG_PAGE_SIZE - 1);
	d->size = VMCFG_PAGE_SIZE;
	d->virtio_base = base;
	if (parse_u32(p, s, &s->v[2], &d->irqs[0]) || check_irq(p, s, d->irqs[0]))
		return -1;
	d->nr_irqs = 1;
	vm->nr_devices++;
	return 0;
}

struct vm_key {
	const char *name;
	enum vmcfg_key key;
	int (*parse)(struct parser *p, struct vmcfg_vm *vm, const struct stmt *s);
};

static const struct vm_key vm_keys[] = {
	{ "image", VMCFG_KEY_IMAGE, key_image },
	{ "memory", VMCFG_KEY_MEMORY, key_memory },
	{ "vcpus", VMCFG_KEY_VCPUS, key_vcpus },
	{ "cpus", VMCFG_KEY_CPUS, key_cpus },
	{ "layout", VMCFG_KEY_LAYOUT, key_layout },
	{ "initrd", VMCFG_KEY_INITRD, key_initrd },
	{ "bootargs", VMCFG_KEY_BOOTARGS, key_bootargs },
	{ "on_exit", VMCFG_KEY_ON_EXIT, key_on_exit },
	{ "management", VMCFG_KEY_MANAGEMENT, key_management },
	{ "slot", VMCFG_KEY_SLOT, key_slot },
	{ "device", VMCFG_KEY_DEVICE, key_device },
	{ "virtio", VMCFG_KEY_DEVICE, key_virtio },
};

static int vm_stmt(struct parser *p, void *block, const struct stmt *s)
{
	struct vmcfg_vm *vm = block;
	size_t i;

	for (i = 0; i < sizeof(vm_keys) / sizeof(vm_keys[0]); i++) {
		const struct vm_key *k = &vm_keys[i];

		if (!tok_is(&s->key, k->name))
			continue;
		if (vm->key_line[k->key] && k->key != VMCFG_KEY_DEVICE)
			return fail(p, s->line, "duplicate key '%s' (first on line %d)", k->name,
				    vm->key_line[k->key]);
		vm->key_line[k->key] = s->line;
		return k->parse(p, vm, s);
	}
	return fail(p, s->line, "unknown key '%.*s'", TOKF(&s->key));
}

/* ------------------------------------------------------------ node keys */

static int node_cpus(struct parser *p, struct vmcfg *cfg, const struct stmt *s)
{
	uint32_t v;

	if (cfg->node_cpus_line)
		return fail(p, s->line, "duplicate key 'cpus' (first on line %d)", cfg->node_cpus_line);
	cfg->node_cpus_line = s->line;
	if (one_value(p, s) || parse_u32(p, s, &s->v[0], &v))
		return -1;
	if (v < 1 || v > VMCFG_MAX_NODE_CPUS)
		return fail(p, s->line, "cpus must be 1..%d, got %u", VMCFG_MAX_NODE_CPUS, v);
	cfg->node_cpus = v;
	return 0;
}

static int node_memory(struct parser *p, struct vmcfg *cfg, const struct stmt *s)
{
	char sz[32];
	uint64_t v;

	if (cfg->node_mem_line)
		return fail(p, s->line, "duplicate key 'memory' (first on line %d)", cfg->node_mem_line);
	cfg->node_mem_line = s->line;
	if (one_value(p, s) || parse_num(p, s, &s->v[0], true, &v))
		return -1;
	vmcfg_fmt_size(sz, sizeof(sz), v);
	if (v <= VMCFG_HYP_RESERVED)
		return fail(p, s->line, "memory %s leaves nothing after the 64M reserved for the hypervisor",
			    sz);
	cfg->node_mem = v;
	return 0;
}

static int node_stmt(struct parser *p, void *block, const struct stmt *s)
{
	if (tok_is(&s->key, "cpus"))
		return node_cpus(p, block, s);
	if (tok_is(&s->key, "memory"))
		return node_memory(p, block, s);
	return fail(p, s->line, "unknown key '%.*s'", TOKF(&s->key));
}

/* ------------------------------------------------------------ blocks */

/* Reads the values of `key = ...` up to the end of the line or a '}'. */
static int read_stmt(struct parser *p, const struct tok *key, struct stmt *s)
{
	struct tok t;

	s->key = *key;
	s->line = key->line;
	s->n = 0;
	if (lex(p, &t))
		return -1;
	if (t.kind != TOK_EQ)
		return fail(p, s->line, "expected '=' after '%.*s'", TOKF(key));
	for (;;) {
		if (peek(p, &t))
			return -1;
		if (t.kind == TOK_NL || t.kind == TOK_EOF || t.kind == TOK_RBRACE)
			break;
		if (t.kind != TOK_WORD && t.kind != TOK_STRING)
			return fail(p, s->line, "unexpected %s in value of '%.*s'", tok_desc(t.kind),
				    TOKF(key));
		if (s->n >= MAX_VALUES)
			return fail(p, s->line, "too many values for '%.*s'", TOKF(key));
		s->v[s->n++] = t;
		p->peeked = false;
	}
	if (!s->n)
		return fail(p, s->line, "missing value for '%.*s'", TOKF(key));
	return 0;
}

/* Anything after a block's braces would be ambiguous; insist on a newline. */
static int expect_eol(struct parser *p, const char *after)
{
	struct tok t;

	if (lex(p, &t))
		return -1;
	if (t.kind != TOK_NL && t.kind != TOK_EOF)
		return fail(p, t.line, "expected end of line after %s, got %s", after,
			    tok_desc(t.kind));
	return 0;
}

typedef int (*stmt_fn)(struct parser *p, void *block, const struct stmt *s);

static int parse_body(struct parser *p, int open_line, stmt_fn fn, void *block)
{
	struct stmt s;
	struct tok t;

	if (expect_eol(p, "'{'"))
		return -1;
	for (;;) {
		if (lex(p, &t))
			return -1;
		switch (t.kind) {
		case TOK_NL:
			continue;
		case TOK_RBRACE:
			return expect_eol(p, "'}'");
		case TOK_EOF:
			return fail(p, open_line, "missing '}' at end of file");
		case TOK_WORD:
			if (read_stmt(p, &t, &s) || fn(p, block, &s))
				return -1;
			continue;
		default:
			return fail(p, t.line, "expected a key, got %s", tok_desc(t.kind));
		}
	}
}

static int expect_lbrace(struct parser *p, const char *after)
{
	struct tok t;

	if (lex(p, &t))
		return -1;
	if (t.kind != TOK_LBRACE)
		return fail(p, t.line, "expected '{' after %s, got %s", after, tok_desc(t.kind));
	return 0;
}

static int parse_node(struct parser *p, const struct tok *hdr)
{
	struct vmcfg *cfg = p->cfg;

	if (cfg->node_line)
		return fail(p, hdr->line, "duplicate node block (first on line %d)", cfg->node_line);
	cfg->node_line = hdr->line;
	if (expect_lbrace(p, "'node'"))
		return -1;
	set_scope(p, "node");
	if (parse_body(p, hdr->line, node_stmt, cfg))
		return -1;
	set_scope(p, "");
	return 0;
}

static bool valid_name(const struct tok *t)
{
	size_t i;

	if (t->kind != TOK_WORD || t->len < 1 || t->len >= VMCFG_NAME_MAX)
		return false;
	for (i = 0; i < t->len; i++) {
		char c = t->p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static struct vmcfg_vm *find_vm(struct vmcfg *cfg, const char *name)
{
	uint32_t i;

	for (i = 0; i < cfg->nr_vms; i++)
		if (!strcmp(cfg->vms[i].name, name))
			return &cfg->vms[i];
	return NULL;
}

static void vm_defaults(struct vmcfg_vm *vm)
{
	vm->nr_vcpus = 1;
	vm->layout = VMCFG_LAYOUT_VIRT;
	vm->on_exit = VMCFG_ON_EXIT_OFF;
	snprintf(vm->bootargs, sizeof(vm->bootargs), "%s", VMCFG_DEFAULT_BOOTARGS);
}

static int parse_vm(struct parser *p, const struct tok *hdr)
{
	struct vmcfg *cfg = p->cfg;
	struct vmcfg_vm *vm, *dup;
	struct tok name;

	if (lex(p, &name))
		return -1;
	if (name.kind == TOK_LBRACE || name.kind == TOK_NL || name.kind == TOK_EOF)
		return fail(p, hdr->line, "vm block needs a name");
	if (!valid_name(&name))
		return fail(p, hdr->line,
			    "bad vm name '%.*s' (1..%d characters of a-z, 0-9, _ and -)",
			    TOKF(&name), VMCFG_NAME_MAX - 1);
	if (cfg->nr_vms >= VMCFG_MAX_VMS)
		return fail(p, hdr->line, "more than %d VMs", VMCFG_MAX_VMS);
	vm = &cfg->vms[cfg->nr_vms];
	memcpy(vm->name, name.p, name.len);
	vm->name[name.len] = '\0';
	dup = find_vm(cfg, vm->name);
	if (dup)
		return fail(p, hdr->line, "vm '%s' defined twice (first on line %d)", vm->name,
			    dup->line);
	vm->line = hdr->line;
	vm_defaults(vm);
	cfg->nr_vms++;
	if (expect_lbrace(p, "the vm name"))
		return -1;
	set_scope_vm(p, vm);
	if (parse_body(p, hdr->line, vm_stmt, vm))
		return -1;
	set_scope(p, "");
	return 0;
}

static int parse_file(struct parser *p)
{
	struct tok t;

	for (;;) {
		if (lex(p, &t))
			return -1;
		if (t.kind == TOK_EOF)
			return 0;
		if (t.kind == TOK_NL)
			continue;
		if (tok_is(&t, "vm")) {
			if (parse_vm(p, &t))
				return -1;
		} else if (tok_is(&t, "node")) {
			if (parse_node(p, &t))
				return -1;
		} else if (t.kind == TOK_WORD) {
			return fail(p, t.line, "unknown block '%.*s' (expected 'vm' or 'node')",
				    TOKF(&t));
		} else {
			return fail(p, t.line, "expected a 'vm' or 'node' block, got %s",
				    tok_desc(t.kind));
		}
	}
}

/* ------------------------------------------------------------ validation */

static int check_blob(struct parser *p, struct vmcfg_blob *b, const char *what)
{
	if (p->file_size(p->ctx, b->path, &b->size))
		return fail(p, 0, "%s '%s' not found", what, b->path);
	if (!b->size)
		return fail(p, 0, "%s '%s' is empty", what, b->path);
	return 0;
}

static int resolve_cpus(struct parser *p, struct vmcfg_vm *vm)
{
	int line = vm->key_line[VMCFG_KEY_CPUS];
	uint32_t i;

	/* No cpus line: spread the vCPUs, vCPU i on CPU i modulo the node's
	 * CPUs, so a 2-vCPU VM on a 2-CPU node does not time-slice on CPU 0. */
	if (!vm->nr_cpus) {
		vm->nr_cpus = vm->nr_vcpus < p->cfg->node_cpus ? vm->nr_vcpus : p->cfg->node_cpus;
		for (i = 0; i < vm->nr_cpus; i++)
			vm->cpus[i] = i;
	}
	if (vm->nr_cpus > vm->nr_vcpus)
		return fail(p, line, "cpus lists %u CPUs but the VM has %u vCPUs", vm->nr_cpus,
			    vm->nr_vcpus);
	for (i = 0; i < vm->nr_cpus; i++)
		if (vm->cpus[i] >= p->cfg->node_cpus)
			return fail(p, line ? line : vm->line,
				    "cpu %u does not exist: the node has %u CPUs", vm->cpus[i],
				    p->cfg->node_cpus);
	vm->cpu_mask = 0;
	for (i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpu_cpu[i] = vm->cpus[i % vm->nr_cpus];
		vm->cpu_mask |= 1ULL << vm->vcpu_cpu[i];
	}
	return 0;
}

struct region {
	uint64_t base;
	uint64_t size;
	const char *what;
};

/* What every VM sees emulated; a passthrough device there would shadow it. */
static const struct region emulated[] = {
	{ 0x08000000, 0x00010000, "the emulated GIC distributor" },
	{ 0x080a0000, 0x00f60000, "the emulated GIC redistributors" },
	{ 0x09000000, 0x00001000, "the emulated UART" },
};

/* What only the management VM sees, at fixed IPAs (include/aether_mgmt_abi.h). */
static const struct region mgmt_regions[] = {
	{ MGMT_DOORBELL_IPA, MGMT_DOORBELL_SIZE, "the management doorbell page" },
	{ MGMT_WINDOW_IPA, MGMT_WINDOW_SIZE, "the management window" },
};

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int overlap_fail(struct parser *p, const struct vmcfg_device *d, const struct region *r)
{
	return fail(p, d->line, "device 0x%08llx-0x%08llx overlaps %s (0x%08llx-0x%08llx)",
		    (unsigned long long)d->base, (unsigned long long)(d->base + d->size - 1), r->what,
		    (unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1));
}

/* Devices are mapped at IPA == PA, so for a virt VM they must also stay out
 * of its own RAM window.  Other VMs' windows are other address spaces. */
static int check_device_fixed(struct parser *p, const struct vmcfg_vm *vm,
			      const struct vmcfg_device *d)
{
	struct region ram = { VMCFG_RAM_IPA, vm->mem_size, "the VM's RAM" };
	size_t i;

	for (i = 0; i < sizeof(emulated) / sizeof(emulated[0]); i++)
		if (overlaps(d->base, d->size, emulated[i].base, emulated[i].size))
			return overlap_fail(p, d, &emulated[i]);
	for (i = 0; vm->management && i < sizeof(mgmt_regions) / sizeof(mgmt_regions[0]); i++)
		if (overlaps(d->base, d->size, mgmt_regions[i].base, mgmt_regions[i].size))
			return overlap_fail(p, d, &mgmt_regions[i]);
	if (vm->layout == VMCFG_LAYOUT_VIRT && overlaps(d->base, d->size, ram.base, ram.size))
		return overlap_fail(p, d, &ram);
	return 0;
}

/* A slot is reserved at boot and filled through the management interface:
 * what it runs comes with the deploy, so the description may not name it. */
static int validate_slot(struct parser *p, const struct vmcfg_vm *vm)
{
	const int *line = vm->key_line;

	if (line[VMCFG_KEY_IMAGE])
		return fail(p, line[VMCFG_KEY_IMAGE],
			    "a slot has no image at boot (it is deployed through the management interface)");
	if (line[VMCFG_KEY_INITRD])
		return fail(p, line[VMCFG_KEY_INITRD],
			    "a slot has no initrd at boot (it is deployed with the kernel)");
	/* reported on whichever of the two lines comes second */
	if (vm->management)
		return fail(p,
			    line[VMCFG_KEY_SLOT] > line[VMCFG_KEY_MANAGEMENT]
				    ? line[VMCFG_KEY_SLOT]
				    : line[VMCFG_KEY_MANAGEMENT],
			    "the management VM cannot be a slot (it must boot with its image)");
	if (strlen(vm->bootargs) > VMCFG_SLOT_BOOTARGS_MAX)
		return fail(p, line[VMCFG_KEY_BOOTARGS],
			    "a slot's bootargs are at most %d characters (deploys patch them in "
			    "place)",
			    VMCFG_SLOT_BOOTARGS_MAX);
	return 0;
}

static int validate_vm(struct parser *p, struct vmcfg_vm *vm)
{
	uint32_t i;

	set_scope_vm(p, vm);
	if (vm->slot && validate_slot(p, vm))
		return -1;
	if (!vm->slot && !vm->key_line[VMCFG_KEY_IMAGE])
		return fail(p, vm->line, "missing image");
	if (!vm->key_line[VMCFG_KEY_MEMORY])
		return fail(p, vm->line, "missing memory");
	if (resolve_cpus(p, vm))
		return -1;
	for (i = 0; i < vm->nr_devices; i++)
		if (check_device_fixed(p, vm, &vm->devices[i]))
			return -1;
	return 0;
}

static int validate_files(struct parser *p, struct vmcfg_vm *vm)
{
	set_scope_vm(p, vm);
	if (!vm->slot && check_blob(p, &vm->image, "image"))
		return -1;
	if (vm->initrd.path[0] && check_blob(p, &vm->initrd, "initrd"))
		return -1;
	return 0;
}

static int validate_management(struct parser *p)
{
	const struct vmcfg_vm *first = NULL;
	uint32_t i;

	for (i = 0; i < p->cfg->nr_vms; i++) {
		const struct vmcfg_vm *vm = &p->cfg->vms[i];

		if (!vm->management)
			continue;
		if (first) {
			set_scope_vm(p, vm);
			return fail(p, vm->key_line[VMCFG_KEY_MANAGEMENT],
				    "more than one management VM (vm '%s' is one)", first->name);
		}
		first = vm;
	}
	return 0;
}

static int validate_total_memory(struct parser *p)
{
	const struct vmcfg *cfg = p->cfg;
	char total_s[32], node_s[32];
	uint64_t total = 0;
	uint32_t i;

	if (!cfg->node_mem)
		return 0;
	for (i = 0; i < cfg->nr_vms; i++)
		total += cfg->vms[i].mem_size;
	if (total <= cfg->node_mem - VMCFG_HYP_RESERVED)
		return 0;
	vmcfg_fmt_size(total_s, sizeof(total_s), total);
	vmcfg_fmt_size(node_s, sizeof(node_s), cfg->node_mem);
	set_scope(p, "");
	return fail(p, cfg->node_mem_line,
		    "VMs need %s of memory in total, more than the node's %s minus 64M reserved for the hypervisor",
		    total_s, node_s);
}

/* Returns an INTID both devices list, or 0 (never a valid SPI). */
static uint32_t shared_irq(const struct vmcfg_device *a, const struct vmcfg_device *b)
{
	uint32_t k, j;

	for (k = 0; k < a->nr_irqs; k++)
		for (j = 0; j < b->nr_irqs; j++)
			if (a->irqs[k] == b->irqs[j])
				return a->irqs[k];
	return 0;
}

/* Checks device i of vm against every device given before it in the file. */
static int check_device_pair(struct parser *p, uint32_t vi, uint32_t di)
{
	const struct vmcfg_vm *vm = &p->cfg->vms[vi];
	const struct vmcfg_device *d = &vm->devices[di];
	uint32_t oi, odi, irq;

	for (oi = 0; oi <= vi; oi++) {
		const struct vmcfg_vm *o = &p->cfg->vms[oi];

		for (odi = 0; odi < (oi == vi ? di : o->nr_devices); odi++) {
			const struct vmcfg_device *od = &o->devices[odi];
			char what[96];
			struct region r = { od->base, od->size, what };

			snprintf(what, sizeof(what), "the device of vm '%s' on line %d", o->name,
				 od->line);
			if (overlaps(d->base, d->size, od->base, od->size))
				return overlap_fail(p, d, &r);
			irq = shared_irq(d, od);
			if (irq)
				return fail(p, d->line,
					    "interrupt %u is already given to vm '%s' on line %d", irq,
					    o->name, od->line);
		}
	}
	return 0;
}

/* Within one device, an INTID listed twice is as wrong as across devices. */
static int check_device_self(struct parser *p, const struct vmcfg_vm *vm,
			     const struct vmcfg_device *d)
{
	uint32_t k, j;

	for (k = 0; k < d->nr_irqs; k++)
		for (j = 0; j < k; j++)
			if (d->irqs[k] == d->irqs[j])
				return fail(p, d->line,
					    "interrupt %u is already given to vm '%s' on line %d",
					    d->irqs[k], vm->name, d->line);
	return 0;
}

/* A virtio device writes guest memory by guest-physical address, which is
 * only the real one when IPA == PA. */
static int check_virtio_layout(struct parser *p, const struct vmcfg_vm *vm,
			       const struct vmcfg_device *d)
{
	if (d->virtio_base && vm->layout != VMCFG_LAYOUT_IDENTITY)
		return fail(p, d->line,
			    "virtio transport 0x%llx needs layout = identity (the device DMAs to guest-physical addresses)",
			    (unsigned long long)d->virtio_base);
	return 0;
}

static int validate_devices(struct parser *p)
{
	uint32_t vi, di;

	for (vi = 0; vi < p->cfg->nr_vms; vi++) {
		const struct vmcfg_vm *vm = &p->cfg->vms[vi];

		set_scope_vm(p, vm);
		for (di = 0; di < vm->nr_devices; di++)
			if (check_device_self(p, vm, &vm->devices[di]) ||
			    check_virtio_layout(p, vm, &vm->devices[di]) ||
			    check_device_pair(p, vi, di))
				return -1;
	}
	return 0;
}

static int validate(struct parser *p)
{
	uint32_t i;

	if (!p->cfg->nr_vms)
		return fail(p, 0, "no vm blocks");
	for (i = 0; i < p->cfg->nr_vms; i++)
		if (validate_vm(p, &p->cfg->vms[i]))
			return -1;
	if (validate_management(p) || validate_devices(p) || validate_total_memory(p))
		return -1;
	/* Files last: what is wrong with the text itself is reported even
	 * before the images have been built. */
	for (i = 0; i < p->cfg->nr_vms; i++)
		if (validate_files(p, &p->cfg->vms[i]))
			return -1;
	set_scope(p, "");
	return 0;
}

const char *vmcfg_parse(struct vmcfg *cfg, const char *file, const char *buf, size_t len,
			vmcfg_file_size_fn file_size, void *ctx)
{
	struct parser p = {
		.cfg = cfg,
		.file = file,
		.buf = buf,
		.len = len,
		.line = 1,
		.file_size = file_size,
		.ctx = ctx,
	};

	memset(cfg, 0, sizeof(*cfg));
	cfg->node_cpus = 1;
	if (parse_file(&p) || validate(&p))
		return cfg->err;
	return NULL;
}
