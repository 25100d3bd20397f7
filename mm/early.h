// The early-allocator contract. Exactly one of mm/bump.c, mm/bootmem.c and
// mm/memblock*.c is linked (the Makefile picks it from ALLOC=); each defines
// every name below. The kernel reaches the allocator only through these
// names (kernel/bootalloc.c wraps them with logging, zeroing and the
// retirement check), so the rest of the kernel never knows which one runs.
//
// Addresses are physical. The cores include only mm/ headers, freestanding
// C headers and "mm_env.h", which the kernel and the host tests each supply.
#ifndef MM_EARLY_H
#define MM_EARLY_H

#include <stddef.h>
#include <stdint.h>
#include "errno.h"
#include "memmap.h"

#define EARLY_NO_NODE (-1)
#define EARLY_MAX_ORDER 10   // largest block early_handoff gives (Linux 6.1: MAX_ORDER - 1)

// Figures for the boot report. Every allocator fills every field it can;
// what does not apply stays 0.
struct early_stats {
	uint64_t nallocs;          // successful early_alloc calls
	uint64_t bytes_requested;  // sum of their sizes
	uint64_t bytes_consumed;   // bytes the allocator gave up to serve them,
	                           // alignment and sub-page waste included
	uint64_t meta_bytes;       // the allocator's own metadata (bitmaps, arrays)
	uint64_t meta_peak_bytes;  // largest metadata size seen (after doubling)
	uint64_t resizes;          // memblock: array doublings; others 0
	uint64_t merges;           // bootmem: sub-page merges; others 0
	uint64_t lost_pages;       // whole RAM pages the handoff kept back that are
	                           // neither reserved nor early-allocated
	                           // (bump: gaps skipped to pass a reservation)
	uint64_t handoff_pages;    // pages given to the buddy allocator
	uint64_t handoff_calls;    // calls to the give() callback
};

// The allocator's name as ALLOC= spells it: "bump", "bootmem", "memblock".
extern const char early_allocator_name[];

// Take every RAM bank of *map and then every reservation of *map (all origins,
// NOMAP ones included). Returns 0, or a negative errno: early_map_counts'
// first (the same from all three), then the allocator's own.
int early_init(const struct memmap *map);

// What every early_init checks first, reading only the counts: -EINVAL for
// no map, no bank or a negative reservation count, -ENOMEM for more banks
// or reservations than struct memmap holds, else 0.
static inline int early_map_counts(const struct memmap *map)
{
	if (!map || map->nbanks <= 0 || map->nresv < 0)
		return -EINVAL;
	if (map->nbanks > MEMMAP_MAX_BANKS || map->nresv > MEMMAP_MAX_RESV)
		return -ENOMEM;
	return 0;
}

// Allocate size bytes aligned to align (a power of two; 0 means 64) from node
// nid, or from any node when nid is EARLY_NO_NODE; an allocator without nodes
// ignores nid. The memory is not zeroed. Returns the physical address, or 0
// on failure: size 0, a bad alignment, or no room. Never panics.
phys_addr_t early_alloc(uint64_t size, uint64_t align, int nid);

// Mark [base, base+size) as not to be allocated or handed off.
// Returns 0 or a negative errno.
int early_reserve(phys_addr_t base, uint64_t size);

// Give [base, base+size) back. Returns 0, or -EOPNOTSUPP for an allocator
// that cannot free (bump). A double free is a caller bug: MM_ASSERT fires.
int early_free(phys_addr_t base, uint64_t size);

// The handoff. Calls give(pfn, order, arg) once for every naturally aligned
// block of 2^order free pages (order <= 10), each page exactly once, never a
// page that is reserved or early-allocated. Returns the pages given. After
// this the allocator is retired; the kernel wrapper refuses further calls.
typedef void (*early_give_fn)(uint64_t pfn, unsigned order, void *arg);
uint64_t early_handoff(early_give_fn give, void *arg);

// Calls fn on each region of allocator metadata that stays allocated after
// the handoff (memblock's doubled arrays); bootmem frees its bitmap at the
// handoff, bump has none.
typedef void (*early_region_fn)(phys_addr_t base, uint64_t size, void *arg);
void early_for_each_meta(early_region_fn fn, void *arg);

void early_get_stats(struct early_stats *out);

// The allocator's state, for the boot trace (APPEND=trace): the kernel
// prints it after every event. fn gets each value with a short name, a
// node (EARLY_NO_NODE when it has none) and an index (EARLY_NO_INDEX when
// it is not an array element): every small value the allocator keeps, and
// of a big structure (bootmem's bitmap) the parts that cover
// [base, base+size). Only reads; fine after each event of a small machine.
#define EARLY_NO_INDEX (~0ULL)
typedef void (*early_state_fn)(const char *name, int nid, uint64_t index, uint64_t value,
			       void *arg);
void early_trace_state(phys_addr_t base, uint64_t size, early_state_fn fn, void *arg);

// Choose where allocations go: from low addresses up (1) or from the top of
// RAM down (0). Returns 0, or -EOPNOTSUPP when the allocator has only one
// direction (bump and bootmem always allocate bottom-up; memblock's default
// is top-down, as in Linux).
int early_set_bottom_up(int on);

#endif
