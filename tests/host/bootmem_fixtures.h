// Shared by the host tests of mm/bootmem.c (test_bootmem.c: sizing, init,
// free/reserve and allocation; test_bootmem_handoff.c: the handoff, nodes
// and the randomized run): building a struct memmap of banks and
// reservations, one node at physical 0, reading a page's bitmap bit,
// recording what the handoff gives, and the per-test setup and teardown.
// Each test binary is one translation unit, so the statics below are
// private to it.
#ifndef HOST_BOOTMEM_FIXTURES_H
#define HOST_BOOTMEM_FIXTURES_H

#include <stdbool.h>
#include <stdlib.h>
#include "mm_env.h"
#include "../../mm/bootmem.h"

#define PG PAGE_SIZE

// ---- helpers ----------------------------------------------------------------

static struct memmap map;

static inline void map_clear(void)
{
	memset(&map, 0, sizeof(map));
}

static inline void add_bank(phys_addr_t base, uint64_t size, int nid)
{
	map.bank[map.nbanks++] = (struct memmap_bank){ base, size, nid };
	if (nid + 1 > map.nnodes)
		map.nnodes = nid + 1;
}

static inline void add_resv(phys_addr_t base, uint64_t size, int origin)
{
	struct memmap_resv *r = &map.resv[map.nresv++];
	memset(r, 0, sizeof(*r));
	r->base = base;
	r->size = size;
	r->origin = (uint8_t)origin;
}

// One node of npages pages at physical 0. With nothing reserved, the bitmap
// takes page 0, which plays the reference's "page 0 reserved".
static inline void node_at_zero(uint64_t npages)
{
	map_clear();
	add_bank(0, npages * PG, 0);
	host_arena_init(0, npages * PG);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(bootmem_node_data[0].map_pfn, 0);
}

static inline bool page_reserved(uint64_t pfn)
{
	for (int n = 0; n < MEMMAP_MAX_NODES; n++) {
		const struct bootmem_data *bd = &bootmem_node_data[n];
		if (bd->node_bootmem_map && bd->node_min_pfn <= pfn && pfn < bd->node_low_pfn) {
			uint64_t i = pfn - bd->node_min_pfn;
			return (bd->node_bootmem_map[i / 64] >> (i % 64)) & 1;
		}
	}
	fail_msg("pfn 0x%lx is in no node", pfn);
	return true;
}

struct give { uint64_t pfn; unsigned order; };
static struct give gives[4096];
static int ngives;

static inline void record(uint64_t pfn, unsigned order, void *arg)
{
	assert_true(ngives < (int)(sizeof(gives) / sizeof(gives[0])));
	gives[ngives++] = (struct give){ pfn, order };
}

static inline phys_addr_t goal_alloc(uint64_t size, uint64_t align, uint64_t goal)
{
	void *p = __alloc_bootmem_nopanic(size, align, goal);
	return p ? mm_virt_to_phys(p) : 0;
}

static inline struct early_stats get_stats(void)
{
	struct early_stats s;
	early_get_stats(&s);
	return s;
}

static inline int setup(void **state)
{
	bootmem_reset();
	ngives = 0;
	return 0;
}

static inline int teardown(void **state)
{
	bootmem_reset();
	host_arena_free();
	return 0;
}

#endif
