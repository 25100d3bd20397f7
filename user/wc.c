// wc: counts lines, words and bytes of each named file, or of the standard
// input. Output per input: "LINES WORDS BYTES NAME" (NAME empty for stdin),
// the format xv6 course scripts expect.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[512];

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Returns 0, or -1 on a read error.
static int
count(int fd, const char *name)
{
	int lines = 0, words = 0, bytes = 0, inword = 0, n, i;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		bytes += n;
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n')
				lines++;
			if (is_space(buf[i]))
				inword = 0;
			else if (!inword) {
				inword = 1;
				words++;
			}
		}
	}
	if (n < 0) {
		fprintf(2, "wc: read error\n");
		return -1;
	}
	printf("%d %d %d %s\n", lines, words, bytes, name);
	return 0;
}

int
main(int argc, char *argv[])
{
	int i, fd, status = 0;

	if (argc < 2)
		return count(0, "") < 0;
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) < 0) {
			fprintf(2, "wc: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		if (count(fd, argv[i]) < 0)
			status = 1;
		close(fd);
	}
	return status;
}
