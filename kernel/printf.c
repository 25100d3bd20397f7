// printf, snprintf and panic. One formatter writes through a sink, so the
// console and string buffers share it. Supports %d %i %u %x %X %p %s %c %%
// with the l/ll/z length modifiers, a field width, '0' padding and '-'.
#include <stdarg.h>
#include <stdint.h>
#include "console.h"
#include "riscv.h"
#include "string.h"

struct sink {
	char *buf;          // NULL: the console
	size_t size, len;
};

static void put(struct sink *s, char c)
{
	if (!s->buf)
		console_putc(c);
	else if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void put_padded(struct sink *s, const char *str, size_t n, int width, int left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;
	if (!left)
		while (fill-- > 0)
			put(s, pad);
	for (size_t i = 0; i < n; i++)
		put(s, str[i]);
	if (left)
		while (fill-- > 0)
			put(s, ' ');
}

static void put_number(struct sink *s, uint64_t v, int base, int neg, int upper,
		       int width, int left, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = sizeof(tmp);
	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (pad == '0' && width > 0) {  // sign before the zeros
			put(s, '-');
			width--;
		} else {
			tmp[--i] = '-';
		}
	}
	put_padded(s, tmp + i, sizeof(tmp) - i, width, left, pad);
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		int left = 0, width = 0, lng = 0;
		char pad = ' ';
		fmt++;
		if (*fmt == '-') {
			left = 1;
			fmt++;
		}
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);
			put_number(s, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, 0, width, left, pad);
			break;
		}
		case 'u':
			put_number(s, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
				   10, 0, 0, width, left, pad);
			break;
		case 'x':
		case 'X':
			put_number(s, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
				   16, 0, *fmt == 'X', width, left, pad);
			break;
		case 'p':
			put(s, '0');
			put(s, 'x');
			put_number(s, (uintptr_t)va_arg(ap, void *), 16, 0, 0, width, left, pad);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			put_padded(s, str, strlen(str), width, left, ' ');
			break;
		}
		case 'c':
			put(s, (char)va_arg(ap, int));
			break;
		case '%':
			put(s, '%');
			break;
		case 0:
			return;
		default:            // unknown: print it as written
			put(s, '%');
			put(s, *fmt);
			break;
		}
	}
}

// One hart prints at a time, so lines from different harts do not mix.
static volatile int print_lock;
static volatile int panicking;

static void lock(void)
{
	if (panicking)          // a panic must get its message out
		return;
	while (__sync_lock_test_and_set(&print_lock, 1))
		;
	__sync_synchronize();
}

static void unlock(void)
{
	__sync_lock_release(&print_lock);
}

int vprintf(const char *fmt, va_list ap)
{
	struct sink s = { 0 };
	lock();
	format(&s, fmt, ap);
	unlock();
	return (int)s.len;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size };
	format(&s, fmt, ap);
	if (size)
		buf[s.len < size ? s.len : size - 1] = 0;
	return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

// A kernel bug: say what and where, then stop the machine with status 1.
void panic(const char *fmt, ...)
{
	va_list ap;
	intr_off();
	panicking = 1;
	printf("panic: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\npanic: on hart %lu, called from %p\n", r_tp(), __builtin_return_address(0));
	power_off(1);
}
