// echo: prints its arguments separated by single spaces, then a newline,
// with one write() so that the line stays whole in a pipe.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
	uint len = 1;
	char *line, *p;
	int i;

	for (i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	line = malloc(len);
	if (line == 0) {
		fprintf(2, "echo: out of memory\n");
		return 1;
	}
	p = line;
	for (i = 1; i < argc; i++) {
		if (i > 1)
			*p++ = ' ';
		strcpy(p, argv[i]);
		p += strlen(argv[i]);
	}
	*p++ = '\n';
	if (write(1, line, p - line) != p - line)
		return 1;
	return 0;
}
