// size_str: a byte count in binary units, for free and memmap.
//   size_str(buf, 131072000, 0) -> "125 MiB"   size_str(buf, 1536, 0) -> "1.5 KiB"
//   size_str(buf, 131072000, 1) -> "125M"      size_str(buf, 1536, 1) -> "1.5K"
// At most one decimal, and none for whole numbers; compact also drops it at
// three digits and more, so a compact size takes at most 5 characters.
// buf must hold 16 bytes. Included by one program each, hence static.
#ifndef USER_SIZEFMT_H
#define USER_SIZEFMT_H

static char *
size_str(char *buf, unsigned long bytes, int compact)
{
	static const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned long unit = 1, whole, tenth;
	char *p = buf, tmp[24];
	int u = 0, n = 0;

	while (u < 4 && bytes >= unit * 1024) {
		unit *= 1024;
		u++;
	}
	whole = bytes / unit;
	tenth = (bytes % unit) * 10 / unit;
	if (compact && whole >= 100)
		tenth = 0;
	do {
		tmp[n++] = '0' + whole % 10;
		whole /= 10;
	} while (whole);
	while (n > 0)
		*p++ = tmp[--n];
	if (u > 0 && tenth) {
		*p++ = '.';
		*p++ = '0' + tenth;
	}
	if (compact) {
		*p++ = units[u][0];
		*p = 0;
	} else {
		*p++ = ' ';
		strcpy(p, units[u]);
	}
	return buf;
}

#endif
