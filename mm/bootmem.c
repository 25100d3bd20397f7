// Bootmem, the early allocator of Linux 2.6.28-4.19, behind mm/early.h.
// Invariants: bit i of a node's bitmap is 1 when pfn node_min_pfn+i is not
// free (allocated, reserved, a hole between banks, or the bitmap itself);
// nodes never overlap and are listed by node_min_pfn; each bitmap lies in its
// own node. Address 0 means "no memory", as in the contract: when page 0 is
// RAM it is reserved or holds a bitmap (first free page), so no allocation
// can start there.
#include <stdbool.h>
#include "bootmem.h"
#include "mm_env.h"

#define PFN_DOWN(x)    ((x) >> PAGE_SHIFT)
#define PFN_UP(x)      (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(x)    ((phys_addr_t)(x) << PAGE_SHIFT)
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((uint64_t)(a) - 1))  // a: power of two
#define WORD_BITS      64
#define BATCH_ORDER    6       // a whole bitmap word: 2^6 = 64 pages

const char early_allocator_name[] = "bootmem";

struct bootmem_data bootmem_node_data[MEMMAP_MAX_NODES];
static struct bootmem_data *bootmem_list;   // sorted by node_min_pfn
static struct early_stats stats;

// ---- the bitmap -------------------------------------------------------------

static inline bool test_bit(const uint64_t *map, uint64_t i)
{
	return (map[i / WORD_BITS] >> (i % WORD_BITS)) & 1;
}

static inline void set_bit(uint64_t *map, uint64_t i)
{
	map[i / WORD_BITS] |= 1ULL << (i % WORD_BITS);
}

static inline void clear_bit(uint64_t *map, uint64_t i)
{
	map[i / WORD_BITS] &= ~(1ULL << (i % WORD_BITS));
}

// First clear bit in [i, size), or size. Whole words of ones are skipped.
static inline uint64_t find_next_zero(const uint64_t *map, uint64_t size, uint64_t i)
{
	while (i < size) {
		uint64_t free = ~map[i / WORD_BITS] >> (i % WORD_BITS);
		if (free) {
			i += __builtin_ctzll(free);
			return i < size ? i : size;
		}
		i = (i | (WORD_BITS - 1)) + 1;
	}
	return size;
}

// The 64 bits starting at index i, which need not be word aligned. The caller
// makes sure i+64 does not pass the end of the map.
static inline uint64_t bits_at(const uint64_t *map, uint64_t i)
{
	uint64_t w = i / WORD_BITS, s = i % WORD_BITS;
	uint64_t v = map[w] >> s;
	if (s)
		v |= map[w + 1] << (WORD_BITS - s);
	return v;
}

uint64_t bootmap_bytes(uint64_t pages)
{
	// lab bootmem §1
	return ALIGN_UP((pages + 7) / 8, sizeof(uint64_t));
	// lab end
}

uint64_t bootmem_bootmap_pages(uint64_t pages)
{
	return PFN_UP(bootmap_bytes(pages));
}

static uint64_t node_pages(const struct bootmem_data *bd)
{
	return bd->node_low_pfn - bd->node_min_pfn;
}

// ---- nodes ------------------------------------------------------------------

void bootmem_reset(void)
{
	mm_memset(bootmem_node_data, 0, sizeof(bootmem_node_data));
	mm_memset(&stats, 0, sizeof(stats));
	bootmem_list = NULL;
}

static void link_bootmem(struct bootmem_data *bd)
{
	struct bootmem_data **pp = &bootmem_list;
	while (*pp && (*pp)->node_min_pfn < bd->node_min_pfn)
		pp = &(*pp)->next;
	bd->next = *pp;
	*pp = bd;
}

uint64_t init_bootmem_node(int nid, uint64_t mapstart, uint64_t startpfn, uint64_t endpfn)
{
	MM_ASSERT(nid >= 0 && nid < MEMMAP_MAX_NODES && startpfn < endpfn,
		  "bootmem: bad node %d [0x%lx, 0x%lx)", nid, startpfn, endpfn);
	struct bootmem_data *bd = &bootmem_node_data[nid];
	MM_ASSERT(!bd->node_bootmem_map, "bootmem: node %d set up twice", nid);

	uint64_t bytes = bootmap_bytes(endpfn - startpfn);
	bd->nid = nid;
	bd->node_min_pfn = startpfn;
	bd->node_low_pfn = endpfn;
	bd->map_pfn = mapstart;
	bd->node_bootmem_map = mm_phys_to_virt(PFN_PHYS(mapstart));
	bd->last_end_off = 0;
	bd->hint_idx = 0;
	mm_memset(bd->node_bootmem_map, 0xff, bytes);   // everything reserved
	link_bootmem(bd);

	stats.meta_bytes += PFN_PHYS(bootmem_bootmap_pages(endpfn - startpfn));
	if (stats.meta_bytes > stats.meta_peak_bytes)
		stats.meta_peak_bytes = stats.meta_bytes;
	return bytes;
}

static struct bootmem_data *node_of(int nid)
{
	if (nid < 0 || nid >= MEMMAP_MAX_NODES || !bootmem_node_data[nid].node_bootmem_map)
		return NULL;
	return &bootmem_node_data[nid];
}

// ---- free and reserve -------------------------------------------------------

// Clear bits [sidx, eidx) of one node. A bit already clear is a double free.
static void bdata_free(struct bootmem_data *bd, uint64_t sidx, uint64_t eidx)
{
	// lab bootmem §3
	if (bd->hint_idx > sidx)
		bd->hint_idx = sidx;
	for (uint64_t i = sidx; i < eidx; i++) {
		MM_ASSERT(test_bit(bd->node_bootmem_map, i),
			  "bootmem: double free of pfn 0x%lx (node %d)", bd->node_min_pfn + i, bd->nid);
		clear_bit(bd->node_bootmem_map, i);
	}
	// Project fix: the page holding the tail of the last allocation is free
	// again, so the next allocation must not pack itself into it.
	uint64_t tail = PFN_DOWN(bd->last_end_off);
	if (bd->last_end_off % PAGE_SIZE && tail >= sidx && tail < eidx)
		bd->last_end_off = 0;
	// lab end
}

// Set bits [sidx, eidx) of one node. Exclusive: a bit already set undoes
// this call (which also lowers the hint, as in Linux) and fails.
static int bdata_reserve(struct bootmem_data *bd, uint64_t sidx, uint64_t eidx, int flags)
{
	// lab bootmem §3
	for (uint64_t i = sidx; i < eidx; i++) {
		if (!test_bit(bd->node_bootmem_map, i)) {
			set_bit(bd->node_bootmem_map, i);
		} else if (flags & BOOTMEM_EXCLUSIVE) {
			bdata_free(bd, sidx, i);
			return -EBUSY;
		}
	}
	return 0;
	// lab end
}

// lab bootmem §4
// Is every pfn in [start, end) inside a node?
static bool nodes_cover(uint64_t start, uint64_t end)
{
	for (struct bootmem_data *bd = bootmem_list; bd && start < end; bd = bd->next)
		if (bd->node_min_pfn <= start && start < bd->node_low_pfn)
			start = bd->node_low_pfn;
	return start >= end;
}

// Reserve or free pfns [start, end), which may span several adjacent nodes.
// A failed reserve undoes what it did in the nodes before.
static int mark_bootmem(uint64_t start, uint64_t end, bool reserve, int flags)
{
	if (!nodes_cover(start, end))
		return -EINVAL;
	uint64_t pos = start;
	for (struct bootmem_data *bd = bootmem_list; pos < end; bd = bd->next) {
		if (pos >= bd->node_low_pfn)
			continue;
		uint64_t max = end < bd->node_low_pfn ? end : bd->node_low_pfn;
		uint64_t sidx = pos - bd->node_min_pfn, eidx = max - bd->node_min_pfn;
		if (!reserve) {
			bdata_free(bd, sidx, eidx);
		} else {
			int err = bdata_reserve(bd, sidx, eidx, flags);
			if (err) {
				if (pos > start)
					mark_bootmem(start, pos, false, 0);
				return err;
			}
		}
		pos = max;
	}
	return 0;
}
// lab end

// Would PFN_UP of an address in [addr, addr+size] overflow?
static inline bool range_overflows(phys_addr_t addr, uint64_t size)
{
	return addr + size < addr || addr + size > UINT64_MAX - (PAGE_SIZE - 1);
}

int free_bootmem(phys_addr_t addr, uint64_t size)
{
	// lab bootmem §4
	if (range_overflows(addr, size))
		return -EINVAL;
	uint64_t start = PFN_UP(addr), end = PFN_DOWN(addr + size);
	if (start < end)
		return mark_bootmem(start, end, false, 0);
	// No whole page: nothing is freed, but 4.19 still lowers the hint.
	for (struct bootmem_data *bd = bootmem_list; bd; bd = bd->next)
		if (bd->node_min_pfn <= start && start < bd->node_low_pfn &&
		    bd->hint_idx > start - bd->node_min_pfn)
			bd->hint_idx = start - bd->node_min_pfn;
	return 0;
	// lab end
}

int reserve_bootmem(phys_addr_t addr, uint64_t size, int flags)
{
	// lab bootmem §4
	if (size == 0)
		return 0;
	if (range_overflows(addr, size))
		return -EINVAL;
	return mark_bootmem(PFN_DOWN(addr), PFN_UP(addr + size), true, flags);
	// lab end
}

// ---- allocation -------------------------------------------------------------

// lab bootmem §5
// Alignment is of the absolute pfn or address, not of the index in the node.
static uint64_t align_idx(const struct bootmem_data *bd, uint64_t idx, uint64_t step)
{
	return ALIGN_UP(bd->node_min_pfn + idx, step) - bd->node_min_pfn;
}

static uint64_t align_off(const struct bootmem_data *bd, uint64_t off, uint64_t align)
{
	uint64_t base = PFN_PHYS(bd->node_min_pfn);
	return ALIGN_UP(base + off, align) - base;
}
// lab end

// Reserve size bytes for a block found free at index sidx. If the previous
// allocation ended part-way into the page just below, start in that page's
// tail instead (the sub-page merge).
static phys_addr_t take_block(struct bootmem_data *bd, uint64_t sidx, uint64_t size, uint64_t align)
{
	// lab bootmem §6
	uint64_t start_off;
	if (bd->last_end_off % PAGE_SIZE && PFN_DOWN(bd->last_end_off) + 1 == sidx)
		start_off = align_off(bd, bd->last_end_off, align);
	else
		start_off = PFN_PHYS(sidx);
	bool merge = PFN_DOWN(start_off) < sidx;
	uint64_t end_off = start_off + size;
	bd->last_end_off = end_off;
	bd->hint_idx = PFN_UP(end_off);

	// The merged page is already reserved; the range may even be empty.
	uint64_t first = PFN_DOWN(start_off) + merge, last = PFN_UP(end_off);
	int err = bdata_reserve(bd, first, last, BOOTMEM_EXCLUSIVE);
	MM_ASSERT(!err, "bootmem: free block at pfn 0x%lx was not free", bd->node_min_pfn + sidx);

	stats.nallocs++;
	stats.bytes_requested += size;
	stats.bytes_consumed += PFN_PHYS(last - first);
	stats.merges += merge;
	return PFN_PHYS(bd->node_min_pfn) + start_off;
	// lab end
}

// First fit in one node, from the hint upward, then once more from where
// the request wanted to start. goal and limit are physical addresses (0:
// none). Returns the address, or 0 when nothing fits.
static phys_addr_t alloc_bootmem_bdata(struct bootmem_data *bd, uint64_t size, uint64_t align,
				       uint64_t goal, uint64_t limit)
{
	// lab bootmem §5
	MM_ASSERT(size != 0, "bootmem: allocation of 0 bytes");
	MM_ASSERT(align && !(align & (align - 1)), "bootmem: alignment 0x%lx is not a power of two", align);
	MM_ASSERT(!limit || goal + size <= limit,
		  "bootmem: goal 0x%lx + 0x%lx bytes is above the limit 0x%lx", goal, size, limit);
	if (!bd->node_bootmem_map)
		return 0;

	uint64_t min = bd->node_min_pfn, max = bd->node_low_pfn;
	goal = PFN_DOWN(goal);
	limit = PFN_DOWN(limit);
	if (limit && max > limit)
		max = limit;
	if (max <= min)
		return 0;

	uint64_t step = align >> PAGE_SHIFT ? align >> PAGE_SHIFT : 1;
	uint64_t npages = size / PAGE_SIZE + (size % PAGE_SIZE != 0);
	uint64_t start = ALIGN_UP(goal > min && goal < max ? goal : min, step);
	uint64_t sidx = start - min, midx = max - min, fallback = 0;

	// Next fit: begin at the hint. fallback is the original start plus one,
	// so that a start of 0 still counts as "try again".
	if (bd->hint_idx > sidx) {
		fallback = sidx + 1;
		sidx = align_idx(bd, bd->hint_idx, step);
	}

	for (;;) {
		sidx = align_idx(bd, find_next_zero(bd->node_bootmem_map, midx, sidx), step);
		if (sidx >= midx || npages > midx - sidx) {
			if (!fallback)
				return 0;
			sidx = align_idx(bd, fallback - 1, step);
			fallback = 0;
			continue;
		}
		uint64_t i = sidx;
		while (i < sidx + npages && !test_bit(bd->node_bootmem_map, i))
			i++;
		if (i == sidx + npages)
			return take_block(bd, sidx, size, align);
		// Page i is taken: the next candidate is the first aligned index past it.
		sidx = align_idx(bd, i, step);
		if (sidx == i)
			sidx += step;
	}
	// lab end
}

// Every node from the lowest: skip nodes wholly below the goal, stop at the
// first node at or above the limit.
static phys_addr_t alloc_any_node(uint64_t size, uint64_t align, uint64_t goal, uint64_t limit)
{
	for (struct bootmem_data *bd = bootmem_list; bd; bd = bd->next) {
		if (goal && bd->node_low_pfn <= PFN_DOWN(goal))
			continue;
		if (limit && bd->node_min_pfn >= PFN_DOWN(limit))
			break;
		phys_addr_t pa = alloc_bootmem_bdata(bd, size, align, goal, limit);
		if (pa)
			return pa;
	}
	return 0;
}

// The goal is only a wish: when nothing fits above it, try from 0.
static phys_addr_t alloc_nopanic(uint64_t size, uint64_t align, uint64_t goal, uint64_t limit)
{
	phys_addr_t pa = alloc_any_node(size, align, goal, limit);
	if (!pa && goal)
		pa = alloc_any_node(size, align, 0, limit);
	return pa;
}

// Node nid first, then every node; then the same without the goal.
static phys_addr_t alloc_node_nopanic(int nid, uint64_t size, uint64_t align, uint64_t goal,
				      uint64_t limit)
{
	struct bootmem_data *bd = node_of(nid);
	for (;;) {
		if (limit && goal + size > limit)
			limit = 0;
		phys_addr_t pa = bd ? alloc_bootmem_bdata(bd, size, align, goal, limit) : 0;
		if (!pa)
			pa = alloc_any_node(size, align, goal, limit);
		if (pa || !goal)
			return pa;
		goal = 0;
	}
}

// Linux's wrappers always hand out zeroed memory.
static void *zeroed(phys_addr_t pa, uint64_t size)
{
	if (!pa)
		return NULL;
	void *va = mm_phys_to_virt(pa);
	mm_memset(va, 0, size);
	return va;
}

void *__alloc_bootmem_nopanic(uint64_t size, uint64_t align, uint64_t goal)
{
	return zeroed(alloc_nopanic(size, align, goal, 0), size);
}

void *__alloc_bootmem_low_nopanic(uint64_t size, uint64_t align, uint64_t goal)
{
	return zeroed(alloc_nopanic(size, align, goal, BOOTMEM_ARCH_LOW_LIMIT), size);
}

void *__alloc_bootmem_node_nopanic(int nid, uint64_t size, uint64_t align, uint64_t goal)
{
	return zeroed(alloc_node_nopanic(nid, size, align, goal, 0), size);
}

// ---- handoff ----------------------------------------------------------------

static void give_block(early_give_fn give, void *arg, uint64_t pfn, unsigned order)
{
	give(pfn, order, arg);
	stats.handoff_calls++;
	stats.handoff_pages += 1ULL << order;
}

// One node's free pages: a 64-page block where the absolute pfn is 64-aligned
// and all 64 are free, single pages elsewhere. The 64 bits are read from the
// node-relative index whatever its word offset, so a node that does not start
// on a 64-page boundary loses nothing (Linux 4.x lost part of its tail).
static void free_node_pages(struct bootmem_data *bd, early_give_fn give, void *arg)
{
	// lab bootmem §7
	const uint64_t *map = bd->node_bootmem_map;
	uint64_t pfn = bd->node_min_pfn, end = bd->node_low_pfn;
	while (pfn < end) {
		uint64_t idx = pfn - bd->node_min_pfn;
		if (pfn % WORD_BITS == 0 && end - pfn >= WORD_BITS && bits_at(map, idx) == 0) {
			give_block(give, arg, pfn, BATCH_ORDER);
			pfn += WORD_BITS;
			continue;
		}
		uint64_t stop = (pfn | (WORD_BITS - 1)) + 1;
		if (stop > end)
			stop = end;
		for (; pfn < stop; pfn++, idx++)
			if (!test_bit(map, idx))
				give_block(give, arg, pfn, 0);
	}
	// lab end
}

uint64_t free_all_bootmem(early_give_fn give, void *arg)
{
	uint64_t before = stats.handoff_pages;
	for (struct bootmem_data *bd = bootmem_list; bd; bd = bd->next) {
		free_node_pages(bd, give, arg);
		// Then the bitmap's own pages, by their real pfns (Linux passed
		// node_min_pfn+i, which is right only for a map at the node start).
		uint64_t n = bootmem_bootmap_pages(node_pages(bd));
		for (uint64_t i = 0; i < n; i++)
			give_block(give, arg, bd->map_pfn + i, 0);
		bd->node_bootmem_map = NULL;
	}
	bootmem_list = NULL;   // retired: allocations fail, reserve/free say -EINVAL
	stats.meta_bytes = 0;
	return stats.handoff_pages - before;
}

// ---- the early_* contract ---------------------------------------------------

// lab bootmem §2
// Past the end of the first reservation that touches pfns [p, e), or p.
static uint64_t past_clash(const struct memmap *map, uint64_t p, uint64_t e)
{
	for (int i = 0; i < map->nresv; i++) {
		const struct memmap_resv *r = &map->resv[i];
		if (r->size && r->base < PFN_PHYS(e) && r->base + r->size > PFN_PHYS(p))
			return PFN_UP(r->base + r->size);
	}
	return p;
}
// lab end

// The first n whole pages of node nid's banks that no reservation touches.
static int place_bitmap(const struct memmap *map, int nid, uint64_t n, uint64_t *pfn)
{
	// lab bootmem §2
	for (int b = 0; b < map->nbanks; b++) {
		const struct memmap_bank *bk = &map->bank[b];
		if (bk->nid != nid)
			continue;
		uint64_t p = PFN_UP(bk->base), end = PFN_DOWN(bk->base + bk->size);
		while (p + n <= end) {
			uint64_t next = past_clash(map, p, p + n);
			if (next == p) {
				*pfn = p;
				return 0;
			}
			p = next;
		}
	}
	return -ENOMEM;
	// lab end
}

// One node per nid over its banks' pfn span (holes stay reserved).
static int init_nodes(const struct memmap *map)
{
	uint64_t lo[MEMMAP_MAX_NODES], hi[MEMMAP_MAX_NODES];
	for (int n = 0; n < MEMMAP_MAX_NODES; n++) {
		lo[n] = UINT64_MAX;
		hi[n] = 0;
	}
	for (int b = 0; b < map->nbanks; b++) {
		const struct memmap_bank *bk = &map->bank[b];
		if (bk->nid < 0 || bk->nid >= MEMMAP_MAX_NODES)
			return -EINVAL;
		if (bk->size == 0)
			continue;
		if (PFN_DOWN(bk->base) < lo[bk->nid])
			lo[bk->nid] = PFN_DOWN(bk->base);
		if (PFN_UP(bk->base + bk->size) > hi[bk->nid])
			hi[bk->nid] = PFN_UP(bk->base + bk->size);
	}
	for (int n = 0; n < MEMMAP_MAX_NODES; n++)
		for (int m = n + 1; m < MEMMAP_MAX_NODES; m++)
			if (lo[n] < hi[n] && lo[m] < hi[m] && lo[n] < hi[m] && lo[m] < hi[n])
				return -EINVAL;   // interleaved nodes: not supported
	for (int n = 0; n < MEMMAP_MAX_NODES; n++) {
		uint64_t mapstart;
		if (lo[n] >= hi[n])
			continue;
		if (place_bitmap(map, n, bootmem_bootmap_pages(hi[n] - lo[n]), &mapstart))
			return -ENOMEM;
		init_bootmem_node(n, mapstart, lo[n], hi[n]);
	}
	return 0;
}

int early_init(const struct memmap *map)
{
	bootmem_reset();
	int err = early_map_counts(map);
	if (err)
		return err;
	err = init_nodes(map);
	for (int b = 0; !err && b < map->nbanks; b++)
		err = free_bootmem(map->bank[b].base, map->bank[b].size);
	for (int i = 0; !err && i < map->nresv; i++)
		err = reserve_bootmem(map->resv[i].base, map->resv[i].size, BOOTMEM_DEFAULT);
	for (struct bootmem_data *bd = bootmem_list; !err && bd; bd = bd->next)
		err = reserve_bootmem(PFN_PHYS(bd->map_pfn),
				      PFN_PHYS(bootmem_bootmap_pages(node_pages(bd))), BOOTMEM_DEFAULT);
	if (err)
		bootmem_reset();
	return err;
}

phys_addr_t early_alloc(uint64_t size, uint64_t align, int nid)
{
	if (align == 0)
		align = BOOTMEM_SMP_CACHE_BYTES;
	if (size == 0 || (align & (align - 1)))
		return 0;
	if (nid < 0)
		return alloc_nopanic(size, align, 0, 0);
	return alloc_node_nopanic(nid, size, align, 0, 0);
}

int early_reserve(phys_addr_t base, uint64_t size)
{
	return reserve_bootmem(base, size, BOOTMEM_DEFAULT);
}

int early_free(phys_addr_t base, uint64_t size)
{
	return free_bootmem(base, size);
}

uint64_t early_handoff(early_give_fn give, void *arg)
{
	return free_all_bootmem(give, arg);
}

// The bitmaps, until the handoff frees them.
void early_for_each_meta(early_region_fn fn, void *arg)
{
	for (struct bootmem_data *bd = bootmem_list; bd; bd = bd->next)
		fn(PFN_PHYS(bd->map_pfn), PFN_PHYS(bootmem_bootmap_pages(node_pages(bd))), arg);
}

void early_get_stats(struct early_stats *out)
{
	*out = stats;
}

int early_set_bottom_up(int on)
{
	return on ? 0 : -EOPNOTSUPP;  // first fit from the low end
}

// The trace: per node the search hint and the sub-page merge offset, and
// the bitmap words that cover [base, base+size) while the bitmap exists.
void early_trace_state(phys_addr_t base, uint64_t size, early_state_fn fn, void *arg)
{
	for (struct bootmem_data *bd = bootmem_list; bd; bd = bd->next) {
		int nid = (int)(bd - bootmem_node_data);
		fn("hint_idx", nid, EARLY_NO_INDEX, bd->hint_idx, arg);
		fn("last_end_off", nid, EARLY_NO_INDEX, bd->last_end_off, arg);
		if (!bd->node_bootmem_map || !size)
			continue;
		uint64_t lo = PFN_DOWN(base), hi = PFN_UP(base + size);
		if (lo < bd->node_min_pfn)
			lo = bd->node_min_pfn;
		if (hi > bd->node_low_pfn)
			hi = bd->node_low_pfn;
		for (uint64_t w = (lo - bd->node_min_pfn) / 64;
		     lo < hi && w <= (hi - 1 - bd->node_min_pfn) / 64; w++)
			fn("map", nid, w, bd->node_bootmem_map[w], arg);
	}
}
