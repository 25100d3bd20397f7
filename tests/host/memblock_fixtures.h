// Fixtures shared by the memblock host tests (test_memblock.c: region
// arrays; test_memblock_alloc.c: placement and handoff; test_memblock_early.c:
// the early.h contract): a clean memblock per test, region checks, and a
// recorder for the pages the handoff gives.
#ifndef HOST_MEMBLOCK_FIXTURES_H
#define HOST_MEMBLOCK_FIXTURES_H

#include <stdbool.h>
#include <stdlib.h>
#include "mm_env.h"
#include "../../mm/early.h"
#include "../../mm/memblock.h"

#define MEM (&memblock.memory)
#define RSV (&memblock.reserved)
#define MB 0x100000ULL

static inline int setup(void **state)
{
	__memblock_reset();
	mirrored_kernelcore = false;
	movable_node_enabled = false;
	max_low_pfn = 0;
	memblock_free_pages_hook = NULL;
	host_warn_count = 0;
	return 0;
}

static inline int teardown(void **state)
{
	__memblock_reset();
	host_arena_free();
	return 0;
}

static inline void expect_rgn(const struct memblock_type *t, unsigned long i, phys_addr_t base,
			      phys_addr_t size)
{
	assert_true(i < t->cnt);
	assert_int_equal(t->regions[i].base, base);
	assert_int_equal(t->regions[i].size, size);
}

// The blocks early_handoff gave, in order.
#define MAX_GIVEN 8192
static __attribute__((unused)) struct { uint64_t pfn; unsigned order; } given[MAX_GIVEN];
static __attribute__((unused)) int ngiven;

static inline void record(uint64_t pfn, unsigned order, void *arg)
{
	assert_true(ngiven < MAX_GIVEN);
	given[ngiven].pfn = pfn;
	given[ngiven].order = order;
	ngiven++;
}

// The pages the handoff gave, as a bitmap over [base_pfn, +npages), checking
// natural alignment and that no page is given twice.
static inline void given_bitmap(uint64_t base_pfn, uint64_t npages, unsigned char *bits)
{
	memset(bits, 0, npages);
	for (int i = 0; i < ngiven; i++) {
		assert_true(given[i].order <= 10);
		assert_int_equal(given[i].pfn & ((1ULL << given[i].order) - 1), 0);
		for (uint64_t p = given[i].pfn; p < given[i].pfn + (1ULL << given[i].order); p++) {
			assert_true(p >= base_pfn && p < base_pfn + npages);
			assert_false(bits[p - base_pfn]);
			bits[p - base_pfn] = 1;
		}
	}
}

// Is page pfn whole in map-able memory and touched by no reservation?
static inline bool page_free(uint64_t pfn)
{
	phys_addr_t a = pfn << PAGE_SHIFT;

	return memblock_is_region_memory(a, PAGE_SIZE) && memblock_is_map_memory(a) &&
	       !memblock_is_region_reserved(a, PAGE_SIZE);
}

#endif
