// The device-tree reader: turns a DTB into the boot memory map (sorted,
// checked RAM banks and reservations) plus the harts and the few devices the
// kernel drives. It trusts nothing in the blob: every length, cell count and
// string is checked, and the first problem ends the read with a message.
// The same source builds for the kernel and for host tests and the fuzzer.
#ifndef KERNEL_FDTMAP_H
#define KERNEL_FDTMAP_H

#include <stddef.h>
#include <stdint.h>
#include "../mm/memmap.h"

#define FDT_MAX_HARTS 8
#define FDT_MAX_VIRTIO 8
#define FDTMAP_MAX_TOTALSIZE (2u << 20)   // a DTB larger than 2 MiB is refused

// One MMIO device: the first reg pair and the first interrupts cell.
struct fdt_dev {
	uint64_t base, size;
	uint32_t irq;           // 0 when the node has no "interrupts"
	int present;            // 0: no enabled node of this kind
};

// The UARTs the kernel drives (kernel/uart.c), by compatible.
enum fdt_uart_kind {
	FDT_UART_NONE,
	FDT_UART_NS16550A,      // "ns16550a": QEMU virt
	FDT_UART_SIFIVE,        // "sifive,uart0": QEMU sifive_u, the HiFive boards
};

struct fdt_hart {
	uint32_t hartid;        // the cpu node's reg
	int nid;                // numa-node-id, 0 when absent
	int okay;               // status absent, "okay" or "ok"
	// Why this kernel cannot run on the hart, read from status, mmu-type
	// and riscv,isa; NULL when it can (the hart is "fit").
	const char *unfit;
	char isa[64];           // riscv,isa, cut to fit (has_sstc sees it whole)
};

struct bootinfo {
	struct memmap map;               // mm/memmap.h
	uint64_t dtb_base, dtb_size;     // dtb_pa and the header's totalsize
	uint64_t initrd_start, initrd_end; // 0,0 when none
	char bootargs[256];
	char stdout_path[64];            // as written, ":options" included
	uint64_t timebase_hz;
	int nharts;
	struct fdt_hart hart[FDT_MAX_HARTS]; // in device-tree order
	int has_sstc;                    // every fit hart has Sstc
	struct fdt_dev uart;             // the UART stdout-path names, else the first
	int uart_kind;                   // enum fdt_uart_kind; FDT_UART_NONE without one
	struct fdt_dev plic;             // "riscv,plic0"/"sifive,plic-1.0.0", the first
	uint32_t plic_ndev;              // riscv,ndev
	struct fdt_dev test;             // "sifive,test0"/"sifive,test1" finisher
	int nvirtio;
	struct fdt_dev virtio[FDT_MAX_VIRTIO]; // "virtio,mmio", sorted by base
};

// fdtmap_read - read the whole machine from the blob at fdt.
// dtb_pa is the blob's physical address (0: do not reserve it);
// [kernel_start, kernel_end) is the kernel image (equal: do not reserve it);
// a no-map region over it is an error. So are device registers inside RAM.
// The caller guarantees the blob's header (40 bytes) is readable; the rest
// is read only within the header's totalsize, which must be <= 2 MiB.
// Return: 0 with *bi filled in, or a negative errno (-EINVAL malformed,
// -ENOSPC a fixed limit exceeded, -EOPNOTSUPP unsupported) with a one-line
// message in err (if errlen > 0) naming the problem and the node.
int fdtmap_read(const void *fdt, uint64_t dtb_pa, uint64_t kernel_start, uint64_t kernel_end,
		struct bootinfo *bi, char *err, size_t errlen);

// fdtmap_check - check the header of a blob that sits in buflen bytes:
// what fdtmap_read checks, plus totalsize <= buflen. Host tests and the
// fuzzer call it before fdtmap_read, which cannot know buflen.
// Return: 0, or a negative errno with a message in err.
int fdtmap_check(const void *fdt, size_t buflen, char *err, size_t errlen);

// memmap_origin_name - "firmware", "reserved-memory", "memreserve", "dtb",
// "kernel", "initrd"; "unknown" for anything else.
const char *memmap_origin_name(int origin);

// memmap_resv_label - a reservation's node name, or its origin's name when
// it has none (a /memreserve/ entry, the kernel, the DTB).
const char *memmap_resv_label(const struct memmap_resv *r);

// ---- internal to kernel/fdtmap.c and kernel/fdtdev.c -----------------------
// The state of one fdtmap_read: the blob, the result, and the error message
// being built. Every fdtrd_* error helper appends to err; fdtrd_fail and
// fdtrd_end return the errno they are given, so a caller can "return" them.
struct fdtrd {
	const void *fdt;
	struct bootinfo *bi;
	char *err;
	size_t errlen, epos;
	int bank_node[MEMMAP_MAX_BANKS]; // the node each bank came from
	int uart_node;          // the ns16550a chosen so far, -1 if none
	int plic_node, test_node;        // the nodes of bi->plic and bi->test
	int virtio_node[FDT_MAX_VIRTIO]; // of bi->virtio[i], before sorting
	uint64_t kernel_start, kernel_end; // the image no no-map region may cover
};

void fdtrd_s(struct fdtrd *r, const char *s);
void fdtrd_x(struct fdtrd *r, uint64_t v);          // 0x-prefixed hex
void fdtrd_u(struct fdtrd *r, uint64_t v);          // decimal
void fdtrd_node(struct fdtrd *r, int node);         // the node's full path
void fdtrd_range(struct fdtrd *r, int node, uint64_t base, uint64_t end); // "/path [0x.., 0x..)"
int fdtrd_end(struct fdtrd *r, int err, int fdterr); // appends " (FDT_ERR_...)" if fdterr < 0
// "what: /path/of/node[/prop][ (FDT_ERR_...)]"; node < 0 leaves out the path.
int fdtrd_fail(struct fdtrd *r, int err, const char *what, int node, const char *prop,
	       int fdterr);

// Property readers: 1 present (value, length set), 0 absent, < 0 error
// (message written). fdtrd_str also demands a NUL inside the property.
int fdtrd_prop(struct fdtrd *r, int node, const char *name, const uint8_t **val, int *len);
int fdtrd_str(struct fdtrd *r, int node, const char *name, const char **s);
int fdtrd_streq(const char *a, const char *b);
// Copy a terminated string into dst[cap]; -ENOSPC (with a message) if it does not fit.
int fdtrd_copy(struct fdtrd *r, char *dst, size_t cap, const char *s, int node, const char *prop);
// A 32- or 64-bit number (property of 4 or 8 bytes) into *val, 0 if absent.
int fdtrd_num(struct fdtrd *r, int node, const char *name, uint64_t *val);
uint64_t fdtrd_cells(const uint8_t *p, int ncells);   // 0..2 big-endian cells
// #address-cells (1..2) and #size-cells (0..2) of bus, checked.
int fdtrd_bus_cells(struct fdtrd *r, int bus, int *ac, int *sc);
// numa-node-id of node into *nid (0 when absent), checked < MEMMAP_MAX_NODES.
int fdtrd_nid(struct fdtrd *r, int node, int *nid);
// Node enabled: status absent, "okay" or "ok". 1 yes, 0 no, < 0 error.
int fdtrd_okay(struct fdtrd *r, int node);

// The helpers above live in fdtdev.c, and so do these: a node met on the
// tree walk (parent is its parent, or < 0 to look it up), then /cpus, then
// stdout-path, the devices' check against RAM and the final sorting.
int fdtdev_node(struct fdtrd *r, int node, int parent);
int fdtdev_harts(struct fdtrd *r);
int fdtdev_finish(struct fdtrd *r);

#endif
