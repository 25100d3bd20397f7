// Driver for a virtio block device on virtio-mmio, version 2 (virtio 1.1
// sections 2.6 split virtqueues, 4.2 MMIO transport, 5.2 block device).
// Each request is a chain of three descriptors: the request header (read by
// the device), the block's data, and one status byte (written by the
// device). The head descriptor's index names the request until it is used.
// The kernel maps RAM one-to-one, so kernel addresses are what the device
// sees. disk.lock protects everything here, and b->disk of queued buffers.
#include <stdint.h>
#include "buf.h"
#include "console.h"
#include "kalloc.h"
#include "plic.h"
#include "proc.h"
#include "spinlock.h"
#include "string.h"
#include "virtio.h"

// virtio-mmio registers (byte offsets; all are 32 bits wide).
#define VIO_MAGIC          0x000   // "virt"
#define VIO_VERSION        0x004   // 2: modern
#define VIO_DEVICE_ID      0x008   // 2: block device
#define VIO_DEV_FEATURES   0x010
#define VIO_DEV_FEAT_SEL   0x014
#define VIO_DRV_FEATURES   0x020
#define VIO_DRV_FEAT_SEL   0x024
#define VIO_QUEUE_SEL      0x030
#define VIO_QUEUE_NUM_MAX  0x034
#define VIO_QUEUE_NUM      0x038
#define VIO_QUEUE_READY    0x044
#define VIO_QUEUE_NOTIFY   0x050
#define VIO_INTR_STATUS    0x060
#define VIO_INTR_ACK       0x064
#define VIO_STATUS         0x070
#define VIO_QUEUE_DESC     0x080   // low word; high word at +4
#define VIO_QUEUE_DRIVER   0x090   // the available ring
#define VIO_QUEUE_DEVICE   0x0a0   // the used ring
#define VIO_CONFIG_GEN     0x0fc
#define VIO_CONFIG         0x100   // virtio_blk_config: capacity (le64) first

#define VIO_MAGIC_VALUE    0x74726976u
#define VIO_ID_BLOCK       2

// Device status bits (2.1).
#define ST_ACKNOWLEDGE  1
#define ST_DRIVER       2
#define ST_DRIVER_OK    4
#define ST_FEATURES_OK  8
#define ST_FAILED       128

// Feature bits. The driver accepts only VERSION_1 (required of a modern
// driver) and leaves every other offer alone: RO would make the file
// system unwritable (such a disk is refused); SCSI, CONFIG_WCE and MQ
// need request types and queues this driver does not use; ANY_LAYOUT is
// a legacy-only bit; INDIRECT_DESC and EVENT_IDX change the ring format.
#define FEAT_BLK_RO          (1ULL << 5)
#define FEAT_BLK_SCSI        (1ULL << 7)
#define FEAT_BLK_CONFIG_WCE  (1ULL << 11)
#define FEAT_BLK_MQ          (1ULL << 12)
#define FEAT_ANY_LAYOUT      (1ULL << 27)
#define FEAT_INDIRECT_DESC   (1ULL << 28)
#define FEAT_EVENT_IDX       (1ULL << 29)
#define FEAT_VERSION_1       (1ULL << 32)
#define FEAT_ACCEPTED        FEAT_VERSION_1

// The split virtqueue (2.6), laid out in one page from kalloc.
#define NDESC 32                // a power of two; 3 per request
#define DESC_NEXT   1           // chain continues in .next
#define DESC_WRITE  2           // the device writes this buffer

struct vq_desc {
	uint64 addr;
	uint32 len;
	uint16 flags;
	uint16 next;
};

struct vq_avail {
	uint16 flags;
	uint16 idx;             // where the driver puts the next entry
	uint16 ring[NDESC];
	uint16 used_event;
};

struct vq_used_elem {
	uint32 id;              // head descriptor of a finished chain
	uint32 len;
};

struct vq_used {
	uint16 flags;
	uint16 idx;             // where the device puts the next entry
	struct vq_used_elem ring[NDESC];
	uint16 avail_event;
};

#define RING_DESC_OFF   0       // 16-byte aligned, 512 bytes
#define RING_AVAIL_OFF  512     // 2-byte aligned, 70 bytes
#define RING_USED_OFF   1024    // 4-byte aligned, 262 bytes
_Static_assert(sizeof(struct vq_desc) * NDESC <= RING_AVAIL_OFF, "desc table overlaps avail");
_Static_assert(RING_AVAIL_OFF + sizeof(struct vq_avail) <= RING_USED_OFF, "avail overlaps used");
_Static_assert(RING_USED_OFF + sizeof(struct vq_used) <= 4096, "virtqueue exceeds a page");

// The block request header (5.2.6).
#define BLK_T_IN   0            // read
#define BLK_T_OUT  1            // write
struct blk_req {
	uint32 type;
	uint32 reserved;
	uint64 sector;          // in 512-byte units
};
#define SECTORS_PER_BLOCK (BSIZE / 512)

static struct {
	struct spinlock lock;
	uint64 base;
	uint64 capacity;                // sectors
	volatile struct vq_desc *desc;
	volatile struct vq_avail *avail;
	volatile struct vq_used *used;
	uint16 used_seen;               // used ring entries handled so far
	char free[NDESC];               // descriptor is free
	// Per request, indexed by its head descriptor.
	struct blk_req req[NDESC];
	struct {
		struct buf *b;
		volatile uint8 status;  // written by the device
	} inflight[NDESC];
} disk;

static uint32 reg_read(int off)
{
	return *(volatile uint32 *)(uintptr_t)(disk.base + off);
}

static void reg_write(int off, uint32 v)
{
	*(volatile uint32 *)(uintptr_t)(disk.base + off) = v;
}

static void reg_write64(int off, uint64 v)
{
	reg_write(off, (uint32)v);
	reg_write(off + 4, (uint32)(v >> 32));
}

// The capacity, read until the config generation is stable (4.2.2.2).
static uint64 read_capacity(void)
{
	uint32 gen, lo, hi;

	do {
		gen = reg_read(VIO_CONFIG_GEN);
		lo = reg_read(VIO_CONFIG);
		hi = reg_read(VIO_CONFIG + 4);
	} while (gen != reg_read(VIO_CONFIG_GEN));
	return (uint64)hi << 32 | lo;
}

// Give up on the device: tell it (FAILED) and say why.
static int setup_fail(uint32 status, const char *why)
{
	reg_write(VIO_STATUS, status | ST_FAILED);
	printf("virtio: block device at 0x%lx unusable: %s\n", disk.base, why);
	return -1;
}

// The initialization sequence of 3.1.1 with the MMIO queue setup of 4.2.3.2.
static int setup(const struct fdt_dev *d)
{
	uint32 status = 0;
	uint64 offered;
	char *page;

	if (d->irq == 0)
		return setup_fail(0, "no interrupt in the device tree");
	reg_write(VIO_STATUS, 0);                       // reset
	status |= ST_ACKNOWLEDGE;
	reg_write(VIO_STATUS, status);
	status |= ST_DRIVER;
	reg_write(VIO_STATUS, status);

	reg_write(VIO_DEV_FEAT_SEL, 0);
	offered = reg_read(VIO_DEV_FEATURES);
	reg_write(VIO_DEV_FEAT_SEL, 1);
	offered |= (uint64)reg_read(VIO_DEV_FEATURES) << 32;
	if (offered & FEAT_BLK_RO)
		return setup_fail(status, "read-only");
	if (!(offered & FEAT_VERSION_1))
		return setup_fail(status, "no VIRTIO_F_VERSION_1");
	reg_write(VIO_DRV_FEAT_SEL, 0);
	reg_write(VIO_DRV_FEATURES, (uint32)(offered & FEAT_ACCEPTED));
	reg_write(VIO_DRV_FEAT_SEL, 1);
	reg_write(VIO_DRV_FEATURES, (uint32)((offered & FEAT_ACCEPTED) >> 32));
	status |= ST_FEATURES_OK;
	reg_write(VIO_STATUS, status);
	if (!(reg_read(VIO_STATUS) & ST_FEATURES_OK))
		return setup_fail(status, "features not accepted");

	reg_write(VIO_QUEUE_SEL, 0);
	if (reg_read(VIO_QUEUE_READY))
		return setup_fail(status, "queue 0 already live");
	if (reg_read(VIO_QUEUE_NUM_MAX) < NDESC)
		return setup_fail(status, "queue 0 too short");
	if (!(page = kalloc()))
		return setup_fail(status, "out of memory for the queue");
	memset(page, 0, 4096);
	disk.desc = (struct vq_desc *)(page + RING_DESC_OFF);
	disk.avail = (struct vq_avail *)(page + RING_AVAIL_OFF);
	disk.used = (struct vq_used *)(page + RING_USED_OFF);
	reg_write(VIO_QUEUE_NUM, NDESC);
	reg_write64(VIO_QUEUE_DESC, (uint64)(uintptr_t)disk.desc);
	reg_write64(VIO_QUEUE_DRIVER, (uint64)(uintptr_t)disk.avail);
	reg_write64(VIO_QUEUE_DEVICE, (uint64)(uintptr_t)disk.used);
	reg_write(VIO_QUEUE_READY, 1);

	for (int i = 0; i < NDESC; i++)
		disk.free[i] = 1;
	disk.capacity = read_capacity();
	plic_enable(d->irq, virtio_disk_intr);
	status |= ST_DRIVER_OK;
	reg_write(VIO_STATUS, status);
	printf("virtio: disk at 0x%lx irq %u, %lu KiB\n", disk.base, d->irq, disk.capacity / 2);
	return 0;
}

int virtio_disk_init(const struct bootinfo *bi)
{
	initlock(&disk.lock, "virtio_disk");
	for (int i = 0; i < bi->nvirtio; i++) {
		const struct fdt_dev *d = &bi->virtio[i];
		if (!d->present || d->size < VIO_CONFIG + 8)
			continue;
		disk.base = d->base;
		if (reg_read(VIO_MAGIC) != VIO_MAGIC_VALUE || reg_read(VIO_DEVICE_ID) != VIO_ID_BLOCK)
			continue;
		if (reg_read(VIO_VERSION) != 2) {
			printf("virtio: block device at 0x%lx is legacy (version %u); "
			       "QEMU needs -global virtio-mmio.force-legacy=false\n",
			       d->base, reg_read(VIO_VERSION));
			continue;
		}
		return setup(d);
	}
	disk.base = 0;
	printf("virtio: no block device\n");
	return -1;
}

// Take three free descriptors into idx[]; 0, or -1 (taking none).
static int alloc3_desc(int idx[3])
{
	int n = 0;

	for (int i = 0; i < NDESC && n < 3; i++)
		if (disk.free[i])
			idx[n++] = i;
	if (n < 3)
		return -1;
	for (int i = 0; i < 3; i++)
		disk.free[idx[i]] = 0;
	return 0;
}

// Free the chain that starts at head, and wake those waiting in alloc3_desc.
static void free_chain(int head)
{
	int i = head;

	for (;;) {
		if (i >= NDESC || disk.free[i])
			panic("virtio: freeing descriptor %d twice (chain %d)", i, head);
		uint16 flags = disk.desc[i].flags, next = disk.desc[i].next;
		disk.desc[i].addr = 0;
		disk.desc[i].len = 0;
		disk.desc[i].flags = 0;
		disk.desc[i].next = 0;
		disk.free[i] = 1;
		if (!(flags & DESC_NEXT))
			break;
		i = next;
	}
	wakeup(&disk.free);
}

static void set_desc(int i, void *addr, uint32 len, uint16 flags, uint16 next)
{
	disk.desc[i].addr = (uint64)(uintptr_t)addr;
	disk.desc[i].len = len;
	disk.desc[i].flags = flags;
	disk.desc[i].next = next;
}

void virtio_disk_rw(struct buf *b, int write)
{
	uint64 sector = (uint64)b->blockno * SECTORS_PER_BLOCK;
	int d[3];

	if (disk.base == 0)
		panic("virtio: block %u requested but there is no disk", b->blockno);
	if (sector + SECTORS_PER_BLOCK > disk.capacity)
		panic("virtio: block %u is beyond the disk's %lu sectors", b->blockno, disk.capacity);

	acquire(&disk.lock);
	while (alloc3_desc(d) < 0)
		sleep(&disk.free, &disk.lock);

	struct blk_req *req = &disk.req[d[0]];
	req->type = write ? BLK_T_OUT : BLK_T_IN;
	req->reserved = 0;
	req->sector = sector;
	set_desc(d[0], req, sizeof(*req), DESC_NEXT, d[1]);
	set_desc(d[1], b->data, BSIZE, (write ? 0 : DESC_WRITE) | DESC_NEXT, d[2]);
	disk.inflight[d[0]].status = 0xff;      // the device writes 0 on success
	disk.inflight[d[0]].b = b;
	set_desc(d[2], (void *)&disk.inflight[d[0]].status, 1, DESC_WRITE, 0);
	b->disk = 1;

	// The descriptors must be visible before the ring entry, and the ring
	// entry before the index that hands it to the device.
	disk.avail->ring[disk.avail->idx % NDESC] = d[0];
	__sync_synchronize();
	disk.avail->idx++;
	__sync_synchronize();
	reg_write(VIO_QUEUE_NOTIFY, 0);

	while (b->disk)
		sleep(b, &disk.lock);
	disk.inflight[d[0]].b = 0;
	free_chain(d[0]);
	release(&disk.lock);
}

void virtio_disk_intr(void)
{
	acquire(&disk.lock);
	// Acknowledge first: a completion that arrives while the loop below
	// runs then raises a new interrupt rather than being lost.
	reg_write(VIO_INTR_ACK, reg_read(VIO_INTR_STATUS) & 0x3);
	__sync_synchronize();
	while (disk.used_seen != disk.used->idx) {
		__sync_synchronize();   // read the entry after the index
		uint32 id = disk.used->ring[disk.used_seen % NDESC].id;
		if (id >= NDESC || !disk.inflight[id].b)
			panic("virtio: the device used descriptor %u, which is not in flight", id);
		struct buf *b = disk.inflight[id].b;
		if (disk.inflight[id].status != 0)
			panic("virtio: %s of block %u failed with status %u",
			      disk.req[id].type == BLK_T_OUT ? "write" : "read", b->blockno,
			      disk.inflight[id].status);
		b->disk = 0;
		wakeup(b);
		disk.used_seen++;
	}
	release(&disk.lock);
}
