// Host driver of lab bump: the grader's commands against mm/bump.c. Each
// prints what it observed; grade.py decides what is right. The bump
// allocator never touches the memory it hands out, so no command needs an
// arena.
#include <stdlib.h>
#include "../../grading/host/early_cmds.h"
#include "../../mm/early.h"

static void c_reset(const uint64_t *a)
{
	driver_map_reset();
}

static void c_init(const uint64_t *a)
{
	say("init %d", early_init(&driver_map));
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
	{ "reset", 0, c_reset },     { "init", 0, c_init },
	{ "alloc", 3, c_alloc },     { "reserve", 2, c_reserve },
	{ "free", 2, c_free },       { "handoff", 0, driver_handoff },
	{ "stats", 0, c_stats },     { "meta", 0, c_meta },
	{ NULL, 0, NULL },
};
