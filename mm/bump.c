// The bump allocator: Linux 1.0's memory_start, behind mm/early.h. One
// pointer starts at the page-aligned end of the kernel and only moves up;
// an allocation aligns it and steps over the block. Nothing is ever freed.
// Unlike 1.0 it steps over reservations and chains to the next bank, and it
// counts the whole pages it skips (lost_pages). The handoff gives the buddy
// every RAM page outside [kernel start, memory_start) and the reservations.
#include <stdbool.h>
#include "early.h"
#include "mm_env.h"

#define PFN_DOWN(x)    ((x) >> PAGE_SHIFT)
#define PFN_UP(x)      (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define BUMP_MAX_RESV  (MEMMAP_MAX_RESV + 32)   // the map's, plus early_reserve's

const char early_allocator_name[] = "bump";

struct range {
	phys_addr_t base, end;
};

static struct range banks[MEMMAP_MAX_BANKS];   // sorted by base (memmap invariant)
static struct range resv[BUMP_MAX_RESV];
static int nbanks, nresv;
static phys_addr_t kernel_start;   // page-aligned down
static phys_addr_t memory_start;   // everything in [kernel_start, memory_start) is used
static bool retired;
static struct early_stats stats;

int early_init(const struct memmap *map)
{
	nbanks = nresv = 0;
	retired = false;
	mm_memset(&stats, 0, sizeof(stats));
	int err = early_map_counts(map);
	if (err)
		return err;
	// lab bump §1
	for (int i = 0; i < map->nbanks; i++)
		banks[nbanks++] = (struct range){ map->bank[i].base, map->bank[i].base + map->bank[i].size };
	for (int i = 0; i < map->nresv; i++)
		if (map->resv[i].size)
			resv[nresv++] = (struct range){ map->resv[i].base, map->resv[i].base + map->resv[i].size };

	// Without a kernel image in the map, start at the first bank.
	kernel_start = memory_start = (banks[0].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (int i = 0; i < map->nresv; i++) {
		if (map->resv[i].origin == MEMMAP_KERNEL) {
			kernel_start = map->resv[i].base & ~(PAGE_SIZE - 1);
			memory_start = (map->resv[i].base + map->resv[i].size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
			break;
		}
	}
	return 0;
	// lab end
}

// A reservation overlapping [base, end), or -1.
static inline int resv_overlapping(phys_addr_t base, phys_addr_t end)
{
	for (int i = 0; i < nresv; i++)
		if (resv[i].base < end && resv[i].end > base)
			return i;
	return -1;
}

// Where an allocation would go: the first aligned spot at or above
// memory_start inside one bank and clear of every reservation. Each step
// moves pos up (past a bank end or a reservation), so the search ends.
static int bump_fit(uint64_t size, uint64_t align, phys_addr_t *out)
{
	// lab bump §2
	phys_addr_t pos = memory_start;
	int b = 0;
	for (;;) {
		while (b < nbanks && banks[b].end <= pos)
			b++;
		if (b == nbanks)
			return -ENOMEM;
		if (pos < banks[b].base)
			pos = banks[b].base;
		phys_addr_t a = (pos + align - 1) & ~(align - 1);
		if (a < pos || a >= banks[b].end || size > banks[b].end - a) {
			pos = banks[b].end;   // runs past the bank: on to the next one
			continue;
		}
		int r = resv_overlapping(a, a + size);
		if (r >= 0) {
			pos = resv[r].end;    // jump over the reservation
			continue;
		}
		*out = a;
		return 0;
	}
	// lab end
}

// If pfn p is blocked (a reservation rounded outward, or, with used set, the
// range the kernel and allocations took), the first pfn past that block;
// otherwise p.
static uint64_t skip_blocked(uint64_t p, bool used)
{
	for (int i = 0; i < nresv; i++)
		if (PFN_DOWN(resv[i].base) <= p && p < PFN_UP(resv[i].end))
			return PFN_UP(resv[i].end);
	if (used && PFN_DOWN(kernel_start) <= p && p < PFN_UP(memory_start))
		return PFN_UP(memory_start);
	return p;
}

// The first blocked pfn in (p, limit), or limit.
static uint64_t next_blocked(uint64_t p, uint64_t limit, bool used)
{
	for (int i = 0; i < nresv; i++)
		if (PFN_DOWN(resv[i].base) > p && PFN_DOWN(resv[i].base) < limit)
			limit = PFN_DOWN(resv[i].base);
	if (used && PFN_DOWN(kernel_start) > p && PFN_DOWN(kernel_start) < limit)
		limit = PFN_DOWN(kernel_start);
	return limit;
}

// Naturally aligned blocks of at most 2^EARLY_MAX_ORDER pages over [s, e).
static void give_run(uint64_t s, uint64_t e, early_give_fn give, void *arg)
{
	// lab bump §4
	while (s < e) {
		unsigned order = s ? __builtin_ctzll(s) : EARLY_MAX_ORDER;
		if (order > EARLY_MAX_ORDER)
			order = EARLY_MAX_ORDER;
		while (s + (1ULL << order) > e)
			order--;
		give(s, order, arg);
		stats.handoff_calls++;
		s += 1ULL << order;
	}
	// lab end
}

// Whole RAM pages in pfns [from, to) that are not blocked; each run of them
// is given away when give is set. Returns how many there are.
static inline uint64_t walk_free(uint64_t from, uint64_t to, bool used, early_give_fn give, void *arg)
{
	uint64_t n = 0;
	for (int b = 0; b < nbanks; b++) {
		uint64_t p = PFN_UP(banks[b].base), e = PFN_DOWN(banks[b].end);
		if (p < from)
			p = from;
		if (e > to)
			e = to;
		while (p < e) {
			uint64_t q = skip_blocked(p, used);
			if (q == p) {
				q = next_blocked(p, e, used);
				if (give)
					give_run(p, q, give, arg);
				n += q - p;
			}
			p = q;
		}
	}
	return n;
}

phys_addr_t early_alloc(uint64_t size, uint64_t align, int nid)
{
	// lab bump §3
	phys_addr_t a;
	if (align == 0)
		align = 64;
	if (retired || size == 0 || (align & (align - 1)) || bump_fit(size, align, &a))
		return 0;
	// Whole pages strictly between the last allocation and this one are
	// never used and never handed off, unless a reservation owns them.
	stats.lost_pages += walk_free(PFN_UP(memory_start), PFN_DOWN(a), false, NULL, NULL);
	stats.bytes_consumed += a + size - memory_start;
	stats.bytes_requested += size;
	stats.nallocs++;
	memory_start = a + size;
	return a;
	// lab end
}

// Memory below memory_start is spoken for already (and its skipped pages
// were counted as lost), so a new reservation there is refused, unless an
// existing one covers it.
int early_reserve(phys_addr_t base, uint64_t size)
{
	if (size == 0)
		return 0;
	if (retired || base + size < base)
		return -EINVAL;
	if (base < memory_start && base + size > kernel_start) {
		for (int i = 0; i < nresv; i++)
			if (resv[i].base <= base && base + size <= resv[i].end)
				return 0;
		return -EBUSY;
	}
	if (nresv == BUMP_MAX_RESV)
		return -ENOMEM;
	resv[nresv++] = (struct range){ base, base + size };
	return 0;
}

int early_free(phys_addr_t base, uint64_t size)
{
	return -EOPNOTSUPP;
}

uint64_t early_handoff(early_give_fn give, void *arg)
{
	// lab bump §4
	if (retired)
		return 0;
	retired = true;
	stats.handoff_pages = walk_free(0, UINT64_MAX, true, give, arg);
	return stats.handoff_pages;
	// lab end
}

void early_for_each_meta(early_region_fn fn, void *arg)
{
}

void early_get_stats(struct early_stats *out)
{
	*out = stats;
}

int early_set_bottom_up(int on)
{
	return on ? 0 : -EOPNOTSUPP;  // a pointer that only moves up
}

// The trace: bump's whole state is one pointer.
void early_trace_state(phys_addr_t base, uint64_t size, early_state_fn fn, void *arg)
{
	fn("memory_start", EARLY_NO_NODE, EARLY_NO_INDEX, memory_start, arg);
}
