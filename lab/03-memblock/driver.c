// Host driver of lab memblock: the grader's commands against mm/memblock.c
// and mm/memblock_alloc.c. Each prints what it observed (return values, both
// region arrays, the blocks a handoff gives); grade.py decides what is right.
#include <stdlib.h>
#include "../../grading/host/early_cmds.h"
#include "../../mm/early.h"
#include "../../mm/memblock.h"


static void c_reset(const uint64_t *a)
{
	driver_map_reset();
	__memblock_reset();
	mirrored_kernelcore = false;
	movable_node_enabled = false;
	max_low_pfn = 0;
	memblock_free_pages_hook = NULL;
}

// ---- the region arrays --------------------------------------------------------

// One array on one line: its counters, where it lives ("static" for the
// boot arrays, else the physical address), then every entry as
// BASE+SIZE:NID:FLAGS.
static void show_type(const struct memblock_type *t)
{
	static char line[1 << 16];
	int pos = snprintf(line, sizeof(line), "%s cnt=%lu max=%lu total=0x%lx at=", t->name, t->cnt,
			   t->max, t->total_size);

	if (t->regions == memblock_memory_init_regions || t->regions == memblock_reserved_init_regions)
		pos += snprintf(line + pos, sizeof(line) - pos, "static");
	else
		pos += snprintf(line + pos, sizeof(line) - pos, "0x%lx", harness_virt_to_phys(t->regions));
	// A count past the capacity is printed as far as the capacity goes.
	for (unsigned long i = 0; i < t->cnt && i < t->max; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (pos > (int)sizeof(line) - 80)
			break;
		pos += snprintf(line + pos, sizeof(line) - pos, " 0x%lx+0x%lx:%d:0x%x", r->base, r->size,
				r->nid, (unsigned)r->flags);
	}
	say("%s", line);
}

static void c_regions(const uint64_t *a)
{
	show_type(&memblock.memory);
	show_type(&memblock.reserved);
}

// Test hook: give an empty-enough static array a smaller capacity, so that
// a short script can fill it (the host tests do the same).
static void c_cap(const uint64_t *a)
{
	struct memblock_type *t = a[0] ? &memblock.reserved : &memblock.memory;
	bool is_static = t->regions == memblock_memory_init_regions ||
			 t->regions == memblock_reserved_init_regions;

	if (!is_static || a[1] < t->cnt || a[1] < 1 || a[1] > t->max) {
		say("cap refused");
		return;
	}
	t->max = a[1];
}

static void c_add(const uint64_t *a)
{
	say("add %d", memblock_add(a[0], a[1]));
}

static void c_addn(const uint64_t *a)
{
	say("addn %d", memblock_add_node(a[0], a[1], (int)a[2], (enum memblock_flags)a[3]));
}

static void c_reserve(const uint64_t *a)
{
	say("reserve %d", memblock_reserve(a[0], a[1]));
}

static void c_remove(const uint64_t *a)
{
	say("remove %d", memblock_remove(a[0], a[1]));
}

static void c_pfree(const uint64_t *a)
{
	say("pfree %d", memblock_phys_free(a[0], a[1]));
}

static void c_free(const uint64_t *a)
{
	memblock_free(a[0] ? harness_phys_to_virt(a[0]) : NULL, a[1]);
	say("free");
}

static void c_resize(const uint64_t *a)
{
	memblock_allow_resize();
}

static void c_hotplug(const uint64_t *a)
{
	say("hotplug %d", a[2] ? memblock_mark_hotplug(a[0], a[1]) : memblock_clear_hotplug(a[0], a[1]));
}

static void c_nomap(const uint64_t *a)
{
	say("nomap %d", a[2] ? memblock_mark_nomap(a[0], a[1]) : memblock_clear_nomap(a[0], a[1]));
}

static void c_mirror(const uint64_t *a)
{
	say("mirror %d", a[2] ? memblock_mark_mirror(a[0], a[1]) : memblock_clear_mirror(a[0], a[1]));
}

static void c_setnode(const uint64_t *a)
{
	say("setnode %d", memblock_set_node(a[0], a[1], a[2] ? &memblock.reserved : &memblock.memory,
					    (int)a[3]));
}

// ---- settings ----------------------------------------------------------------

static void c_limit(const uint64_t *a)
{
	memblock_set_current_limit(a[0]);
}

static void c_bottomup(const uint64_t *a)
{
	memblock_set_bottom_up(a[0] != 0);
}

static void c_kernelcore_mirror(const uint64_t *a)
{
	mirrored_kernelcore = a[0] != 0;
}

static void c_movable(const uint64_t *a)
{
	movable_node_enabled = a[0] != 0;
}

static void c_maxlow(const uint64_t *a)
{
	max_low_pfn = a[0];
}

// ---- finding and allocating ----------------------------------------------------

static void c_find(const uint64_t *a)
{
	say("find 0x%lx", memblock_find_in_range_node(a[0], a[1], a[2], a[3], (int)a[4],
						     (enum memblock_flags)a[5]));
}

static void c_alloc(const uint64_t *a)
{
	say("alloc 0x%lx", memblock_alloc_range_nid(a[0], a[1], a[2], a[3], (int)a[4], a[5] != 0));
}

static void c_palloc(const uint64_t *a)
{
	say("palloc 0x%lx", memblock_phys_alloc(a[0], a[1]));
}

static void c_prange(const uint64_t *a)
{
	say("prange 0x%lx", memblock_phys_alloc_range(a[0], a[1], a[2], a[3]));
}

static void c_ptry(const uint64_t *a)
{
	say("ptry 0x%lx", memblock_phys_alloc_try_nid(a[0], a[1], (int)a[2]));
}

static void print_ptr(const char *what, void *p)
{
	say("%s 0x%lx", what, p ? harness_virt_to_phys(p) : 0);
}

// The virtual-address allocators need the memory in the arena.
static void c_tryn(const uint64_t *a)
{
	print_ptr("tryn", memblock_alloc_try_nid(a[0], a[1], a[2], a[3], (int)a[4]));
}

static void c_tryraw(const uint64_t *a)
{
	print_ptr("tryraw", memblock_alloc_try_nid_raw(a[0], a[1], a[2], a[3], (int)a[4]));
}

static void c_exact(const uint64_t *a)
{
	print_ptr("exact", memblock_alloc_exact_nid_raw(a[0], a[1], a[2], a[3], (int)a[4]));
}

// Is [base, base+size) of the arena all byte c? (Zeroing, and what raw
// allocations leave alone.)
static void c_bytes(const uint64_t *a)
{
	const unsigned char *p = harness_phys_to_virt(a[0]);
	uint64_t i = 0;

	while (i < a[1] && p[i] == (unsigned char)a[2])
		i++;
	say("bytes %s", i == a[1] ? "same" : "differ");
}

static void c_scribble(const uint64_t *a)
{
	memset(harness_phys_to_virt(a[0]), (int)a[2], a[1]);
}

// ---- the handoff ---------------------------------------------------------------

static void c_hook(const uint64_t *a)
{
	memblock_free_pages_hook = a[0] ? driver_give : NULL;
}

static void c_freeall(const uint64_t *a)
{
	memblock_free_all();
	say("freeall");
}

// ---- the early.h contract -------------------------------------------------------

static void c_init(const uint64_t *a)
{
	say("init %d", early_init(&driver_map));
}

static void c_ealloc(const uint64_t *a)
{
	say("ealloc 0x%lx", early_alloc(a[0], a[1], (int)(int64_t)a[2]));
}

static void c_stats(const uint64_t *a)
{
	struct early_stats s;
	early_get_stats(&s);
	say("stats nallocs=%lu requested=%lu consumed=%lu meta=%lu peak=%lu resizes=%lu pages=%lu "
	    "calls=%lu", s.nallocs, s.bytes_requested, s.bytes_consumed, s.meta_bytes,
	    s.meta_peak_bytes, s.resizes, s.handoff_pages, s.handoff_calls);
}

const struct driver_cmd driver_cmds[] = {
	{ "reset", 0, c_reset },          { "regions", 0, c_regions },
	{ "cap", 2, c_cap },              { "add", 2, c_add },
	{ "addn", 4, c_addn },            { "reserve", 2, c_reserve },
	{ "remove", 2, c_remove },        { "pfree", 2, c_pfree },
	{ "free", 2, c_free },            { "resize", 0, c_resize },
	{ "hotplug", 3, c_hotplug },      { "nomap", 3, c_nomap },
	{ "mirror", 3, c_mirror },        { "setnode", 4, c_setnode },
	{ "limit", 1, c_limit },          { "bottomup", 1, c_bottomup },
	{ "kernelcore_mirror", 1, c_kernelcore_mirror }, { "movable", 1, c_movable },
	{ "maxlow", 1, c_maxlow },        { "find", 6, c_find },
	{ "alloc", 6, c_alloc },          { "palloc", 2, c_palloc },
	{ "prange", 4, c_prange },        { "ptry", 3, c_ptry },
	{ "tryn", 5, c_tryn },            { "tryraw", 5, c_tryraw },
	{ "exact", 5, c_exact },          { "bytes", 3, c_bytes },
	{ "scribble", 3, c_scribble },    { "handoff", 0, driver_handoff },
	{ "hook", 1, c_hook },            { "freeall", 0, c_freeall },
	{ "init", 0, c_init },            { "ealloc", 3, c_ealloc },
	{ "stats", 0, c_stats },
	{ NULL, 0, NULL },
};
