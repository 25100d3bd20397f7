// A write-ahead log for crash-safe file-system updates, with group commit.
// System calls bracket their changes with begin_op/end_op and use log_write
// instead of bwrite; the modified blocks stay pinned in the buffer cache.
// When the last outstanding operation ends, all their blocks are copied to
// the log area, the header (the list of home block numbers) is written --
// the commit point -- and then the blocks go to their home locations and
// the header is cleared. A crash before the header write loses the whole
// group; after it, initlog's replay finishes the install.
//
// On disk: [ header | block 1 | ... | block LOGSIZE ] from sb.logstart.
// begin_op admits an operation only if every admitted one can still log
// MAXOPBLOCKS blocks, so a transaction never outgrows the log.
#include "buf.h"
#include "console.h"
#include "disk.h"
#include "file.h"
#include "log.h"
#include "param.h"
#include "proc.h"
#include "spinlock.h"
#include "string.h"

// The header block; the same layout as xv6's, so disks can move between them.
struct log_header {
	int n;                  // blocks in the committed transaction
	int block[LOGSIZE];     // their home block numbers
};
_Static_assert(sizeof(struct log_header) <= BSIZE, "log header exceeds a block");

static struct {
	struct spinlock lock;
	int dev;
	int start;              // block number of the header
	int outstanding;        // operations between begin_op and end_op
	int committing;         // commit() is running; admit nobody
	struct log_header lh;   // the transaction being built (in memory)
} log;

// The log area is read and written through this private buffer, not the
// cache: a commit may find every cache buffer pinned by the transaction it
// commits (LOGSIZE == NBUF), and nothing else reads these blocks. Only
// one commit (or the recovery) runs at a time, so one buffer is enough.
static struct buf logbuf;

// Read (write = 0) or write block i of the log area; 0 is the header.
static void log_io(int i, int write)
{
	logbuf.dev = log.dev;
	logbuf.blockno = log.start + i;
	disk_rw(&logbuf, write);
}

static void read_head(void)
{
	log_io(0, 0);
	memcpy(&log.lh, logbuf.data, sizeof(log.lh));
	if (log.lh.n < 0 || log.lh.n > LOGSIZE)
		panic("log: header on disk %d claims %d blocks (at most %d)", log.dev, log.lh.n,
		      LOGSIZE);
}

// Write the in-memory header to disk. With n > 0 this commits.
static void write_head(void)
{
	memset(logbuf.data, 0, BSIZE);
	memcpy(logbuf.data, &log.lh, sizeof(log.lh));
	log_io(0, 1);
}

// Copy each logged block from the cache (where log_write pinned it) into
// the log area.
static void write_log(void)
{
	for (int i = 0; i < log.lh.n; i++) {
		struct buf *b = bread(log.dev, log.lh.block[i]);
		memcpy(logbuf.data, b->data, BSIZE);
		brelse(b);
		log_io(1 + i, 1);
	}
}

// Write each block of the committed transaction to its home. After a
// commit the pinned cache copies are exactly what was logged (no operation
// runs during a commit); in recovery the log area is the only copy.
static void install_trans(int recovering)
{
	for (int i = 0; i < log.lh.n; i++) {
		struct buf *b = bread(log.dev, log.lh.block[i]);
		if (recovering) {
			log_io(1 + i, 0);
			memcpy(b->data, logbuf.data, BSIZE);
		}
		bwrite(b);
		if (!recovering)
			bunpin(b);
		brelse(b);
	}
}

static void commit(void)
{
	if (log.lh.n == 0)
		return;
	write_log();
	write_head();           // the commit point
	install_trans(0);
	log.lh.n = 0;
	write_head();           // the transaction is no longer needed
}

void initlog(int dev, const struct superblock *sb)
{
	initlock(&log.lock, "log");
	if (sb->nlog < LOGSIZE + 1)
		panic("log: disk %d has a log of %u blocks; this kernel needs %d", dev, sb->nlog,
		      LOGSIZE + 1);
	log.dev = dev;
	log.start = sb->logstart;
	read_head();
	if (log.lh.n > 0)
		printf("log: replaying %d blocks of a committed transaction\n", log.lh.n);
	install_trans(1);
	log.lh.n = 0;
	write_head();
}

void begin_op(void)
{
	acquire(&log.lock);
	while (log.committing ||
	       log.lh.n + (log.outstanding + 1) * MAXOPBLOCKS > LOGSIZE)
		sleep(&log, &log.lock);
	log.outstanding++;
	release(&log.lock);
}

void end_op(void)
{
	int last;

	acquire(&log.lock);
	if (log.outstanding <= 0)
		panic("log: end_op without begin_op (outstanding %d)", log.outstanding);
	if (log.committing)
		panic("log: end_op during a commit");
	log.outstanding--;
	last = log.outstanding == 0;
	if (last)
		log.committing = 1;
	else
		wakeup(&log);   // its reserved space may let a waiter in
	release(&log.lock);

	if (!last)
		return;
	// No lock held: commit sleeps on the disk. committing keeps
	// begin_op from admitting anyone until it is done.
	commit();
	acquire(&log.lock);
	log.committing = 0;
	wakeup(&log);
	release(&log.lock);
}

void log_write(struct buf *b)
{
	int i;

	acquire(&log.lock);
	if (log.outstanding < 1)
		panic("log: log_write of block %u outside a transaction", b->blockno);
	for (i = 0; i < log.lh.n; i++)
		if (log.lh.block[i] == (int)b->blockno)
			break;          // already in this transaction: absorbed
	if (i == log.lh.n) {
		if (log.lh.n >= LOGSIZE)
			panic("log: transaction too big (block %u makes %d)", b->blockno, log.lh.n + 1);
		log.lh.block[i] = b->blockno;
		log.lh.n++;
		bpin(b);
	}
	release(&log.lock);
}
