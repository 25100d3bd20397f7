// The program entry and the string and memory helpers of the user library.
// The kernel's exec starts a program at _main with a0 = argc and
// a1 = argv (on the user stack), so _main is an ordinary C function; it
// never returns, because exit() does not.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

extern int main(int argc, char **argv);

void
_main(int argc, char **argv)
{
	exit(main(argc, argv));
}

// xv6-riscv maps these pages when they are first touched; this kernel maps
// them at once, so a region larger than free memory fails here.
char *
sbrklazy(int n)
{
	return sbrk(n);
}

// The compiler must not turn the loops below into calls to themselves.
#define NO_IDIOM __attribute__((optimize("no-tree-loop-distribute-patterns")))

char *
strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++) != 0)
		;
	return dst;
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (uchar)*a - (uchar)*b;
}

uint
strlen(const char *s)
{
	const char *e = s;

	while (*e)
		e++;
	return e - s;
}

char *
strchr(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return (char *)s;
	return 0;
}

NO_IDIOM void *
memset(void *dst, int c, uint n)
{
	uchar *d = dst;

	while (n-- > 0)
		*d++ = c;
	return dst;
}

// Copies correctly when the two areas overlap, in either direction.
NO_IDIOM void *
memmove(void *dst, const void *src, int n)
{
	uchar *d = dst;
	const uchar *s = src;

	if (n <= 0 || d == s)
		return dst;
	if (d < s) {
		while (n-- > 0)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		while (n-- > 0)
			*--d = *--s;
	}
	return dst;
}

void *
memcpy(void *dst, const void *src, uint n)
{
	return memmove(dst, src, n);
}

int
memcmp(const void *a, const void *b, uint n)
{
	const uchar *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

// Reads one line from fd 0 into buf, one byte per read() so that nothing
// past the newline is consumed (the rest belongs to whoever reads next).
// Keeps the newline; stops at max-1 bytes or end of input.
char *
gets(char *buf, int max)
{
	int n = 0;
	char c;

	while (n + 1 < max) {
		if (read(0, &c, 1) != 1)
			break;
		buf[n++] = c;
		if (c == '\n' || c == '\r')
			break;
	}
	buf[n] = 0;
	return buf;
}

// stat(): fstat() of a file opened for the purpose; -1 if it cannot be opened.
int
stat(const char *path, struct stat *st)
{
	int fd, r;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	r = fstat(fd, st);
	close(fd);
	return r;
}

// Decimal, after optional blanks and one sign; stops at the first non-digit.
int
atoi(const char *s)
{
	int neg = 0, v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return neg ? -v : v;
}
