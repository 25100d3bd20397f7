// The file system, in layers: free-block bitmap, inodes (on disk, and a
// table of in-memory copies), file contents, directories, path names.
// Blocks come from bio.c and every change goes through log.c, so a caller
// that changes anything must be inside begin_op/end_op.
//
// In-memory inodes: itable.lock protects ref, dev and inum of every entry;
// an entry with ref > 0 stays for that (dev, inum). Each inode's sleep lock
// protects the rest, including valid (the copy has been read from disk).
// A table entry is not an open file: iget hands out references, ilock reads
// the disk copy, and the last iput of an unlinked inode frees it on disk.
// Running out of disk blocks, disk inodes or table entries returns an
// error to the caller; a panic here means a kernel bug or a corrupt disk.
#include "buf.h"
#include "console.h"
#include "file.h"
#include "fsinfo.h"
#include "log.h"
#include "param.h"
#include "proc.h"
#include "spinlock.h"
#include "stat.h"
#include "string.h"
#include "sysfile.h"

static struct superblock sb;

// ---- blocks ----------------------------------------------------------------

static void bzero(uint dev, uint bno)
{
	struct buf *b = bread(dev, bno);
	memset(b->data, 0, BSIZE);
	log_write(b);
	brelse(b);
}

// A zeroed free block, marked in use. Return: its number, 0 if the disk is full.
static uint balloc(uint dev)
{
	for (uint base = 0; base < sb.size; base += BPB) {
		struct buf *b = bread(dev, BBLOCK(base, sb));
		for (uint bit = 0; bit < BPB && base + bit < sb.size; bit++) {
			uchar mask = 1 << (bit % 8);
			if (b->data[bit / 8] & mask)
				continue;
			b->data[bit / 8] |= mask;
			log_write(b);
			brelse(b);
			bzero(dev, base + bit);
			return base + bit;
		}
		brelse(b);
	}
	return 0;
}

static void bfree(uint dev, uint bno)
{
	if (bno == 0 || bno >= sb.size)
		panic("fs: freeing block %u of a disk of %u", bno, sb.size);
	struct buf *b = bread(dev, BBLOCK(bno, sb));
	uint bit = bno % BPB;
	uchar mask = 1 << (bit % 8);
	if (!(b->data[bit / 8] & mask))
		panic("fs: freeing free block %u", bno);
	b->data[bit / 8] &= ~mask;
	log_write(b);
	brelse(b);
}

// ---- inodes ----------------------------------------------------------------

static struct {
	struct spinlock lock;
	struct inode inode[NINODE];
} itable;

void iinit(void)
{
	initlock(&itable.lock, "itable");
	for (int i = 0; i < NINODE; i++)
		initsleeplock(&itable.inode[i].lock, "inode");
}

struct inode *iget(uint dev, uint inum)
{
	struct inode *ip, *empty = 0;

	acquire(&itable.lock);
	for (ip = itable.inode; ip < itable.inode + NINODE; ip++) {
		if (ip->ref > 0 && ip->dev == dev && ip->inum == inum) {
			ip->ref++;
			release(&itable.lock);
			return ip;
		}
		if (!empty && ip->ref == 0)
			empty = ip;
	}
	if (empty) {
		empty->dev = dev;
		empty->inum = inum;
		empty->ref = 1;
		empty->valid = 0;
	}
	release(&itable.lock);
	return empty;
}

// The on-disk inode inside b, which holds inode inum's block.
static struct dinode *dinode_in(struct buf *b, uint inum)
{
	return (struct dinode *)b->data + inum % IPB;
}

struct inode *ialloc(uint dev, short type)
{
	for (uint inum = 1; inum < sb.ninodes; inum++) {
		struct buf *b = bread(dev, IBLOCK(inum, sb));
		struct dinode *dip = dinode_in(b, inum);
		if (dip->type != 0) {
			brelse(b);
			continue;
		}
		// Take a table entry before claiming the disk inode, so that
		// a full table cannot leak an allocated inode.
		struct inode *ip = iget(dev, inum);
		if (ip) {
			memset(dip, 0, sizeof(*dip));
			dip->type = type;
			log_write(b);
		}
		brelse(b);
		return ip;
	}
	return 0;
}

void iupdate(struct inode *ip)
{
	struct buf *b = bread(ip->dev, IBLOCK(ip->inum, sb));
	struct dinode *dip = dinode_in(b, ip->inum);
	dip->type = ip->type;
	dip->major = ip->major;
	dip->minor = ip->minor;
	dip->nlink = ip->nlink;
	dip->size = ip->size;
	memcpy(dip->addrs, ip->addrs, sizeof(ip->addrs));
	log_write(b);
	brelse(b);
}

struct inode *idup(struct inode *ip)
{
	acquire(&itable.lock);
	ip->ref++;
	release(&itable.lock);
	return ip;
}

// Lock ip, reading it from disk the first time.
void ilock(struct inode *ip)
{
	if (!ip || ip->ref < 1)
		panic("fs: ilock of an unreferenced inode %p", ip);
	acquiresleep(&ip->lock);
	if (ip->valid)
		return;
	struct buf *b = bread(ip->dev, IBLOCK(ip->inum, sb));
	struct dinode *dip = dinode_in(b, ip->inum);
	ip->type = dip->type;
	ip->major = dip->major;
	ip->minor = dip->minor;
	ip->nlink = dip->nlink;
	ip->size = dip->size;
	memcpy(ip->addrs, dip->addrs, sizeof(ip->addrs));
	brelse(b);
	ip->valid = 1;
	if (ip->type == 0)
		panic("fs: inode %u of disk %u is in use but free on disk", ip->inum, ip->dev);
}

void iunlock(struct inode *ip)
{
	if (!ip || !holdingsleep(&ip->lock) || ip->ref < 1)
		panic("fs: iunlock of inode %u, not locked by this process", ip ? ip->inum : 0);
	releasesleep(&ip->lock);
}

// Drop a reference. The last reference to an inode with no links frees
// it on disk, so every iput must be inside a transaction.
void iput(struct inode *ip)
{
	acquire(&itable.lock);
	if (ip->ref == 1 && ip->valid && ip->nlink == 0) {
		// Nobody else has a reference, so nobody holds the lock and
		// this cannot sleep; taking it keeps ilock's rules simple.
		acquiresleep(&ip->lock);
		release(&itable.lock);
		itrunc(ip);
		ip->type = 0;
		iupdate(ip);
		ip->valid = 0;
		releasesleep(&ip->lock);
		acquire(&itable.lock);
	}
	ip->ref--;
	release(&itable.lock);
}

void iunlockput(struct inode *ip)
{
	iunlock(ip);
	iput(ip);
}

void stati(struct inode *ip, struct stat *st)
{
	st->dev = ip->dev;
	st->ino = ip->inum;
	st->type = ip->type;
	st->nlink = ip->nlink;
	st->size = ip->size;
}

// ---- file contents ---------------------------------------------------------

// The disk block holding block bn of ip's contents. With alloc, a missing
// block (or indirect block) is allocated. Return: 0 if there is none, or
// if the disk is full.
static uint bmap(struct inode *ip, uint bn, int alloc)
{
	uint addr;

	if (bn < NDIRECT) {
		addr = ip->addrs[bn];
		if (!addr && alloc)
			addr = ip->addrs[bn] = balloc(ip->dev);
		return addr;
	}
	bn -= NDIRECT;
	if (bn >= NINDIRECT)
		panic("fs: block %u of inode %u is past MAXFILE", bn + NDIRECT, ip->inum);
	uint ind = ip->addrs[NDIRECT];
	if (!ind) {
		if (!alloc || !(ind = balloc(ip->dev)))
			return 0;
		ip->addrs[NDIRECT] = ind;
	}
	struct buf *b = bread(ip->dev, ind);
	uint *slot = (uint *)b->data + bn;
	addr = *slot;
	if (!addr && alloc && (addr = balloc(ip->dev))) {
		*slot = addr;
		log_write(b);
	}
	brelse(b);
	return addr;
}

void itrunc(struct inode *ip)
{
	for (int i = 0; i < NDIRECT; i++) {
		if (ip->addrs[i]) {
			bfree(ip->dev, ip->addrs[i]);
			ip->addrs[i] = 0;
		}
	}
	if (ip->addrs[NDIRECT]) {
		struct buf *b = bread(ip->dev, ip->addrs[NDIRECT]);
		uint *a = (uint *)b->data;
		for (uint j = 0; j < NINDIRECT; j++)
			if (a[j])
				bfree(ip->dev, a[j]);
		brelse(b);
		bfree(ip->dev, ip->addrs[NDIRECT]);
		ip->addrs[NDIRECT] = 0;
	}
	ip->size = 0;
	iupdate(ip);
}

static uint min_u(uint a, uint b)
{
	return a < b ? a : b;
}

// Reads of a block that was never written (a hole, which only other
// mkfs tools leave) see zeros.
static uchar zeros[BSIZE];

// Copy up to n bytes at off out of ip (locked) to dst. Return: the bytes
// copied (0 at or past the end), or -1 if dst is a bad address.
int readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n)
{
	uint tot, m;

	if (off > ip->size || off + n < off)
		return 0;
	n = min_u(n, ip->size - off);
	for (tot = 0; tot < n; tot += m, off += m, dst += m) {
		uint addr = bmap(ip, off / BSIZE, 0);
		m = min_u(n - tot, BSIZE - off % BSIZE);
		if (!addr) {
			if (either_copyout(user_dst, dst, zeros, m) < 0)
				return -1;
			continue;
		}
		struct buf *b = bread(ip->dev, addr);
		int bad = either_copyout(user_dst, dst, b->data + off % BSIZE, m) < 0;
		brelse(b);
		if (bad)
			return -1;
	}
	return (int)n;
}

// Copy n bytes from src into ip (locked) at off, growing the file when
// off + n passes its end; in a transaction. Return: the bytes written, fewer
// than n when the disk fills or src goes bad; -1 if off is past the end
// or the file would outgrow MAXFILE blocks.
int writei(struct inode *ip, int user_src, uint64 src, uint off, uint n)
{
	uint tot, m;

	if (off > ip->size || off + n < off || (uint64)off + n > (uint64)MAXFILE * BSIZE)
		return -1;
	for (tot = 0; tot < n; tot += m, off += m, src += m) {
		uint addr = bmap(ip, off / BSIZE, 1);
		if (!addr)
			break;
		struct buf *b = bread(ip->dev, addr);
		m = min_u(n - tot, BSIZE - off % BSIZE);
		if (either_copyin(b->data + off % BSIZE, user_src, src, m) < 0) {
			brelse(b);
			break;
		}
		log_write(b);
		brelse(b);
	}
	if (off > ip->size)
		ip->size = off;
	// Even with nothing written, bmap may have added blocks to addrs[].
	iupdate(ip);
	return (int)tot;
}

// ---- directories -----------------------------------------------------------

static int name_eq(const char *a, const char *b)
{
	return strncmp(a, b, DIRSIZ) == 0;
}

uint dirfind(struct inode *dp, const char *name, uint *poff)
{
	struct dirent de;

	if (dp->type != T_DIR)
		panic("fs: dirfind in inode %u of type %d", dp->inum, dp->type);
	for (uint off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)) {
		if (readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
			panic("fs: cannot read directory %u at %u", dp->inum, off);
		if (de.inum != 0 && name_eq(name, de.name)) {
			if (poff)
				*poff = off;
			return de.inum;
		}
	}
	return 0;
}

struct inode *dirlookup(struct inode *dp, const char *name, uint *poff)
{
	uint inum = dirfind(dp, name, poff);
	return inum ? iget(dp->dev, inum) : 0;
}

int dirlink(struct inode *dp, const char *name, uint inum)
{
	struct dirent de;
	uint off;

	if (dirfind(dp, name, 0))
		return -1;
	// Reuse the first empty entry; otherwise append.
	for (off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)) {
		if (readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
			panic("fs: cannot read directory %u at %u", dp->inum, off);
		if (de.inum == 0)
			break;
	}
	memset(&de, 0, sizeof(de));
	for (int i = 0; i < DIRSIZ && name[i]; i++)
		de.name[i] = name[i];
	de.inum = inum;
	if (writei(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
		return -1;
	return 0;
}

// ---- path names ------------------------------------------------------------

// Copy the first element of path into name (DIRSIZ bytes, NUL-terminated
// only when shorter; longer names are cut) and return what follows it,
// without leading slashes: "a//bb/c" gives name "a" and returns "bb/c".
// Return: NULL when path has no element left.
static const char *skipelem(const char *path, char *name)
{
	const char *start;
	int len;

	while (*path == '/')
		path++;
	if (*path == 0)
		return 0;
	start = path;
	while (*path != '/' && *path != 0)
		path++;
	len = (int)(path - start);
	memcpy(name, start, len < DIRSIZ ? len : DIRSIZ);
	if (len < DIRSIZ)
		name[len] = 0;
	while (*path == '/')
		path++;
	return path;
}

// Walk path from the root or the current directory. With parent, stop one
// element early: return the parent directory and leave the last element
// in name. Each step unlocks a directory before locking the next, so "."
// and ".." cannot deadlock. Return: the inode, referenced and unlocked, or
// NULL (no such path, a non-directory on the way, table full).
static struct inode *namex(const char *path, int parent, char *name)
{
	struct inode *ip, *next;

	ip = *path == '/' ? iget(ROOTDEV, ROOTINO) : idup(myproc()->cwd);
	if (!ip)
		return 0;
	while ((path = skipelem(path, name)) != 0) {
		ilock(ip);
		if (ip->type != T_DIR) {
			iunlockput(ip);
			return 0;
		}
		if (parent && *path == 0) {
			iunlock(ip);
			return ip;
		}
		next = dirlookup(ip, name, 0);
		iunlockput(ip);
		if (!next)
			return 0;
		ip = next;
	}
	if (parent) {           // path had no element: "/" has no parent
		iput(ip);
		return 0;
	}
	return ip;
}

struct inode *namei(const char *path)
{
	char name[DIRSIZ];
	return namex(path, 0, name);
}

struct inode *nameiparent(const char *path, char *name)
{
	return namex(path, 1, name);
}

// ---- free space ------------------------------------------------------------

void fs_count_free(uint dev, struct fsinfo *fi)
{
	fi->size = sb.size;
	fi->nblocks = sb.nblocks;
	fi->ninodes = sb.ninodes;
	fi->free_blocks = 0;
	for (uint base = 0; base < sb.size; base += BPB) {
		struct buf *b = bread(dev, BBLOCK(base, sb));
		for (uint bit = 0; bit < BPB && base + bit < sb.size; bit++)
			if (!(b->data[bit / 8] & (1 << (bit % 8))))
				fi->free_blocks++;
		brelse(b);
	}
	fi->free_inodes = 0;
	for (uint inum = 1; inum < sb.ninodes;) {
		struct buf *b = bread(dev, IBLOCK(inum, sb));
		do {            // every inode of this block
			if (dinode_in(b, inum)->type == 0)
				fi->free_inodes++;
			inum++;
		} while (inum < sb.ninodes && inum % IPB != 0);
		brelse(b);
	}
}

// ---- mounting ----------------------------------------------------------------

void fsinit(int dev)
{
	struct buf *b = bread(dev, 1);
	memcpy(&sb, b->data, sizeof(sb));
	brelse(b);
	if (sb.magic != FSMAGIC)
		panic("fs: disk %d has magic 0x%x, not a file system (0x%x)", dev, sb.magic,
		      FSMAGIC);
	if (sb.logstart < 2 || sb.inodestart < sb.logstart + sb.nlog ||
	    sb.bmapstart < sb.inodestart + (sb.ninodes + IPB - 1) / IPB ||
	    sb.bmapstart + (sb.size + BPB - 1) / BPB > sb.size || sb.ninodes <= ROOTINO)
		panic("fs: disk %d has an inconsistent superblock (size %u, log %u+%u, "
		      "inodes %u at %u, bitmap at %u)", dev, sb.size, sb.logstart, sb.nlog,
		      sb.ninodes, sb.inodestart, sb.bmapstart);
	initlog(dev, &sb);
	printf("fs: %u blocks, %u inodes, %u data blocks\n", sb.size, sb.ninodes, sb.nblocks);
}
