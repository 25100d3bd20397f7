// Host driver of lab bump: the grader's commands against mm/bump.c. Each
// prints what it observed; grade.py decides what is right. The bump
// allocator never touches the memory it hands out, so no command needs an
// arena.
#include <stdlib.h>
#include "../../grading/host/driver.h"
#include "../../mm/early.h"

static struct memmap map;

static void c_reset(const uint64_t *a)
{
	memset(&map, 0, sizeof(map));
}

static void c_bank(const uint64_t *a)
{
	if (map.nbanks == MEMMAP_MAX_BANKS)
		exit(2);
	map.bank[map.nbanks++] = (struct memmap_bank){ a[0], a[1], (int)a[2] };
	if ((int)a[2] + 1 > map.nnodes)
		map.nnodes = (int)a[2] + 1;
}

static void c_resv(const uint64_t *a)
{
	if (map.nresv == MEMMAP_MAX_RESV)
		exit(2);
	struct memmap_resv *r = &map.resv[map.nresv++];
	memset(r, 0, sizeof(*r));
	r->base = a[0];
	r->size = a[1];
	r->origin = (uint8_t)a[2];
}

static void c_init(const uint64_t *a)
{
	say("init %d", early_init(&map));
}

static void c_alloc(const uint64_t *a)
{
	say("alloc 0x%lx", early_alloc(a[0], a[1], (int)(int64_t)a[2]));
}

static void c_reserve(const uint64_t *a)
{
	say("reserve %d", early_reserve(a[0], a[1]));
}

static void c_free(const uint64_t *a)
{
	say("free %d", early_free(a[0], a[1]));
}

static void on_give(uint64_t pfn, unsigned order, void *arg)
{
	say("give 0x%lx %u", pfn, order);
}

static void c_handoff(const uint64_t *a)
{
	say("handoff %lu", early_handoff(on_give, NULL));
}

static void c_stats(const uint64_t *a)
{
	struct early_stats s;
	early_get_stats(&s);
	say("stats nallocs=%lu requested=%lu consumed=%lu meta=%lu lost=%lu pages=%lu calls=%lu",
	    s.nallocs, s.bytes_requested, s.bytes_consumed, s.meta_bytes, s.lost_pages,
	    s.handoff_pages, s.handoff_calls);
}

static void on_meta(phys_addr_t base, uint64_t size, void *arg)
{
	say("meta 0x%lx 0x%lx", base, size);
}

static void c_meta(const uint64_t *a)
{
	early_for_each_meta(on_meta, NULL);
	say("meta end");
}

const struct driver_cmd driver_cmds[] = {
	{ "reset", 0, c_reset },     { "bank", 3, c_bank },
	{ "resv", 3, c_resv },       { "init", 0, c_init },
	{ "alloc", 3, c_alloc },     { "reserve", 2, c_reserve },
	{ "free", 2, c_free },       { "handoff", 0, c_handoff },
	{ "stats", 0, c_stats },     { "meta", 0, c_meta },
	{ NULL, 0, NULL },
};
