// Host driver of lab buddy: the grader's commands against mm/buddy.c. Each
// prints what it observed; grade.py and buddy_model.py decide what is right.
// A span's descriptor array is a malloc'd block of exactly the size
// buddy_map_bytes asks for, filled with junk as bootalloc_raw's would be in
// the kernel, so reading a descriptor outside it is an ASan report.
#include <stdlib.h>
#include "driver.h"
#include "../../mm/buddy.h"

static struct page *maps[BUDDY_MAX_SPANS + 1];
static int nmaps;

static void c_reset(const uint64_t *a)
{
	for (int i = 0; i < nmaps; i++)
		free(maps[i]);
	nmaps = 0;
	buddy_reset();
}

// span NID START_PFN NPAGES
static void c_span(const uint64_t *a)
{
	size_t bytes = buddy_map_bytes(a[2]);
	struct page *map;

	if (nmaps == BUDDY_MAX_SPANS + 1 || bytes == 0 || bytes > (64u << 20)) {
		say("driver: span of %lu pages refused by the driver", a[2]);
		exit(2);
	}
	map = malloc(bytes);
	if (!map) {
		say("driver: out of memory");
		exit(4);
	}
	memset(map, 0xa5, bytes);
	maps[nmaps++] = map;
	say("span %d", buddy_add_span((int)(int64_t)a[0], a[1], a[2], map));
}

// boot PFN ORDER: one handoff block
static void c_boot(const uint64_t *a)
{
	buddy_free_boot(a[0], (unsigned)a[1], NULL);
	say("boot ok");
}

// give START_PFN NPAGES MAXORDER: the pages in maximal naturally aligned
// blocks of at most MAXORDER, low first, as an early allocator hands them
static void c_give(const uint64_t *a)
{
	uint64_t pfn = a[0], end = a[0] + a[1];

	while (pfn < end) {
		unsigned k = (unsigned)a[2];

		while (k && ((pfn & ((1ULL << k) - 1)) || pfn + (1ULL << k) > end))
			k--;
		buddy_free_boot(pfn, k, NULL);
		pfn += 1ULL << k;
	}
	say("give ok");
}

// alloc NID ORDER (NID -1: no preference)
static void c_alloc(const uint64_t *a)
{
	struct page *pg = alloc_pages((int)(int64_t)a[0], (unsigned)a[1]);

	if (pg)
		say("alloc 0x%lx", page_to_pfn(pg));
	else
		say("alloc none");
}

// free PFN ORDER
static void c_free(const uint64_t *a)
{
	struct page *pg = pfn_to_page(a[0]);

	if (!pg) {
		say("free: pfn 0x%lx is not in any span", a[0]);
		return;
	}
	free_pages(pg, (unsigned)a[1]);
	say("free ok");
}

static void on_block(uint64_t pfn, unsigned order, int nid, void *arg)
{
	say("block 0x%lx %u %d", pfn, order, nid);
}

// lists: every free block, node by node, order by order, in list order
static void c_lists(const uint64_t *a)
{
	buddy_for_each_free_block(on_block, NULL);
	say("lists end");
}

// counts: the counters the kernel's reports and accounting read
static void c_counts(const uint64_t *a)
{
	int nodes = buddy_nr_nodes();

	for (int n = 0; n < nodes; n++) {
		for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
			if (buddy_nr_free(n, k))
				say("nr %d %u %lu", n, k, buddy_nr_free(n, k));
		say("free %d %lu", n, buddy_free_pages(n));
	}
	say("free all %lu", buddy_free_pages(-1));
}

// page PFN: one descriptor as the rest of the kernel sees it
static void c_page(const uint64_t *a)
{
	struct page *pg = pfn_to_page(a[0]);

	if (!pg)
		say("page 0x%lx none", a[0]);
	else
		say("page 0x%lx flags=%u ref=%d order=%u", a[0], pg->flags, pg->refcount, pg->order);
}

const struct driver_cmd driver_cmds[] = {
	{ "reset", 0, c_reset },     { "span", 3, c_span },
	{ "boot", 2, c_boot },       { "give", 3, c_give },
	{ "alloc", 2, c_alloc },     { "free", 2, c_free },
	{ "lists", 0, c_lists },     { "counts", 0, c_counts },
	{ "page", 1, c_page },
	{ NULL, 0, NULL },
};
