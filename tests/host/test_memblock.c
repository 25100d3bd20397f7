// Host tests of memblock's region arrays (mm/memblock.c): adding, reserving,
// removing and freeing with merging and isolation, flags and nodes, full
// arrays with and without doubling, the queries, trimming and memory limits.
// Allocation, the iterators and the handoff are in test_memblock_alloc.c; the
// early.h contract and the randomized run in test_memblock_early.c. §n refers
// to the edge cases in section 5 of the behavioural reference, early-allocators.md.
#include "memblock_fixtures.h"


// The invariant every public call must leave: sorted, no overlap, touching
// neighbours only when nid or flags differ, total_size the sum, and the
// dummy entry alone when empty.
static void check_type(const struct memblock_type *t)
{
	phys_addr_t sum = 0;

	assert_true(t->cnt >= 1 && t->cnt <= t->max);
	if (t->regions[0].size == 0) {
		assert_int_equal(t->cnt, 1);
		assert_int_equal(t->total_size, 0);
		return;
	}
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		assert_true(r->size > 0);
		sum += r->size;
		if (i == 0)
			continue;
		const struct memblock_region *p = r - 1;
		assert_true(p->base + p->size <= r->base);
		if (p->base + p->size == r->base)
			assert_true(p->nid != r->nid || p->flags != r->flags);
	}
	assert_int_equal(sum, t->total_size);
}

static void check_all(void)
{
	check_type(MEM);
	check_type(RSV);
}

// A copy of both arrays, to show that a failed call changed nothing.
struct snap {
	struct memblock_type mem, rsv;
	struct memblock_region m[512], r[512];
};

static void take(struct snap *s)
{
	s->mem = memblock.memory;
	s->rsv = memblock.reserved;
	memcpy(s->m, MEM->regions, MEM->cnt * sizeof(s->m[0]));
	memcpy(s->r, RSV->regions, RSV->cnt * sizeof(s->r[0]));
}

static void same_as(const struct snap *s)
{
	assert_memory_equal(&s->mem, MEM, sizeof(s->mem));
	assert_memory_equal(&s->rsv, RSV, sizeof(s->rsv));
	assert_memory_equal(s->m, MEM->regions, MEM->cnt * sizeof(s->m[0]));
	assert_memory_equal(s->r, RSV->regions, RSV->cnt * sizeof(s->r[0]));
}

// Reserve n separate 0x100-byte regions 0x200 apart from base.
static void reserve_many(phys_addr_t base, int from, int to)
{
	for (int i = from; i < to; i++)
		assert_int_equal(memblock_reserve(base + (phys_addr_t)i * 0x200, 0x100), 0);
}

// ---- the boot state and adding ---------------------------------------------

// Intent: the static state is Linux's: one dummy entry per array, 128 slots,
// the names, top-down, no limit.
static void test_initial_state(void **state)
{
	assert_ptr_equal(MEM->regions, memblock_memory_init_regions);
	assert_ptr_equal(RSV->regions, memblock_reserved_init_regions);
	assert_int_equal(MEM->cnt, 1);
	assert_int_equal(RSV->cnt, 1);
	assert_int_equal(MEM->max, INIT_MEMBLOCK_REGIONS);
	assert_int_equal(RSV->max, INIT_MEMBLOCK_RESERVED_REGIONS);
	assert_string_equal(MEM->name, "memory");
	assert_string_equal(RSV->name, "reserved");
	assert_false(memblock.bottom_up);
	assert_false(memblock_bottom_up());
	assert_int_equal(memblock.current_limit, MEMBLOCK_ALLOC_ANYWHERE);
	expect_rgn(MEM, 0, 0, 0);
	assert_int_equal(sizeof(struct memblock_region), 24);
	check_all();
}

// Intent: the first region fills the dummy; memblock_add has no node,
// add_node sets both nid and flags.
static void test_add_first(void **state)
{
	assert_int_equal(memblock_add(0x40000, 0x10000), 0);
	expect_rgn(MEM, 0, 0x40000, 0x10000);
	assert_int_equal(MEM->regions[0].nid, MAX_NUMNODES);
	assert_int_equal(MEM->regions[0].flags, MEMBLOCK_NONE);
	assert_int_equal(MEM->cnt, 1);
	assert_int_equal(memblock_phys_mem_size(), 0x10000);

	assert_int_equal(memblock_add_node(0x80000, 0x1000, 3, MEMBLOCK_HOTPLUG), 0);
	expect_rgn(MEM, 1, 0x80000, 0x1000);
	assert_int_equal(memblock_get_region_node(&MEM->regions[1]), 3);
	assert_true(memblock_is_hotpluggable(&MEM->regions[1]));
	assert_true(memblock_is_hotplug(&MEM->regions[1]));
	check_all();
}

// Intent (§5.1): a range bridging two regions fills the gap and merges all.
//   before:  [10000 11000)      [13000 14000)
//   add:          [10800                13800)
//   after:   [10000                     14000)
static void test_add_bridge(void **state)
{
	assert_int_equal(memblock_add(0x10000, 0x1000), 0);
	assert_int_equal(memblock_add(0x13000, 0x1000), 0);
	assert_int_equal(memblock_add(0x10800, 0x3000), 0);
	assert_int_equal(MEM->cnt, 1);
	expect_rgn(MEM, 0, 0x10000, 0x4000);
	assert_int_equal(MEM->total_size, 0x4000);
	check_all();
}

// Intent: the overlap shapes all end in one sorted, merged array.
//   below:    [1000 3000) + [2000 4000)     -> [1000 4000)
//   inside:   [1000 5000) + [2000 3000)     -> unchanged
//   touching: [1000 2000) + [2000 3000)     -> [1000 3000)
//   reverse:  [5000 6000) then [1000 2000)  -> sorted, two regions
static void test_add_overlaps(void **state)
{
	assert_int_equal(memblock_add(0x2000, 0x2000), 0);
	assert_int_equal(memblock_add(0x1000, 0x2000), 0);
	expect_rgn(MEM, 0, 0x1000, 0x3000);
	assert_int_equal(memblock_add(0x1000, 0x3000), 0);        // the same again
	assert_int_equal(memblock_add(0x2000, 0x1000), 0);        // inside
	assert_int_equal(MEM->cnt, 1);
	assert_int_equal(MEM->total_size, 0x3000);

	assert_int_equal(memblock_add(0x4000, 0x1000), 0);        // touches the top
	expect_rgn(MEM, 0, 0x1000, 0x4000);
	assert_int_equal(memblock_add(0x9000, 0x1000), 0);
	assert_int_equal(memblock_add(0x7000, 0x1000), 0);
	expect_rgn(MEM, 1, 0x7000, 0x1000);
	expect_rgn(MEM, 2, 0x9000, 0x1000);
	// One range over three regions and two gaps.
	assert_int_equal(memblock_add(0x800, 0xa000), 0);
	assert_int_equal(MEM->cnt, 1);
	expect_rgn(MEM, 0, 0x800, 0xa000);
	assert_int_equal(MEM->total_size, 0xa000);
	check_all();
}

// Intent (§5.2): size 0 is a successful no-op for all four calls.
static void test_zero_size(void **state)
{
	struct snap s;

	assert_int_equal(memblock_add(0x1000, 0), 0);
	assert_int_equal(memblock_reserve(0x1000, 0), 0);
	assert_int_equal(MEM->cnt, 1);
	expect_rgn(MEM, 0, 0, 0);
	expect_rgn(RSV, 0, 0, 0);

	assert_int_equal(memblock_add(0x10000, 0x4000), 0);
	assert_int_equal(memblock_reserve(0x11000, 0x1000), 0);
	take(&s);
	assert_int_equal(memblock_add(0x20000, 0), 0);
	assert_int_equal(memblock_reserve(0x20000, 0), 0);
	assert_int_equal(memblock_remove(0x11000, 0), 0);
	assert_int_equal(memblock_phys_free(0x11000, 0), 0);
	same_as(&s);
}

// Intent: a range running past the top of the address space is cut there.
static void test_size_capped(void **state)
{
	assert_int_equal(memblock_add(PHYS_ADDR_MAX - 0xfff, 0x10000), 0);
	expect_rgn(MEM, 0, PHYS_ADDR_MAX - 0xfff, 0xfff);
	assert_int_equal(memblock_reserve(PHYS_ADDR_MAX - 0x7ff, PHYS_ADDR_MAX), 0);
	expect_rgn(RSV, 0, PHYS_ADDR_MAX - 0x7ff, 0x7ff);
	assert_int_equal(memblock_remove(PHYS_ADDR_MAX - 0x7ff, PHYS_ADDR_MAX), 0);
	expect_rgn(MEM, 0, PHYS_ADDR_MAX - 0xfff, 0x800);
	check_all();
}

// ---- removing, freeing, isolation ------------------------------------------

// Intent (§5.15): removing the only region brings the dummy back, with no
// node, and start/end of DRAM read 0.
static void test_remove_only(void **state)
{
	assert_int_equal(memblock_add_node(0x10000, 0x4000, 1, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_start_of_DRAM(), 0x10000);
	assert_int_equal(memblock_end_of_DRAM(), 0x14000);
	assert_int_equal(memblock_remove(0x10000, 0x4000), 0);
	assert_int_equal(MEM->cnt, 1);
	expect_rgn(MEM, 0, 0, 0);
	assert_int_equal(MEM->regions[0].nid, MAX_NUMNODES);
	assert_int_equal(MEM->regions[0].flags, 0);
	assert_int_equal(MEM->total_size, 0);
	assert_int_equal(memblock_start_of_DRAM(), 0);
	assert_int_equal(memblock_end_of_DRAM(), 0);
	check_all();
}

// Intent: removal splits what straddles its ends (isolation) and keeps the
// rest, flags and nid included.
//   before:  [10000                      20000)  [30000   34000)
//   remove:          [12000 13000)
//   after:   [10000 12000)   [13000      20000)  [30000   34000)
//   remove:                         [1c000           31000)
//   after:   [10000 12000)   [13000 1c000)             [31000 34000)
static void test_remove_split(void **state)
{
	assert_int_equal(memblock_add_node(0x10000, 0x10000, 2, MEMBLOCK_HOTPLUG), 0);
	assert_int_equal(memblock_add(0x30000, 0x4000), 0);
	assert_int_equal(memblock_remove(0x12000, 0x1000), 0);
	assert_int_equal(MEM->cnt, 3);
	expect_rgn(MEM, 0, 0x10000, 0x2000);
	expect_rgn(MEM, 1, 0x13000, 0xd000);
	assert_int_equal(MEM->regions[1].nid, 2);
	assert_int_equal(MEM->regions[1].flags, MEMBLOCK_HOTPLUG);
	assert_int_equal(memblock_remove(0x1c000, 0x15000), 0);
	assert_int_equal(MEM->cnt, 3);
	expect_rgn(MEM, 1, 0x13000, 0x9000);
	expect_rgn(MEM, 2, 0x31000, 0x3000);
	assert_int_equal(MEM->total_size, 0x2000 + 0x9000 + 0x3000);
	// Nothing there: no change.
	assert_int_equal(memblock_remove(0x50000, 0x1000), 0);
	assert_int_equal(MEM->cnt, 3);
	check_all();
}

// Intent: phys_free is removal on the reserved array; memblock_free takes a
// pointer (NULL does nothing). Neither touches memory.
static void test_phys_free(void **state)
{
	host_arena_init(0x100000, 0x10000);
	assert_int_equal(memblock_add(0x100000, 0x10000), 0);
	assert_int_equal(memblock_reserve(0x101000, 0x4000), 0);
	assert_int_equal(memblock_phys_free(0x102000, 0x1000), 0);
	assert_int_equal(RSV->cnt, 2);
	expect_rgn(RSV, 0, 0x101000, 0x1000);
	expect_rgn(RSV, 1, 0x103000, 0x2000);
	memblock_free(host_arena + 0x3000, 0x1000);
	expect_rgn(RSV, 1, 0x104000, 0x1000);
	memblock_free(NULL, 0x1000);
	assert_int_equal(RSV->total_size, 0x2000);
	assert_int_equal(MEM->total_size, 0x10000);
	assert_int_equal(memblock_phys_free(0x101000, 0x4000), 0);
	expect_rgn(RSV, 0, 0, 0);
	check_all();
}

// ---- nid and flags ----------------------------------------------------------

// Intent (§5.8): touching regions that differ in nid or flags never merge,
// and no query treats them as one.
//   [10000 11000) nid 0 | [11000 12000) nid 1 | [12000 13000) nid 1 HOTPLUG
static void test_no_merge_across_nid_flags(void **state)
{
	assert_int_equal(memblock_add_node(0x10000, 0x1000, 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(0x11000, 0x1000, 1, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(0x12000, 0x1000, 1, MEMBLOCK_HOTPLUG), 0);
	assert_int_equal(MEM->cnt, 3);
	assert_true(memblock_is_region_memory(0x11000, 0x1000));
	assert_false(memblock_is_region_memory(0x10800, 0x1000));
	assert_false(memblock_is_region_memory(0x11800, 0x1000));
	// No allocation fits across two of them.
	assert_int_equal(memblock_phys_alloc(0x2000, 0x1000), 0);
	assert_int_equal(RSV->total_size, 0);
	check_all();
}

// Intent (§5.9): a NONE range added over a HOTPLUG one only fills around it,
// with a warning; clearing HOTPLUG then merges all three.
//   before:          [2000 3000) HOTPLUG
//   add_node:   [1000                4000) NONE
//   after:      [1000 2000)[2000 3000)[3000 4000)   middle still HOTPLUG
//   clear_hotplug:  [1000            4000)
static void test_add_over_hotplug(void **state)
{
	assert_int_equal(memblock_add_node(0x2000, 0x1000, 0, MEMBLOCK_HOTPLUG), 0);
	assert_int_equal(memblock_add_node(0x1000, 0x3000, 0, MEMBLOCK_NONE), 0);
	assert_int_equal(host_warn_count, 1);
	assert_int_equal(MEM->cnt, 3);
	expect_rgn(MEM, 1, 0x2000, 0x1000);
	assert_int_equal(MEM->regions[0].flags, MEMBLOCK_NONE);
	assert_int_equal(MEM->regions[1].flags, MEMBLOCK_HOTPLUG);
	assert_int_equal(MEM->regions[2].flags, MEMBLOCK_NONE);
	assert_int_equal(MEM->total_size, 0x3000);
	assert_int_equal(memblock_clear_hotplug(0x2000, 0x1000), 0);
	assert_int_equal(MEM->cnt, 1);
	expect_rgn(MEM, 0, 0x1000, 0x3000);
	check_all();
}

// Intent: marking part of a region splits it and clearing merges it back;
// NOMAP makes memory unmappable; MIRROR needs mirrored_kernelcore.
//   [10000                 20000)
//   mark_nomap   [14000 15000)
//   [10000 14000)[14000 15000)[15000 20000)
static void test_flags(void **state)
{
	assert_int_equal(memblock_add(0x10000, 0x10000), 0);
	assert_int_equal(memblock_mark_nomap(0x14000, 0x1000), 0);
	assert_int_equal(MEM->cnt, 3);
	assert_true(memblock_is_nomap(&MEM->regions[1]));
	assert_false(memblock_is_map_memory(0x14800));
	assert_true(memblock_is_map_memory(0x13fff));
	assert_true(memblock_is_memory(0x14800));
	assert_int_equal(MEM->total_size, 0x10000);
	assert_int_equal(memblock_clear_nomap(0x10000, 0x10000), 0);
	assert_int_equal(MEM->cnt, 1);

	assert_int_equal(memblock_mark_mirror(0x10000, 0x1000), 0);   // switched off
	assert_int_equal(MEM->cnt, 1);
	assert_int_equal(MEM->regions[0].flags, 0);
	mirrored_kernelcore = true;
	assert_int_equal(memblock_mark_mirror(0x10000, 0x1000), 0);
	assert_true(memblock_is_mirror(&MEM->regions[0]));
	assert_int_equal(memblock_clear_mirror(0x10000, 0x1000), 0);
	assert_int_equal(MEM->cnt, 1);

	assert_int_equal(memblock_mark_hotplug(0x1f000, 0x5000), 0);  // past the end
	expect_rgn(MEM, 1, 0x1f000, 0x1000);
	assert_true(memblock_is_hotpluggable(&MEM->regions[1]));
	MEM->regions[1].flags |= MEMBLOCK_DRIVER_MANAGED;
	assert_true(memblock_is_driver_managed(&MEM->regions[1]));
	check_all();
}

// Intent: set_node splits out the range, sets the node, and merges again
// once the nodes agree; it works on reserved too.
static void test_set_node(void **state)
{
	assert_int_equal(memblock_add_node(0x10000, 0x8000, 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_set_node(0x14000, 0x2000, MEM, 1), 0);
	assert_int_equal(MEM->cnt, 3);
	assert_int_equal(memblock_get_region_node(&MEM->regions[1]), 1);
	expect_rgn(MEM, 1, 0x14000, 0x2000);
	assert_int_equal(memblock_set_node(0x14000, 0x2000, MEM, 0), 0);
	assert_int_equal(MEM->cnt, 1);
	assert_int_equal(memblock_reserve(0x11000, 0x1000), 0);
	assert_int_equal(memblock_set_node(0, PHYS_ADDR_MAX, RSV, 0), 0);
	assert_int_equal(RSV->regions[0].nid, 0);
	memblock_set_region_node(&MEM->regions[0], 5);
	assert_int_equal(memblock_get_region_node(&MEM->regions[0]), 5);
	check_all();
}

// ---- full arrays -------------------------------------------------------------

// Intent (§5.10): with 128 regions and no resizing, a 129th reserve fails
// with -ENOMEM and changes nothing, even one that would merge two regions;
// a range already covered still succeeds.
static void test_full_no_resize(void **state)
{
	struct snap s;

	for (int i = 0; i < 128; i++)
		assert_int_equal(memblock_reserve(0x10000 + i * 0x2000, 0x1000), 0);
	assert_int_equal(RSV->cnt, 128);
	take(&s);
	assert_int_equal(memblock_reserve(0x11000, 0x1000), -ENOMEM);   // would merge
	same_as(&s);
	assert_int_equal(memblock_reserve(0x1000000, 0x1000), -ENOMEM);
	same_as(&s);
	assert_int_equal(memblock_reserve(0x10800, 0x100), 0);           // inside
	same_as(&s);
	check_all();
}

// Intent (§5.11): isolation wants two free slots. At 127 or 128 regions,
// freeing a whole region fails with nothing changed; at 126 it works.
static void test_isolate_needs_room(void **state)
{
	struct snap s;

	for (int i = 0; i < 127; i++)
		assert_int_equal(memblock_reserve(0x10000 + i * 0x2000, 0x1000), 0);
	take(&s);
	assert_int_equal(memblock_phys_free(0x10000 + 5 * 0x2000, 0x1000), -ENOMEM);
	same_as(&s);
	assert_int_equal(memblock_phys_free(0x10000 + 126 * 0x2000, 0x1000), -ENOMEM);
	same_as(&s);
	assert_int_equal(memblock_reserve(0x10000 + 127 * 0x2000, 0x1000), 0);
	assert_int_equal(memblock_phys_free(0x10000 + 5 * 0x2000, 0x1000), -ENOMEM);

	__memblock_reset();
	for (int i = 0; i < 126; i++)
		assert_int_equal(memblock_reserve(0x10000 + i * 0x2000, 0x1000), 0);
	assert_int_equal(memblock_phys_free(0x10000 + 5 * 0x2000, 0x1000), 0);
	assert_int_equal(RSV->cnt, 125);
	check_all();
}

// Intent (§5.12): with resizing, the 129th reservation doubles the reserved
// array into an 8 KiB block at the top of free memory, which is reserved
// (cnt 130). At 256 -> 512 a 12 KiB array is reserved and the old one freed.
//   memory [100000 ............................................... 200000)
//   small reservations [100000 .. 120000)      8 KiB array at [1fe000 200000)
//   then the 12 KiB array at [1fb000 1fe000); [1fe000 200000) free again
static void test_double_reserved(void **state)
{
	struct memblock_region *a1;

	host_arena_init(0x100000, 0x100000);
	assert_int_equal(memblock_add(0x100000, 0x100000), 0);
	reserve_many(0x100000, 0, 128);
	memblock_allow_resize();
	assert_int_equal(memblock_reserve(0x110000, 0x100), 0);
	assert_int_equal(RSV->max, 256);
	assert_int_equal(RSV->cnt, 130);
	a1 = RSV->regions;
	assert_ptr_equal(a1, host_arena + 0xfe000);
	expect_rgn(RSV, 128, 0x110000, 0x100);
	expect_rgn(RSV, 129, 0x1fe000, 0x2000);
	assert_int_equal(RSV->total_size, 129 * 0x100 + 0x2000);
	assert_int_equal(__memblock_resizes, 1);
	check_all();

	reserve_many(0x100000, 129, 255);
	assert_int_equal(RSV->cnt, 256);
	assert_int_equal(memblock_reserve(0x100000 + 255 * 0x200, 0x100), 0);
	assert_int_equal(RSV->max, 512);
	assert_int_equal(RSV->cnt, 257);
	assert_ptr_equal(RSV->regions, host_arena + 0xfb000);
	expect_rgn(RSV, 255, 0x11fe00, 0x100);
	expect_rgn(RSV, 256, 0x1fb000, 0x3000);
	assert_false(memblock_is_reserved(0x1fe000));
	assert_int_equal(RSV->total_size, 256 * 0x100 + 0x3000);
	assert_int_equal(__memblock_array_bytes(RSV), 0x3000);
	assert_int_equal(__memblock_resizes, 2);
	assert_int_equal(__memblock_meta_peak, 0x3000 + 128 * 24);
	assert_ptr_equal(MEM->regions, memblock_memory_init_regions);
	check_all();
}

// Intent: the memory array doubles too; its new array comes from free memory
// (here the only block big enough) and is reserved. (§5.14: there is no slab
// path, so a doubled array is always memblock memory, always reserved.)
//   127 regions of 4 KiB 8 KiB apart, then [1fe000 200000); add [300000 301000)
static void test_double_memory(void **state)
{
	host_arena_init(0x100000, 0x100000);
	for (int i = 0; i < 127; i++)
		assert_int_equal(memblock_add(0x100000 + i * 0x2000, 0x1000), 0);
	assert_int_equal(memblock_add(0x1fe000, 0x2000), 0);
	assert_int_equal(MEM->cnt, 128);
	assert_int_equal(memblock_add(0x300000, 0x1000), -ENOMEM);   // not allowed yet
	memblock_allow_resize();
	assert_int_equal(memblock_add(0x300000, 0x1000), 0);
	assert_int_equal(MEM->cnt, 129);
	assert_int_equal(MEM->max, 256);
	assert_ptr_equal(MEM->regions, host_arena + 0xfe000);
	assert_int_equal(RSV->cnt, 1);
	expect_rgn(RSV, 0, 0x1fe000, 0x2000);
	check_all();
}

// Intent (§5.13, reserved): when the only free block big enough for the new
// array is the range being reserved, the reserve fails and changes nothing.
// A 16-byte allocation at the top of that block still works: its array goes
// below it.
//   [100000 .. 126 small reservations .. 10fb00)   [110000 180000) reserved
//   [180000 190000) free window                    [190000 200000) reserved
static void test_double_needs_room(void **state)
{
	struct snap s;

	host_arena_init(0x100000, 0x100000);
	assert_int_equal(memblock_add(0x100000, 0x100000), 0);
	reserve_many(0x100000, 0, 126);
	assert_int_equal(memblock_reserve(0x110000, 0x70000), 0);
	assert_int_equal(memblock_reserve(0x190000, 0x70000), 0);
	assert_int_equal(RSV->cnt, 128);
	memblock_allow_resize();
	take(&s);
	assert_int_equal(memblock_reserve(0x180000, 0x10000), -ENOMEM);
	same_as(&s);
	assert_int_equal(memblock_phys_alloc(16, 16), 0x18fff0);
	assert_int_equal(RSV->max, 256);
	assert_ptr_equal(RSV->regions, host_arena + 0x8d000);
	assert_true(memblock_is_reserved(0x18d000));
	assert_true(memblock_is_reserved(0x18efff));
	assert_false(memblock_is_reserved(0x18f000));
	check_all();
}

// Intent (§5.13, memory): the range being added cannot hold its own array,
// so with every byte of existing memory reserved the add fails unchanged.
// Once some memory is free the array goes there, even inside the range being
// added (only the reserved array avoids its range).
//   [100000 110000) free   [111000 112000) [113000 114000) ... 127 of them
//   add [100000 120000): 8 new pieces, array at [10e000 110000), one region
static void test_double_memory_needs_room(void **state)
{
	struct snap s;

	host_arena_init(0x100000, 0x200000);
	assert_int_equal(memblock_add(0x100000, 0x10000), 0);
	for (int i = 0; i < 127; i++)
		assert_int_equal(memblock_add(0x110000 + i * 0x2000 + 0x1000, 0x1000), 0);
	assert_int_equal(MEM->cnt, 128);
	assert_int_equal(memblock_reserve(0x100000, 0x200000), 0);
	memblock_allow_resize();
	take(&s);
	assert_int_equal(memblock_add(0x400000, 0x10000), -ENOMEM);
	same_as(&s);
	assert_int_equal(memblock_phys_free(0x100000, 0x10000), 0);
	assert_int_equal(memblock_add(0x100000, 0x20000), 0);
	assert_int_equal(MEM->max, 256);
	assert_ptr_equal(MEM->regions, host_arena + 0xe000);
	assert_true(memblock_is_reserved(0x10e000));
	assert_int_equal(MEM->cnt, 120);
	expect_rgn(MEM, 0, 0x100000, 0x20000);
	check_all();
}

// ---- queries, trimming, limits ----------------------------------------------

// Intent: point and range queries agree with the arrays (§5.16 included:
// a zero-size range is "reserved" only strictly inside a reservation).
static void test_queries(void **state)
{
	assert_int_equal(memblock_add(0x1000, 0x4000), 0);
	assert_int_equal(memblock_add(0x8000, 0x1000), 0);
	assert_int_equal(memblock_reserve(0x1000, 0x1000), 0);
	assert_int_equal(memblock_reserve(0x3000, 0x800), 0);

	assert_true(memblock_is_memory(0x1000));
	assert_true(memblock_is_memory(0x4fff));
	assert_false(memblock_is_memory(0x5000));
	assert_false(memblock_is_memory(0));
	assert_true(memblock_is_memory(0x8fff));
	assert_true(memblock_is_reserved(0x1fff));
	assert_false(memblock_is_reserved(0x2000));
	assert_true(memblock_is_region_memory(0x1000, 0x4000));
	assert_false(memblock_is_region_memory(0x1000, 0x4001));
	assert_false(memblock_is_region_memory(0x5000, 0x10));
	assert_true(memblock_is_region_reserved(0x1800, 0));
	assert_false(memblock_is_region_reserved(0x1000, 0));
	assert_true(memblock_is_region_reserved(0x2000, 0x1001));
	assert_false(memblock_is_region_reserved(0x2000, 0x1000));
	assert_true(memblock_overlaps_region(MEM, 0x4fff, 0x10));
	assert_false(memblock_overlaps_region(MEM, 0x5000, 0x3000));
	assert_int_equal(memblock_phys_mem_size(), 0x5000);
	assert_int_equal(memblock_reserved_size(), 0x1800);
	assert_int_equal(memblock_start_of_DRAM(), 0x1000);
	assert_int_equal(memblock_end_of_DRAM(), 0x9000);
	assert_int_equal(memblock_region_memory_base_pfn(&RSV->regions[1]), 3);
	assert_int_equal(memblock_region_memory_end_pfn(&RSV->regions[1]), 3);
	assert_int_equal(memblock_region_reserved_base_pfn(&RSV->regions[1]), 3);
	assert_int_equal(memblock_region_reserved_end_pfn(&RSV->regions[1]), 4);
}

// Intent (§5.17, a deviation): trimming rounds regions inward and drops the
// ones that vanish, and total_size follows (Linux would keep 0x2fff).
//   [1001 4000) -> [2000 4000);  [5100 5f00) -> gone
static void test_trim(void **state)
{
	assert_int_equal(memblock_add(0x1001, 0x2fff), 0);
	memblock_trim_memory(0x1000);
	expect_rgn(MEM, 0, 0x2000, 0x2000);
	assert_int_equal(MEM->total_size, 0x2000);
	assert_int_equal(memblock_add(0x5100, 0xe00), 0);
	assert_int_equal(memblock_add(0x8000, 0x1800), 0);
	memblock_trim_memory(0x1000);
	assert_int_equal(MEM->cnt, 2);
	expect_rgn(MEM, 1, 0x8000, 0x1000);
	assert_int_equal(MEM->total_size, 0x3000);
	memblock_trim_memory(0x3000);                 // refused
	assert_int_equal(host_warn_count, 1);
	assert_int_equal(MEM->cnt, 2);
	memblock_trim_memory(0x100000);               // everything goes
	expect_rgn(MEM, 0, 0, 0);
	check_all();
}

// Intent: enforce_memory_limit keeps the first N bytes of memory and cuts
// memory and reservations above; mem_limit_remove_map spares NOMAP memory.
//   memory   [10000 20000)          [30000 40000)     [50000 51000) NOMAP
//   reserved      [18000 19000)        [33800 34800)
//   limit 0x14000 -> cut at 34000
static void test_memory_limit(void **state)
{
	for (int pass = 0; pass < 2; pass++) {
		__memblock_reset();
		assert_int_equal(memblock_add(0x10000, 0x10000), 0);
		assert_int_equal(memblock_add(0x30000, 0x10000), 0);
		assert_int_equal(memblock_add(0x50000, 0x1000), 0);
		assert_int_equal(memblock_mark_nomap(0x50000, 0x1000), 0);
		assert_int_equal(memblock_reserve(0x18000, 0x1000), 0);
		assert_int_equal(memblock_reserve(0x33800, 0x1000), 0);
		if (pass == 0) {
			memblock_enforce_memory_limit(0x14000);
			assert_int_equal(MEM->cnt, 2);
		} else {
			memblock_mem_limit_remove_map(0x14000);
			assert_int_equal(MEM->cnt, 3);
			expect_rgn(MEM, 2, 0x50000, 0x1000);
		}
		expect_rgn(MEM, 0, 0x10000, 0x10000);
		expect_rgn(MEM, 1, 0x30000, 0x4000);
		expect_rgn(RSV, 1, 0x33800, 0x800);
		check_all();
	}
	memblock_enforce_memory_limit(0);            // no limit
	memblock_enforce_memory_limit(0x100000);     // more than there is
	assert_int_equal(MEM->cnt, 3);
}

// Intent: cap_memory_range keeps only memory (and reservations) inside the
// range, NOMAP regions excepted; with no memory it only warns.
static void test_cap_memory_range(void **state)
{
	memblock_cap_memory_range(0x1000, 0x1000);
	assert_int_equal(host_warn_count, 1);
	assert_int_equal(memblock_add(0x10000, 0x10000), 0);
	assert_int_equal(memblock_add(0x30000, 0x1000), 0);
	assert_int_equal(memblock_mark_nomap(0x30000, 0x1000), 0);
	assert_int_equal(memblock_reserve(0x10000, 0x3000), 0);
	memblock_cap_memory_range(0x12000, 0x4000);
	assert_int_equal(MEM->cnt, 2);
	expect_rgn(MEM, 0, 0x12000, 0x4000);
	expect_rgn(MEM, 1, 0x30000, 0x1000);
	expect_rgn(RSV, 0, 0x12000, 0x1000);
	memblock_cap_memory_range(0x12000, 0);
	assert_int_equal(MEM->cnt, 2);
	check_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_initial_state),
		T(test_add_first),
		T(test_add_bridge),
		T(test_add_overlaps),
		T(test_zero_size),
		T(test_size_capped),
		T(test_remove_only),
		T(test_remove_split),
		T(test_phys_free),
		T(test_no_merge_across_nid_flags),
		T(test_add_over_hotplug),
		T(test_flags),
		T(test_set_node),
		T(test_full_no_resize),
		T(test_isolate_needs_room),
		T(test_double_reserved),
		T(test_double_memory),
		T(test_double_needs_room),
		T(test_double_memory_needs_room),
		T(test_queries),
		T(test_trim),
		T(test_memory_limit),
		T(test_cap_memory_range),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
