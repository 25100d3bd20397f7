// Wrapper around the early-allocator contract (mm/early.h). The allocator
// cores do not zero, log, time or panic; this file does, for all three.
#include "bootalloc.h"
#include "../mm/buddy.h"
#include "console.h"
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

void bootalloc_init(const struct memmap *map)
{
	bootmap = map;
	t0_instret = r_instret();
	t0_time = r_time();
	int err = early_init(map);
	if (err)
		panic("bootalloc: %s could not take the memory map (error %d)",
		      early_allocator_name, err);
}

void *bootalloc_raw_from(uint64_t size, uint64_t align, int nid, const char *what,
			 const char *caller)
{
	if (retired)
		panic("bootalloc: %s called the %s allocator after it was retired "
		      "at handoff (%lu bytes for %s)", caller, early_allocator_name, size, what);
	phys_addr_t pa = early_alloc(size, align, nid);
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
	early_handoff(buddy_free_boot, 0);
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
