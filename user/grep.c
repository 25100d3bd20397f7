// grep: prints the lines that match a simple regular expression:
//   c   the character c        .   any character
//   x*  zero or more of x      ^   (first) the start of the line
//   $   (last) the end         \c  c itself, even if special
// The pattern is compiled to a list of items, then tried at each position.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define MAXITEMS 128

struct item {
	char c;         // the character to match
	char any;       // '.': any character
	char star;      // followed by '*'
};

static struct item items[MAXITEMS];
static int nitems, at_start, at_end;

// Returns 0, or -1 if the pattern is too long.
static int
compile(const char *re)
{
	nitems = at_start = at_end = 0;
	if (*re == '^') {
		at_start = 1;
		re++;
	}
	while (*re) {
		struct item *it = &items[nitems];
		if (re[0] == '$' && re[1] == 0) {
			at_end = 1;
			break;
		}
		if (nitems == MAXITEMS)
			return -1;
		it->any = it->star = 0;
		if (*re == '\\' && re[1])
			it->c = *++re;
		else if (*re == '.')
			it->any = 1;
		else
			it->c = *re;
		re++;
		if (*re == '*') {
			it->star = 1;
			re++;
		}
		nitems++;
	}
	return 0;
}

static int
item_takes(int i, char c)
{
	return c != 0 && (items[i].any || items[i].c == c);
}

// Does items[i..] match text starting exactly at t?
static int
match_from(int i, const char *t)
{
	for (; i < nitems; i++) {
		if (items[i].star) {
			// Take the longest run first, then give characters back.
			const char *s = t;
			while (item_takes(i, *s))
				s++;
			for (;; s--) {
				if (match_from(i + 1, s))
					return 1;
				if (s == t)
					return 0;
			}
		}
		if (!item_takes(i, *t))
			return 0;
		t++;
	}
	return !at_end || *t == 0;
}

static int
matches(const char *line)
{
	const char *t = line;

	if (at_start)
		return match_from(0, line);
	do {
		if (match_from(0, t))
			return 1;
	} while (*t++);
	return 0;
}

static char buf[1024];
static int found;

// Checks one line (len bytes at line, no newline); prints it if it matches.
static void
check_line(char *line, int len)
{
	char saved = line[len];

	line[len] = 0;
	if (matches(line)) {
		found = 1;
		line[len] = '\n';
		write(1, line, len + 1);
	}
	line[len] = saved;
}

// Prints the matching lines of fd. Returns 0, or -1 on a read error.
static int
grep_fd(int fd)
{
	int have = 0, start, n, i;

	do {
		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0)
			return -1;
		have += n;
		start = 0;
		for (i = 0; i < have; i++) {
			if (buf[i] == '\n') {
				check_line(buf + start, i - start);
				start = i + 1;
			}
		}
		// At the end, or when one line fills the whole buffer, what is
		// left is a line of its own.
		if ((n == 0 || (start == 0 && have == sizeof(buf) - 1)) && start < have) {
			check_line(buf + start, have - start);
			start = have;
		}
		have -= start;
		memmove(buf, buf + start, have);
	} while (n > 0);
	return 0;
}

int
main(int argc, char *argv[])
{
	int i, fd, err = 0;

	if (argc < 2) {
		fprintf(2, "usage: grep pattern [file...]\n");
		return 2;
	}
	if (compile(argv[1]) < 0) {
		fprintf(2, "grep: pattern too long\n");
		return 2;
	}
	if (argc == 2)
		return grep_fd(0) < 0 ? 2 : !found;
	for (i = 2; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) < 0) {
			fprintf(2, "grep: cannot open %s\n", argv[i]);
			err = 1;
			continue;
		}
		if (grep_fd(fd) < 0)
			err = 1;
		close(fd);
	}
	return err ? 2 : !found;
}
