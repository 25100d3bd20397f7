// The RAM disk: a file system image that the boot loader put in memory as
// the initrd (QEMU's -initrd; /chosen/linux,initrd-start and -end). The
// memory map reserves those bytes (origin "initrd"), so their pages never
// reach the buddy allocator, and the accounting counts them as reserved
// like any other reservation. A block is a copy in or out, done when
// ramdisk_rw returns, with no interrupt; the buffer's sleep lock keeps two
// users of one block apart. Writes last until power-off: nothing writes
// the initrd back to the file it came from.
#include "buf.h"
#include "console.h"
#include "disk.h"
#include "fs.h"
#include "string.h"

static uchar *ramdisk;          // the initrd, in the direct map (VA = PA)
static uint ramdisk_blocks;

int ramdisk_init(const struct bootinfo *bi)
{
	uint64_t start = bi->initrd_start, end = bi->initrd_end;
	struct superblock sb;

	if (start == end) {
		printf("ramdisk: no initrd (QEMU -initrd) to serve as one\n");
		return -1;
	}
	if ((end - start) / BSIZE < 2) {
		printf("ramdisk: the initrd [0x%lx, 0x%lx) is %lu bytes, too small for a file "
		       "system\n", start, end, end - start);
		return -1;
	}
	memmove(&sb, (uchar *)(uintptr_t)start + BSIZE, sizeof(sb));
	if (sb.magic != FSMAGIC) {
		printf("ramdisk: the initrd [0x%lx, 0x%lx) holds no file system (its superblock's "
		       "magic is 0x%x, not 0x%x)\n", start, end, sb.magic, FSMAGIC);
		return -1;
	}
	if (sb.size > (end - start) / BSIZE) {
		printf("ramdisk: the initrd's file system has %u blocks, but the initrd [0x%lx, "
		       "0x%lx) holds only %lu\n", sb.size, start, end, (end - start) / BSIZE);
		return -1;
	}
	ramdisk = (uchar *)(uintptr_t)start;
	ramdisk_blocks = (uint)((end - start) / BSIZE);
	printf("ramdisk: the initrd [0x%lx, 0x%lx) is the disk: %u blocks of %d bytes; "
	       "writes are lost at power-off\n", start, end, ramdisk_blocks, BSIZE);
	return 0;
}

void ramdisk_rw(struct buf *b, int write)
{
	uchar *blk;

	if (b->blockno >= ramdisk_blocks)
		panic("ramdisk: block %u %s, past the RAM disk's %u blocks", b->blockno,
		      write ? "written" : "read", ramdisk_blocks);
	blk = ramdisk + (uint64_t)b->blockno * BSIZE;
	if (write)
		memmove(blk, b->data, BSIZE);
	else
		memmove(b->data, blk, BSIZE);
}
