// The root disk (disk.h): virtio first, then the RAM disk.
#include "buf.h"
#include "console.h"
#include "disk.h"
#include "virtio.h"

static void (*disk_driver_rw)(struct buf *b, int write);

int disk_init(const struct bootinfo *bi)
{
	if (virtio_disk_init(bi) == 0)
		disk_driver_rw = virtio_disk_rw;
	else if (ramdisk_init(bi) == 0)
		disk_driver_rw = ramdisk_rw;
	else
		return -1;
	return 0;
}

void disk_rw(struct buf *b, int write)
{
	if (!disk_driver_rw)
		panic("disk: block %u %s, but the machine has no disk", b->blockno,
		      write ? "written" : "read");
	disk_driver_rw(b, write);
}
