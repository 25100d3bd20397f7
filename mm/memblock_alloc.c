// memblock's search for free memory (memory minus reserved, walked in either
// direction), the allocation API with its node/range/mirror fallbacks, the
// handoff to the buddy allocator, and the mm/early.h contract.
// An allocation is a reservation: memblock never hands out memory it has not
// first added to memblock.reserved, and the handoff gives only what is free.
#include "early.h"
#include "memblock.h"
#include "mm_env.h"

#define IDX_END (~0ULL)         // the iterators' "no more ranges"

void (*memblock_free_pages_hook)(uint64_t pfn, unsigned order, void *arg);

// The early.h figures this file keeps; the array figures come from memblock.c.
static struct early_stats stats;

static phys_addr_t max_pa(phys_addr_t a, phys_addr_t b)
{
	return a > b ? a : b;
}

static phys_addr_t min_pa(phys_addr_t a, phys_addr_t b)
{
	return a < b ? a : b;
}

static inline phys_addr_t clamp_pa(phys_addr_t x, phys_addr_t lo, phys_addr_t hi)
{
	return min_pa(max_pa(x, lo), hi);
}

// First whole page at or above pa, without wrapping at the top.
static uint64_t pfn_up(phys_addr_t pa)
{
	return (pa >> PAGE_SHIFT) + ((pa & (PAGE_SIZE - 1)) != 0);
}

static uint64_t pfn_down(phys_addr_t pa)
{
	return pa >> PAGE_SHIFT;
}

// Should the walk over @type pass region @m by? Only memory regions carry
// nodes and attributes; reserved ones are never skipped.
static bool should_skip_region(struct memblock_type *type, struct memblock_region *m,
			       int nid, int flags)
{
	if (type != &memblock.memory)
		return false;
	if (nid != NUMA_NO_NODE && nid != memblock_get_region_node(m))
		return true;
	if (movable_node_enabled && memblock_is_hotpluggable(m) && !(flags & MEMBLOCK_HOTPLUG))
		return true;
	if ((flags & MEMBLOCK_MIRROR) && !memblock_is_mirror(m))
		return true;
	if (!(flags & MEMBLOCK_NOMAP) && memblock_is_nomap(m))
		return true;
	if (!(flags & MEMBLOCK_DRIVER_MANAGED) && memblock_is_driver_managed(m))
		return true;
	return false;
}

static int fix_nid(int nid)
{
	if (nid == MAX_NUMNODES) {
		MM_WARN("memblock: nid MAX_NUMNODES is deprecated, use NUMA_NO_NODE");
		return NUMA_NO_NODE;
	}
	return nid;
}

// The cursor keeps the index into type_a in its low half and the index of
// the next gap of type_b in its high half.
static unsigned long long pack(long a, long b)
{
	return (uint32_t)a | (unsigned long long)(uint32_t)b << 32;
}

// Gap j of @type lies between regions j-1 and j: gap 0 starts at 0 and gap
// cnt runs to the top of the address space.
static void gap(const struct memblock_type *type, long j, phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_region *r = type->regions;

	*start = j ? r[j - 1].base + r[j - 1].size : 0;
	*end = (unsigned long)j < type->cnt ? r[j].base : PHYS_ADDR_MAX;
}

static void put_range(phys_addr_t start, phys_addr_t end, int nid,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	if (out_start)
		*out_start = start;
	if (out_end)
		*out_end = end;
	if (out_nid)
		*out_nid = nid;
}

void __next_mem_range(unsigned long long *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	long ia = (int32_t)(uint32_t)*idx, ib = (int32_t)(uint32_t)(*idx >> 32);

	nid = fix_nid(nid);
	for (; ia < (long)type_a->cnt; ia++) {
		struct memblock_region *m = &type_a->regions[ia];
		phys_addr_t ms = m->base, me = m->base + m->size;

		if (should_skip_region(type_a, m, nid, flags))
			continue;
		if (!type_b) {
			put_range(ms, me, m->nid, out_start, out_end, out_nid);
			*idx = pack(ia + 1, ib);
			return;
		}
		// The free parts of m are its overlaps with the gaps of type_b.
		for (; ib <= (long)type_b->cnt; ib++) {
			phys_addr_t gs, ge;

			gap(type_b, ib, &gs, &ge);
			if (gs >= me)
				break;
			if (ms < ge) {
				put_range(max_pa(ms, gs), min_pa(me, ge), m->nid,
					  out_start, out_end, out_nid);
				// Advance whichever of the two ends first.
				if (me <= ge)
					ia++;
				else
					ib++;
				*idx = pack(ia, ib);
				return;
			}
		}
	}
	*idx = IDX_END;
}

void __next_mem_range_rev(unsigned long long *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	long ia, ib;

	if (*idx == IDX_END) {
		ia = (long)type_a->cnt - 1;
		ib = type_b ? (long)type_b->cnt : 0;
	} else {
		ia = (int32_t)(uint32_t)*idx;
		ib = (int32_t)(uint32_t)(*idx >> 32);
	}
	nid = fix_nid(nid);
	for (; ia >= 0; ia--) {
		struct memblock_region *m = &type_a->regions[ia];
		phys_addr_t ms = m->base, me = m->base + m->size;

		if (should_skip_region(type_a, m, nid, flags))
			continue;
		if (!type_b) {
			put_range(ms, me, m->nid, out_start, out_end, out_nid);
			*idx = pack(ia - 1, ib);
			return;
		}
		for (; ib >= 0; ib--) {
			phys_addr_t gs, ge;

			gap(type_b, ib, &gs, &ge);
			if (ge <= ms)
				break;
			if (me > gs) {
				put_range(max_pa(ms, gs), min_pa(me, ge), m->nid,
					  out_start, out_end, out_nid);
				// Step back whichever of the two starts last.
				if (ms >= gs)
					ia--;
				else
					ib--;
				*idx = pack(ia, ib);
				return;
			}
		}
	}
	*idx = IDX_END;
}

phys_addr_t memblock_find_in_range_node(phys_addr_t size, phys_addr_t align,
					phys_addr_t start, phys_addr_t end,
					int nid, enum memblock_flags flags)
{
	// lab memblock §4
	unsigned long long i;
	phys_addr_t s, e, cand;

	if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end == MEMBLOCK_ALLOC_NOLEAKTRACE)
		end = memblock.current_limit;
	// 0 means failure, so the first page is never handed out.
	start = max_pa(start, PAGE_SIZE);
	end = max_pa(start, end);

	if (memblock_bottom_up()) {
		for_each_free_mem_range(i, nid, flags, &s, &e, NULL) {
			s = clamp_pa(s, start, end);
			e = clamp_pa(e, start, end);
			cand = ((s - 1) | (align - 1)) + 1;
			if (cand < e && e - cand >= size)
				return cand;
		}
		return 0;
	}
	for_each_free_mem_range_reverse(i, nid, flags, &s, &e, NULL) {
		s = clamp_pa(s, start, end);
		e = clamp_pa(e, start, end);
		if (e < size)
			continue;
		cand = (e - size) & ~(align - 1);
		if (cand >= s)
			return cand;
	}
	return 0;
	// lab end
}

// lab memblock §5
// Find and reserve; a reservation that cannot be recorded is a failure.
static phys_addr_t find_and_reserve(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				    phys_addr_t end, int nid, enum memblock_flags flags)
{
	phys_addr_t found = memblock_find_in_range_node(size, align, start, end, nid, flags);

	if (found && memblock_reserve(found, size))
		return 0;
	return found;
}
// lab end

phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end,
				     int nid, bool exact_nid)
{
	// lab memblock §5
	enum memblock_flags flags = __memblock_choose_flags();
	phys_addr_t found;

	if (!size)
		return 0;
	nid = fix_nid(nid);
	if (!align) {
		MM_WARN("memblock: alignment 0 for %#llx bytes, using %d",
			(unsigned long long)size, SMP_CACHE_BYTES);
		align = SMP_CACHE_BYTES;
	}
	if (align & (align - 1)) {
		MM_WARN("memblock: alignment %#llx is not a power of two",
			(unsigned long long)align);
		return 0;
	}
	for (;;) {
		found = find_and_reserve(size, align, start, end, nid, flags);
		if (found)
			return found;
		if (nid != NUMA_NO_NODE && !exact_nid) {
			found = find_and_reserve(size, align, start, end, NUMA_NO_NODE, flags);
			if (found)
				return found;
		}
		if (!(flags & MEMBLOCK_MIRROR))
			return 0;
		MM_WARN("memblock: no mirrored memory for %#llx bytes, trying any",
			(unsigned long long)size);
		flags &= ~MEMBLOCK_MIRROR;
	}
	// lab end
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	return memblock_alloc_range_nid(size, align, start, end, NUMA_NO_NODE, false);
}

phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_range_nid(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid, false);
}

// The virtual-address allocators: max_addr never passes current_limit, and a
// failed attempt above min_addr is retried from 0.
static void *alloc_internal(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			    phys_addr_t max_addr, int nid, bool exact_nid)
{
	// lab memblock §5
	phys_addr_t pa;

	if (max_addr > memblock.current_limit)
		max_addr = memblock.current_limit;
	pa = memblock_alloc_range_nid(size, align, min_addr, max_addr, nid, exact_nid);
	if (!pa && min_addr)
		pa = memblock_alloc_range_nid(size, align, 0, max_addr, nid, exact_nid);
	return pa ? mm_phys_to_virt(pa) : NULL;
	// lab end
}

void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align,
			     phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
	void *p = alloc_internal(size, align, min_addr, max_addr, nid, false);

	if (p)
		mm_memset(p, 0, size);
	return p;
}

void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align,
				 phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
	return alloc_internal(size, align, min_addr, max_addr, nid, false);
}

void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
				   phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
	return alloc_internal(size, align, min_addr, max_addr, nid, true);
}

// Give pfns [spfn, epfn) as the largest naturally aligned blocks that fit.
static void give_pages(uint64_t spfn, uint64_t epfn, early_give_fn give, void *arg)
{
	// lab memblock §6
	while (spfn < epfn) {
		unsigned order = 0;

		// The lowest set bit of spfn bounds the alignment; pfn 0 has none.
		while (order < EARLY_MAX_ORDER && !(spfn & (1ULL << order)))
			order++;
		while (spfn + (1ULL << order) > epfn)
			order--;
		give(spfn, order, arg);
		stats.handoff_calls++;
		spfn += 1ULL << order;
	}
	// lab end
}

uint64_t early_handoff(early_give_fn give, void *arg)
{
	// lab memblock §6
	const struct memblock_span *sp = __memblock_spans;
	int n = __memblock_nspans;
	unsigned long long i;
	phys_addr_t s, e;
	uint64_t pages = 0;

	MM_ASSERT(give != NULL, "memblock: handoff without a callback");
	memblock_clear_hotplug(0, PHYS_ADDR_MAX);
	// NONE skips NOMAP and driver-managed memory; partial pages stay behind.
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL) {
		uint64_t spfn = pfn_up(s);
		uint64_t epfn = pfn_down(e) < max_low_pfn ? pfn_down(e) : max_low_pfn;

		// Touching banks of one node are one region here but separate
		// spans in the buddy allocator: no block may cross from one to
		// the next.
		for (int k = 0; k < (n ? n : 1); k++) {
			uint64_t a = n && sp[k].start > spfn ? sp[k].start : spfn;
			uint64_t b = n && sp[k].end < epfn ? sp[k].end : epfn;

			if (a < b) {
				give_pages(a, b, give, arg);
				pages += b - a;
			}
		}
	}
	stats.handoff_pages += pages;
	return pages;
	// lab end
}

void memblock_free_all(void)
{
	// lab memblock §6
	MM_ASSERT(memblock_free_pages_hook != NULL,
		  "memblock: memblock_free_all before memblock_free_pages_hook is set");
	early_handoff(memblock_free_pages_hook, NULL);
	// lab end
}

void memblock_free_late(phys_addr_t base, phys_addr_t size)
{
	uint64_t pfn, end;

	MM_ASSERT(memblock_free_pages_hook != NULL,
		  "memblock: memblock_free_late before memblock_free_pages_hook is set");
	end = pfn_down(base + size);
	for (pfn = pfn_up(base); pfn < end; pfn++)
		memblock_free_pages_hook(pfn, 0, NULL);
}

void memblock_discard(void)
{
	struct memblock_type *types[] = { &memblock.reserved, &memblock.memory };

	for (unsigned i = 0; i < 2; i++) {
		struct memblock_type *t = types[i];

		if (t->regions != memblock_memory_init_regions &&
		    t->regions != memblock_reserved_init_regions)
			memblock_free_late(mm_virt_to_phys(t->regions), __memblock_array_bytes(t));
	}
}

/* ---- The mm/early.h contract ---- */

const char early_allocator_name[] = "memblock";

// Number of separate ranges the (base-sorted) reservations of *map form once
// overlapping and touching ones are merged, as memblock will merge them.
static unsigned long resv_pieces(const struct memmap *map)
{
	unsigned long n = 0;
	phys_addr_t end = 0;

	for (int i = 0; i < map->nresv; i++) {
		const struct memmap_resv *r = &map->resv[i];

		if (!r->size)
			continue;
		if (n == 0 || r->base > end) {
			n++;
			end = r->base + r->size;
		} else {
			end = max_pa(end, r->base + r->size);
		}
	}
	return n;
}

// The highest page-aligned free range of @size bytes that also overlaps no
// reservation of *map (they are not in memblock yet), or 0.
static phys_addr_t find_clear_of(const struct memmap *map, phys_addr_t size)
{
	unsigned long long i;
	phys_addr_t s, e;

	for_each_free_mem_range_reverse(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL) {
		s = max_pa(s, PAGE_SIZE);
		e = min_pa(e, memblock.current_limit);
		while (e > s && e - s >= size) {
			phys_addr_t cand = (e - size) & ~(PAGE_SIZE - 1);
			const struct memmap_resv *hit = NULL;

			if (cand < s)
				break;
			for (int k = 0; k < map->nresv && !hit; k++) {
				const struct memmap_resv *r = &map->resv[k];

				if (r->size && r->base < cand + size && cand < r->base + r->size)
					hit = r;
			}
			if (!hit)
				return cand;
			e = hit->base;  // below that reservation, then
		}
	}
	return 0;
}

// More reservations than the static reserved array holds (the DT demo has
// 200): double it now, into memory clear of every reservation, because a
// doubling in the middle of the list could land on one not yet reserved.
static int make_room_for_reservations(const struct memmap *map)
{
	unsigned long need = resv_pieces(map);

	if (need <= memblock.reserved.max)
		return 0;
	need++;                 // the array's own reservation
	while (memblock.reserved.max < need) {
		phys_addr_t bytes = 2 * memblock.reserved.max * sizeof(struct memblock_region);
		phys_addr_t addr = find_clear_of(map, (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));

		if (!addr || __memblock_move_array(&memblock.reserved, addr))
			return -ENOMEM;
	}
	return 0;
}

int early_init(const struct memmap *map)
{
	int i, err;

	__memblock_reset();
	mm_memset(&stats, 0, sizeof(stats));
	max_low_pfn = max_pfn = min_low_pfn = 0;
	max_possible_pfn = 0;
	err = early_map_counts(map);
	if (err)
		return err;

	for (i = 0; i < map->nbanks; i++) {
		const struct memmap_bank *b = &map->bank[i];

		err = memblock_add_node(b->base, b->size, b->nid, MEMBLOCK_NONE);
		if (err)
			return err;
		__memblock_spans[__memblock_nspans].start = pfn_up(b->base);
		__memblock_spans[__memblock_nspans++].end = pfn_down(b->base + b->size);
	}
	err = make_room_for_reservations(map);
	if (err)
		return err;
	for (i = 0; i < map->nresv; i++) {
		err = memblock_reserve(map->resv[i].base, map->resv[i].size);
		if (err)
			return err;
	}
	// Everything that must survive is reserved now, so a doubled array can
	// go anywhere free. Paging is off: all RAM is reachable.
	memblock_allow_resize();
	for (i = 0; i < map->nresv; i++) {
		const struct memmap_resv *r = &map->resv[i];

		if ((r->flags & MEMMAP_F_NOMAP) || r->origin == MEMMAP_FIRMWARE) {
			err = memblock_mark_nomap(r->base, r->size);
			if (err)
				return err;
		}
	}
	max_pfn = max_low_pfn = pfn_down(memblock_end_of_DRAM());
	max_possible_pfn = max_pfn;
	return 0;
}

phys_addr_t early_alloc(uint64_t size, uint64_t align, int nid)
{
	// In the contract align 0 is a plain request for 64, not a caller slip.
	phys_addr_t pa = memblock_phys_alloc_try_nid(size, align ? align : SMP_CACHE_BYTES,
						     nid == EARLY_NO_NODE ? NUMA_NO_NODE : nid);

	if (pa) {
		stats.nallocs++;
		stats.bytes_requested += size;
		// memblock reserves exactly size bytes: an alignment gap stays
		// free for later requests, so nothing else is consumed.
		stats.bytes_consumed += size;
	}
	return pa;
}

int early_reserve(phys_addr_t base, uint64_t size)
{
	return memblock_reserve(base, size);
}

// Is all of [base, end) reserved? (Reserved regions are sorted and merged.)
static bool fully_reserved(phys_addr_t base, phys_addr_t end)
{
	const struct memblock_type *t = &memblock.reserved;

	for (unsigned long i = 0; i < t->cnt && base < end; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (r->base + r->size <= base)
			continue;
		if (r->base > base)
			return false;
		base = r->base + r->size;
	}
	return base >= end;
}

int early_free(phys_addr_t base, uint64_t size)
{
	if (!size)
		return 0;
	MM_ASSERT(size <= PHYS_ADDR_MAX - base && fully_reserved(base, base + size),
		  "memblock: free of [%#llx, +%#llx): not all of it is reserved (double free?)",
		  (unsigned long long)base, (unsigned long long)size);
	return memblock_phys_free(base, size);
}

void early_for_each_meta(early_region_fn fn, void *arg)
{
	struct memblock_type *types[] = { &memblock.memory, &memblock.reserved };

	for (unsigned i = 0; i < 2; i++) {
		struct memblock_type *t = types[i];

		if (t->regions != memblock_memory_init_regions &&
		    t->regions != memblock_reserved_init_regions)
			fn(mm_virt_to_phys(t->regions), __memblock_array_bytes(t), arg);
	}
}

void early_get_stats(struct early_stats *out)
{
	*out = stats;
	out->meta_bytes = __memblock_array_bytes(&memblock.memory) +
			  __memblock_array_bytes(&memblock.reserved);
	out->meta_peak_bytes = __memblock_meta_peak;
	out->resizes = __memblock_resizes;
	out->merges = 0;
	out->lost_pages = 0;    // every page held back is reserved or NOMAP
}

int early_set_bottom_up(int on)
{
	memblock_set_bottom_up(on != 0);
	return 0;
}

// The trace: both region arrays whole (they are short), with their counts.
void early_trace_state(phys_addr_t base, uint64_t size, early_state_fn fn, void *arg)
{
	struct memblock_type *types[] = { &memblock.memory, &memblock.reserved };

	for (unsigned i = 0; i < 2; i++) {
		struct memblock_type *t = types[i];

		fn(i ? "reserved.cnt" : "memory.cnt", EARLY_NO_NODE, EARLY_NO_INDEX, t->cnt, arg);
		fn(i ? "reserved.max" : "memory.max", EARLY_NO_NODE, EARLY_NO_INDEX, t->max, arg);
		fn(i ? "reserved.total_size" : "memory.total_size", EARLY_NO_NODE, EARLY_NO_INDEX,
		   t->total_size, arg);
		for (unsigned long r = 0; r < t->cnt; r++) {
			const struct memblock_region *g = &t->regions[r];

			fn(i ? "reserved.base" : "memory.base", EARLY_NO_NODE, r, g->base, arg);
			fn(i ? "reserved.size" : "memory.size", EARLY_NO_NODE, r, g->size, arg);
			fn(i ? "reserved.nid" : "memory.nid", EARLY_NO_NODE, r, (uint64_t)g->nid, arg);
			fn(i ? "reserved.flags" : "memory.flags", EARLY_NO_NODE, r, g->flags, arg);
		}
	}
}
