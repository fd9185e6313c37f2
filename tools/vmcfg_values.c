/* Values of VM description statements: numbers with optional size
 * suffixes, strings, paths and one-of-several words. */
#include "vmcfg_internal.h"

#include <string.h>

int one_value(struct parser *p, const struct stmt *s)
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
	case 'k': return 1ULL << 10;
	case 'M':
	case 'm': return 1ULL << 20;
	case 'G':
	case 'g': return 1ULL << 30;
	}
	return 0;
}

/* Decimal or 0x hex, with a K/M/G suffix when sized is set. */
int parse_num(struct parser *p, const struct stmt *s, const struct tok *t, bool sized,
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
			return fail(p, s->line, "bad size suffix in '%.*s' (use K, M or G)",
				    TOKF(t));
		if (v > UINT64_MAX / mult)
			return fail(p, s->line, "number '%.*s' out of range", TOKF(t));
		v *= mult;
	}
	*out = v;
	return 0;
}

int parse_u32(struct parser *p, const struct stmt *s, const struct tok *t, uint32_t *out)
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
int copy_text(struct parser *p, const struct stmt *s, const struct tok *t, char *out, size_t n,
	      const char *what)
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

int parse_path(struct parser *p, const struct stmt *s, char *out, const char *what)
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
int parse_choice(struct parser *p, const struct stmt *s, const char *const *names, const char *hint)
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
