// The buffer cache. Every disk block the file system touches goes through
// here, so that at most one copy of a block is in memory and one process at
// a time changes it. Free buffers are recycled least-recently-used first.
// The cache lock protects the list, refcnt, dev and blockno; each buffer's
// sleep lock protects valid and data.
#include "buf.h"
#include "console.h"
#include "disk.h"
#include "param.h"
#include "proc.h"
#include "spinlock.h"

static struct {
	struct spinlock lock;
	struct buf buf[NBUF];
	struct buf head;        // sentinel of the circular LRU list
} bcache;

static void lru_unlink(struct buf *b)
{
	b->next->prev = b->prev;
	b->prev->next = b->next;
}

static void lru_push_front(struct buf *b)
{
	b->next = bcache.head.next;
	b->prev = &bcache.head;
	bcache.head.next->prev = b;
	bcache.head.next = b;
}

void binit(void)
{
	initlock(&bcache.lock, "bcache");
	bcache.head.next = bcache.head.prev = &bcache.head;
	for (int i = 0; i < NBUF; i++) {
		initsleeplock(&bcache.buf[i].lock, "buffer");
		lru_push_front(&bcache.buf[i]);
	}
}

// The buffer for (dev, blockno), referenced and locked. The list is
// searched from the front for a cached copy and from the back for a free
// one. When all are in use we wait for a brelse rather than panic: no path
// holds more than two buffers while it asks for another, and a commit
// needs no free buffer (log.c has its own), so the only way to wait for
// ever is for the log to pin all NBUF, which takes every admitted
// operation logging its full MAXOPBLOCKS (real ones log at most about 7).
static struct buf *bget(uint dev, uint blockno)
{
	struct buf *b;

	acquire(&bcache.lock);
	for (;;) {
		for (b = bcache.head.next; b != &bcache.head; b = b->next) {
			if (b->dev == dev && b->blockno == blockno) {
				b->refcnt++;
				release(&bcache.lock);
				acquiresleep(&b->lock);
				return b;
			}
		}
		for (b = bcache.head.prev; b != &bcache.head; b = b->prev) {
			if (b->refcnt == 0) {
				b->dev = dev;
				b->blockno = blockno;
				b->valid = 0;
				b->refcnt = 1;
				release(&bcache.lock);
				acquiresleep(&b->lock);
				return b;
			}
		}
		sleep(&bcache, &bcache.lock);
	}
}

struct buf *bread(uint dev, uint blockno)
{
	struct buf *b = bget(dev, blockno);

	if (!b->valid) {
		disk_rw(b, 0);
		b->valid = 1;
	}
	return b;
}

void bwrite(struct buf *b)
{
	if (!holdingsleep(&b->lock))
		panic("bio: bwrite of block %u without its lock", b->blockno);
	disk_rw(b, 1);
}

// Drop one reference; the last one makes the buffer the most recently
// used free buffer, and wakes anyone waiting in bget for a free one.
static void unref(struct buf *b)
{
	if (b->refcnt == 0)
		panic("bio: block %u released more often than taken", b->blockno);
	if (--b->refcnt == 0) {
		lru_unlink(b);
		lru_push_front(b);
		wakeup(&bcache);
	}
}

void brelse(struct buf *b)
{
	if (!holdingsleep(&b->lock))
		panic("bio: brelse of block %u without its lock", b->blockno);
	releasesleep(&b->lock);
	acquire(&bcache.lock);
	unref(b);
	release(&bcache.lock);
}

void bpin(struct buf *b)
{
	acquire(&bcache.lock);
	b->refcnt++;
	release(&bcache.lock);
}

void bunpin(struct buf *b)
{
	acquire(&bcache.lock);
	unref(b);
	release(&bcache.lock);
}
