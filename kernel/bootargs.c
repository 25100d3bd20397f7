// Matching whole words of the boot arguments.
#include "bootargs.h"
#include "string.h"

int bootarg(const char *args, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = args; p && *p;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if ((size_t)(e - p) == n && strncmp(p, word, n) == 0)
			return 1;
		p = e;
	}
	return 0;
}
