// The buffer cache: NBUF in-memory copies of disk blocks (bio.c).
// A buffer is used by one process at a time (its sleep lock); refcnt counts
// everyone who may still touch it, including the log pinning it until its
// transaction is installed. The disk driver owns it while disk == 1.
#ifndef KERNEL_BUF_H
#define KERNEL_BUF_H

#include "fs.h"
#include "sleeplock.h"
#include "types.h"

struct buf {
	int valid;              // data holds the block's contents
	int disk;               // the disk driver owns the buffer
	uint dev;
	uint blockno;
	struct sleeplock lock;
	uint refcnt;            // under the cache lock
	struct buf *prev;       // LRU list: head->next is the most recent
	struct buf *next;
	uchar data[BSIZE];
};

void binit(void);
// bread - the block, locked, read from disk unless cached. Sleeps while
// every buffer is in use. Release with brelse.
struct buf *bread(uint dev, uint blockno);
void bwrite(struct buf *b);     // write b to disk now; caller holds b->lock
void brelse(struct buf *b);     // unlock and drop a reference from bread
void bpin(struct buf *b);       // keep b cached (the log, until installed)
void bunpin(struct buf *b);

#endif
