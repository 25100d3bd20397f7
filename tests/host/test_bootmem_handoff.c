// Host tests of mm/bootmem.c, from the handoff on: the reference's handoff
// example (docs §2.5) and the two project fixes (unaligned nodes handed off
// whole, no merge into a freed page), a last word handed off whole,
// multi-node setups (no block across a node boundary, a goal exactly at
// one), and a randomized run checked against a page-ownership model, then
// its handoff page by page.
// Sizing, init, free/reserve and allocation are in test_bootmem.c; the
// helpers both use are in bootmem_fixtures.h. Physical memory is the host
// arena.
#include "bootmem_fixtures.h"

// ---- handoff (§2.5) ---------------------------------------------------------

// §2.5: 200 pfns with 0 and 70 reserved give 1..69 and 71..127 singly, 128 as
// an order-6 block, 192..199 singly: 198 pages. Here pfn 70 is the bitmap,
// so it comes last, by its own pfn (Linux passed node_min_pfn+0 = 0, a
// reserved page): 199 pages in all.
static void test_handoff_reference_example(void **state)
{
	host_arena_init(0, 200 * PG);
	assert_int_equal(init_bootmem_node(0, 70, 0, 200), 32);
	assert_int_equal(free_bootmem(0, 200 * PG), 0);
	assert_int_equal(reserve_bootmem(0, PG, BOOTMEM_DEFAULT), 0);
	assert_int_equal(reserve_bootmem(70 * PG, PG, BOOTMEM_DEFAULT), 0);

	assert_int_equal(early_handoff(record, NULL), 199);
	int k = 0;
	for (uint64_t pfn = 1; pfn < 128; pfn++) {
		if (pfn == 70)
			continue;
		assert_int_equal(gives[k].pfn, pfn);
		assert_int_equal(gives[k++].order, 0);
	}
	assert_int_equal(gives[k].pfn, 128);
	assert_int_equal(gives[k++].order, 6);
	for (uint64_t pfn = 192; pfn < 200; pfn++) {
		assert_int_equal(gives[k].pfn, pfn);
		assert_int_equal(gives[k++].order, 0);
	}
	uint64_t walked = 0;
	for (int i = 0; i < k; i++)
		walked += 1ULL << gives[i].order;
	assert_int_equal(walked, 198);
	assert_int_equal(gives[k].pfn, 70);
	assert_int_equal(gives[k++].order, 0);
	assert_int_equal(ngives, k);
	struct early_stats s = get_stats();
	assert_int_equal(s.handoff_pages, 199);
	assert_int_equal(s.handoff_calls, (uint64_t)k);
	assert_null(bootmem_node_data[0].node_bootmem_map);
}

// The fixed pitfall: a node at pfns [1, 100) hands off all 99 pages (Linux
// 4.x gave 64). The bitmap is pfn 1, given last.
static void test_handoff_unaligned_small(void **state)
{
	map_clear();
	add_bank(0x1000, 99 * PG, 0);
	host_arena_init(0, 100 * PG);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(early_handoff(record, NULL), 99);
	assert_int_equal(ngives, 99);
	for (int i = 0; i < 98; i++) {
		assert_int_equal(gives[i].pfn, 2 + (uint64_t)i);
		assert_int_equal(gives[i].order, 0);
	}
	assert_int_equal(gives[98].pfn, 1);
}

// A larger unaligned node, [1, 300): order-6 blocks only at absolute
// 64-aligned pfns (64, 128, 192), singles around them, nothing lost.
//
//   1 map | 2..63 singly | 64 o6 | 128 o6 | 192 o6 | 256..299 singly
static void test_handoff_unaligned_large(void **state)
{
	map_clear();
	add_bank(0x1000, 299 * PG, 0);
	host_arena_init(0, 300 * PG);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(early_handoff(record, NULL), 299);
	int k = 0;
	for (uint64_t pfn = 2; pfn < 64; pfn++) {
		assert_int_equal(gives[k].pfn, pfn);
		assert_int_equal(gives[k++].order, 0);
	}
	for (uint64_t pfn = 64; pfn < 256; pfn += 64) {
		assert_int_equal(gives[k].pfn, pfn);
		assert_int_equal(gives[k++].order, 6);
	}
	for (uint64_t pfn = 256; pfn < 300; pfn++) {
		assert_int_equal(gives[k].pfn, pfn);
		assert_int_equal(gives[k++].order, 0);
	}
	assert_int_equal(gives[k].pfn, 1);
	assert_int_equal(ngives, k + 1);
}

// The fixed hazard: after alloc(100) at 0x1000, freeing page 1 in whole
// pages resets the merge state, so a goal allocation at page 2 gets a page
// of its own instead of "merging" at 0x1068 into the free page 1:
//
//   page 1                       page 2
//   [ 100 B | ... ] --free-->    [ goal allocation ]
//   (Linux: returned 0x1068 inside free page 1 and reserved nothing)
static void test_merge_into_freed_page_fixed(void **state)
{
	node_at_zero(16);
	assert_int_equal(early_alloc(100, 8, 0), 0x1000);
	assert_int_equal(early_free(0x1000, PG), 0);
	assert_int_equal(bootmem_node_data[0].last_end_off, 0);
	assert_int_equal(goal_alloc(16, 8, 0x2000), 0x2000);
	assert_true(page_reserved(2));
	assert_false(page_reserved(1));
	assert_int_equal(get_stats().merges, 0);

	assert_int_equal(early_handoff(record, NULL), 15);
	bool gave1 = false;
	for (int i = 0; i < ngives; i++)
		gave1 |= gives[i].pfn == 1;
	assert_true(gave1);
}

// A last bitmap word of exactly 64 free pages at a 64-aligned pfn is one
// order-6 block: 128 pages, the bitmap at page 0, give 1..63 singly, 64 as
// order 6, and the bitmap last.
static void test_handoff_whole_last_word(void **state)
{
	node_at_zero(128);
	assert_int_equal(early_handoff(record, NULL), 128);
	assert_int_equal(ngives, 65);
	for (int i = 0; i < 63; i++) {
		assert_int_equal(gives[i].pfn, (uint64_t)i + 1);
		assert_int_equal(gives[i].order, 0);
	}
	assert_int_equal(gives[63].pfn, 64);
	assert_int_equal(gives[63].order, 6);
	assert_int_equal(gives[64].pfn, 0);
}

// ---- nodes ------------------------------------------------------------------

// Two adjacent nodes of 64 pages, each with its bitmap at its first page.
// Allocations try their node, then all nodes from the lowest; a node that
// does not exist means "any"; reserve and free cross the node boundary and
// a failed exclusive reserve undoes the part done in the lower node.
//
//   0x80000000 node 0           0x80040000 node 1           0x80080000
//   | map | ...             | | map | ...                 |
static void test_multinode(void **state)
{
	map_clear();
	add_bank(0x80000000, 0x40000, 0);
	add_bank(0x80040000, 0x40000, 1);
	host_arena_init(0x80000000, 0x80000);
	assert_int_equal(early_init(&map), 0);
	assert_ptr_equal(bootmem_node_data[0].next, &bootmem_node_data[1]);
	assert_int_equal(bootmem_node_data[1].map_pfn, 0x80040);
	assert_int_equal(get_stats().meta_bytes, 2 * PG);

	assert_int_equal(early_alloc(PG, PG, 1), 0x80041000);
	assert_int_equal(early_alloc(PG, PG, EARLY_NO_NODE), 0x80001000);
	for (int i = 0; i < 62; i++)
		assert_int_equal(early_alloc(PG, PG, 1), 0x80042000 + (uint64_t)i * PG);
	assert_int_equal(early_alloc(PG, PG, 1), 0x80002000);   // node 1 full
	assert_int_equal(early_alloc(PG, PG, 5), 0x80003000);   // no node 5

	assert_int_equal(reserve_bootmem(0x8003f000, 0x2000, BOOTMEM_DEFAULT), 0);
	assert_true(page_reserved(0x8003f));
	assert_int_equal(free_bootmem(0x8003f000, 0x2000), 0);   // frees node 1's map page too
	assert_false(page_reserved(0x80040));
	assert_int_equal(reserve_bootmem(0x80040000, PG, BOOTMEM_DEFAULT), 0);

	assert_int_equal(reserve_bootmem(0x8003e000, 0x3000, BOOTMEM_EXCLUSIVE), -EBUSY);
	assert_false(page_reserved(0x8003e));
	assert_false(page_reserved(0x8003f));
	assert_true(page_reserved(0x80040));

	uint64_t nfree = 0;
	for (uint64_t pfn = 0x80000; pfn < 0x80080; pfn++)
		nfree += !page_reserved(pfn);
	assert_int_equal(early_handoff(record, NULL), nfree + 2);
	assert_int_equal(get_stats().handoff_calls, (uint64_t)ngives);
}

// Nodes are listed by address, not by nid: with node 1 below node 0, "any
// node" starts in node 1.
static void test_node_order(void **state)
{
	map_clear();
	add_bank(0x80000000, 0x40000, 1);
	add_bank(0x80040000, 0x40000, 0);
	host_arena_init(0x80000000, 0x80000);
	assert_int_equal(early_init(&map), 0);
	assert_ptr_equal(bootmem_node_data[1].next, &bootmem_node_data[0]);
	assert_int_equal(early_alloc(64, 64, EARLY_NO_NODE), 0x80001000);
	assert_int_equal(early_alloc(64, 64, 0), 0x80041000);
}

// Two free pages side by side, but in two nodes, are not a two-page block:
// an allocation never runs past its node's end into the next node.
//
//   node 0 0x80000000                          node 1 0x80040000
//   | map | 62 pages reserved | free page 0x3f | freed page | map | 62 reserved |
static void test_no_block_across_nodes(void **state)
{
	map_clear();
	add_bank(0x80000000, 0x40000, 0);
	add_bank(0x80040000, 0x40000, 1);
	add_resv(0x80001000, 62 * PG, MEMMAP_KERNEL);
	add_resv(0x80040000, PG, MEMMAP_INITRD);
	add_resv(0x80042000, 62 * PG, MEMMAP_RESERVED_MEMORY);
	host_arena_init(0x80000000, 0x80000);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(bootmem_node_data[1].map_pfn, 0x80041);
	assert_int_equal(early_free(0x80040000, PG), 0);

	assert_int_equal(early_alloc(2 * PG, PG, EARLY_NO_NODE), 0);
	assert_int_equal(early_alloc(2 * PG, PG, 0), 0);
	assert_int_equal(early_alloc(2 * PG, 8, 1), 0);
	assert_int_equal(early_alloc(PG, PG, 1), 0x80040000);
	assert_int_equal(early_alloc(PG, PG, 0), 0x8003f000);
}

// A goal exactly at a node boundary belongs to the node above: the node
// that ends there is skipped.
//
//   0x80000000 node 0 | map | free ... | 0x80040000 node 1 | map | goal lands here
static void test_goal_at_node_boundary(void **state)
{
	map_clear();
	add_bank(0x80000000, 0x40000, 0);
	add_bank(0x80040000, 0x40000, 1);
	host_arena_init(0x80000000, 0x80000);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(goal_alloc(PG, PG, 0x80040000), 0x80041000);
	assert_int_equal(goal_alloc(PG, PG, 0x8003f000), 0x8003f000);
}

// ---- randomized -------------------------------------------------------------
// ---- randomized -------------------------------------------------------------

// A model of who owns each page, checked against the bitmap throughout a
// long random run of allocations (all variants), frees and reservations,
// then against the handoff. Layout (pages from 0x80000000):
//
//   node 0: 0..255 (fw 0..31, kernel 32..101, map 102), hole 256..383,
//           384..511 (dtb 400..401)
//   gap:    512..514 (no node)
//   node 1: 515..766 + half of 767 (map 515, initrd 592..607)
#define R_BASE  0x80000000ULL
#define R_PAGES 768
enum { M_FREE, M_RESV, M_ALLOC };
static uint8_t owner[R_PAGES];
static struct { phys_addr_t a; uint64_t size; } live[4096];
static int nlive;
static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool in_node(uint64_t i)
{
	return i < 512 || (i >= 515 && i < R_PAGES);
}

static void check_bitmap(void)
{
	for (uint64_t i = 0; i < R_PAGES; i++)
		if (in_node(i) && page_reserved(0x80000 + i) != (owner[i] != M_FREE))
			fail_msg("pfn 0x%lx: bitmap %d, model %d", 0x80000 + i,
				 page_reserved(0x80000 + i), owner[i]);
}

// With no goal, a failure must mean no aligned run of free pages anywhere.
static void check_no_fit(uint64_t size, uint64_t align)
{
	uint64_t npages = (size + PG - 1) / PG, step = align / PG ? align / PG : 1;
	for (uint64_t i = 0; i + npages <= R_PAGES; i++) {
		if ((0x80000 + i) % step)
			continue;
		uint64_t j = 0;
		while (j < npages && owner[i + j] == M_FREE)
			j++;
		if (j == npages)
			fail_msg("alloc of %lu (align %lu) failed, pfn 0x%lx fits", size, align, 0x80000 + i);
	}
}

// Does a live allocation touch page i?
static bool page_shared(uint64_t i)
{
	for (int k = 0; k < nlive; k++)
		if (live[k].a < R_BASE + (i + 1) * PG && live[k].a + live[k].size > R_BASE + i * PG)
			return true;
	return false;
}

static void model_alloc(phys_addr_t a, uint64_t size, uint64_t align, uint64_t *consumed)
{
	assert_true(a >= R_BASE && a + size <= R_BASE + R_PAGES * PG);
	assert_int_equal(a % align, 0);
	for (int k = 0; k < nlive; k++)
		assert_true(a + size <= live[k].a || live[k].a + live[k].size <= a);
	uint64_t first = (a - R_BASE) / PG, last = (a + size - R_BASE + PG - 1) / PG;
	for (uint64_t i = first; i < last; i++) {
		if (owner[i] == M_FREE)
			*consumed += PG;
		else   // only a merge may reuse a page, and only an allocation's
			assert_true(i == first && owner[i] == M_ALLOC);
		owner[i] = M_ALLOC;
	}
	live[nlive].a = a;
	live[nlive++].size = size;
}

// Exactly the reserve's outcome: -EINVAL outside nodes, -EBUSY for an
// exclusive one over a taken page, else the free pages become reserved.
static void random_reserve(bool exclusive)
{
	uint64_t base = R_BASE + rnd() % (R_PAGES * PG), size = 1 + rnd() % (3 * PG);
	if (base + size > R_BASE + R_PAGES * PG)
		size = R_BASE + R_PAGES * PG - base;
	uint64_t first = (base - R_BASE) / PG, last = (base + size - R_BASE + PG - 1) / PG;
	int want = 0;
	for (uint64_t i = first; i < last; i++)
		if (!in_node(i))
			want = -EINVAL;
	for (uint64_t i = first; i < last && !want && exclusive; i++)
		if (owner[i] != M_FREE)
			want = -EBUSY;
	assert_int_equal(reserve_bootmem(base, size, exclusive ? BOOTMEM_EXCLUSIVE : 0), want);
	for (uint64_t i = first; i < last && !want; i++)
		if (owner[i] == M_FREE)
			owner[i] = M_RESV;
}

// Intent: see the block comment above R_BASE (a random run checked against
// the page-ownership model, then the handoff checked page by page).
static void test_randomized(void **state)
{
	static const uint64_t aligns[] = { 0, 8, 16, 64, 4096, 16384 };
	map_clear();
	add_bank(0x80000000, 0x100000, 0);
	add_bank(0x80180000, 0x80000, 0);
	add_bank(0x80203000, 0xfc800, 1);
	add_resv(0x80000000, 0x20000, MEMMAP_FIRMWARE);
	add_resv(0x80020000, 0x45678, MEMMAP_KERNEL);
	add_resv(0x80190100, 0x1f00, MEMMAP_DTB);
	add_resv(0x80250000, 0x10000, MEMMAP_INITRD);
	host_arena_init(R_BASE, R_PAGES * PG);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(bootmem_node_data[0].map_pfn, 0x80066);
	assert_int_equal(bootmem_node_data[1].map_pfn, 0x80203);

	memset(owner, M_RESV, sizeof(owner));
	for (int b = 0; b < map.nbanks; b++)
		for (uint64_t i = (map.bank[b].base - R_BASE + PG - 1) / PG;
		     i < (map.bank[b].base + map.bank[b].size - R_BASE) / PG; i++)
			owner[i] = M_FREE;
	for (int r = 0; r < map.nresv; r++)
		for (uint64_t i = (map.resv[r].base - R_BASE) / PG;
		     i < (map.resv[r].base + map.resv[r].size - R_BASE + PG - 1) / PG; i++)
			owner[i] = M_RESV;
	owner[0x66] = owner[0x203] = M_RESV;
	check_bitmap();

	uint64_t nallocs = 0, requested = 0, consumed = 0, hazards = 0;
	nlive = 0;
	for (int op = 0; op < 6000; op++) {
		uint64_t r = rnd() % 1000;
		if (r < 500) {
			uint64_t k = rnd() % 10;
			uint64_t size = k < 7 ? 1 + rnd() % 512 : k < 9 ? 1 + rnd() % (3 * PG) : 1 + rnd() % (20 * PG);
			uint64_t align = aligns[rnd() % 6];
			int nid = (int)(rnd() % 4) - 1;   // -1, 0, 1, 2 (2 has no memory)
			phys_addr_t a;
			bool goal = rnd() % 5 == 0;
			if (goal) {
				align = align ? align : 64;
				uint64_t g = R_BASE + rnd() % (R_PAGES * PG);
				if (rnd() % 2) {   // the page after the last allocation's tail
					const struct bootmem_data *bd = &bootmem_node_data[rnd() % 2];
					g = (bd->node_min_pfn + bd->last_end_off / PG + 1) * PG;
				}
				void *p = nid >= 0 ? __alloc_bootmem_node_nopanic(nid, size, align, g)
						   : __alloc_bootmem_nopanic(size, align, g);
				a = p ? mm_virt_to_phys(p) : 0;
			} else {
				a = early_alloc(size, align, nid);
				align = align ? align : 64;
			}
			if (!a) {
				check_no_fit(size, align);
				continue;
			}
			model_alloc(a, size, align, &consumed);
			nallocs++;
			requested += size;
		} else if (r < 990) {
			if (!nlive)
				continue;
			int k = (int)(rnd() % (uint64_t)nlive);
			phys_addr_t a = live[k].a;
			uint64_t size = live[k].size;
			live[k] = live[--nlive];
			if (r < 600) {
				// As allocated: only the whole pages inside go back.
				assert_int_equal(free_bootmem(a, size), 0);
				for (uint64_t i = (a - R_BASE + PG - 1) / PG; i < (a + size - R_BASE) / PG; i++)
					owner[i] = M_FREE;
			} else {
				// Every page no live allocation still uses, which may be
				// the page the next allocation would merge into.
				uint64_t first = (a - R_BASE) / PG, last = (a + size - R_BASE + PG - 1) / PG;
				if (page_shared(first))
					first++;
				if (last > first && page_shared(last - 1))
					last--;
				for (int n = 0; n < 2; n++) {
					const struct bootmem_data *bd = &bootmem_node_data[n];
					uint64_t tail = bd->node_min_pfn + bd->last_end_off / PG - 0x80000;
					hazards += bd->last_end_off % PG && tail >= first && tail < last;
				}
				if (last > first)
					assert_int_equal(early_free(R_BASE + first * PG, (last - first) * PG), 0);
				for (uint64_t i = first; i < last; i++)
					owner[i] = M_FREE;
			}
		} else if (r < 995) {
			random_reserve(false);
		} else {
			random_reserve(true);
		}
		if (op % 100 == 0)
			check_bitmap();
	}
	check_bitmap();

	struct early_stats s = get_stats();
	assert_int_equal(s.nallocs, nallocs);
	assert_int_equal(s.bytes_requested, requested);
	assert_int_equal(s.bytes_consumed, consumed);
	assert_true(nallocs > 2000);
	assert_true(s.merges > 100);
	assert_true(hazards > 10);   // the merge-into-freed-page fix was exercised

	// The handoff: every free page and the two bitmap pages, once each.
	static int given[R_PAGES];
	memset(given, 0, sizeof(given));
	uint64_t n = early_handoff(record, NULL);
	for (int g = 0; g < ngives; g++) {
		uint64_t pfn = gives[g].pfn;
		assert_true(gives[g].order == 0 || (gives[g].order == 6 && pfn % 64 == 0));
		for (uint64_t i = 0; i < (1ULL << gives[g].order); i++) {
			assert_true(pfn + i >= 0x80000 && pfn + i < 0x80000 + R_PAGES);
			given[pfn + i - 0x80000]++;
		}
	}
	uint64_t want = 0;
	for (int i = 0; i < R_PAGES; i++) {
		bool free = owner[i] == M_FREE || i == 0x66 || i == 0x203;
		want += free;
		if (given[i] != (free ? 1 : 0))
			fail_msg("pfn 0x%x given %d times, model owner %d", 0x80000 + i, given[i], owner[i]);
	}
	assert_int_equal(n, want);
	assert_int_equal(get_stats().handoff_calls, (uint64_t)ngives);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handoff_reference_example, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handoff_unaligned_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handoff_unaligned_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handoff_whole_last_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_into_freed_page_fixed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multinode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_node_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_block_across_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_goal_at_node_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_randomized, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
