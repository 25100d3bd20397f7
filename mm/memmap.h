// The boot memory map: RAM banks and reservations, as read from the
// device tree by kernel/fdtmap.c and consumed by every early allocator.
// Invariants (checked by fdtmap): banks are sorted by base and do not
// overlap; reservations are sorted by (base, size, origin) and lie inside
// RAM. Reservations may overlap each other; each keeps its own origin.
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stdint.h>

typedef uint64_t phys_addr_t;

// The page size of every mm/ core and of the kernel.
#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ULL << PAGE_SHIFT)

#define MEMMAP_MAX_BANKS  32
#define MEMMAP_MAX_RESV   320   // > 128, so the region-doubling demo fits
#define MEMMAP_MAX_NODES  8
#define MEMMAP_NAME_LEN   32

// Where a reservation came from. The order is the report's order.
enum memmap_origin {
	MEMMAP_FIRMWARE,        // /reserved-memory/mmode_resv* (OpenSBI, PMP-protected)
	MEMMAP_RESERVED_MEMORY, // other static /reserved-memory children
	MEMMAP_MEMRESERVE,      // /memreserve/ entries in the DTB header
	MEMMAP_DTB,             // the device-tree blob itself
	MEMMAP_KERNEL,          // the kernel image [_start, _end)
	MEMMAP_INITRD,          // /chosen linux,initrd-start..end
	MEMMAP_NR_ORIGINS
};

#define MEMMAP_F_NOMAP    0x1   // never map, never touch
#define MEMMAP_F_REUSABLE 0x2   // "reusable": still reserved at boot

struct memmap_bank {
	phys_addr_t base;
	uint64_t size;
	int nid;                // numa-node-id, 0 when the DT has none
};

struct memmap_resv {
	phys_addr_t base;
	uint64_t size;
	uint8_t origin;         // enum memmap_origin
	uint8_t flags;          // MEMMAP_F_*
	char name[MEMMAP_NAME_LEN]; // node name, or "" for origins without one
};

struct memmap {
	int nbanks;
	int nresv;
	int nnodes;             // 1 + highest nid seen
	struct memmap_bank bank[MEMMAP_MAX_BANKS];
	struct memmap_resv resv[MEMMAP_MAX_RESV];
};

#endif
