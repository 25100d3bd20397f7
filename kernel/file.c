// The system-wide table of open files, and reading and writing through one:
// a pipe, a device (through devsw) or an inode with its own offset.
// ftable.lock protects each entry's ref; the rest of an entry is set up
// before it is shared and then changes only under the inode's lock (off).
#include "console.h"
#include "file.h"
#include "log.h"
#include "param.h"
#include "pipe.h"
#include "proc.h"
#include "spinlock.h"
#include "stat.h"
#include "sysfile.h"
#include "vm.h"

struct devsw devsw[NDEV];

static struct {
	struct spinlock lock;
	struct file file[NFILE];
} ftable;

void fileinit(void)
{
	initlock(&ftable.lock, "ftable");
}

struct file *filealloc(void)
{
	acquire(&ftable.lock);
	for (struct file *f = ftable.file; f < ftable.file + NFILE; f++) {
		if (f->ref == 0) {
			f->ref = 1;
			f->type = FD_NONE;
			f->readable = f->writable = 0;
			f->pipe = 0;
			f->ip = 0;
			f->off = 0;
			f->major = 0;
			release(&ftable.lock);
			return f;
		}
	}
	release(&ftable.lock);
	return 0;
}

struct file *filedup(struct file *f)
{
	acquire(&ftable.lock);
	if (f->ref < 1)
		panic("file: filedup of a closed file (ref %d)", f->ref);
	f->ref++;
	release(&ftable.lock);
	return f;
}

// Drop a reference; the last one closes the pipe end or the inode.
void fileclose(struct file *f)
{
	struct file last;

	acquire(&ftable.lock);
	if (f->ref < 1)
		panic("file: fileclose of a closed file (ref %d)", f->ref);
	if (--f->ref > 0) {
		release(&ftable.lock);
		return;
	}
	// Work on a copy: the slot is free again once the lock is dropped,
	// and closing may sleep.
	last = *f;
	f->type = FD_NONE;
	release(&ftable.lock);

	if (last.type == FD_PIPE) {
		pipeclose(last.pipe, last.writable);
	} else if (last.type == FD_INODE || last.type == FD_DEVICE) {
		begin_op();
		iput(last.ip);
		end_op();
	}
}

int filestat(struct file *f, uint64 addr)
{
	struct stat st;

	if (f->type != FD_INODE && f->type != FD_DEVICE)
		return -1;
	ilock(f->ip);
	stati(f->ip, &st);
	iunlock(f->ip);
	return copyout(myproc()->pagetable, addr, (char *)&st, sizeof(st)) < 0 ? -1 : 0;
}

static struct devsw *device_of(struct file *f)
{
	if (f->major < 0 || f->major >= NDEV)
		return 0;
	return &devsw[f->major];
}

// Read up to n bytes into user address addr. Return: bytes read, 0 at end
// of file, -1 on error (not readable, bad address, no such device).
int fileread(struct file *f, uint64 addr, int n)
{
	struct devsw *d;
	int r;

	if (!f->readable || n < 0)
		return -1;
	switch (f->type) {
	case FD_PIPE:
		return piperead(f->pipe, addr, n);
	case FD_DEVICE:
		d = device_of(f);
		return d && d->read ? d->read(1, addr, n) : -1;
	case FD_INODE:
		ilock(f->ip);
		r = readi(f->ip, 1, addr, f->off, n);
		if (r > 0)
			f->off += r;
		iunlock(f->ip);
		return r;
	default:
		panic("file: read of a file of type %d", f->type);
	}
}

// The most one transaction may write of a file, so that it stays within
// MAXOPBLOCKS: the inode and the indirect block, 2 blocks of slack for an
// unaligned start and end, and then each data block may cost a bitmap
// block besides itself.
#define WRITE_CHUNK (((MAXOPBLOCKS - 1 - 1 - 2) / 2) * BSIZE)

static int inode_write(struct file *f, uint64 addr, int n)
{
	int done = 0;

	while (done < n) {
		int m = n - done < WRITE_CHUNK ? n - done : WRITE_CHUNK;
		begin_op();
		ilock(f->ip);
		int r = writei(f->ip, 1, addr + done, f->off, m);
		if (r > 0)
			f->off += r;
		iunlock(f->ip);
		end_op();
		if (r != m)
			break;          // disk full or bad address
		done += m;
	}
	// As in xv6, a write that stops short is an error.
	return done == n ? n : -1;
}

// Write n bytes from user address addr. Return: n, or -1 on error (not
// writable, bad address, disk full, no such device).
int filewrite(struct file *f, uint64 addr, int n)
{
	struct devsw *d;

	if (!f->writable || n < 0)
		return -1;
	switch (f->type) {
	case FD_PIPE:
		return pipewrite(f->pipe, addr, n);
	case FD_DEVICE:
		d = device_of(f);
		return d && d->write ? d->write(1, addr, n) : -1;
	case FD_INODE:
		return inode_write(f, addr, n);
	default:
		panic("file: write to a file of type %d", f->type);
	}
}
