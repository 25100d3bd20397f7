// mkfs: build a file-system image for the kernel on the host.
//   mkfs fs.img file...
// The image has FSSIZE blocks laid out as kernel/fs.h says -- boot block,
// superblock, log, inodes, free bitmap, data -- with a root directory
// holding ".", ".." and each file under its base name, a leading '_'
// removed (build/user/_cat becomes /cat). The image is built in memory and
// written only when everything fitted; any problem exits 1 with a message.
// On-disk integers are little-endian whatever the host is.
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/fs.h"
#include "kernel/param.h"
#include "kernel/stat.h"

#define NINODES 200

_Static_assert(sizeof(struct dinode) == 64, "struct dinode must be 64 bytes");
_Static_assert(BSIZE % sizeof(struct dinode) == 0, "inodes must tile a block");
_Static_assert(sizeof(struct dirent) == 16, "struct dirent must be 16 bytes");

// The geometry, sized as xv6's mkfs sizes it so that images match.
#define NLOG         (LOGSIZE + 1)              // header + LOGSIZE blocks
#define NINODEBLOCKS ((int)(NINODES / IPB) + 1)
#define NBITMAP      (FSSIZE / BPB + 1)
#define LOGSTART     2
#define INODESTART   (LOGSTART + NLOG)
#define BMAPSTART    (INODESTART + NINODEBLOCKS)
#define NMETA        (BMAPSTART + NBITMAP)

static unsigned char *img;              // FSSIZE blocks
static struct dinode inode[NINODES];    // host byte order until written out
static uint32_t next_inum = ROOTINO;
static uint32_t next_block = NMETA;     // data blocks are handed out in order

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkfs: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned char *block(uint32_t bno)
{
	return img + (size_t)bno * BSIZE;
}

static uint32_t new_inode(short type)
{
	if (next_inum >= NINODES)
		die("out of inodes: the image holds %d, root included", NINODES - 1);
	inode[next_inum].type = type;
	inode[next_inum].nlink = 1;
	return next_inum++;
}

static uint32_t new_block(void)
{
	if (next_block >= FSSIZE)
		die("out of space: the image has %d data blocks", FSSIZE - NMETA);
	return next_block++;
}

// The disk block of block fbn of inode inum, allocated if missing.
static uint32_t file_block(uint32_t inum, uint32_t fbn)
{
	struct dinode *d = &inode[inum];

	if (fbn < NDIRECT) {
		if (!d->addrs[fbn])
			d->addrs[fbn] = new_block();
		return d->addrs[fbn];
	}
	if (!d->addrs[NDIRECT])
		d->addrs[NDIRECT] = new_block();
	unsigned char *slot = block(d->addrs[NDIRECT]) + 4 * (fbn - NDIRECT);
	if (!get32(slot))
		put32(slot, new_block());
	return get32(slot);
}

// Add n bytes at the end of inode inum.
static void append(uint32_t inum, const void *data, size_t n)
{
	const unsigned char *src = data;
	struct dinode *d = &inode[inum];

	if ((uint64_t)d->size + n > (uint64_t)MAXFILE * BSIZE)
		die("inode %u would exceed %lu bytes", inum, (unsigned long)MAXFILE * BSIZE);
	while (n > 0) {
		uint32_t off = d->size % BSIZE;
		size_t m = n < BSIZE - off ? n : BSIZE - off;
		memcpy(block(file_block(inum, d->size / BSIZE)) + off, src, m);
		d->size += m;
		src += m;
		n -= m;
	}
}

static void dir_add(uint32_t dir, const char *name, uint32_t inum)
{
	unsigned char de[sizeof(struct dirent)] = { 0 };

	put16(de, inum);
	memcpy(de + 2, name, strnlen(name, DIRSIZ));
	append(dir, de, sizeof(de));
}

// The name a path gets in the image: its base name without one leading '_'.
static const char *image_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (base[0] == '_')
		base++;
	if (base[0] == 0 || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		die("%s: no usable file name", path);
	if (strlen(base) > DIRSIZ)
		die("%s: name \"%s\" is longer than %d characters", path, base, DIRSIZ);
	return base;
}

// The whole file at path, in a malloc'd buffer.
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		die("%s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			if (cap > (size_t)MAXFILE * BSIZE * 2)
				die("%s: larger than the %lu bytes a file can hold", path,
				    (unsigned long)MAXFILE * BSIZE);
			if (!(buf = realloc(buf, cap)))
				die("out of memory");
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		die("%s: %s", path, strerror(errno));
	fclose(f);
	if (n > (size_t)MAXFILE * BSIZE)
		die("%s: %zu bytes, more than the %lu a file can hold", path, n,
		    (unsigned long)MAXFILE * BSIZE);
	*len = n;
	return buf;
}

// Serialize the superblock, the inodes and the bitmap into img.
static void finish(void)
{
	unsigned char *p = block(1);
	uint32_t sbv[8] = { FSMAGIC, FSSIZE, FSSIZE - NMETA, NINODES, NLOG, LOGSTART,
			    INODESTART, BMAPSTART };

	for (int i = 0; i < 8; i++)
		put32(p + 4 * i, sbv[i]);
	for (uint32_t i = 0; i < NINODES; i++) {
		const struct dinode *d = &inode[i];
		p = block(INODESTART + i / IPB) + (i % IPB) * sizeof(struct dinode);
		put16(p + 0, d->type);
		put16(p + 2, d->major);
		put16(p + 4, d->minor);
		put16(p + 6, d->nlink);
		put32(p + 8, d->size);
		for (int a = 0; a < NDIRECT + 1; a++)
			put32(p + 12 + 4 * a, d->addrs[a]);
	}
	for (uint32_t b = 0; b < next_block; b++)
		block(BMAPSTART + b / BPB)[(b % BPB) / 8] |= 1 << (b % 8);
}

static void write_image(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (fwrite(img, BSIZE, FSSIZE, f) != FSSIZE || fclose(f) != 0) {
		int e = errno;
		remove(path);
		die("%s: %s", path, strerror(e));
	}
}

int main(int argc, char *argv[])
{
	if (argc < 2)
		die("usage: mkfs fs.img file...");
	if (!(img = calloc(FSSIZE, BSIZE)))
		die("out of memory");

	uint32_t root = new_inode(T_DIR);
	if (root != ROOTINO)
		die("root is inode %u, not %d", root, ROOTINO);
	dir_add(root, ".", root);
	dir_add(root, "..", root);

	for (int i = 2; i < argc; i++) {
		const char *name = image_name(argv[i]);
		for (int j = 2; j < i; j++)
			if (strcmp(name, image_name(argv[j])) == 0)
				die("%s and %s both become /%s", argv[j], argv[i], name);
		size_t len;
		unsigned char *data = slurp(argv[i], &len);
		uint32_t inum = new_inode(T_FILE);
		append(inum, data, len);
		free(data);
		dir_add(root, name, inum);
	}

	finish();
	write_image(argv[1]);
	printf("mkfs: %s: %d blocks (%d meta, %u data used of %d), %u of %d inodes\n", argv[1],
	       FSSIZE, NMETA, next_block - NMETA, FSSIZE - NMETA, next_inum - 1, NINODES - 1);
	return 0;
}
