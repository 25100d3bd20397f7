// Bootmem: one bitmap per NUMA node, one bit per page frame (1 = reserved),
// first-fit allocation with sub-page packing of consecutive small requests,
// and a bitmap walk that hands the free pages to the buddy allocator. This is
// Linux's 2.6.28-4.19 bootmem; docs/bootmem.md lists where we differ.
// The early_* contract (mm/early.h) is built on the names below.
#ifndef MM_BOOTMEM_H
#define MM_BOOTMEM_H

#include <stdint.h>
#include "early.h"

#define BOOTMEM_DEFAULT    0
#define BOOTMEM_EXCLUSIVE  1   // reserve_bootmem: fail with -EBUSY on overlap

#define BOOTMEM_SMP_CACHE_BYTES 64          // default alignment (RISC-V line)
#define BOOTMEM_LOW_LIMIT       0           // default goal: no DMA zone here
#define BOOTMEM_ARCH_LOW_LIMIT  0xffffffffULL  // limit of the _low variants

// One node's allocator state. Nodes are kept on a list sorted by
// node_min_pfn; node spans never overlap.
struct bootmem_data {
	uint64_t node_min_pfn;      // first pfn of the node
	uint64_t node_low_pfn;      // one past the last pfn
	uint64_t *node_bootmem_map; // bit i covers pfn node_min_pfn+i; NULL once retired
	uint64_t map_pfn;           // where the bitmap lives (it is reserved in itself)
	uint64_t last_end_off;      // byte offset from node start where the last
	                            // allocation ended; 0 = nothing to merge into
	uint64_t hint_idx;          // bitmap index where the next search starts
	int nid;
	struct bootmem_data *next;  // next node up
};

extern struct bootmem_data bootmem_node_data[MEMMAP_MAX_NODES];

// Forget every node and every figure. early_init does this first; host tests
// that build nodes by hand with init_bootmem_node call it themselves.
void bootmem_reset(void);

// Bytes of bitmap for pages page frames, rounded up to whole words; and the
// same in pages.
uint64_t bootmap_bytes(uint64_t pages);
uint64_t bootmem_bootmap_pages(uint64_t pages);

// Set up node nid over pfns [startpfn, endpfn) with its bitmap at pfn mapstart,
// everything marked reserved, and link it into the node list. The caller then
// frees the usable RAM and reserves the bitmap's own pages (early_init does).
// Returns the bitmap size in bytes.
uint64_t init_bootmem_node(int nid, uint64_t mapstart, uint64_t startpfn, uint64_t endpfn);

// Free the whole pages inside [addr, addr+size) (rounded inward). Lowers the
// node's search hint even when no whole page is covered. Returns 0, or -EINVAL
// when the pages are not all inside nodes. Freeing a free page: MM_ASSERT.
int free_bootmem(phys_addr_t addr, uint64_t size);

// Reserve every page touched by [addr, addr+size) (rounded outward); size 0
// reserves nothing. Returns 0; -EINVAL when the pages are not all inside
// nodes; with BOOTMEM_EXCLUSIVE, -EBUSY if a page was already reserved, with
// everything this call set undone.
int reserve_bootmem(phys_addr_t addr, uint64_t size, int flags);

// Zeroed allocations (virtual addresses), Linux's wrappers. goal is a
// preferred lowest physical address, dropped if nothing fits above it; the
// node variant tries node nid, then every node. Returns NULL when nothing
// fits; none of them panics. size 0 or an align that is not a power of two
// is a caller bug (MM_ASSERT).
void *__alloc_bootmem_nopanic(uint64_t size, uint64_t align, uint64_t goal);
void *__alloc_bootmem_low_nopanic(uint64_t size, uint64_t align, uint64_t goal);
void *__alloc_bootmem_node_nopanic(int nid, uint64_t size, uint64_t align, uint64_t goal);

#define alloc_bootmem_nopanic(x) \
	__alloc_bootmem_nopanic(x, BOOTMEM_SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_pages_nopanic(x) \
	__alloc_bootmem_nopanic(x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_low_pages_nopanic(x) \
	__alloc_bootmem_low_nopanic(x, PAGE_SIZE, 0)
#define alloc_bootmem_node_nopanic(nid, x) \
	__alloc_bootmem_node_nopanic(nid, x, BOOTMEM_SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)

// The handoff: give every free page of every node to give(), then the
// bitmaps' own pages, and retire the allocator. Returns the pages given.
uint64_t free_all_bootmem(early_give_fn give, void *arg);

#endif
