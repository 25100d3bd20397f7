// ls: for each path (default "."), one line per directory entry, or one line
// for a file: name padded to DIRSIZ, type (1 dir, 2 file, 3 device), inode
// number and size in bytes, the columns xv6 course scripts parse.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static void
show(const char *name, struct stat *st)
{
	printf("%-14s %d %d %ld\n", name, st->type, st->ino, st->size);
}

// The last element of a path, for listing a single file.
static const char *
basename(const char *path)
{
	const char *p = path + strlen(path);

	while (p > path && p[-1] == '/')
		p--;
	while (p > path && p[-1] != '/')
		p--;
	return p;
}

// Lists the entries of the open directory fd named path. Returns 0 or -1.
static int
list_dir(int fd, const char *path)
{
	char full[512], name[DIRSIZ + 1];
	struct dirent de;
	struct stat st;
	uint plen = strlen(path);

	if (plen + 1 + DIRSIZ + 1 > sizeof(full)) {
		fprintf(2, "ls: path too long\n");
		return -1;
	}
	strcpy(full, path);
	full[plen] = '/';
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;               // a free slot
		memmove(name, de.name, DIRSIZ);
		name[DIRSIZ] = 0;
		strcpy(full + plen + 1, name);
		if (stat(full, &st) < 0) {
			fprintf(2, "ls: cannot stat %s\n", full);
			continue;
		}
		show(name, &st);
	}
	return 0;
}

static int
ls(const char *path)
{
	struct stat st;
	int fd, r = 0;

	if ((fd = open(path, O_RDONLY)) < 0) {
		fprintf(2, "ls: cannot open %s\n", path);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		fprintf(2, "ls: cannot stat %s\n", path);
		close(fd);
		return -1;
	}
	if (st.type == T_DIR)
		r = list_dir(fd, path);
	else
		show(basename(path), &st);
	close(fd);
	return r;
}

int
main(int argc, char *argv[])
{
	int i, status = 0;

	if (argc < 2)
		return ls(".") < 0;
	for (i = 1; i < argc; i++)
		if (ls(argv[i]) < 0)
			status = 1;
	return status;
}
