// The buddy page allocator: orders 0..BUDDY_MAX_ORDER, one set of free lists
// per NUMA node, buddy = pfn ^ (1 << order). RAM is described as spans
// (one per bank); a span has its own descriptor array, and blocks never
// merge across a span (a hole) or a node boundary.
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include <stddef.h>
#include <stdint.h>
#include "memmap.h"

#define BUDDY_MAX_ORDER  10          // inclusive: largest block is 4 MiB
#define BUDDY_MAX_NODES  MEMMAP_MAX_NODES
#define BUDDY_MAX_SPANS  MEMMAP_MAX_BANKS

#define PG_RESERVED  0x1u   // not in the buddy allocator's hands
#define PG_BUDDY     0x2u   // head of a free block; order is valid

// One per RAM page; 32 bytes at most.
struct page {
	struct page *next, *prev;   // free-list links (valid when PG_BUDDY)
	uint32_t flags;
	int32_t refcount;           // 1 for an allocated block head, 0 when free
	uint8_t order;              // block order (free heads and allocated heads)
	uint8_t nid;
	uint16_t span;
	uint32_t unused;
};

// Bytes of descriptor array needed for npages pages.
size_t buddy_map_bytes(uint64_t npages);

// Register pages [start_pfn, start_pfn+npages) of node nid, described by
// map (buddy_map_bytes(npages) bytes). Every page starts PG_RESERVED.
// Returns 0, or -EINVAL (overlap, bad node) / -ENOSPC (too many spans).
int buddy_add_span(int nid, uint64_t start_pfn, uint64_t npages, struct page *map);

// Handoff entry: give a naturally aligned block of 2^order PG_RESERVED pages
// to the allocator. Panics (MM_ASSERT) on a page that is not registered or not
// reserved. Matches early_give_fn, so it can be passed straight to
// early_handoff (arg is ignored).
void buddy_free_boot(uint64_t pfn, unsigned order, void *arg);

// Allocate 2^order pages: from node nid first, then the other nodes in
// order; nid < 0 starts at node 0. Returns the head descriptor, or NULL
// when nothing fits or order > BUDDY_MAX_ORDER.
struct page *alloc_pages(int nid, unsigned order);

// Free a block returned by alloc_pages. Freeing a free block, a block that was
// never allocated, or with the wrong order panics with the pfn and order.
void free_pages(struct page *page, unsigned order);

uint64_t page_to_pfn(const struct page *page);
struct page *pfn_to_page(uint64_t pfn);        // NULL if not RAM

// Counters: free blocks of one order on one node, and free pages on a node
// (nid < 0: all nodes).
uint64_t buddy_nr_free(int nid, unsigned order);
uint64_t buddy_free_pages(int nid);
int buddy_nr_nodes(void);

// Calls fn(pfn, order, nid, arg) once for every free block, node by node and
// order by order. fn must not allocate or free.
void buddy_for_each_free_block(void (*fn)(uint64_t pfn, unsigned order, int nid, void *arg),
			       void *arg);

// 1 if pfn lies inside a free block, 0 otherwise (reserved, allocated, or
// not RAM). At most BUDDY_MAX_ORDER+1 descriptor reads, so a walk over every
// page of a span costs O(pages).
int buddy_page_is_free(uint64_t pfn);

// Resets all state (host tests; the kernel calls it once).
void buddy_reset(void);

#endif
