// Host tests of mm/bootmem.c, before the handoff: bitmap sizing and
// placement, the rounding and hint rules of free/reserve, and every verified
// allocation consequence of the reference (docs §2.4, §5.19-20) with its
// exact addresses; the boundaries (a map exactly at its limits, empty and
// touching reservations, a bitmap that just fits, the top of the address
// space). The handoff and its project fixes, multi-node setups and
// the randomized model run are in test_bootmem_handoff.c; the helpers both
// use are in bootmem_fixtures.h. Physical memory is the host arena.
#include "bootmem_fixtures.h"
#include "early_fixtures.h"

// ---- sizing and init --------------------------------------------------------

// The bitmap is one bit per page, rounded up to whole 8-byte words; 32 GiB of
// 4 KiB pages needs 1 MiB, 256 pages (§2.2).
static void test_bootmap_size(void **state)
{
	assert_int_equal(bootmap_bytes(1), 8);
	assert_int_equal(bootmap_bytes(64), 8);
	assert_int_equal(bootmap_bytes(65), 16);
	assert_int_equal(bootmap_bytes(200), 32);
	assert_int_equal(bootmem_bootmap_pages(200), 1);
	assert_int_equal(bootmem_bootmap_pages((32ULL << 30) / PG), 256);
	assert_int_equal(bootmem_bootmap_pages(32768), 1);   // 4096 bytes * 8 bits
	assert_int_equal(bootmem_bootmap_pages(32769), 2);
}

// early_init puts the bitmap in the first whole pages that no reservation
// touches, and marks firmware, kernel and bitmap reserved:
//
//   0x80000000   0x80002000        0x80005800 0x80006000 0x80007000
//   | firmware   | kernel           |(tail)   | bitmap   | free ...
static void test_init_places_bitmap(void **state)
{
	map_clear();
	add_bank(0x80000000, 0x100000, 0);
	add_resv(0x80000000, 0x2000, MEMMAP_FIRMWARE);
	add_resv(0x80002000, 0x3800, MEMMAP_KERNEL);
	host_arena_init(0x80000000, 0x100000);
	assert_int_equal(early_init(&map), 0);

	const struct bootmem_data *bd = &bootmem_node_data[0];
	assert_int_equal(bd->node_min_pfn, 0x80000);
	assert_int_equal(bd->node_low_pfn, 0x80100);
	assert_int_equal(bd->map_pfn, 0x80006);
	for (uint64_t pfn = 0x80000; pfn <= 0x80006; pfn++)
		assert_true(page_reserved(pfn));
	for (uint64_t pfn = 0x80007; pfn < 0x80100; pfn++)
		assert_false(page_reserved(pfn));

	struct early_stats s = get_stats();
	assert_int_equal(s.meta_bytes, PG);
	assert_int_equal(s.meta_peak_bytes, PG);
	assert_int_equal(s.lost_pages, 0);
	assert_string_equal(early_allocator_name, "bootmem");
}

static phys_addr_t meta_base;
static uint64_t meta_size;
static int nmeta;

static void on_meta(phys_addr_t base, uint64_t size, void *arg)
{
	meta_base = base;
	meta_size = size;
	nmeta++;
}

// Before the handoff the bitmaps are metadata; after it they are free pages,
// nothing is left to report, and every entry point refuses politely.
static void test_retired_after_handoff(void **state)
{
	node_at_zero(16);
	nmeta = 0;
	early_for_each_meta(on_meta, NULL);
	assert_int_equal(nmeta, 1);
	assert_int_equal(meta_base, 0);
	assert_int_equal(meta_size, PG);

	assert_int_equal(early_handoff(record, NULL), 16);
	nmeta = 0;
	early_for_each_meta(on_meta, NULL);
	assert_int_equal(nmeta, 0);
	struct early_stats s = get_stats();
	assert_int_equal(s.meta_bytes, 0);
	assert_int_equal(s.meta_peak_bytes, PG);
	assert_int_equal(s.handoff_pages, 16);

	assert_int_equal(early_alloc(64, 64, 0), 0);
	assert_int_equal(early_reserve(0x1000, 0x1000), -EINVAL);
	assert_int_equal(early_free(0x1000, 0x1000), -EINVAL);
	assert_int_equal(early_handoff(record, NULL), 0);
}

// Bad maps: empty (-EINVAL), no room for a bitmap (-ENOMEM), nodes whose
// spans interleave (-EINVAL). A failed init leaves nothing behind, and a
// second init starts from scratch.
static void test_init_errors_and_reinit(void **state)
{
	map_clear();
	assert_int_equal(early_init(&map), -EINVAL);

	add_bank(0x80000000, 0x10000, 0);
	add_resv(0x80000000, 0x10000, MEMMAP_FIRMWARE);
	host_arena_init(0x80000000, 0x30000);
	assert_int_equal(early_init(&map), -ENOMEM);
	assert_null(bootmem_node_data[0].node_bootmem_map);

	map_clear();
	add_bank(0x80000000, 0x10000, 0);
	add_bank(0x80010000, 0x10000, 1);
	add_bank(0x80020000, 0x10000, 0);
	assert_int_equal(early_init(&map), -EINVAL);

	map_clear();
	add_bank(0x80000000, 0x30000, 0);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(early_alloc(100, 8, 0), 0x80001000);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(early_alloc(100, 8, 0), 0x80001000);
	assert_int_equal(get_stats().nallocs, 1);
}

// A node spans its banks with the hole between them reserved; an allocation
// never straddles the hole and the handoff never gives a hole page:
//
//   0x80000000        0x80010000         0x80020000        0x80030000
//   | bitmap | free   | hole (reserved)  | free            |
static void test_node_with_hole(void **state)
{
	map_clear();
	add_bank(0x80000000, 0x10000, 0);
	add_bank(0x80020000, 0x10000, 0);
	host_arena_init(0x80000000, 0x30000);
	assert_int_equal(early_init(&map), 0);
	for (uint64_t pfn = 0x80010; pfn < 0x80020; pfn++)
		assert_true(page_reserved(pfn));

	assert_int_equal(early_alloc(15 * PG, PG, 0), 0x80001000);
	assert_int_equal(early_alloc(2 * PG, PG, 0), 0x80020000);
	assert_int_equal(early_handoff(record, NULL), 14 + 1);
	for (int i = 0; i < ngives; i++)
		assert_true(gives[i].pfn < 0x80010 || gives[i].pfn >= 0x80020);
}

// ---- free and reserve (§2.3, §5.20) -----------------------------------------

// free rounds inward, reserve outward. A free that covers no whole page
// frees nothing but still lowers the hint to PFN_UP(addr) - node start:
//
//   pfn      0      1      2      3      4      5      6
//   before  [map ][ a    | a    | a    | a    | a    ][free
//   free(0x1800, 0x1000) covers half of 1 and half of 2: nothing freed
static void test_free_rounding_and_hint(void **state)
{
	node_at_zero(16);
	const struct bootmem_data *bd = &bootmem_node_data[0];
	assert_int_equal(early_alloc(5 * PG, PG, 0), 0x1000);
	assert_int_equal(bd->hint_idx, 6);

	assert_int_equal(free_bootmem(0x1800, 0x1000), 0);
	assert_true(page_reserved(1));
	assert_true(page_reserved(2));
	assert_int_equal(bd->hint_idx, 2);

	assert_int_equal(free_bootmem(0x5800, 0x100), 0);   // PFN_UP is 6 > 2
	assert_int_equal(bd->hint_idx, 2);

	assert_int_equal(reserve_bootmem(0x8800, 0x100, BOOTMEM_DEFAULT), 0);
	assert_false(page_reserved(7));
	assert_true(page_reserved(8));
	assert_false(page_reserved(9));

	assert_int_equal(free_bootmem(0x0fff, 0x2002), 0);  // whole pages 1 and 2
	assert_false(page_reserved(1));
	assert_false(page_reserved(2));
	assert_true(page_reserved(3));
	assert_int_equal(bd->hint_idx, 1);

	// Reserving over reserved pages without EXCLUSIVE is silently fine.
	assert_int_equal(reserve_bootmem(0x3000, 0x6000, BOOTMEM_DEFAULT), 0);
	assert_int_equal(reserve_bootmem(0x3000, 0, BOOTMEM_DEFAULT), 0);
	assert_false(page_reserved(9));
}

// §5.20 with its exact values: free_bootmem(0x1800, 0x1000) frees nothing
// (pages 1 and 2 are free already, so freeing either would be a double free
// and assert), and reserve_bootmem(0x2800, 0x100) reserves all of pfn 2.
static void test_reference_rounding(void **state)
{
	node_at_zero(16);
	assert_int_equal(free_bootmem(0x1800, 0x1000), 0);
	assert_int_equal(reserve_bootmem(0x2800, 0x100, BOOTMEM_DEFAULT), 0);
	assert_false(page_reserved(1));
	assert_true(page_reserved(2));
	assert_false(page_reserved(3));
}

// An exclusive reserve that meets a reserved page fails with -EBUSY (-16),
// clears what it had set, and lowers the hint to the start of its range.
static void test_exclusive_busy(void **state)
{
	node_at_zero(16);
	const struct bootmem_data *bd = &bootmem_node_data[0];
	assert_int_equal(reserve_bootmem(0x8000, PG, BOOTMEM_DEFAULT), 0);
	assert_int_equal(goal_alloc(PG, PG, 0xe000), 0xe000);
	assert_int_equal(bd->hint_idx, 15);

	assert_int_equal(reserve_bootmem(0x6000, 0x3000, BOOTMEM_EXCLUSIVE), -16);
	assert_int_equal(-EBUSY, -16);
	assert_false(page_reserved(6));
	assert_false(page_reserved(7));
	assert_true(page_reserved(8));
	assert_int_equal(bd->hint_idx, 6);

	assert_int_equal(reserve_bootmem(0x6000, 0x2000, BOOTMEM_EXCLUSIVE), 0);
	assert_true(page_reserved(6));
	assert_true(page_reserved(7));
}

// Freeing a page that is already free is a caller bug: MM_ASSERT fires (the
// message names the pfn). So does a second free of an allocation.
static void test_double_free(void **state)
{
	node_at_zero(16);
	expect_assert_failure(free_bootmem(0x3000, PG));

	phys_addr_t a = early_alloc(2 * PG, PG, 0);
	assert_int_equal(a, 0x1000);
	assert_int_equal(early_free(a, 2 * PG), 0);
	expect_assert_failure(early_free(a, 2 * PG));
}

// Ranges outside every node are refused with -EINVAL and change nothing.
static void test_outside_nodes(void **state)
{
	node_at_zero(16);
	assert_int_equal(reserve_bootmem(0xf000, 0x2000, BOOTMEM_DEFAULT), -EINVAL);
	assert_false(page_reserved(15));
	assert_int_equal(free_bootmem(0x20000, 0x1000), -EINVAL);
	assert_int_equal(early_reserve(~0ULL - 0xfff, 0x2000), -EINVAL);
}

// ---- boundaries -------------------------------------------------------------

// A map exactly at the limits, MEMMAP_MAX_BANKS banks and MEMMAP_MAX_RESV
// reservations, is taken whole; its last bank and last reservation count
// like the others. One more of either is -ENOMEM:
//
//   bank 0   0x80000000 | kernel page | bitmap | free ...
//   bank 1   0x80100000 | 318 reservations of 8 B in page 0 | free ...
//   banks 2-30, 1 MiB apart, 16 pages each (the holes between stay reserved)
//   bank 31  0x81f00000 | reservation 319, page 0 | free ...
static void test_map_at_capacity(void **state)
{
	map_clear();
	for (int b = 0; b < MEMMAP_MAX_BANKS; b++)
		add_bank(0x80000000 + (uint64_t)b * 0x100000, 16 * PG, 0);
	add_resv(0x80000000, PG, MEMMAP_KERNEL);
	while (map.nresv < MEMMAP_MAX_RESV - 1)
		add_resv(0x80100000 + (uint64_t)(map.nresv - 1) * 8, 8, MEMMAP_MEMRESERVE);
	add_resv(0x81f00000, PG, MEMMAP_RESERVED_MEMORY);
	host_arena_init(0x80000000, 0x20000);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(bootmem_node_data[0].map_pfn, 0x80001);
	assert_true(page_reserved(0x80100));
	assert_false(page_reserved(0x80101));
	assert_true(page_reserved(0x800ff));          // a hole
	assert_true(page_reserved(0x81f00));
	assert_false(page_reserved(0x81f0f));

	assert_map_limits(&map);
}

// Empty reservations (size 0) reserve nothing and do not push the bitmap
// off the first page, even inside a page; touching reservations reserve
// exactly their own pages:
//
//   page 0                        3              5              16       17       18
//   [bitmap; empty resv at +0x800][empty at +0x800][empty, later][resv A][resv B][free
static void test_zero_size_and_touching(void **state)
{
	map_clear();
	add_bank(0, 64 * PG, 0);
	add_resv(0x800, 0, MEMMAP_MEMRESERVE);
	add_resv(0x3800, 0, MEMMAP_RESERVED_MEMORY);
	add_resv(0x10000, PG, MEMMAP_RESERVED_MEMORY);
	add_resv(0x11000, PG, MEMMAP_RESERVED_MEMORY);
	host_arena_init(0, 64 * PG);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(bootmem_node_data[0].map_pfn, 0);
	assert_false(page_reserved(1));
	assert_false(page_reserved(3));
	assert_int_equal(early_reserve(0x5800, 0), 0);
	assert_false(page_reserved(5));
	assert_false(page_reserved(15));
	assert_true(page_reserved(16));
	assert_true(page_reserved(17));
	assert_false(page_reserved(18));
}

// The bitmap may end exactly at its bank's end: with every page but the
// last reserved, it goes in the last page.
//
//   0x80000000                        0x8000f000  0x80010000
//   | 15 pages reserved (kernel)       | bitmap   | end of bank
static void test_bitmap_at_bank_end(void **state)
{
	map_clear();
	add_bank(0x80000000, 16 * PG, 0);
	add_resv(0x80000000, 15 * PG, MEMMAP_KERNEL);
	host_arena_init(0x80000000, 16 * PG);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(bootmem_node_data[0].map_pfn, 0x8000f);
	assert_int_equal(early_alloc(8, 8, 0), 0);   // nothing is free
}

// At the top of the address space, rounding a range's end up to a page
// would wrap to 0: such a reserve is refused with -EINVAL rather than taken
// for an empty range.
static void test_top_of_address_space(void **state)
{
	node_at_zero(16);
	assert_int_equal(reserve_bootmem(0xfffffffffffff800ULL, 0x100, BOOTMEM_DEFAULT), -EINVAL);
	assert_int_equal(reserve_bootmem(0xfffffffffffff000ULL, 0xfff, BOOTMEM_EXCLUSIVE), -EINVAL);
	assert_int_equal(early_reserve(0xffffffffffffe001ULL, 0x1000), -EINVAL);
	assert_int_equal(free_bootmem(0xfffffffffffff800ULL, 0x100), -EINVAL);
}

// ---- allocation (§2.4, §5.19) -----------------------------------------------

// Packing: with page 0 reserved, 100, 200 and 5000 bytes at alignment 8 land
// at 0x1000, 0x1068 (merged) and 0x1130 (merged), and only page 2 is newly
// reserved by the third:
//
//   0x1000     0x1068     0x1130             0x2000        0x24b8   0x3000
//   | 100 B    | 200 B    | 5000 B ...       |  ... 5000 B  |  free
//   <------- page 1 ---------------------->  <--- page 2 ------------>
static void test_packing(void **state)
{
	node_at_zero(64);
	const struct bootmem_data *bd = &bootmem_node_data[0];
	assert_int_equal(early_alloc(100, 8, 0), 0x1000);
	assert_int_equal(get_stats().bytes_consumed, PG);
	assert_int_equal(early_alloc(200, 8, 0), 0x1068);
	assert_int_equal(get_stats().bytes_consumed, PG);
	assert_int_equal(early_alloc(5000, 8, 0), 0x1130);
	assert_true(page_reserved(2));
	assert_false(page_reserved(3));
	assert_int_equal(bd->last_end_off, 0x24b8);
	assert_int_equal(bd->hint_idx, 3);

	struct early_stats s = get_stats();
	assert_int_equal(s.nallocs, 3);
	assert_int_equal(s.bytes_requested, 5300);
	assert_int_equal(s.bytes_consumed, 2 * PG);
	assert_int_equal(s.merges, 2);
}

// §5.19: with last_end_off = 0x24b8, alloc(16, 4096) aligns to 0x3000 (no
// merge: a fresh page) and last_end_off becomes 0x3010; alloc(16, 8) then
// merges at 0x3010. Alignment 0 means 64.
static void test_alignment_forces_fresh_page(void **state)
{
	node_at_zero(64);
	const struct bootmem_data *bd = &bootmem_node_data[0];
	early_alloc(100, 8, 0);
	early_alloc(200, 8, 0);
	early_alloc(5000, 8, 0);
	assert_int_equal(bd->last_end_off, 0x24b8);

	assert_int_equal(early_alloc(16, 4096, 0), 0x3000);
	assert_int_equal(bd->last_end_off, 0x3010);
	assert_int_equal(get_stats().merges, 2);
	assert_int_equal(early_alloc(16, 8, 0), 0x3010);
	assert_int_equal(get_stats().merges, 3);
	assert_int_equal(early_alloc(1, 0, 0), 0x3040);
	assert_int_equal(early_alloc(1, 0, 0), 0x3080);

	// Bad requests fail without side effects.
	assert_int_equal(early_alloc(0, 8, 0), 0);
	assert_int_equal(early_alloc(16, 24, 0), 0);
	assert_int_equal(get_stats().nallocs, 7);
}

// Merging targets only the page just before the first-fit candidate. With
// page 4 reserved, the candidate is page 5, so the tail of page 3 is wasted:
//
//   page 3           page 4       page 5
//   [ used | tail ]  [ reserved ] [ new 16 B ...
static void test_merge_only_page_before(void **state)
{
	node_at_zero(64);
	assert_int_equal(early_alloc(16, 4096, 0), 0x1000);
	assert_int_equal(early_alloc(16, 4096, 0), 0x2000);
	assert_int_equal(early_alloc(16, 4096, 0), 0x3000);
	assert_int_equal(early_reserve(0x4000, PG), 0);
	assert_int_equal(early_alloc(16, 8, 0), 0x5000);
	assert_int_equal(get_stats().merges, 0);
	assert_int_equal(early_alloc(16, 8, 0), 0x5010);
	assert_int_equal(get_stats().merges, 1);
}

// A merge still needs PFN_UP(size) free pages at the candidate: on a full
// node with 100 bytes left in the last page, a 50-byte request fails.
//
//   page 0     pages 1..3
//   [ map ]    [ 12188 bytes ............................ | 100 B ]
static void test_merge_needs_free_pages(void **state)
{
	node_at_zero(4);
	assert_int_equal(early_alloc(3 * PG - 100, 8, 0), 0x1000);
	assert_int_equal(bootmem_node_data[0].last_end_off, 0x3f9c);
	assert_int_equal(early_alloc(50, 8, 0), 0);
	assert_int_equal(early_alloc(50, 8, EARLY_NO_NODE), 0);
	assert_null(alloc_bootmem_nopanic(50));
	assert_int_equal(get_stats().nallocs, 1);
}

// Hint first, then the low fallback: after a goal allocation at pfn 8 a
// plain allocation gets pfn 9, not 1; pfn 1 is used only once nothing is
// free from the hint upward.
static void test_hint_then_fallback(void **state)
{
	node_at_zero(16);
	assert_int_equal(goal_alloc(PG, PG, 0x8000), 0x8000);
	assert_int_equal(early_alloc(PG, PG, 0), 0x9000);
	for (uint64_t pfn = 10; pfn < 16; pfn++)
		assert_int_equal(early_alloc(PG, PG, 0), pfn * PG);
	assert_int_equal(early_alloc(PG, PG, 0), 0x1000);
	assert_int_equal(early_alloc(PG, PG, 0), 0x2000);
}

// The goal is a wish: above all memory, or with nothing free above it, the
// wrappers retry from 0.
static void test_goal_dropped(void **state)
{
	node_at_zero(16);
	assert_int_equal(goal_alloc(64, 64, 0x100000), 0x1000);
	for (uint64_t pfn = 8; pfn < 16; pfn++)
		assert_int_equal(goal_alloc(PG, PG, pfn * PG), pfn * PG);
	assert_int_equal(goal_alloc(PG, PG, 0x8000), 0x2000);
	void *p = __alloc_bootmem_node_nopanic(0, PG, PG, 0x9000);
	assert_non_null(p);
	assert_int_equal(mm_virt_to_phys(p), 0x3000);
}

// Alignment is of the absolute pfn: in a node starting at pfn 3, an 8-page
// alignment picks pfn 8, not index 8 (pfn 11).
static void test_absolute_alignment(void **state)
{
	map_clear();
	add_bank(0x3000, 29 * PG, 0);
	host_arena_init(0, 32 * PG);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(bootmem_node_data[0].map_pfn, 3);
	assert_int_equal(early_alloc(PG, 8 * PG, 0), 0x8000);
	assert_int_equal(early_alloc(PG, 8 * PG, 0), 0x10000);
	assert_int_equal(early_alloc(PG, PG, 0), 0x11000);
}

// Linux's wrappers zero; early_alloc does not (the kernel wrapper does).
static void test_zeroing(void **state)
{
	node_at_zero(16);
	memset(host_arena + PG, 0xa5, 15 * PG);
	unsigned char *p = alloc_bootmem_nopanic(200);
	assert_non_null(p);
	assert_int_equal(mm_virt_to_phys(p), 0x1000);
	for (int i = 0; i < 200; i++)
		assert_int_equal(p[i], 0);
	phys_addr_t a = early_alloc(100, 8, 0);
	assert_int_equal(a, 0x10c8);   // merged after 200 bytes at 0x1000, align 8
	assert_int_equal(host_arena[a], 0xa5);
	unsigned char *q = alloc_bootmem_pages_nopanic(PG);
	assert_int_equal(mm_virt_to_phys(q), 0x2000);
	assert_int_equal(q[0], 0);
	assert_int_equal(q[PG - 1], 0);
	q = alloc_bootmem_low_pages_nopanic(PG);
	assert_int_equal(mm_virt_to_phys(q), 0x3000);
	q = alloc_bootmem_node_nopanic(0, 10);
	assert_int_equal(mm_virt_to_phys(q), 0x3000 + PG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bootmap_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_places_bitmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retired_after_handoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_errors_and_reinit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_node_with_hole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_rounding_and_hint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reference_rounding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exclusive_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_double_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_at_capacity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_size_and_touching, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bitmap_at_bank_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_top_of_address_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_packing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alignment_forces_fresh_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_only_page_before, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_needs_free_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hint_then_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_goal_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zeroing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
