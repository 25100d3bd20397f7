// Wrapper around the early-allocator contract (mm/early.h). The allocator
// cores do not zero, log, time or panic; this file does, for all three.
#include "bootalloc.h"
#include "../mm/buddy.h"
#include "console.h"
#include "fdtmap.h"
#include "report.h"
#include "riscv.h"
#include "string.h"

struct logent {
	phys_addr_t base;
	uint64_t size;
	int nid;
	const char *what;
};

static const struct memmap *bootmap;
static struct logent log_[BOOTALLOC_MAX_LOG];
static struct acct_region regions[BOOTALLOC_MAX_LOG + 64];
static int nlog, nregions;
static int retired;
static struct bootalloc_times times;
static uint64_t t0_instret, t0_time;

// ---- the boot trace (APPEND=trace) -------------------------------------
// One "@trace n=N ev=EVENT ..." line per early-allocator event, each with
// the allocator's state after it as "s.NAME[.NODE][[INDEX]]=0xVALUE"
// (early_trace_state; values in hex). Events: add and reserve (the map that
// early_init takes), init, alloc, double (memblock's arrays grew during init
// or the allocation before), merge (bootmem packed it into a partly used page),
// block (each block given to the buddy allocator) and handoff. Asked for
// explicitly, so printed even under "quiet". Meant for small machines:
// bootmem's init event lists its whole bitmap (512 words at 128M).
static int tracing, trace_n;

static void trace_grew(const struct early_stats *before, const struct early_stats *after,
		       phys_addr_t pa, uint64_t size);

// Every allocator in mm/ defines early_trace_state. An allocator file from
// before the trace had none (a student's, from an older lab handout): this
// weak stand-in keeps such a file linking, and its trace shows the events
// without the state.
__attribute__((weak)) void early_trace_state(phys_addr_t base, uint64_t size,
					     early_state_fn fn, void *arg)
{
}

static void trace_item(const char *name, int nid, uint64_t index, uint64_t value, void *arg)
{
	printf(" s.%s", name);
	if (nid != EARLY_NO_NODE)
		printf(".%d", nid);
	if (index != EARLY_NO_INDEX)
		printf("[%lu]", index);
	printf("=0x%lx", value);
}

// The state part of an event's line: what covers [base, base+size).
static void trace_state(phys_addr_t base, uint64_t size)
{
	early_trace_state(base, size, trace_item, 0);
}

static void trace_map(const struct memmap *map)
{
	for (int i = 0; i < map->nbanks; i++)
		printf("@trace n=%d ev=add base=0x%lx size=0x%lx node=%d\n", trace_n++,
		       map->bank[i].base, map->bank[i].size, map->bank[i].nid);
	for (int i = 0; i < map->nresv; i++)
		printf("@trace n=%d ev=reserve base=0x%lx size=0x%lx origin=%s flags=0x%x\n",
		       trace_n++, map->resv[i].base, map->resv[i].size,
		       memmap_origin_name(map->resv[i].origin), map->resv[i].flags);
}

static void trace_give(uint64_t pfn, unsigned order, void *arg)
{
	printf("@trace n=%d ev=block pfn=0x%lx order=%u\n", trace_n++, pfn, order);
	buddy_free_boot(pfn, order, arg);
}

void bootalloc_init(const struct memmap *map, int trace)
{
	bootmap = map;
	tracing = trace;
	if (tracing)
		trace_map(map);
	t0_instret = r_instret();
	t0_time = r_time();
	int err = early_init(map);
	if (err)
		panic("bootalloc: %s could not take the memory map (error %d)",
		      early_allocator_name, err);
	if (tracing && map->nbanks) {
		phys_addr_t lo = map->bank[0].base;
		const struct memmap_bank *last = &map->bank[map->nbanks - 1];
		struct early_stats none = { 0 }, after;
		printf("@trace n=%d ev=init alloc=%s", trace_n++, early_allocator_name);
		trace_state(lo, last->base + last->size - lo);
		printf("\n");
		early_get_stats(&after);
		trace_grew(&none, &after, 0, 0);
	}
}

// An allocation's event, and the doubling or merge it caused.
static void trace_alloc(const struct early_stats *before, phys_addr_t pa, uint64_t size,
			uint64_t align, int nid, const char *what)
{
	struct early_stats after;
	early_get_stats(&after);
	printf("@trace n=%d ev=alloc base=0x%lx size=0x%lx align=0x%lx node=%d", trace_n++,
	       pa, size, align, nid);
	trace_state(pa, size);
	printf(" for=%s\n", what);
	trace_grew(before, &after, pa, size);
}

// The doublings and merges between two readings of the statistics.
static void trace_grew(const struct early_stats *before, const struct early_stats *after,
		       phys_addr_t pa, uint64_t size)
{
	for (uint64_t i = before->resizes; i < after->resizes; i++) {
		printf("@trace n=%d ev=double", trace_n++);
		trace_state(0, 0);
		printf("\n");
	}
	for (uint64_t i = before->merges; i < after->merges; i++) {
		printf("@trace n=%d ev=merge base=0x%lx", trace_n++, pa);
		trace_state(pa, size);
		printf("\n");
	}
}

void *bootalloc_raw_from(uint64_t size, uint64_t align, int nid, const char *what,
			 const char *caller)
{
	if (retired)
		panic("bootalloc: %s called the %s allocator after it was retired "
		      "at handoff (%lu bytes for %s)", caller, early_allocator_name, size, what);
	struct early_stats before;
	if (tracing)
		early_get_stats(&before);
	phys_addr_t pa = early_alloc(size, align, nid);
	if (tracing && pa)
		trace_alloc(&before, pa, size, align, nid, what);
	if (!pa) {
		report_memmap(bootmap);
		panic("bootalloc: out of memory: %s could not get %lu bytes (align %lu, node %d) "
		      "for %s from %s", caller, size, align, nid, what, early_allocator_name);
	}
	if (nlog == BOOTALLOC_MAX_LOG)
		panic("bootalloc: more than %d early allocations (%s)", BOOTALLOC_MAX_LOG, what);
	log_[nlog++] = (struct logent){ pa, size, nid, what };
	return (void *)(uintptr_t)pa;
}

void *bootalloc_from(uint64_t size, uint64_t align, int nid, const char *what,
		     const char *caller)
{
	void *va = bootalloc_raw_from(size, align, nid, what, caller);
	memset(va, 0, size);
	return va;
}

static void add_meta(phys_addr_t base, uint64_t size, void *arg)
{
	if (nregions < (int)(sizeof(regions) / sizeof(regions[0])))
		regions[nregions++] = (struct acct_region){ base, size };
	else
		panic("bootalloc: too many metadata regions");
}

void bootalloc_handoff(void (*setup)(void))
{
	uint64_t i0 = r_instret(), t0 = r_time();
	times.init_instret = i0 - t0_instret;
	times.init_time = t0 - t0_time;
	setup();
	uint64_t pages = early_handoff(tracing ? trace_give : buddy_free_boot, 0);
	if (tracing)
		printf("@trace n=%d ev=handoff pages=%lu\n", trace_n++, pages);
	times.handoff_instret = r_instret() - i0;
	times.handoff_time = r_time() - t0;
	retired = 1;

	for (int i = 0; i < nlog; i++)
		regions[nregions++] = (struct acct_region){ log_[i].base, log_[i].size };
	early_for_each_meta(add_meta, 0);
}

int bootalloc_regions(const struct acct_region **out)
{
	*out = regions;
	return nregions;
}

const struct bootalloc_times *bootalloc_times(void)
{
	return &times;
}

void bootalloc_print_log(void)
{
	printf("Early allocations (%d):\n", nlog);
	printf("  %-18s %-18s %10s  %4s  %s\n", "base", "end", "bytes", "node", "for");
	for (int i = 0; i < nlog; i++) {
		struct logent *e = &log_[i];
		printf("  0x%016lx 0x%016lx %10lu  %4d  %s\n", e->base, e->base + e->size,
		       e->size, e->nid, e->what);
		report_at("@early alloc n=%d base=0x%lx size=0x%lx node=%d for=%s\n",
		       i, e->base, e->size, e->nid, e->what);
	}
}
