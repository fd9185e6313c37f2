/* Internals of the VM description parser, shared by its parts:
 *
 *   vmcfg_parse.c   the format (its reference comment), blocks, vmcfg_parse()
 *   vmcfg_lex.c     bytes -> tokens
 *   vmcfg_values.c  tokens -> numbers, sizes, strings, paths, choices
 *   vmcfg_keys.c    one function per key of a vm or node block
 *   vmcfg_check.c   the rules that need the whole file (devices, memory, slots)
 *   vmcfg_msg.c     error messages
 *
 * Host-only, like vmcfg.h; nothing here is part of the tool's interface. */
#ifndef AETHER_TOOLS_VMCFG_INTERNAL_H
#define AETHER_TOOLS_VMCFG_INTERNAL_H

#include "vmcfg.h"

#define TOK_SHOW 64   /* longest token echoed in a message */
#define MAX_VALUES 16 /* a device with 4 irqs needs 7 */

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

/* vmcfg_msg.c: fills cfg->err with "file:line: scope: message"; returns -1. */
int __attribute__((format(printf, 3, 4))) fail(struct parser *p, int line, const char *fmt, ...);
void set_scope_vm(struct parser *p, const struct vmcfg_vm *vm);
void set_scope(struct parser *p, const char *s);

/* vmcfg_lex.c */
int lex(struct parser *p, struct tok *t);
int peek(struct parser *p, struct tok *t);
bool tok_is(const struct tok *t, const char *word);
const char *tok_desc(enum tok_kind k);

/* vmcfg_values.c */
int one_value(struct parser *p, const struct stmt *s);
int parse_num(struct parser *p, const struct stmt *s, const struct tok *t, bool sized,
	      uint64_t *out);
int parse_u32(struct parser *p, const struct stmt *s, const struct tok *t, uint32_t *out);
int copy_text(struct parser *p, const struct stmt *s, const struct tok *t, char *out, size_t n,
	      const char *what);
int parse_path(struct parser *p, const struct stmt *s, char *out, const char *what);
int parse_choice(struct parser *p, const struct stmt *s, const char *const *names,
		 const char *hint);

/* vmcfg_keys.c: one statement of a vm block (block is its struct vmcfg_vm)
 * or of the node block (block is the struct vmcfg). */
int vm_stmt(struct parser *p, void *block, const struct stmt *s);
int node_stmt(struct parser *p, void *block, const struct stmt *s);

/* vmcfg_check.c: every rule that needs the whole description. */
int validate(struct parser *p);

#endif
