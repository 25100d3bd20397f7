// The virtio block device (virtio_disk.c): virtio-mmio version 2 (the
// "modern" interface of virtio 1.1, section 4.2), one split virtqueue.
#ifndef KERNEL_VIRTIO_H
#define KERNEL_VIRTIO_H

#include "fdtmap.h"

struct buf;

// virtio_disk_init - find the first virtio-mmio block device in bi, reset
// and configure it, and register its interrupt with the PLIC.
// Return: 0, or -1 when there is no usable block device (after one line
// saying why) or no memory for the queue.
int virtio_disk_init(const struct bootinfo *bi);

// virtio_disk_rw - read (write = 0) or write block b->blockno to or from
// b->data, sleeping until the device has done it. The caller holds b->lock.
void virtio_disk_rw(struct buf *b, int write);

// The device's interrupt handler (registered by virtio_disk_init).
void virtio_disk_intr(void);

#endif
