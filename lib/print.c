/* A small vsnprintf: enough for log lines, no floating point. */
#include "lib.h"

struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

struct spec {
	int width;
	bool zero;
	bool left;
	int lng; /* count of 'l' / 'z' */
};

static void out_padded(struct outbuf *o, const char *s, size_t n, const struct spec *sp)
{
	size_t pad = sp->width > (int)n ? (size_t)sp->width - n : 0;

	if (!sp->left)
		while (pad--)
			out_char(o, sp->zero ? '0' : ' ');
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		while (pad--)
			out_char(o, ' ');
}

static void out_number(struct outbuf *o, u64 v, unsigned base, bool neg, bool upper,
		       const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (sp->zero && sp->width) {
			struct spec s2 = *sp;
			out_char(o, '-');
			s2.width = sp->width > 0 ? sp->width - 1 : 0;
			out_padded(o, &tmp[i], sizeof(tmp) - i, &s2);
			return;
		}
		tmp[--i] = '-';
	}
	out_padded(o, &tmp[i], sizeof(tmp) - i, sp);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){0};
	for (;; f++) {
		if (*f == '0')
			sp->zero = true;
		else if (*f == '-')
			sp->left = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	while (*f == 'l' || *f == 'z') {
		sp->lng++;
		f++;
	}
	return f;
}

static u64 arg_unsigned(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, u64) : va_arg(*ap, unsigned int);
}

static s64 arg_signed(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, s64) : va_arg(*ap, int);
}

static void format_one(struct outbuf *o, char c, struct spec *sp, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		s64 v = arg_signed(ap, sp->lng);
		out_number(o, v < 0 ? -(u64)v : (u64)v, 10, v < 0, false, sp);
		break;
	}
	case 'u': out_number(o, arg_unsigned(ap, sp->lng), 10, false, false, sp); break;
	case 'x':
	case 'X': out_number(o, arg_unsigned(ap, sp->lng), 16, false, c == 'X', sp); break;
	case 'p':
		out_char(o, '0');
		out_char(o, 'x');
		out_number(o, (uintptr_t)va_arg(*ap, void *), 16, false, false, sp);
		break;
	case 'c': {
		char ch = (char)va_arg(*ap, int);
		out_padded(o, &ch, 1, sp);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		out_padded(o, s, strlen(s), sp);
		break;
	}
	default: out_char(o, '%'); out_char(o, c);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = {buf, size, 0};
	va_list ap2;

	va_copy(ap2, ap);
	while (*fmt) {
		struct spec sp;
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt, &sp);
		if (!*fmt)
			break;
		format_one(&o, *fmt++, &sp, &ap2);
	}
	va_end(ap2);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
