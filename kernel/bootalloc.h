// The kernel's door to the early allocator chosen by ALLOC= (mm/early.h):
// every early allocation is zeroed, logged for the accounting check and
// the report, and refused once the allocator has been retired at handoff.
#ifndef KERNEL_BOOTALLOC_H
#define KERNEL_BOOTALLOC_H

#include <stdint.h>
#include "../mm/account.h"
#include "../mm/early.h"

#define BOOTALLOC_MAX_LOG 96

struct bootalloc_times {
	uint64_t init_instret, init_time;       // early_init + every early allocation
	uint64_t handoff_instret, handoff_time; // descriptor init + early_handoff
};

// Give *map to the early allocator. trace: print the boot trace, one
// "@trace" line per event (APPEND=trace; README "Boot output").
void bootalloc_init(const struct memmap *map, int trace);

// Zeroed memory for what (a short label for the report), or a panic that
// prints the memory map: boot cannot go on without it.
#define bootalloc(size, align, nid, what) \
	bootalloc_from((size), (align), (nid), (what), __func__)
void *bootalloc_from(uint64_t size, uint64_t align, int nid, const char *what,
		     const char *caller);

// The same, not zeroed: for memory the caller writes in full anyway (the
// page descriptors, which buddy_add_span initialises one by one).
#define bootalloc_raw(size, align, nid, what) \
	bootalloc_raw_from((size), (align), (nid), (what), __func__)
void *bootalloc_raw_from(uint64_t size, uint64_t align, int nid, const char *what,
			 const char *caller);

// Give every free page to the buddy allocator and retire the early
// allocator; any bootalloc after this panics and names its caller.
// setup runs first, inside the timed window (it initialises the page
// descriptors).
void bootalloc_handoff(void (*setup)(void));

// The log of early allocations (and the allocator's surviving metadata,
// appended at handoff), for the accounting check.
int bootalloc_regions(const struct acct_region **out);
void bootalloc_print_log(void);
const struct bootalloc_times *bootalloc_times(void);

#endif
