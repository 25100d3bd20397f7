// memblock: the early allocator of Linux 6.1, with the same names, structs and
// API. RAM is kept as two sorted arrays of regions, "memory" (what exists) and
// "reserved" (what is taken); free memory is memory minus reserved. Each array
// holds no overlaps, merges touching neighbours of equal nid and flags, and
// keeps one zero-size dummy entry when empty (cnt is never 0).
// Deviations from Linux are listed in docs/memblock.md.
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "memmap.h"

#ifndef PHYS_ADDR_MAX
#define PHYS_ADDR_MAX (~(phys_addr_t)0)
#endif
#ifndef MAX_NUMNODES
#define MAX_NUMNODES MEMMAP_MAX_NODES
#endif
#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif
#ifndef SMP_CACHE_BYTES
#define SMP_CACHE_BYTES 64
#endif

#define INIT_MEMBLOCK_REGIONS 128
#ifndef INIT_MEMBLOCK_RESERVED_REGIONS
#define INIT_MEMBLOCK_RESERVED_REGIONS INIT_MEMBLOCK_REGIONS
#endif
#ifndef INIT_MEMBLOCK_MEMORY_REGIONS
#define INIT_MEMBLOCK_MEMORY_REGIONS INIT_MEMBLOCK_REGIONS
#endif

// Region attributes (memory array only; reserved regions carry NONE).
enum memblock_flags {
	MEMBLOCK_NONE = 0x0,            // nothing special
	MEMBLOCK_HOTPLUG = 0x1,         // may be unplugged later
	MEMBLOCK_MIRROR = 0x2,          // mirrored (reliable) memory
	MEMBLOCK_NOMAP = 0x4,           // never map, never allocate
	MEMBLOCK_DRIVER_MANAGED = 0x8,  // added by a driver, not firmware
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
	int nid;                        // MAX_NUMNODES when no node was given
};

struct memblock_type {
	unsigned long cnt;              // entries in use (1 when empty: the dummy)
	unsigned long max;              // capacity of regions[]
	phys_addr_t total_size;         // sum of the sizes
	struct memblock_region *regions;
	char *name;                     // "memory" or "reserved"
};

struct memblock {
	bool bottom_up;                 // search direction; false = top-down
	phys_addr_t current_limit;      // allocations stay below this
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;
extern struct memblock_region memblock_memory_init_regions[INIT_MEMBLOCK_MEMORY_REGIONS];
extern struct memblock_region memblock_reserved_init_regions[INIT_MEMBLOCK_RESERVED_REGIONS];

// Kernel settings memblock reads (Linux keeps them elsewhere). All default to
// false/0. mirrored_kernelcore lets memblock_mark_mirror take effect;
// movable_node_enabled makes allocations avoid HOTPLUG memory.
extern bool mirrored_kernelcore;
extern bool movable_node_enabled;

// Page-frame limits; early_init sets max_low_pfn and max_pfn to the end of
// DRAM. The handoff gives no page at or above max_low_pfn.
extern unsigned long max_low_pfn;
extern unsigned long min_low_pfn;
extern unsigned long max_pfn;
extern unsigned long long max_possible_pfn;

// The buddy allocator's entry for memblock_free_all() and
// memblock_free_late(): the kernel sets it (to buddy_free_boot) before
// calling them. Each call frees the naturally aligned block of 2^order pages
// at pfn; arg is always NULL.
extern void (*memblock_free_pages_hook)(uint64_t pfn, unsigned order, void *arg);

// The upper bounds the allocation API understands.
#define MEMBLOCK_ALLOC_ANYWHERE    (~(phys_addr_t)0)  // no limit at all
#define MEMBLOCK_ALLOC_ACCESSIBLE  0                  // up to current_limit
#define MEMBLOCK_ALLOC_NOLEAKTRACE 1                  // same; no leak tracking
#define MEMBLOCK_LOW_LIMIT 0
#ifndef ARCH_LOW_ADDRESS_LIMIT
#define ARCH_LOW_ADDRESS_LIMIT 0xffffffffUL
#endif

/* ---- Registering memory and reservations (mm/memblock.c) ----
 * [base, base+size) is a physical range. Size 0 does nothing; a range that
 * would pass the top of the address space is cut there. */

/**
 * memblock_add_node - register RAM [base, base+size) on node nid
 * @nid: node of the new pieces
 * @flags: MEMBLOCK_* of the new pieces
 *
 * Parts already registered keep their nid and flags.
 * Return: 0, or -ENOMEM when the memory array is full and cannot double
 * (nothing is changed then).
 */
int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid,
		      enum memblock_flags flags);

/**
 * memblock_add - register RAM [base, base+size) with no node (MAX_NUMNODES)
 * Return: 0, or -ENOMEM when the array cannot grow (nothing changed).
 */
int memblock_add(phys_addr_t base, phys_addr_t size);

/**
 * memblock_remove - forget RAM [base, base+size), splitting regions as needed
 * Return: 0, or -ENOMEM when a split needs room the array cannot get.
 */
int memblock_remove(phys_addr_t base, phys_addr_t size);

/**
 * memblock_reserve - mark [base, base+size) as taken
 * Return: 0, or -ENOMEM when the reserved array is full and cannot double
 * (nothing is changed then, even when the range would have merged).
 */
int memblock_reserve(phys_addr_t base, phys_addr_t size);

/**
 * memblock_phys_free - drop the reservation of [base, base+size)
 * The memory becomes free for memblock again; nothing goes to the buddy
 * allocator. Freeing what was not reserved is not detected.
 * Return: 0, or -ENOMEM when a split needs room the array cannot get.
 */
int memblock_phys_free(phys_addr_t base, phys_addr_t size);

/**
 * memblock_free - memblock_phys_free() for a pointer from memblock_alloc*()
 * @ptr: virtual address; NULL does nothing
 * @size: bytes
 * Return: nothing; a failure to split is ignored, as in Linux.
 */
void memblock_free(void *ptr, size_t size);

/**
 * memblock_allow_resize - let full arrays double from now on
 *
 * Call it once every range that must not be overwritten is reserved: a new
 * array is placed in free memory.
 * Return: nothing.
 */
void memblock_allow_resize(void);

/**
 * memblock_mark_hotplug - set MEMBLOCK_HOTPLUG on memory [base, base+size)
 * Return: 0, or -ENOMEM when the range cannot be isolated.
 */
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size);

/**
 * memblock_clear_hotplug - clear MEMBLOCK_HOTPLUG on memory [base, base+size)
 * Return: 0, or -ENOMEM when the range cannot be isolated.
 */
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size);

/**
 * memblock_mark_mirror - set MEMBLOCK_MIRROR on memory [base, base+size)
 * Does nothing unless mirrored_kernelcore is set. Once a region is mirrored,
 * allocations prefer mirrored memory and fall back to any.
 * Return: 0, or -ENOMEM when the range cannot be isolated.
 */
int memblock_mark_mirror(phys_addr_t base, phys_addr_t size);

/**
 * memblock_clear_mirror - clear MEMBLOCK_MIRROR (not in Linux 6.1)
 * Return: 0, or -ENOMEM when the range cannot be isolated.
 */
int memblock_clear_mirror(phys_addr_t base, phys_addr_t size);

/**
 * memblock_mark_nomap - set MEMBLOCK_NOMAP on memory [base, base+size)
 * NOMAP memory is never allocated and never handed off.
 * Return: 0, or -ENOMEM when the range cannot be isolated.
 */
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);

/**
 * memblock_clear_nomap - clear MEMBLOCK_NOMAP on memory [base, base+size)
 * Return: 0, or -ENOMEM when the range cannot be isolated.
 */
int memblock_clear_nomap(phys_addr_t base, phys_addr_t size);

/**
 * memblock_set_node - give [base, base+size) of @type node @nid
 * @type: &memblock.memory (or &memblock.reserved)
 * @nid: the node
 * Return: 0, or -ENOMEM when the range cannot be isolated.
 */
int memblock_set_node(phys_addr_t base, phys_addr_t size,
		      struct memblock_type *type, int nid);

/* ---- Limits and direction ---- */

/**
 * memblock_set_current_limit - cap the default upper bound of allocations
 * @limit: physical address; MEMBLOCK_ALLOC_ANYWHERE for none
 * Return: nothing.
 */
static inline void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

/** memblock_get_current_limit - Return: memblock.current_limit. */
static inline phys_addr_t memblock_get_current_limit(void)
{
	return memblock.current_limit;
}

/**
 * memblock_set_bottom_up - choose the search direction
 * @enable: true: lowest address first; false (the default): highest first
 * Return: nothing.
 */
static inline void memblock_set_bottom_up(bool enable)
{
	memblock.bottom_up = enable;
}

/** memblock_bottom_up - Return: true when allocations are placed bottom-up. */
static inline bool memblock_bottom_up(void)
{
	return memblock.bottom_up;
}

/* ---- Allocation (mm/memblock_alloc.c) ----
 * Every allocator fails, returning 0 or NULL, for size 0, for an alignment
 * that is not a power of two (MM_WARN), or when no free range fits. Align 0
 * means SMP_CACHE_BYTES (with an MM_WARN). The first page of the physical
 * address space is never returned. Nothing ever panics. @size is in bytes;
 * @align is a power of two, or 0. */

/**
 * memblock_alloc_range_nid - find and reserve memory in [start, end)
 * @start: lowest address
 * @end: highest end; ACCESSIBLE or NOLEAKTRACE mean current_limit
 * @nid: preferred node, or NUMA_NO_NODE
 * @exact_nid: true: never fall back to other nodes
 *
 * Return: the physical address, or 0 on failure.
 */
phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end,
				     int nid, bool exact_nid);

/**
 * memblock_phys_alloc_range - allocate from exactly [start, end), any node
 * @start: lowest address (no retry below it)
 * @end: highest end (not clamped to current_limit unless ACCESSIBLE)
 *
 * Return: the physical address (not zeroed), or 0 on failure.
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end);

/**
 * memblock_phys_alloc_try_nid - allocate below current_limit, node @nid first
 * @nid: preferred node, or NUMA_NO_NODE; other nodes are tried next
 *
 * Return: the physical address (not zeroed), or 0 on failure.
 */
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align,
					int nid);

/**
 * memblock_phys_alloc - allocate below current_limit from any node
 *
 * Return: the physical address (not zeroed), or 0 on failure.
 */
static inline phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
}

/**
 * memblock_alloc_try_nid - allocate zeroed memory in [min_addr, max_addr)
 * @min_addr: preferred lowest address; dropped (to 0) if nothing fits above
 * @max_addr: highest end, clamped to current_limit; ACCESSIBLE = the limit
 * @nid: preferred node, or NUMA_NO_NODE; other nodes are tried next
 *
 * Order: [min,max) on @nid, [min,max) anywhere, [0,max) on @nid, [0,max)
 * anywhere (mirrored memory first for each, when some exists).
 * Return: the virtual address of zeroed memory, or NULL on failure.
 */
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align,
			     phys_addr_t min_addr, phys_addr_t max_addr, int nid);

/**
 * memblock_alloc_try_nid_raw - memblock_alloc_try_nid() without zeroing
 * @min_addr: preferred lowest address; dropped if nothing fits above
 * @max_addr: highest end, clamped to current_limit
 * @nid: preferred node, or NUMA_NO_NODE
 *
 * Return: the virtual address (contents undefined), or NULL on failure.
 */
void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align,
				 phys_addr_t min_addr, phys_addr_t max_addr, int nid);

/**
 * memblock_alloc_exact_nid_raw - like _try_nid_raw, but only on node @nid
 * @min_addr: preferred lowest address; dropped if nothing fits above
 * @max_addr: highest end, clamped to current_limit
 * @nid: the node (NUMA_NO_NODE: any)
 *
 * Return: the virtual address (contents undefined), or NULL on failure.
 */
void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
				   phys_addr_t min_addr, phys_addr_t max_addr, int nid);

/**
 * memblock_alloc - zeroed memory anywhere below current_limit
 *
 * Return: the virtual address, or NULL on failure.
 */
static inline void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT,
				      MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}

/**
 * memblock_alloc_raw - memblock_alloc() without zeroing
 *
 * Return: the virtual address, or NULL on failure.
 */
static inline void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid_raw(size, align, MEMBLOCK_LOW_LIMIT,
					  MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}

/**
 * memblock_alloc_from - zeroed memory at or above @min_addr if possible
 * @min_addr: preferred lowest address; dropped if nothing fits above
 *
 * Return: the virtual address, or NULL on failure.
 */
static inline void *memblock_alloc_from(phys_addr_t size, phys_addr_t align,
					phys_addr_t min_addr)
{
	return memblock_alloc_try_nid(size, align, min_addr,
				      MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}

/**
 * memblock_alloc_low - zeroed memory below ARCH_LOW_ADDRESS_LIMIT (4 GiB)
 *
 * Return: the virtual address, or NULL on failure.
 */
static inline void *memblock_alloc_low(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT,
				      ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE);
}

/**
 * memblock_alloc_node - zeroed memory, node @nid first, then any node
 * @nid: preferred node
 *
 * Return: the virtual address, or NULL on failure.
 */
static inline void *memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT,
				      MEMBLOCK_ALLOC_ACCESSIBLE, nid);
}

/* ---- Queries ---- */

/** memblock_phys_mem_size - Return: bytes of registered memory (0 if none). */
static inline phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

/** memblock_reserved_size - Return: bytes reserved (0 if none). */
static inline phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

/** memblock_start_of_DRAM - Return: base of the lowest memory region, 0 if none. */
static inline phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.regions[0].base;
}

/** memblock_end_of_DRAM - Return: end of the highest memory region, 0 if none. */
static inline phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_region *last = &memblock.memory.regions[memblock.memory.cnt - 1];

	return last->base + last->size;
}

/** memblock_is_memory - Return: true if @addr is inside a memory region. */
bool memblock_is_memory(phys_addr_t addr);
/** memblock_is_map_memory - Return: true if @addr is memory and not NOMAP. */
bool memblock_is_map_memory(phys_addr_t addr);
/** memblock_is_reserved - Return: true if @addr is inside a reserved region. */
bool memblock_is_reserved(phys_addr_t addr);
/**
 * memblock_is_region_memory - is [base, base+size) inside one memory region?
 * Return: true only if a single region holds all of it (touching regions of
 * different nid or flags do not count as one).
 */
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
/**
 * memblock_is_region_reserved - does [base, base+size) overlap a reservation?
 * With size 0: true only if @base is strictly inside a reservation.
 * Return: true on any overlap.
 */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
/**
 * memblock_overlaps_region - does [base, base+size) overlap a region of @type?
 * @type: the array to look at
 * Return: true on any overlap.
 */
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base,
			      phys_addr_t size);

/* ---- Trimming ---- */

/**
 * memblock_trim_memory - shrink memory regions inward to multiples of @align
 * @align: a power of two; anything else is refused with MM_WARN
 *
 * Regions that vanish are removed; total_size follows (unlike Linux).
 * Return: nothing.
 */
void memblock_trim_memory(phys_addr_t align);

/**
 * memblock_enforce_memory_limit - keep only the first @limit bytes of memory
 * @limit: bytes; 0 or more than there is does nothing
 *
 * Memory and reservations above the cut are removed.
 * Return: nothing; a failure to split leaves the arrays as they were.
 */
void memblock_enforce_memory_limit(phys_addr_t limit);

/**
 * memblock_cap_memory_range - keep only memory in [base, base+size)
 * NOMAP memory outside the range survives; reservations outside go.
 * Return: nothing.
 */
void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size);

/**
 * memblock_mem_limit_remove_map - enforce_memory_limit, but keep NOMAP regions
 * @limit: bytes; 0 or more than there is does nothing
 * Return: nothing.
 */
void memblock_mem_limit_remove_map(phys_addr_t limit);

/* ---- Retirement ---- */

/**
 * memblock_free_all - give every free page to the buddy allocator
 *
 * Calls memblock_free_pages_hook for each naturally aligned free block
 * (order <= 10) below max_low_pfn, inside one bank of the boot map; partial
 * pages stay behind. The hook must be set (MM_ASSERT). It is
 * early_handoff(memblock_free_pages_hook, NULL).
 * Return: nothing.
 */
void memblock_free_all(void);

/**
 * memblock_free_late - give [base, base+size) to the buddy allocator
 *
 * Only whole pages are given, one at a time (order 0). For use after
 * memblock_free_all(); memblock's arrays are not updated.
 * Return: nothing.
 */
void memblock_free_late(phys_addr_t base, phys_addr_t size);

/**
 * memblock_discard - give the pages of doubled arrays to the buddy allocator
 * After this memblock must not be used again. Return: nothing.
 */
void memblock_discard(void);

/* ---- Iterators ---- */

/**
 * __next_mem_range - step to the next range of type_a not in type_b
 * @idx: cursor; 0 to start, ~0ULL when done
 * @nid: node filter (NUMA_NO_NODE: any)
 * @flags: MEMBLOCK_* that are wanted (MIRROR: only mirrored; HOTPLUG, NOMAP,
 *         DRIVER_MANAGED: include such regions)
 * @type_a: usually &memblock.memory
 * @type_b: ranges to cut out (&memblock.reserved), or NULL
 * @out_start: start of the range (may be NULL)
 * @out_end: end of the range (may be NULL)
 * @out_nid: node of the range (may be NULL)
 *
 * A range never spans two regions of @type_a. Lowest first.
 * Return: nothing; *@idx is ~0ULL when there is no further range.
 */
void __next_mem_range(unsigned long long *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);

/**
 * __next_mem_range_rev - __next_mem_range(), highest first
 * @idx: cursor; ~0ULL to start and when done
 * @nid: node filter
 * @flags: as for __next_mem_range()
 * @type_a: usually &memblock.memory
 * @type_b: ranges to cut out, or NULL
 * @out_start: start of the range (may be NULL)
 * @out_end: end of the range (may be NULL)
 * @out_nid: node of the range (may be NULL)
 *
 * Return: nothing; *@idx is ~0ULL when there is no further range.
 */
void __next_mem_range_rev(unsigned long long *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);

// The cursor is passed by value here so the loop variable may be any 64-bit
// unsigned type (u64, uint64_t, unsigned long long).
static inline unsigned long long __memblock_step(unsigned long long i, bool rev, int nid,
		enum memblock_flags flags, struct memblock_type *a, struct memblock_type *b,
		phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	if (rev)
		__next_mem_range_rev(&i, nid, flags, a, b, out_start, out_end, out_nid);
	else
		__next_mem_range(&i, nid, flags, a, b, out_start, out_end, out_nid);
	return i;
}

#define __for_each_mem_range(i, type_a, type_b, nid, flags, p_start, p_end, p_nid) \
	for (i = __memblock_step(0, false, nid, flags, type_a, type_b, p_start, p_end, p_nid); \
	     i != ~0ULL; \
	     i = __memblock_step(i, false, nid, flags, type_a, type_b, p_start, p_end, p_nid))

#define __for_each_mem_range_rev(i, type_a, type_b, nid, flags, p_start, p_end, p_nid) \
	for (i = __memblock_step(~0ULL, true, nid, flags, type_a, type_b, \
				 p_start, p_end, p_nid); \
	     i != ~0ULL; \
	     i = __memblock_step(i, true, nid, flags, type_a, type_b, p_start, p_end, p_nid))

// Every memory region (HOTPLUG and DRIVER_MANAGED too, NOMAP not).
#define for_each_mem_range(i, p_start, p_end) \
	__for_each_mem_range(i, &memblock.memory, NULL, NUMA_NO_NODE, \
			     MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED, p_start, p_end, NULL)

#define for_each_mem_range_rev(i, p_start, p_end) \
	__for_each_mem_range_rev(i, &memblock.memory, NULL, NUMA_NO_NODE, \
				 MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED, p_start, p_end, NULL)

// Free ranges: memory minus reserved, lowest or highest first.
#define for_each_free_mem_range(i, nid, flags, p_start, p_end, p_nid) \
	__for_each_mem_range(i, &memblock.memory, &memblock.reserved, \
			     nid, flags, p_start, p_end, p_nid)

#define for_each_free_mem_range_reverse(i, nid, flags, p_start, p_end, p_nid) \
	__for_each_mem_range_rev(i, &memblock.memory, &memblock.reserved, \
				 nid, flags, p_start, p_end, p_nid)

#define for_each_reserved_mem_range(i, p_start, p_end) \
	__for_each_mem_range(i, &memblock.reserved, NULL, NUMA_NO_NODE, \
			     MEMBLOCK_NONE, p_start, p_end, NULL)

// Walk the entries of an array; idx is an integer, rgn a region pointer.
#define for_each_memblock_type(idx, memblock_type, rgn) \
	for (idx = 0, rgn = &(memblock_type)->regions[0]; \
	     idx < (memblock_type)->cnt; \
	     idx++, rgn = &(memblock_type)->regions[idx])

#define for_each_mem_region(region) \
	for (region = memblock.memory.regions; \
	     region < memblock.memory.regions + memblock.memory.cnt; region++)

#define for_each_reserved_mem_region(region) \
	for (region = memblock.reserved.regions; \
	     region < memblock.reserved.regions + memblock.reserved.cnt; region++)

/* ---- Region helpers (none can fail) ---- */

/** memblock_set_region_node - set @r's node to @nid. Return: nothing. */
static inline void memblock_set_region_node(struct memblock_region *r, int nid)
{
	r->nid = nid;
}

/** memblock_get_region_node - Return: @r's node (MAX_NUMNODES: none given). */
static inline int memblock_get_region_node(const struct memblock_region *r)
{
	return r->nid;
}

/** memblock_region_memory_base_pfn - Return: the first whole page of @reg. */
static inline unsigned long memblock_region_memory_base_pfn(const struct memblock_region *reg)
{
	return (unsigned long)((reg->base + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/** memblock_region_memory_end_pfn - Return: one past the last whole page of @reg. */
static inline unsigned long memblock_region_memory_end_pfn(const struct memblock_region *reg)
{
	return (unsigned long)((reg->base + reg->size) >> PAGE_SHIFT);
}

/** memblock_region_reserved_base_pfn - Return: the first page @reg touches. */
static inline unsigned long memblock_region_reserved_base_pfn(const struct memblock_region *reg)
{
	return (unsigned long)(reg->base >> PAGE_SHIFT);
}

/** memblock_region_reserved_end_pfn - Return: one past the last page @reg touches. */
static inline unsigned long memblock_region_reserved_end_pfn(const struct memblock_region *reg)
{
	return (unsigned long)((reg->base + reg->size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/** memblock_is_hotpluggable - Return: true if @m is MEMBLOCK_HOTPLUG. */
static inline bool memblock_is_hotpluggable(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_HOTPLUG;
}

/** memblock_is_hotplug - memblock_is_hotpluggable(). Return: true if HOTPLUG. */
static inline bool memblock_is_hotplug(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_HOTPLUG;
}

/** memblock_is_mirror - Return: true if @m is MEMBLOCK_MIRROR. */
static inline bool memblock_is_mirror(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_MIRROR;
}

/** memblock_is_nomap - Return: true if @m is MEMBLOCK_NOMAP. */
static inline bool memblock_is_nomap(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_NOMAP;
}

/** memblock_is_driver_managed - Return: true if @m is MEMBLOCK_DRIVER_MANAGED. */
static inline bool memblock_is_driver_managed(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_DRIVER_MANAGED;
}

/* ---- Internal: shared by mm/memblock.c and mm/memblock_alloc.c only ---- */

// Reset everything memblock.c owns to the boot state (static arrays, dummy
// entries, top-down, no limit, no resizing, counters 0).
void __memblock_reset(void);
// Move @type's entries into a doubled array at physical @addr (page-aligned,
// PAGE_ALIGN(2 * max * sizeof(region)) free bytes) and reserve it.
// Returns 0 or -ENOMEM.
int __memblock_move_array(struct memblock_type *type, phys_addr_t addr);
// Bytes an array takes: the static size, or its page-rounded allocation.
phys_addr_t __memblock_array_bytes(const struct memblock_type *type);
// Doublings since the reset, and the largest both arrays took together.
extern uint64_t __memblock_resizes;
extern uint64_t __memblock_meta_peak;
// Whole-page spans [start, end) of the boot map's banks (early_init records
// them, __memblock_reset forgets them): handoff blocks stay inside one.
extern struct memblock_span { uint64_t start, end; } __memblock_spans[MEMMAP_MAX_BANKS];
extern int __memblock_nspans;
// The mirror preference: MEMBLOCK_MIRROR once some memory is mirrored.
enum memblock_flags __memblock_choose_flags(void);
// Top-down or bottom-up search of free memory in [start, end) for @size bytes
// aligned to @align (a power of two); 0 when nothing fits.
phys_addr_t memblock_find_in_range_node(phys_addr_t size, phys_addr_t align,
					phys_addr_t start, phys_addr_t end,
					int nid, enum memblock_flags flags);

#endif
