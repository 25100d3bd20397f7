// Host tests of memblock's allocation side (mm/memblock_alloc.c): placement
// top-down and bottom-up, current_limit, the first page, every allocator's
// node/range/mirror fallbacks, the iterators, and the handoff chunking of
// reference §3.8. The early.h contract and the randomized run are in
// test_memblock_early.c. §n refers to section 5 of the behavioural
// reference, early-allocators.md.
#include "memblock_fixtures.h"


static phys_addr_t pa(void *p)
{
	return p ? mm_virt_to_phys(p) : 0;
}

static bool all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != c)
			return false;
	return true;
}

// Memory [1 MiB, 2 MiB), backed by the arena.
static void one_mib(void)
{
	host_arena_init(MB, MB);
	assert_int_equal(memblock_add(MB, MB), 0);
}

// Two nodes: 0 = [100000 140000), 1 = [140000 200000).
static void two_nodes(void)
{
	host_arena_init(MB, MB);
	assert_int_equal(memblock_add_node(0x100000, 0x40000, 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(0x140000, 0xc0000, 1, MEMBLOCK_NONE), 0);
}

// ---- placement ------------------------------------------------------------------

// Intent: top-down puts a zeroed block at the very top; the next one sits
// right below and the two reservations merge.
//   [100000 ..................... 1fcf00)[1fcf00 1fd000)[1fd000  200000)
//                                          2nd alloc       1st alloc
static void test_top_down(void **state)
{
	void *p, *q;

	one_mib();
	memset(host_arena, 0xaa, MB);
	p = memblock_alloc(0x3000, SMP_CACHE_BYTES);
	assert_int_equal(pa(p), 0x1fd000);
	assert_true(all_bytes(p, 0, 0x3000));
	q = memblock_alloc(0x100, 64);
	assert_int_equal(pa(q), 0x1fcf00);
	assert_int_equal(RSV->cnt, 1);
	expect_rgn(RSV, 0, 0x1fcf00, 0x3100);
	assert_int_equal(memblock_reserved_size(), 0x3100);
}

// Intent: top-down skips free ranges that are too small, and alignment is
// taken from the range's top.
//   [100000 ........ 1fc000)##[1fe000 1ff000)## : the 4 KiB gap is too small
static void test_top_down_gaps(void **state)
{
	one_mib();
	assert_int_equal(memblock_reserve(0x1ff000, 0x1000), 0);
	assert_int_equal(memblock_reserve(0x1fc000, 0x2000), 0);
	assert_int_equal(memblock_phys_alloc(0x2000, 0x1000), 0x1fa000);
	assert_int_equal(memblock_phys_alloc(0x800, 0x1000), 0x1fe000);
	assert_int_equal(memblock_phys_alloc(0x800, 0x4000), 0x1f8000);
}

// Intent: bottom-up takes the lowest fit, alignment rounding up from the
// range's start.
//   ##[100000 100800)## then free from 100800: 0x100 aligned 4 KiB -> 101000
static void test_bottom_up(void **state)
{
	one_mib();
	memblock_set_bottom_up(true);
	assert_true(memblock_bottom_up());
	assert_int_equal(memblock_phys_alloc(0x800, 0x1000), 0x100000);
	assert_int_equal(memblock_phys_alloc(0x100, 0x1000), 0x101000);
	assert_int_equal(memblock_phys_alloc(0x100, 0x40), 0x100800);
	assert_int_equal(RSV->cnt, 2);
	memblock_set_bottom_up(false);
	assert_int_equal(memblock_phys_alloc(0x100, 0x40), 0x1fff00);
}

// Intent (§5.3, a deviation): size 0 fails in both directions and reserves
// nothing (Linux returns the end of the top range, or the lowest start).
static void test_zero_size(void **state)
{
	one_mib();
	assert_null(memblock_alloc(0, 16));
	assert_int_equal(memblock_phys_alloc(0, 16), 0);
	memblock_set_bottom_up(true);
	assert_null(memblock_alloc(0, 16));
	assert_int_equal(memblock_phys_alloc_try_nid(0, 16, 0), 0);
	assert_int_equal(RSV->total_size, 0);
	assert_int_equal(host_warn_count, 0);
}

// Intent (§5.4, a deviation): an alignment that is not a power of two is
// refused with a warning (Linux would mask with it and return 0x1fffc0 for
// align 24, base+0xd000 for 0x3000).
static void test_bad_align(void **state)
{
	one_mib();
	assert_int_equal(memblock_phys_alloc_range(0x40, 24, MB, 2 * MB), 0);
	assert_int_equal(host_warn_count, 1);
	assert_int_equal(memblock_phys_alloc_range(0x1000, 0x3000, MB, 2 * MB), 0);
	assert_null(memblock_alloc(0x40, 24));
	assert_null(memblock_alloc_from(0x40, 24, 0x180000));
	assert_int_equal(RSV->total_size, 0);
}

// Intent (§5.5): align 0 warns and means SMP_CACHE_BYTES (64).
static void test_align_zero(void **state)
{
	one_mib();
	assert_int_equal(memblock_phys_alloc(0x30, 0), 0x1fffc0);
	assert_int_equal(host_warn_count, 1);
}

// Intent (§5.6): current_limit caps ACCESSIBLE ends and the virtual API's
// max_addr, but not an explicit end given to phys_alloc_range.
//   [100000 ....... limit 180000 ....... 200000)
static void test_current_limit(void **state)
{
	one_mib();
	memblock_set_current_limit(0x180000);
	assert_int_equal(memblock_get_current_limit(), 0x180000);
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), 0x17f000);
	assert_int_equal(memblock_phys_alloc_range(0x1000, 0x1000, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 0x1ff000);
	assert_int_equal(memblock_phys_alloc_range(0x1000, 0x1000, 0x190000, 0x1a0000), 0x19f000);
	assert_int_equal(pa(memblock_alloc_try_nid(0x1000, 0x1000, 0, 0x1f0000, NUMA_NO_NODE)),
			 0x17e000);
	assert_int_equal(memblock_phys_alloc_range(0x1000, 0x1000, 0, MEMBLOCK_ALLOC_NOLEAKTRACE),
			 0x17d000);
	// 0x7d000 bytes are left below the limit; memory above it does not help.
	assert_int_equal(memblock_phys_alloc(0x7e000, 0x1000), 0);
	assert_null(memblock_alloc(0x7e000, 0x1000));
	assert_int_equal(memblock_phys_alloc(0x7d000, 0x1000), 0x100000);
}

// Intent (§5.7): the first page of the address space is never returned, and
// a free range below it does not count.
//   [0 1000) never | [1000 1010) reserved | [1010 3000) too small for 0x2000
static void test_first_page(void **state)
{
	host_arena_init(0, 0x10000);
	assert_int_equal(memblock_add(0, 0x10000), 0);
	memblock_set_bottom_up(true);
	assert_int_equal(memblock_phys_alloc(0x100, 0x100), 0x1000);
	assert_int_equal(memblock_phys_alloc_range(0x100, 0x100, 0, 0x800), 0);

	__memblock_reset();
	assert_int_equal(memblock_add(0, 0x3000), 0);
	assert_int_equal(memblock_reserve(0x1000, 16), 0);
	for (int dir = 0; dir < 2; dir++) {
		memblock_set_bottom_up(dir);
		assert_int_equal(memblock_phys_alloc(0x2000, 0x1000), 0);
		assert_int_equal(memblock_phys_alloc(0x2000, 16), 0);
	}
}

// Intent (§5.18): min above max is dropped by the virtual API (placed just
// below max) but makes phys_alloc_range fail.
static void test_min_above_max(void **state)
{
	one_mib();
	assert_int_equal(pa(memblock_alloc_try_nid(0x1000, 0x1000, 0x1c0000, 0x180000,
						   NUMA_NO_NODE)), 0x17f000);
	assert_int_equal(memblock_phys_alloc_range(0x1000, 0x1000, 0x1c0000, 0x180000), 0);
}

// Intent: alloc_try_nid tries [min,max) on nid, [min,max) anywhere, [0,max)
// on nid, [0,max) anywhere, in that order.
//   node 0 [100000 140000)          node 1 [140000 ............ 200000)
static void test_try_nid_order(void **state)
{
	two_nodes();
	// 1: [min,max) on node 0.
	assert_int_equal(pa(memblock_alloc_try_nid(0x1000, 0x1000, 0x110000, 0x180000, 0)),
			 0x13f000);
	// 2: node 0 has nothing in [140000,180000): any node.
	assert_int_equal(pa(memblock_alloc_try_nid(0x1000, 0x1000, 0x140000, 0x180000, 0)),
			 0x17f000);
	// 3: nothing free in [140000,180000) at all: min dropped, node 0.
	assert_int_equal(memblock_reserve(0x140000, 0xc0000), 0);
	assert_int_equal(pa(memblock_alloc_try_nid(0x1000, 0x1000, 0x140000, 0x180000, 0)),
			 0x13e000);
	// 4: node 0 full too: min dropped, any node.
	assert_int_equal(memblock_reserve(0x100000, 0x40000), 0);
	assert_int_equal(memblock_phys_free(0x160000, 0x10000), 0);
	assert_int_equal(pa(memblock_alloc_try_nid(0x1000, 0x1000, 0x170000, 0x180000, 0)),
			 0x16f000);
	assert_int_equal(memblock_phys_alloc_try_nid(0x1000, 0x1000, 0), 0x16e000);
	assert_null(memblock_alloc_try_nid(0x20000, 0x1000, 0x170000, 0x180000, 0));
}

// Intent: exact_nid never leaves its node (it still drops min); raw memory
// is left as it was, the other allocators zero it.
static void test_exact_nid_and_raw(void **state)
{
	void *p;

	two_nodes();
	memset(host_arena, 0xaa, MB);
	assert_int_equal(memblock_reserve(0x100000, 0x40000), 0);     // node 0 full
	assert_null(memblock_alloc_exact_nid_raw(0x1000, 0x1000, 0, 0, 0));
	p = memblock_alloc_exact_nid_raw(0x1000, 0x1000, 0x1c0000, 0x1b0000, 1);
	assert_int_equal(pa(p), 0x1af000);
	assert_true(all_bytes(p, 0xaa, 0x1000));
	p = memblock_alloc_try_nid_raw(0x1000, 0x1000, 0, 0, 0);
	assert_int_equal(pa(p), 0x1ff000);
	assert_true(all_bytes(p, 0xaa, 0x1000));
	p = memblock_alloc_raw(0x1000, 0x1000);
	assert_int_equal(pa(p), 0x1fe000);
	assert_true(all_bytes(p, 0xaa, 0x1000));
	p = memblock_alloc_node(0x1000, 0x1000, 0);                   // falls back
	assert_int_equal(pa(p), 0x1fd000);
	assert_true(all_bytes(p, 0, 0x1000));
	assert_int_equal(pa(memblock_alloc_exact_nid_raw(0x1000, 0x1000, 0, 0, NUMA_NO_NODE)),
			 0x1fc000);
}

// Intent: memblock_alloc_from prefers memory above min (bottom-up shows it),
// falls back below; memblock_alloc_node prefers its node.
static void test_from_and_node(void **state)
{
	two_nodes();
	memblock_set_bottom_up(true);
	assert_int_equal(pa(memblock_alloc_from(0x1000, 0x1000, 0x180000)), 0x180000);
	assert_int_equal(pa(memblock_alloc(0x1000, 0x1000)), 0x100000);
	assert_int_equal(memblock_reserve(0x180000, 0x80000), 0);
	assert_int_equal(pa(memblock_alloc_from(0x1000, 0x1000, 0x180000)), 0x101000);
	assert_int_equal(pa(memblock_alloc_node(0x1000, 0x1000, 1)), 0x140000);
	assert_int_equal(memblock_phys_alloc_try_nid(0x1000, 0x1000, 1), 0x141000);
	// MAX_NUMNODES is taken as "any node", with a warning.
	assert_int_equal(memblock_phys_alloc_try_nid(0x1000, 0x1000, MAX_NUMNODES), 0x102000);
	assert_true(host_warn_count > 0);
}

// Intent: memblock_alloc_low stays below ARCH_LOW_ADDRESS_LIMIT (0xffffffff,
// so the last full page is 0xffffe000); memblock_alloc does not.
//   [fff00000 ....... 4 GiB ....... 100100000)
static void test_alloc_low(void **state)
{
	host_arena_init(0xfff00000, 2 * MB);
	assert_int_equal(memblock_add(0xfff00000, 2 * MB), 0);
	assert_int_equal(pa(memblock_alloc_low(0x1000, 0x1000)), 0xffffe000);
	assert_int_equal(pa(memblock_alloc(0x1000, 0x1000)), 0x1000ff000);
}

// Intent: once some memory is mirrored, allocations take it first and fall
// back to any memory with a warning when it runs out.
static void test_mirror(void **state)
{
	one_mib();
	mirrored_kernelcore = true;
	assert_int_equal(memblock_mark_mirror(0x100000, 0x10000), 0);
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), 0x10f000);
	assert_int_equal(memblock_phys_alloc(0xf000, 0x1000), 0x100000);
	assert_int_equal(host_warn_count, 0);
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), 0x1ff000);
	assert_int_equal(host_warn_count, 1);
}

// Intent: NOMAP memory is never allocated.
static void test_skip_nomap(void **state)
{
	one_mib();
	assert_int_equal(memblock_mark_nomap(0x1f0000, 0x10000), 0);
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), 0x1ef000);
	assert_int_equal(memblock_phys_alloc_range(0x1000, 0x1000, 0x1f0000, 0x200000), 0);
}

// Intent: a found block whose reservation cannot be recorded (array full,
// no resizing) is a failure that changes nothing.
static void test_alloc_array_full(void **state)
{
	one_mib();
	for (int i = 0; i < 128; i++)
		assert_int_equal(memblock_reserve(MB + i * 0x200, 0x100), 0);
	assert_int_equal(memblock_phys_alloc(0x1000, 0x1000), 0);
	assert_int_equal(memblock_phys_alloc_try_nid(0x1000, 0x1000, 0), 0);
	assert_null(memblock_alloc_from(0x1000, 0x1000, 0x180000));
	assert_int_equal(RSV->cnt, 128);
	assert_int_equal(RSV->total_size, 128 * 0x100);
}

// ---- iterators ------------------------------------------------------------------

// Intent: the iterators walk memory, free memory (memory minus reserved, per
// region, by node) and reservations in both directions; NOMAP memory is left
// out unless asked for.
//   memory   [10000 14000) nid 0  [14000 18000) nid 1  [20000 21000) NOMAP nid 1
//   reserved      [11000 12000)       [15000 16000)
//   free     [10000 11000) [12000 14000) [14000 15000) [16000 18000)
static void test_iterators(void **state)
{
	static const phys_addr_t fr[][2] = {
		{ 0x10000, 0x11000 }, { 0x12000, 0x14000 }, { 0x14000, 0x15000 }, { 0x16000, 0x18000 },
	};
	static const int fnid[] = { 0, 0, 1, 1 };
	struct memblock_region *r;
	phys_addr_t s, e;
	unsigned long long i;       // what __next_mem_range takes (Linux's u64)
	int n, nid;

	assert_int_equal(memblock_add_node(0x10000, 0x4000, 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(0x14000, 0x4000, 1, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(0x20000, 0x1000, 1, MEMBLOCK_NOMAP), 0);
	assert_int_equal(memblock_reserve(0x11000, 0x1000), 0);
	assert_int_equal(memblock_reserve(0x15000, 0x1000), 0);

	n = 0;
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, &nid) {
		assert_true(n < 4);
		assert_int_equal(s, fr[n][0]);
		assert_int_equal(e, fr[n][1]);
		assert_int_equal(nid, fnid[n]);
		n++;
	}
	assert_int_equal(n, 4);
	for_each_free_mem_range_reverse(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL) {
		n--;
		assert_int_equal(s, fr[n][0]);
		assert_int_equal(e, fr[n][1]);
	}
	assert_int_equal(n, 0);
	for_each_free_mem_range(i, 1, MEMBLOCK_NONE, &s, &e, &nid) {
		assert_int_equal(nid, 1);
		n++;
	}
	assert_int_equal(n, 2);
	n = 0;
	for_each_free_mem_range(i, 1, MEMBLOCK_NOMAP, &s, NULL, NULL)
		n++;
	assert_int_equal(n, 3);                       // with the NOMAP region
	n = 0;
	for_each_mem_range(i, &s, &e)
		n++;
	assert_int_equal(n, 2);
	for_each_mem_range_rev(i, &s, &e) {
		assert_int_equal(s, 0x14000);
		assert_int_equal(e, 0x18000);
		break;
	}
	n = 0;
	for_each_reserved_mem_range(i, &s, &e)
		assert_int_equal(s, n++ ? 0x15000 : 0x11000);
	assert_int_equal(n, 2);
	n = 0;
	for_each_mem_region(r)
		n++;
	for_each_reserved_mem_region(r)
		n++;
	assert_int_equal(n, 5);
	unsigned long idx;
	for_each_memblock_type(idx, RSV, r)
		assert_int_equal(r->size, 0x1000);
	// MAX_NUMNODES as a filter means any node, with a warning.
	i = 0;
	__next_mem_range(&i, MAX_NUMNODES, MEMBLOCK_NONE, MEM, RSV, &s, &e, NULL);
	assert_int_equal(s, 0x10000);
	assert_true(host_warn_count > 0);
	// Nothing to walk on empty arrays.
	__memblock_reset();
	n = 0;
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)
		n++;
	for_each_free_mem_range_reverse(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)
		n++;
	assert_int_equal(n, 0);
}

// Intent: movable_node keeps iterators (and so allocations) off HOTPLUG
// memory unless HOTPLUG is asked for.
static void test_iterator_hotplug(void **state)
{
	phys_addr_t s;
	uint64_t i;
	int n = 0;

	assert_int_equal(memblock_add_node(0x10000, 0x1000, 0, MEMBLOCK_HOTPLUG), 0);
	movable_node_enabled = true;
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, NULL, NULL)
		n++;
	assert_int_equal(n, 0);
	for_each_mem_range(i, &s, NULL)
		n++;
	assert_int_equal(n, 1);
	assert_int_equal(memblock_phys_alloc(0x100, 0x100), 0);
	movable_node_enabled = false;
	assert_int_equal(memblock_phys_alloc(0x100, 0x100), 0x10f00);
}

// ---- handoff --------------------------------------------------------------------

static void expect_given(const uint64_t (*want)[2], int n)
{
	assert_int_equal(ngiven, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(given[i].pfn, want[i][0]);
		assert_int_equal(given[i].order, want[i][1]);
	}
}

// Intent (§3.8): pfns [3,1029) go as the largest naturally aligned blocks
// (order <= 10), exactly as Linux 6.1 does; memblock_free_all does the same
// through memblock_free_pages_hook.
static void test_handoff_chunks(void **state)
{
	static const uint64_t want[][2] = {
		{ 3, 0 }, { 4, 2 }, { 8, 3 }, { 16, 4 }, { 32, 5 }, { 64, 6 },
		{ 128, 7 }, { 256, 8 }, { 512, 9 }, { 1024, 2 }, { 1028, 0 },
	};
	struct early_stats st;

	assert_int_equal(memblock_add(0x3000, 0x402000), 0);
	max_low_pfn = 0x100000;
	ngiven = 0;
	assert_int_equal(early_handoff(record, NULL), 1026);
	expect_given(want, 11);
	early_get_stats(&st);
	assert_int_equal(st.handoff_pages, 1026);
	assert_int_equal(st.handoff_calls, 11);
	ngiven = 0;
	memblock_free_pages_hook = record;
	memblock_free_all();
	expect_given(want, 11);
}

// Intent (§5.20): partial pages stay behind, nothing at or above max_low_pfn
// is given (max_low_pfn 0: nothing at all), and pfn 0 counts as aligned to
// order 10.
static void test_handoff_rounding(void **state)
{
	static const uint64_t a[][2] = { { 3, 0 }, { 4, 1 } };
	static const uint64_t b[][2] = { { 3, 0 }, { 4, 0 } };
	static const uint64_t c[][2] = { { 0, 10 }, { 1024, 10 } };

	assert_int_equal(memblock_add(0x2800, 0x4000), 0);             // pfns 2.5 .. 6.5
	max_low_pfn = 100;
	ngiven = 0;
	assert_int_equal(early_handoff(record, NULL), 3);
	expect_given(a, 2);
	max_low_pfn = 5;
	ngiven = 0;
	assert_int_equal(early_handoff(record, NULL), 2);
	expect_given(b, 2);
	max_low_pfn = 0;
	ngiven = 0;
	assert_int_equal(early_handoff(record, NULL), 0);
	assert_int_equal(ngiven, 0);

	__memblock_reset();
	assert_int_equal(memblock_add(0, 8 * MB), 0);
	max_low_pfn = 1 << 20;
	ngiven = 0;
	assert_int_equal(early_handoff(record, NULL), 2048);
	expect_given(c, 2);
}

// Intent: the handoff gives exactly the free whole pages: never one touched
// by a reservation or an allocation, never NOMAP, HOTPLUG memory included.
//   [100000 ##100800-101800## .. #150000# .. 1e0000 NOMAP 1f0000 .. allocs .. 200000)
static void test_handoff_exact(void **state)
{
	static unsigned char bits[256];

	one_mib();
	assert_int_equal(memblock_reserve(0x100800, 0x1000), 0);
	assert_int_equal(memblock_reserve(0x150000, 1), 0);
	assert_int_equal(memblock_mark_nomap(0x1e0000, 0x10000), 0);
	assert_int_equal(memblock_mark_hotplug(0x120000, 0x8000), 0);
	assert_int_equal(memblock_phys_alloc(100, 8), 0x1fff98);
	assert_int_equal(memblock_phys_alloc(0x3000, 0x1000), 0x1fc000);
	max_low_pfn = 0x200;
	ngiven = 0;
	uint64_t n = early_handoff(record, NULL);
	given_bitmap(0x100, 256, bits);
	uint64_t want = 0;
	for (uint64_t p = 0x100; p < 0x200; p++) {
		assert_int_equal(bits[p - 0x100], page_free(p));
		want += page_free(p);
	}
	assert_int_equal(n, want);
	assert_int_equal(n, 256 - 2 - 1 - 16 - 1 - 3);
	assert_int_equal(MEM->cnt, 3);                                // hotplug cleared
	expect_rgn(MEM, 0, 0x100000, 0xe0000);
}

// Intent: memblock_free_all and memblock_free_late are caller bugs without a
// hook; free_late gives whole pages one at a time; memblock_discard gives the
// pages of a doubled array.
static void test_free_late_and_discard(void **state)
{
	static const uint64_t late[][2] = { { 2, 0 }, { 3, 0 } };

	expect_assert_failure(memblock_free_all());
	expect_assert_failure(memblock_free_late(0x1800, 0x3000));
	memblock_free_pages_hook = record;
	ngiven = 0;
	memblock_free_late(0x1800, 0x3000);
	expect_given(late, 2);

	one_mib();
	memblock_allow_resize();
	for (int i = 0; i < 129; i++)
		assert_int_equal(memblock_reserve(MB + i * 0x200, 0x100), 0);
	ngiven = 0;
	memblock_discard();
	assert_int_equal(ngiven, 2);
	assert_int_equal(given[0].pfn, 0x1fe);
	assert_int_equal(given[1].pfn, 0x1ff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_top_down),
		T(test_top_down_gaps),
		T(test_bottom_up),
		T(test_zero_size),
		T(test_bad_align),
		T(test_align_zero),
		T(test_current_limit),
		T(test_first_page),
		T(test_min_above_max),
		T(test_try_nid_order),
		T(test_exact_nid_and_raw),
		T(test_from_and_node),
		T(test_alloc_low),
		T(test_mirror),
		T(test_skip_nomap),
		T(test_alloc_array_full),
		T(test_iterators),
		T(test_iterator_hotplug),
		T(test_handoff_chunks),
		T(test_handoff_rounding),
		T(test_handoff_exact),
		T(test_free_late_and_discard),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
