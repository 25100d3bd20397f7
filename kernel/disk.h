// The root disk behind the buffer cache: the virtio block device when the
// machine has one (virtio_disk.c), else a RAM disk holding the initrd
// (ramdisk.c). bio.c reads and writes through disk_rw and never knows
// which; the log and the file system above it do not change.
#ifndef KERNEL_DISK_H
#define KERNEL_DISK_H

#include "fdtmap.h"

struct buf;

// disk_init - pick and set up the disk. Return: 0, or -1 when the machine
// has none (after a line from each driver saying why).
int disk_init(const struct bootinfo *bi);

// disk_rw - read (write = 0) or write block b->blockno to or from b->data;
// done when it returns. The caller holds b->lock.
void disk_rw(struct buf *b, int write);

// The RAM disk (ramdisk.c). ramdisk_init checks that the initrd holds a
// file system that fits in it; the blocks are copied in and out.
int ramdisk_init(const struct bootinfo *bi);
void ramdisk_rw(struct buf *b, int write);

#endif
