// Host tests of mkfs (tools/mkfs.c): run the real program on files written
// here, then read the image back with a reader of its own (little-endian
// fields, direct and indirect blocks) and check the superblock, the root
// directory, every file's contents, the bitmap against the blocks the
// inodes really use, and that every kind of bad input fails with exit
// status 1 and leaves no image behind.
// Run from the top of the tree (MKFS overrides build/host/mkfs).
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../kernel/fs.h"
#include "../../kernel/param.h"
// stat.h's struct stat would clash with the host's: take only the types.
#define T_DIR     1
#define T_FILE    2

#define IMG_BYTES ((size_t)FSSIZE * BSIZE)
#define MAXBYTES  ((size_t)MAXFILE * BSIZE)

static char dir[64];            // scratch directory of one test run
static unsigned char *img;      // the image read back

// ---- scratch files and running mkfs -------------------------------------------

static const char *path_of(const char *name)
{
	static char p[4][256];
	static int turn;
	char *s = p[turn++ % 4];
	snprintf(s, sizeof(p[0]), "%s/%s", dir, name);
	return s;
}

// A file of n bytes whose contents depend on seed, so that files differ.
static void make_file(const char *name, size_t n, unsigned seed)
{
	FILE *f = fopen(path_of(name), "wb");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc((int)((i * 7 + seed * 131 + (i >> 10)) & 0xff), f);
	assert_int_equal(fclose(f), 0);
}

// Run mkfs with image and args (space-separated, already paths). Return:
// its exit status; stderr goes to dir/err.
static int run_mkfs(const char *image, const char *args)
{
	const char *mkfs = getenv("MKFS");
	char cmd[16384];
	snprintf(cmd, sizeof(cmd), "%s %s %s >/dev/null 2>%s/err", mkfs ? mkfs : "build/host/mkfs",
		 image, args, dir);
	int st = system(cmd);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int err_says(const char *what)
{
	char buf[4096] = { 0 };
	FILE *f = fopen(path_of("err"), "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, what) != NULL;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	unsigned char *buf = malloc(n ? n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), n);
	fclose(f);
	*len = n;
	return buf;
}

static void load_image(const char *image)
{
	size_t n;
	free(img);
	img = slurp(image, &n);
	assert_int_equal(n, IMG_BYTES);
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/test_mkfs.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	free(img);
	img = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

// ---- reading the image ---------------------------------------------------------

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static const unsigned char *blk(uint32_t b)
{
	assert_true(b < FSSIZE);
	return img + (size_t)b * BSIZE;
}

struct sb { uint32_t magic, size, nblocks, ninodes, nlog, logstart, inodestart, bmapstart; };

static struct sb superblock(void)
{
	const unsigned char *p = blk(1);
	struct sb s = { le32(p), le32(p + 4), le32(p + 8), le32(p + 12), le32(p + 16),
			le32(p + 20), le32(p + 24), le32(p + 28) };
	return s;
}

struct ino { int type, nlink; uint32_t size, addrs[NDIRECT + 1]; };

static struct ino inode(uint32_t inum)
{
	struct sb s = superblock();
	assert_true(inum < s.ninodes);
	const unsigned char *p = blk(s.inodestart + inum / IPB) + (inum % IPB) * 64;
	struct ino ip = { (int16_t)le16(p), (int16_t)le16(p + 6), le32(p + 8), { 0 } };
	for (int i = 0; i < NDIRECT + 1; i++)
		ip.addrs[i] = le32(p + 12 + 4 * i);
	return ip;
}

static uint32_t file_block(const struct ino *ip, uint32_t fbn)
{
	if (fbn < NDIRECT)
		return ip->addrs[fbn];
	assert_int_not_equal(ip->addrs[NDIRECT], 0);
	return le32(blk(ip->addrs[NDIRECT]) + 4 * (fbn - NDIRECT));
}

// The contents of inode inum, malloc'd; its size in *len.
static unsigned char *read_inode(uint32_t inum, size_t *len)
{
	struct ino ip = inode(inum);
	unsigned char *buf = malloc(ip.size + 1);
	assert_non_null(buf);
	for (uint32_t off = 0; off < ip.size; off += BSIZE) {
		uint32_t b = file_block(&ip, off / BSIZE);
		assert_int_not_equal(b, 0);
		size_t m = ip.size - off < BSIZE ? ip.size - off : BSIZE;
		memcpy(buf + off, blk(b), m);
	}
	*len = ip.size;
	return buf;
}

// The inode number of name in the root directory, 0 if absent.
static uint32_t lookup(const char *name)
{
	size_t n;
	unsigned char *d = read_inode(ROOTINO, &n);
	uint32_t found = 0;
	assert_int_equal(n % 16, 0);
	for (size_t off = 0; off < n; off += 16)
		if (le16(d + off) && strncmp((char *)d + off + 2, name, DIRSIZ) == 0)
			found = le16(d + off);
	free(d);
	return found;
}

static int bit_set(uint32_t b)
{
	return (blk(superblock().bmapstart + b / BPB)[(b % BPB) / 8] >> (b % 8)) & 1;
}

// ---- tests --------------------------------------------------------------------

// The superblock describes xv6's layout for FSSIZE, LOGSIZE and 200 inodes.
static void test_superblock(void **state)
{
	make_file("a", 10, 1);
	assert_int_equal(run_mkfs(path_of("fs.img"), path_of("a")), 0);
	load_image(path_of("fs.img"));
	struct sb s = superblock();
	assert_int_equal(s.magic, FSMAGIC);
	assert_int_equal(s.size, FSSIZE);
	assert_int_equal(s.ninodes, 200);
	assert_int_equal(s.nlog, LOGSIZE + 1);
	assert_int_equal(s.logstart, 2);
	assert_int_equal(s.inodestart, 2 + LOGSIZE + 1);
	assert_int_equal(s.bmapstart, s.inodestart + 200 / IPB + 1);
	assert_int_equal(s.nblocks, FSSIZE - (s.bmapstart + FSSIZE / BPB + 1));
	assert_int_equal(le32(blk(s.logstart)), 0);     // log header: nothing to replay
}

// The root has ".", ".." and one entry per file, named by its base name
// without a leading '_'; 14-character names fit without a NUL.
static void test_root_directory(void **state)
{
	char args[1024];
	mkdir(path_of("sub"), 0755);
	make_file("sub/_cat", 100, 2);
	make_file("README", 50, 3);
	make_file("fourteen_chars", 1, 4);
	make_file("_", 0, 5);   // would be an empty name
	snprintf(args, sizeof(args), "%s %s %s", path_of("sub/_cat"), path_of("README"),
		 path_of("fourteen_chars"));
	assert_int_equal(run_mkfs(path_of("fs.img"), args), 0);
	load_image(path_of("fs.img"));

	struct ino root = inode(ROOTINO);
	assert_int_equal(root.type, T_DIR);
	assert_int_equal(root.size, 5 * 16);
	assert_int_equal(lookup("."), ROOTINO);
	assert_int_equal(lookup(".."), ROOTINO);
	assert_int_equal(lookup("cat"), 2);
	assert_int_equal(lookup("README"), 3);
	assert_int_equal(lookup("fourteen_chars"), 4);
	assert_int_equal(lookup("_cat"), 0);
	for (uint32_t i = 2; i <= 4; i++) {
		assert_int_equal(inode(i).type, T_FILE);
		assert_int_equal(inode(i).nlink, 1);
	}
	assert_int_equal(inode(5).type, 0);

	assert_int_not_equal(run_mkfs(path_of("fs2.img"), path_of("_")), 0);
	assert_true(err_says("no usable file name"));
}

// Contents survive for every size class: empty, one byte, exactly the
// direct blocks, into the indirect block, and the largest file there is.
static void test_contents(void **state)
{
	static const struct { const char *name; size_t n; } f[] = {
		{ "empty", 0 }, { "one", 1 }, { "block", BSIZE }, { "direct", NDIRECT * BSIZE },
		{ "indirect", NDIRECT * BSIZE + 1 }, { "middle", 100000 }, { "max", MAXBYTES },
	};
	char args[2048] = "";
	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		make_file(f[i].name, f[i].n, i);
		strcat(args, path_of(f[i].name));
		strcat(args, " ");
	}
	assert_int_equal(run_mkfs(path_of("fs.img"), args), 0);
	load_image(path_of("fs.img"));
	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		size_t want_n, got_n;
		unsigned char *want = slurp(path_of(f[i].name), &want_n);
		uint32_t inum = lookup(f[i].name);
		assert_int_not_equal(inum, 0);
		unsigned char *got = read_inode(inum, &got_n);
		assert_int_equal(got_n, f[i].n);
		assert_memory_equal(got, want, want_n);
		struct ino ip = inode(inum);
		// No block beyond the end is allocated.
		for (uint32_t b = (ip.size + BSIZE - 1) / BSIZE; b < NDIRECT; b++)
			assert_int_equal(ip.addrs[b], 0);
		assert_int_equal(ip.addrs[NDIRECT] != 0, ip.size > NDIRECT * BSIZE);
		free(want);
		free(got);
	}
}

// The bitmap marks exactly the metadata and every block some inode uses
// (data and indirect), and no block belongs to two inodes.
static void test_bitmap(void **state)
{
	make_file("x", 300000 - 30000, 1);
	make_file("y", 5000, 2);
	char args[512];
	snprintf(args, sizeof(args), "%s %s", path_of("x"), path_of("y"));
	assert_int_equal(run_mkfs(path_of("fs.img"), args), 0);
	load_image(path_of("fs.img"));
	struct sb s = superblock();
	static unsigned char owner[FSSIZE];
	memset(owner, 0, sizeof(owner));
	uint32_t meta = s.bmapstart + FSSIZE / BPB + 1;
	for (uint32_t b = 0; b < meta; b++)
		owner[b] = 1;
	for (uint32_t inum = 1; inum < s.ninodes; inum++) {
		struct ino ip = inode(inum);
		if (ip.type == 0)
			continue;
		uint32_t nb = (ip.size + BSIZE - 1) / BSIZE;
		for (uint32_t fbn = 0; fbn < nb; fbn++) {
			uint32_t b = file_block(&ip, fbn);
			assert_true(b >= meta && b < FSSIZE);
			assert_int_equal(owner[b], 0);
			owner[b] = 1;
		}
		if (ip.addrs[NDIRECT]) {
			assert_int_equal(owner[ip.addrs[NDIRECT]], 0);
			owner[ip.addrs[NDIRECT]] = 1;
		}
	}
	uint32_t used = 0;
	for (uint32_t b = 0; b < FSSIZE; b++) {
		assert_int_equal(bit_set(b), owner[b]);
		used += owner[b];
	}
	assert_int_equal(used, meta + 1 /* root */ + 264 + 1 /* x */ + 5 /* y */);
}

// Each bad input exits 1 with a message and writes no image.
static void test_errors(void **state)
{
	struct stat st;
	char args[8192];

	make_file("ok", 10, 1);
	assert_int_equal(run_mkfs("", ""), 1);
	assert_true(err_says("usage"));

	assert_int_equal(run_mkfs(path_of("a.img"), path_of("missing")), 1);
	assert_true(err_says("No such file"));

	make_file("fifteen_chars_x", 1, 1);
	assert_int_equal(run_mkfs(path_of("a.img"), path_of("fifteen_chars_x")), 1);
	assert_true(err_says("longer than 14"));

	mkdir(path_of("d"), 0755);
	make_file("d/_ok", 10, 2);
	snprintf(args, sizeof(args), "%s %s", path_of("ok"), path_of("d/_ok"));
	assert_int_equal(run_mkfs(path_of("a.img"), args), 1);
	assert_true(err_says("both become /ok"));

	make_file("huge", MAXBYTES + 1, 1);
	assert_int_equal(run_mkfs(path_of("a.img"), path_of("huge")), 1);
	assert_true(err_says("more than"));

	assert_int_equal(run_mkfs(path_of("a.img"), dir), 1);  // a directory

	// 15 maximal files need 15 * 269 blocks, more than the data area.
	args[0] = 0;
	for (int i = 0; i < 15; i++) {
		char name[16];
		snprintf(name, sizeof(name), "big%d", i);
		make_file(name, MAXBYTES, i);
		strcat(args, path_of(name));
		strcat(args, " ");
	}
	assert_int_equal(run_mkfs(path_of("a.img"), args), 1);
	assert_true(err_says("out of space"));

	assert_int_equal(stat(path_of("a.img"), &st), -1);
}

// 198 files fit beside the root in 200 inodes (inode 0 is never used);
// one more does not.
static void test_inode_limit(void **state)
{
	static char args[199 * 64];
	args[0] = 0;
	for (int i = 0; i < 199; i++) {
		char name[16];
		snprintf(name, sizeof(name), "f%d", i);
		make_file(name, 0, i);
		if (i < 198) {
			strcat(args, path_of(name));
			strcat(args, " ");
		}
	}
	assert_int_equal(run_mkfs(path_of("fs.img"), args), 0);
	load_image(path_of("fs.img"));
	assert_int_equal(lookup("f197"), 199);
	assert_int_equal(inode(ROOTINO).size, 200 * 16);
	strcat(args, path_of("f198"));
	assert_int_equal(run_mkfs(path_of("b.img"), args), 1);
	assert_true(err_says("out of inodes"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_superblock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bitmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inode_limit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
