// Formatted output for user programs: %d %u %x %p %s %c %%, the l and ll
// size modifiers (a bare %l is a 64-bit unsigned, as in older xv6), a
// field width and the '0' and '-' flags. Output is
// collected in a small buffer and written in as few write() calls as
// possible; the console puts each write() out whole, so what one printf
// prints (up to 128 bytes) does not mix with other processes' output.
#include <stdarg.h>

#include "kernel/types.h"
#include "user/user.h"

struct outbuf {
	int fd;
	int n;
	char b[128];
};

static void
out_flush(struct outbuf *o)
{
	if (o->n > 0)
		write(o->fd, o->b, o->n);
	o->n = 0;
}

static void
out_char(struct outbuf *o, char c)
{
	if (o->n == sizeof(o->b))
		out_flush(o);
	o->b[o->n++] = c;
}

// Pads s (len bytes) to width with spaces (or zeros for numbers).
static void
out_field(struct outbuf *o, const char *s, int len, int width, int left, char pad)
{
	int fill = width > len ? width - len : 0;

	if (!left && pad == '0' && len > 0 && s[0] == '-') {
		out_char(o, '-');       // the sign goes before the zeros
		s++;
		len--;
	}
	if (!left)
		while (fill-- > 0)
			out_char(o, pad);
	while (len-- > 0)
		out_char(o, *s++);
	if (left)
		while (fill-- > 0)
			out_char(o, ' ');
}

// Digits of v in base into the end of buf; returns where they start.
static char *
utoa(char *end, unsigned long v, int base)
{
	static const char digits[] = "0123456789abcdef";
	char *p = end;

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
	return p;
}

static void
vformat(int fd, const char *fmt, va_list ap)
{
	struct outbuf o = { .fd = fd };
	char num[24], *end = num + sizeof(num), *s;
	int width, left, longs;
	char pad;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		left = 0;
		pad = ' ';
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (longs = 0; *fmt == 'l'; fmt++)
			longs++;
		if (longs && !strchr("dux", *fmt)) {
			// Older xv6 programs write a bare %l for a 64-bit unsigned.
			s = utoa(end, va_arg(ap, unsigned long), 10);
			out_field(&o, s, end - s, width, left, pad);
			fmt--;
			continue;
		}

		switch (*fmt) {
		case 'd': {
			long v = longs ? va_arg(ap, long) : va_arg(ap, int);
			unsigned long mag = v < 0 ? -(unsigned long)v : (unsigned long)v;
			s = utoa(end, mag, 10);
			if (v < 0)
				*--s = '-';
			out_field(&o, s, end - s, width, left, pad);
			break;
		}
		case 'u':
		case 'x': {
			unsigned long v = longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			s = utoa(end, v, *fmt == 'u' ? 10 : 16);
			out_field(&o, s, end - s, width, left, pad);
			break;
		}
		case 'p': {
			unsigned long v = (unsigned long)va_arg(ap, void *);
			int i;
			out_char(&o, '0');
			out_char(&o, 'x');
			for (i = 60; i >= 0; i -= 4)      // always 16 digits
				out_char(&o, "0123456789abcdef"[(v >> i) & 15]);
			break;
		}
		case 's':
			s = va_arg(ap, char *);
			if (s == 0)
				s = "(null)";
			out_field(&o, s, strlen(s), width, left, ' ');
			break;
		case 'c':
			num[0] = (char)va_arg(ap, int);
			out_field(&o, num, 1, width, left, ' ');
			break;
		case '%':
			out_char(&o, '%');
			break;
		case 0:
			fmt--;          // a lone '%' at the end: print it and stop
			out_char(&o, '%');
			break;
		default:                // unknown: print it as written
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	out_flush(&o);
}

void
fprintf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(fd, fmt, ap);
	va_end(ap);
}

void
printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(1, fmt, ap);
	va_end(ap);
}
