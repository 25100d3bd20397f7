// memblock's region arrays: adding, isolating, removing and merging ranges,
// doubling a full array, flags and nodes, and the read-only queries.
// Invariant after every public call: each array is sorted by base, has no
// overlaps, has touching neighbours merged unless nid or flags differ, and
// total_size is the sum of its sizes. An empty array holds one {0,0} dummy.
// Searching free memory and the allocation API live in memblock_alloc.c.
#include "memblock.h"
#include "mm_env.h"

struct memblock_region memblock_memory_init_regions[INIT_MEMBLOCK_MEMORY_REGIONS];
struct memblock_region memblock_reserved_init_regions[INIT_MEMBLOCK_RESERVED_REGIONS];

#define STATIC_ARRAYS_BYTES (sizeof(memblock_memory_init_regions) + \
			     sizeof(memblock_reserved_init_regions))

// Boot state: both arrays hold just their dummy entry; top-down, no limit.
struct memblock memblock = {
	.bottom_up = false,
	.current_limit = MEMBLOCK_ALLOC_ANYWHERE,
	.memory = { .cnt = 1, .max = INIT_MEMBLOCK_MEMORY_REGIONS,
		    .regions = memblock_memory_init_regions, .name = "memory" },
	.reserved = { .cnt = 1, .max = INIT_MEMBLOCK_RESERVED_REGIONS,
		      .regions = memblock_reserved_init_regions, .name = "reserved" },
};

bool mirrored_kernelcore;
bool movable_node_enabled;
unsigned long max_low_pfn;
unsigned long min_low_pfn;
unsigned long max_pfn;
unsigned long long max_possible_pfn;

uint64_t __memblock_resizes;
uint64_t __memblock_meta_peak = STATIC_ARRAYS_BYTES;
struct memblock_span __memblock_spans[MEMMAP_MAX_BANKS];
int __memblock_nspans;

// A new array is placed in free memory, so doubling waits until everything
// that must survive is reserved (memblock_allow_resize).
static bool memblock_can_resize;
static bool system_has_some_mirror;

static phys_addr_t page_align(phys_addr_t x)
{
	return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

// Shrink *size so that base + *size cannot wrap; returns the new size.
static phys_addr_t cap_size(phys_addr_t base, phys_addr_t *size)
{
	if (*size > PHYS_ADDR_MAX - base)
		*size = PHYS_ADDR_MAX - base;
	return *size;
}

static bool is_static_array(const struct memblock_region *regions)
{
	return regions == memblock_memory_init_regions ||
	       regions == memblock_reserved_init_regions;
}

static void init_type(struct memblock_type *type, struct memblock_region *regions,
		      unsigned long max, char *name)
{
	mm_memset(regions, 0, max * sizeof(*regions));
	*type = (struct memblock_type){ .cnt = 1, .max = max, .regions = regions, .name = name };
}

void __memblock_reset(void)
{
	memblock.bottom_up = false;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	init_type(&memblock.memory, memblock_memory_init_regions,
		  INIT_MEMBLOCK_MEMORY_REGIONS, "memory");
	init_type(&memblock.reserved, memblock_reserved_init_regions,
		  INIT_MEMBLOCK_RESERVED_REGIONS, "reserved");
	memblock_can_resize = false;
	system_has_some_mirror = false;
	__memblock_resizes = 0;
	__memblock_meta_peak = STATIC_ARRAYS_BYTES;
	__memblock_nspans = 0;
}

phys_addr_t __memblock_array_bytes(const struct memblock_type *type)
{
	phys_addr_t bytes = type->max * sizeof(struct memblock_region);

	return is_static_array(type->regions) ? bytes : page_align(bytes);
}

enum memblock_flags __memblock_choose_flags(void)
{
	return system_has_some_mirror ? MEMBLOCK_MIRROR : MEMBLOCK_NONE;
}

// Put a new entry at index idx, shifting the rest up. The caller has made
// sure it keeps the array sorted; merging is left to merge_regions().
static void insert_region(struct memblock_type *type, unsigned long idx,
			  phys_addr_t base, phys_addr_t size, int nid,
			  enum memblock_flags flags)
{
	// lab memblock §1
	struct memblock_region *r = &type->regions[idx];

	MM_ASSERT(type->cnt < type->max, "memblock: %s array full (%lu entries)",
		  type->name, type->max);
	mm_memmove(r + 1, r, (type->cnt - idx) * sizeof(*r));
	*r = (struct memblock_region){ .base = base, .size = size, .flags = flags, .nid = nid };
	type->cnt++;
	type->total_size += size;
	// lab end
}

static void remove_region(struct memblock_type *type, unsigned long idx)
{
	// lab memblock §2
	struct memblock_region *r = &type->regions[idx];

	type->total_size -= r->size;
	mm_memmove(r, r + 1, (type->cnt - idx - 1) * sizeof(*r));
	type->cnt--;
	if (type->cnt == 0) {
		// The last region went: the dummy comes back, with no node.
		if (type->total_size != 0)
			MM_WARN("memblock: %s emptied with total_size %#llx", type->name,
				(unsigned long long)type->total_size);
		type->cnt = 1;
		type->regions[0] = (struct memblock_region){ .base = 0, .size = 0,
			.flags = MEMBLOCK_NONE, .nid = MAX_NUMNODES };
	}
	// lab end
}

// Merge touching neighbours that agree on nid and flags. An overlap here
// means the array is corrupt.
static void merge_regions(struct memblock_type *type)
{
	// lab memblock §1
	unsigned long i = 0;

	while (i + 1 < type->cnt) {
		struct memblock_region *a = &type->regions[i], *b = a + 1;

		if (a->base + a->size != b->base || a->nid != b->nid || a->flags != b->flags) {
			MM_ASSERT(a->base + a->size <= b->base, "memblock: %s regions overlap: "
				  "%#llx + %#llx > %#llx", type->name, (unsigned long long)a->base,
				  (unsigned long long)a->size, (unsigned long long)b->base);
			i++;
			continue;
		}
		a->size += b->size;
		mm_memmove(b, b + 1, (type->cnt - i - 2) * sizeof(*b));
		type->cnt--;
	}
	// lab end
}

int __memblock_move_array(struct memblock_type *type, phys_addr_t addr)
{
	// lab memblock §3
	struct memblock_region *old = type->regions;
	struct memblock_region *new = mm_phys_to_virt(addr);
	phys_addr_t old_bytes = __memblock_array_bytes(type);
	phys_addr_t used = type->max * sizeof(*old);
	int err;

	// Copy first: the array being doubled may be the one that is full.
	mm_memcpy(new, old, used);
	mm_memset((char *)new + used, 0, used);
	type->regions = new;
	type->max *= 2;
	__memblock_resizes++;

	if (!is_static_array(old))
		memblock_free(old, old_bytes);
	err = memblock_reserve(addr, __memblock_array_bytes(type));
	MM_ASSERT(err == 0, "memblock: cannot reserve the new %s array at %#llx (error %d)",
		  type->name, (unsigned long long)addr, err);

	used = __memblock_array_bytes(&memblock.memory) + __memblock_array_bytes(&memblock.reserved);
	if (used > __memblock_meta_peak)
		__memblock_meta_peak = used;
	return err ? -ENOMEM : 0;
	// lab end
}

// Free memory for a doubled array, mirrored memory first when there is any.
static inline phys_addr_t find_in_range(phys_addr_t start, phys_addr_t end, phys_addr_t size)
{
	phys_addr_t addr = memblock_find_in_range_node(size, PAGE_SIZE, start, end,
						       NUMA_NO_NODE, __memblock_choose_flags());

	if (!addr && __memblock_choose_flags() == MEMBLOCK_MIRROR)
		addr = memblock_find_in_range_node(size, PAGE_SIZE, start, end,
						   NUMA_NO_NODE, MEMBLOCK_NONE);
	return addr;
}

// Give @type twice the entries. [avoid, avoid+avoid_size) is the range the
// caller is about to reserve: it is free now but must not hold the array.
// There is no slab: the new array always comes from memblock itself.
static int double_array(struct memblock_type *type, phys_addr_t avoid,
			phys_addr_t avoid_size)
{
	// lab memblock §3
	phys_addr_t bytes = page_align(2 * type->max * sizeof(struct memblock_region));
	phys_addr_t addr;

	if (!memblock_can_resize)
		return -ENOMEM;
	// A range being added to memory is not free memory yet: nothing to avoid.
	if (type != &memblock.reserved)
		avoid = avoid_size = 0;
	addr = find_in_range(avoid + avoid_size, memblock.current_limit, bytes);
	if (!addr && avoid_size)
		addr = find_in_range(0, avoid < memblock.current_limit ? avoid :
				     memblock.current_limit, bytes);
	if (!addr) {
		MM_WARN("memblock: cannot double the %s array from %lu to %lu entries",
			type->name, type->max, type->max * 2);
		return -ENOMEM;
	}
	return __memblock_move_array(type, addr);
	// lab end
}

// Add [base, base+size) to @type: only the parts not yet covered become new
// regions (with nid and flags); existing regions keep theirs. A first pass
// counts the new pieces when the array might overflow, so that a failure to
// grow leaves everything as it was.
static int add_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size,
		     int nid, enum memblock_flags flags)
{
	// lab memblock §1
	phys_addr_t obase = base;
	phys_addr_t end = base + cap_size(base, &size);
	bool insert = type->cnt * 2 + 1 < type->max;
	unsigned long idx, nr_new;

	if (!size)
		return 0;

	if (type->regions[0].size == 0) {
		if (type->cnt != 1 || type->total_size)
			MM_WARN("memblock: %s: dummy entry with cnt %lu", type->name, type->cnt);
		type->regions[0] = (struct memblock_region){ .base = base, .size = size,
			.flags = flags, .nid = nid };
		type->total_size = size;
		return 0;
	}
again:
	base = obase;
	nr_new = 0;
	for (idx = 0; idx < type->cnt; idx++) {
		struct memblock_region *r = &type->regions[idx];
		phys_addr_t rbase = r->base, rend = r->base + r->size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		if (rbase > base) {
			// The gap [base, rbase) below this region is new.
			if (insert && (r->nid != nid || r->flags != flags))
				MM_WARN("memblock: %s [%#llx, %#llx) meets a region of nid %d "
					"flags %#x with nid %d flags %#x", type->name,
					(unsigned long long)base, (unsigned long long)rbase,
					r->nid, r->flags, nid, flags);
			nr_new++;
			if (insert)
				insert_region(type, idx++, base, rbase - base, nid, flags);
		}
		base = rend < end ? rend : end;
	}
	if (base < end) {
		nr_new++;
		if (insert)
			insert_region(type, idx, base, end - base, nid, flags);
	}
	if (!nr_new)
		return 0;
	if (!insert) {
		while (type->cnt + nr_new > type->max)
			if (double_array(type, obase, size))
				return -ENOMEM;
		insert = true;
		goto again;
	}
	merge_regions(type);
	return 0;
	// lab end
}

int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid,
		      enum memblock_flags flags)
{
	return add_range(&memblock.memory, base, size, nid, flags);
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return add_range(&memblock.memory, base, size, MAX_NUMNODES, MEMBLOCK_NONE);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return add_range(&memblock.reserved, base, size, MAX_NUMNODES, MEMBLOCK_NONE);
}

// Split regions at base and at base+size so that whole regions cover the
// range; [*start_rgn, *end_rgn) are then the regions inside it (empty if
// *end_rgn is 0). Up to two new entries are needed, so room for them is made
// first: a failure changes nothing.
static int isolate_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size,
			 unsigned long *start_rgn, unsigned long *end_rgn)
{
	// lab memblock §2
	phys_addr_t end = base + cap_size(base, &size);
	unsigned long idx;

	*start_rgn = *end_rgn = 0;
	if (!size)
		return 0;
	while (type->cnt + 2 > type->max)
		if (double_array(type, base, size))
			return -ENOMEM;

	for (idx = 0; idx < type->cnt; idx++) {
		struct memblock_region *r = &type->regions[idx];
		phys_addr_t rbase = r->base, rend = r->base + r->size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		if (rbase < base) {
			// Straddles base: the part below goes in front, the part
			// above stays and is looked at next.
			r->base = base;
			r->size -= base - rbase;
			type->total_size -= base - rbase;
			insert_region(type, idx, rbase, base - rbase, r->nid, r->flags);
		} else if (rend > end) {
			// Straddles end: the part below is inside the range.
			r->base = end;
			r->size -= end - rbase;
			type->total_size -= end - rbase;
			insert_region(type, idx, rbase, end - rbase, r->nid, r->flags);
			if (!*end_rgn)
				*start_rgn = idx;
			*end_rgn = idx + 1;
			break;
		} else {
			if (!*end_rgn)
				*start_rgn = idx;
			*end_rgn = idx + 1;
		}
	}
	return 0;
	// lab end
}

static int remove_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	// lab memblock §2
	unsigned long start_rgn, end_rgn, i;
	int err = isolate_range(type, base, size, &start_rgn, &end_rgn);

	if (err)
		return err;
	for (i = end_rgn; i > start_rgn; i--)
		remove_region(type, i - 1);
	return 0;
	// lab end
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return remove_range(&memblock.memory, base, size);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return remove_range(&memblock.reserved, base, size);
}

void memblock_free(void *ptr, size_t size)
{
	if (ptr)
		memblock_phys_free(mm_virt_to_phys(ptr), size);
}

void memblock_allow_resize(void)
{
	memblock_can_resize = true;
}

// Isolate [base, base+size) in @type, then give every region inside it
// flags (old & ~clear) | set and, if nid is not NO_CHANGE, that nid.
#define NO_CHANGE (-__INT_MAX__ - 1)
static int update_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size,
			enum memblock_flags set, enum memblock_flags clear, int nid)
{
	unsigned long start_rgn, end_rgn, i;
	int err = isolate_range(type, base, size, &start_rgn, &end_rgn);

	if (err)
		return err;
	for (i = start_rgn; i < end_rgn; i++) {
		struct memblock_region *r = &type->regions[i];

		r->flags = (r->flags & ~clear) | set;
		if (nid != NO_CHANGE)
			memblock_set_region_node(r, nid);
	}
	merge_regions(type);
	return 0;
}

int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size)
{
	return update_range(&memblock.memory, base, size, MEMBLOCK_HOTPLUG, 0, NO_CHANGE);
}

int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size)
{
	return update_range(&memblock.memory, base, size, 0, MEMBLOCK_HOTPLUG, NO_CHANGE);
}

int memblock_mark_mirror(phys_addr_t base, phys_addr_t size)
{
	if (!mirrored_kernelcore)
		return 0;
	system_has_some_mirror = true;
	return update_range(&memblock.memory, base, size, MEMBLOCK_MIRROR, 0, NO_CHANGE);
}

int memblock_clear_mirror(phys_addr_t base, phys_addr_t size)
{
	return update_range(&memblock.memory, base, size, 0, MEMBLOCK_MIRROR, NO_CHANGE);
}

int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	return update_range(&memblock.memory, base, size, MEMBLOCK_NOMAP, 0, NO_CHANGE);
}

int memblock_clear_nomap(phys_addr_t base, phys_addr_t size)
{
	return update_range(&memblock.memory, base, size, 0, MEMBLOCK_NOMAP, NO_CHANGE);
}

int memblock_set_node(phys_addr_t base, phys_addr_t size,
		      struct memblock_type *type, int nid)
{
	return update_range(type, base, size, 0, 0, nid);
}

// Index of the region holding addr, or -1 (binary search: the array is sorted).
static long search(const struct memblock_type *type, phys_addr_t addr)
{
	unsigned long lo = 0, hi = type->cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		const struct memblock_region *r = &type->regions[mid];

		if (addr < r->base)
			hi = mid;
		else if (addr - r->base >= r->size)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

bool memblock_is_memory(phys_addr_t addr)
{
	return search(&memblock.memory, addr) >= 0;
}

bool memblock_is_map_memory(phys_addr_t addr)
{
	long i = search(&memblock.memory, addr);

	return i >= 0 && !memblock_is_nomap(&memblock.memory.regions[i]);
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return search(&memblock.reserved, addr) >= 0;
}

bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	long i = search(&memblock.memory, base);
	phys_addr_t end = base + cap_size(base, &size);

	return i >= 0 && memblock.memory.regions[i].base + memblock.memory.regions[i].size >= end;
}

bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base,
			      phys_addr_t size)
{
	unsigned long i;

	cap_size(base, &size);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (base < r->base + r->size && r->base < base + size)
			return true;
	}
	return false;
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	return memblock_overlaps_region(&memblock.reserved, base, size);
}

void memblock_trim_memory(phys_addr_t align)
{
	struct memblock_type *type = &memblock.memory;
	unsigned long i = 0;

	if (align == 0 || (align & (align - 1))) {
		MM_WARN("memblock: trim to %#llx: not a power of two", (unsigned long long)align);
		return;
	}
	while (i < type->cnt) {
		struct memblock_region *r = &type->regions[i];
		phys_addr_t end = (r->base + r->size) & ~(align - 1);
		phys_addr_t start = ((r->base - 1) | (align - 1)) + 1;

		if (start == r->base && end == r->base + r->size) {
			i++;
		} else if (start < end) {
			// Linux forgets total_size here; we keep it equal to the sum.
			type->total_size -= r->size - (end - start);
			r->base = start;
			r->size = end - start;
			i++;
		} else {
			remove_region(type, i);
		}
	}
}

// The address where the first @limit bytes of memory end, or PHYS_ADDR_MAX
// when the limit is 0 or there is less memory than that.
static phys_addr_t find_max_addr(phys_addr_t limit)
{
	unsigned long i;

	for (i = 0; limit && i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (limit <= r->size)
			return r->base + limit;
		limit -= r->size;
	}
	return PHYS_ADDR_MAX;
}

void memblock_enforce_memory_limit(phys_addr_t limit)
{
	phys_addr_t max_addr = find_max_addr(limit);

	if (max_addr == PHYS_ADDR_MAX)
		return;
	remove_range(&memblock.memory, max_addr, PHYS_ADDR_MAX);
	remove_range(&memblock.reserved, max_addr, PHYS_ADDR_MAX);
}

void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *mem = &memblock.memory;
	unsigned long start_rgn, end_rgn, i;

	if (!size)
		return;
	if (!mem->total_size) {
		MM_WARN("memblock: cap_memory_range: no memory registered yet");
		return;
	}
	if (isolate_range(mem, base, size, &start_rgn, &end_rgn))
		return;

	// Everything outside goes, except NOMAP regions. Above first, so the
	// indices below stay valid.
	for (i = mem->cnt; i > end_rgn; i--)
		if (!memblock_is_nomap(&mem->regions[i - 1]))
			remove_region(mem, i - 1);
	for (i = start_rgn; i > 0; i--)
		if (!memblock_is_nomap(&mem->regions[i - 1]))
			remove_region(mem, i - 1);

	remove_range(&memblock.reserved, 0, base);
	remove_range(&memblock.reserved, base + size, PHYS_ADDR_MAX);
}

void memblock_mem_limit_remove_map(phys_addr_t limit)
{
	phys_addr_t max_addr = find_max_addr(limit);

	if (max_addr != PHYS_ADDR_MAX)
		memblock_cap_memory_range(0, max_addr);
}
