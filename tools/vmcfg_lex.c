/* The lexer of VM descriptions: words, strings, braces, '=', newlines;
 * comments and blanks skipped.  Reads only the buffer, never past len. */
#include "vmcfg_internal.h"

#include <string.h>

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

int lex(struct parser *p, struct tok *t)
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
	case '{': t->kind = TOK_LBRACE; break;
	case '}': t->kind = TOK_RBRACE; break;
	case '=': t->kind = TOK_EQ; break;
	case '"': return lex_string(p, t);
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

int peek(struct parser *p, struct tok *t)
{
	if (!p->peeked) {
		if (lex(p, &p->peek))
			return -1;
		p->peeked = true;
	}
	*t = p->peek;
	return 0;
}

bool tok_is(const struct tok *t, const char *word)
{
	return t->kind == TOK_WORD && t->len == strlen(word) && !memcmp(t->p, word, t->len);
}

const char *tok_desc(enum tok_kind k)
{
	switch (k) {
	case TOK_EOF: return "end of file";
	case TOK_NL: return "end of line";
	case TOK_LBRACE: return "'{'";
	case TOK_RBRACE: return "'}'";
	case TOK_EQ: return "'='";
	case TOK_STRING: return "a string";
	case TOK_WORD: break;
	}
	return "a word";
}
