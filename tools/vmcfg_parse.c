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
 *       platform = virt # virt (default), virt-gicv2 or zcu102: the GIC
 *       boot_ram_zero = no # yes: nothing wrote RAM before the hypervisor
 *                      # (QEMU -kernel), so a VM's first start skips
 *                      # zeroing pages never handed out; never on boards
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
#include "vmcfg_internal.h"

#include <stdio.h>
#include <string.h>

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
			return fail(p, s->line, "unexpected %s in value of '%.*s'",
				    tok_desc(t.kind), TOKF(key));
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
		case TOK_NL: continue;
		case TOK_RBRACE: return expect_eol(p, "'}'");
		case TOK_EOF: return fail(p, open_line, "missing '}' at end of file");
		case TOK_WORD:
			if (read_stmt(p, &t, &s) || fn(p, block, &s))
				return -1;
			continue;
		default: return fail(p, t.line, "expected a key, got %s", tok_desc(t.kind));
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
		return fail(p, hdr->line, "duplicate node block (first on line %d)",
			    cfg->node_line);
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
