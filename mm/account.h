// The boot accounting invariant, checked per NUMA node after the handoff:
//
//   RAM pages = pages in buddy + reserved pages + pages kept by early
//               allocations + pages lost to rounding
//
// Each term comes from a different source, so the sum is a real check:
// RAM from the memory map's banks, reserved from its reservations (rounded
// outward to pages), early from the kernel's log of early allocations plus
// the allocator's surviving metadata, buddy from the free blocks themselves
// (which must also agree with the buddy's counters), and lost from what the
// early allocator says it held back.
#ifndef MM_ACCOUNT_H
#define MM_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include "memmap.h"

struct acct_region {
	phys_addr_t base;
	uint64_t size;
};

struct acct_node {
	uint64_t ram;        // whole pages inside the node's banks
	uint64_t buddy;      // pages in free buddy blocks on this node
	uint64_t reserved;   // pages touched by a reservation
	uint64_t early;      // pages touched by an early allocation, not reserved
	uint64_t lost;       // ram - the three above
};

// A free block, as the buddy allocator reports it.
typedef void (*acct_block_fn)(uint64_t pfn, unsigned order, int nid, void *arg);
typedef void (*acct_walk_fn)(acct_block_fn fn, void *arg);

// Fill out[0..map->nnodes) and check. walk enumerates every free buddy block;
// buddy_counted is the buddy's own count of free pages (all nodes);
// early_lost is the early allocator's own count of pages it held back.
// Returns 0, or -1 with a message in err: a free block that overlaps a
// reservation or an early allocation, or lies outside RAM; counters that
// disagree; or lost pages that the allocator did not report.
int account_check(const struct memmap *map,
		  const struct acct_region *early, int nearly,
		  acct_walk_fn walk, uint64_t buddy_counted, uint64_t early_lost,
		  struct acct_node *out, char *err, size_t errlen);

#endif
