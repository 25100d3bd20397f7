// Host tests of mm/bump.c: where memory_start starts, alignment, jumps over
// reservations, chaining to the next bank, failure without side effects,
// the handoff's exact blocks, the lost-page count, the boundaries (tables
// exactly full, zero-size and touching reservations, reservations below the
// kernel, an alignment that wraps at the top), and a randomized run checked
// against a page model the way the kernel's accounting check does.
// The bump allocator never touches the memory it hands out, so no arena.
#include <stdbool.h>
#include <stdlib.h>
#include "mm_env.h"
#include "../../mm/buddy.h"
#include "../../mm/early.h"
#include "early_fixtures.h"

#define PG PAGE_SIZE

// ---- helpers ----------------------------------------------------------------

static struct memmap map;

static void map_clear(void)
{
	memset(&map, 0, sizeof(map));
}

static void add_bank(phys_addr_t base, uint64_t size)
{
	map.bank[map.nbanks++] = (struct memmap_bank){ base, size, 0 };
	map.nnodes = 1;
}

static void add_resv(phys_addr_t base, uint64_t size, int origin)
{
	struct memmap_resv *r = &map.resv[map.nresv++];
	memset(r, 0, sizeof(*r));
	r->base = base;
	r->size = size;
	r->origin = (uint8_t)origin;
}

struct give { uint64_t pfn; unsigned order; };
static struct give gives[8192];
static int ngives;

static void record(uint64_t pfn, unsigned order, void *arg)
{
	assert_true(ngives < (int)(sizeof(gives) / sizeof(gives[0])));
	assert_true(order <= BUDDY_MAX_ORDER);
	assert_int_equal(pfn & ((1ULL << order) - 1), 0);
	gives[ngives++] = (struct give){ pfn, order };
}

static struct early_stats get_stats(void)
{
	struct early_stats s;
	early_get_stats(&s);
	return s;
}

static void expect_gives(const struct give *want, int n)
{
	assert_int_equal(ngives, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(gives[i].pfn, want[i].pfn);
		assert_int_equal(gives[i].order, want[i].order);
	}
}

static int setup(void **state)
{
	map_clear();
	ngives = 0;
	return 0;
}

// A 2 MiB bank with firmware below the kernel:
//
//   0x80000000   0x80040000          0x80052345  0x80053000
//   | firmware   | kernel             |(tail)    | memory_start ...
static void kernel_map(void)
{
	add_bank(0x80000000, 0x200000);
	add_resv(0x80000000, 0x40000, MEMMAP_FIRMWARE);
	add_resv(0x80040000, 0x12345, MEMMAP_KERNEL);
	assert_int_equal(early_init(&map), 0);
}

// ---- allocation -------------------------------------------------------------

// memory_start begins at the page-aligned end of the kernel and each
// allocation lands at or above the end of the one before.
static void test_starts_after_kernel(void **state)
{
	kernel_map();
	assert_string_equal(early_allocator_name, "bump");
	assert_int_equal(early_alloc(100, 8, 0), 0x80053000);
	assert_int_equal(early_alloc(10, 8, 0), 0x80053068);
	assert_int_equal(early_alloc(1, 1, EARLY_NO_NODE), 0x80053072);
	struct early_stats s = get_stats();
	assert_int_equal(s.nallocs, 3);
	assert_int_equal(s.bytes_requested, 111);
	assert_int_equal(s.bytes_consumed, 0x73);   // 100 + 4 padding + 10 + 1
	assert_int_equal(s.lost_pages, 0);
	assert_int_equal(s.meta_bytes, 0);
}

// Alignment rounds memory_start up (0 means 64); padding counts as consumed
// and whole pages skipped by it are lost. Bad requests fail and change
// nothing.
//
//   0x80053000 0x80053040  0x80054000  0x80055000 ... 0x80060000
//   | 1 B      | 1 B       | 1 B       | 11 pages lost | 16 B (align 64 KiB)
static void test_alignment(void **state)
{
	kernel_map();
	assert_int_equal(early_alloc(1, 0, 0), 0x80053000);
	assert_int_equal(early_alloc(1, 0, 0), 0x80053040);
	assert_int_equal(early_alloc(1, 4096, 0), 0x80054000);
	assert_int_equal(get_stats().lost_pages, 0);
	assert_int_equal(early_alloc(16, 0x10000, 0), 0x80060000);
	assert_int_equal(get_stats().lost_pages, 11);
	assert_int_equal(early_alloc(0, 8, 0), 0);
	assert_int_equal(early_alloc(8, 24, 0), 0);
	assert_int_equal(early_alloc(8, 8, 0), 0x80060010);
	struct early_stats s = get_stats();
	assert_int_equal(s.nallocs, 5);
	assert_int_equal(s.bytes_consumed, 0x80060018 - 0x80053000);
}

// An allocation that would overlap a reservation jumps past it, again and
// again; pages jumped over that a reservation touches are not lost, others
// are.
//
//   0x80003000 0x80004000  0x80006000 (dtb at +0x100) 0x80007000  0x80009000
//   | 4 KiB    | initrd    | page touched by the dtb  | 8 KiB      | 12 KiB
//
//   0x8000c000    0x8000d000 (resv at +0x800)  0x8000e000
//   | lost page   | page touched by a resv      | 12 KiB
static void test_jump_reservations(void **state)
{
	add_bank(0x80000000, 0x200000);
	add_resv(0x80000000, 0x3000, MEMMAP_KERNEL);
	add_resv(0x80004000, 0x2000, MEMMAP_INITRD);
	add_resv(0x80006100, 0x100, MEMMAP_DTB);
	add_resv(0x8000d800, 0x100, MEMMAP_RESERVED_MEMORY);
	assert_int_equal(early_init(&map), 0);

	assert_int_equal(early_alloc(0x1000, 4096, 0), 0x80003000);   // touches, no overlap
	assert_int_equal(early_alloc(0x2000, 4096, 0), 0x80007000);
	assert_int_equal(get_stats().lost_pages, 0);
	assert_int_equal(early_alloc(0x3000, 4096, 0), 0x80009000);
	assert_int_equal(early_alloc(0x3000, 4096, 0), 0x8000e000);
	assert_int_equal(get_stats().lost_pages, 1);                  // page 0x8000c

	// Reservations made now are avoided too.
	assert_int_equal(early_reserve(0x80012000, 0x10), 0);
	assert_int_equal(early_alloc(0x2000, 8, 0), 0x80012010);
	assert_int_equal(get_stats().lost_pages, 2);                  // page 0x80011
}

// Past the end of its bank, memory_start moves to the next bank; the tail it
// leaves is lost. A request that fits nowhere fails with 0 and leaves
// memory_start where it was.
//
//   bank 0 0x80000000: kernel 32 KiB | 4 KiB | 7 pages lost |
//   bank 1 0x90000000: 36 KiB | 16 B | exactly the rest |
//   bank 2 0xa0000000: 1 B | handed off
static void test_bank_chaining(void **state)
{
	add_bank(0x80000000, 0x10000);
	add_bank(0x90000000, 0x10000);
	add_bank(0xa0000000, 0x10000);
	add_resv(0x80000000, 0x8000, MEMMAP_KERNEL);
	assert_int_equal(early_init(&map), 0);

	assert_int_equal(early_alloc(0x1000, 4096, 0), 0x80008000);
	assert_int_equal(early_alloc(0x9000, 4096, 0), 0x90000000);
	assert_int_equal(get_stats().lost_pages, 7);
	assert_int_equal(early_alloc(0x20000, 8, 0), 0);
	assert_int_equal(early_alloc(16, 8, 0), 0x90009000);
	assert_int_equal(early_alloc(0x6ff0, 1, 0), 0x90009010);
	assert_int_equal(early_alloc(1, 1, 0), 0xa0000000);
	assert_int_equal(get_stats().lost_pages, 7);                 // the hole is not RAM
	assert_int_equal(early_alloc(0x10000, 1, 0), 0);

	assert_int_equal(early_handoff(record, NULL), 15);
	static const struct give want[] = {
		{ 0xa0001, 0 }, { 0xa0002, 1 }, { 0xa0004, 2 }, { 0xa0008, 3 },
	};
	expect_gives(want, 4);
	assert_int_equal(get_stats().handoff_calls, 4);
}

// Without a kernel image in the map, memory_start starts at the first bank's
// first whole page.
static void test_no_kernel(void **state)
{
	add_bank(0x80000800, 0xf800);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(early_alloc(8, 8, 0), 0x80001000);
	assert_int_equal(early_handoff(record, NULL), 14);
	static const struct give want[] = { { 0x80002, 1 }, { 0x80004, 2 }, { 0x80008, 3 } };
	expect_gives(want, 3);
}

// ---- reserve, free, init ----------------------------------------------------

// Nothing is freed. A reservation below memory_start is refused (that memory
// is spoken for) unless a reservation already covers it; above, it is
// recorded, until the fixed table is full.
static void test_reserve_and_free(void **state)
{
	kernel_map();
	assert_int_equal(early_free(0x80053000, 0x1000), -EOPNOTSUPP);
	assert_int_equal(early_reserve(0x80052800, 0x100), -EBUSY);     // kernel's last page
	assert_int_equal(early_reserve(0x80041000, 0x100), 0);         // inside the kernel
	assert_int_equal(early_reserve(0x80100000, 0), 0);
	assert_int_equal(early_reserve(~0ULL - 0xfff, 0x2000), -EINVAL);

	assert_int_equal(early_reserve(0x80053000, 0x1000), 0);
	assert_int_equal(early_alloc(16, 8, 0), 0x80054000);

	// The table holds the map's reservations plus 32 more; three are in use
	// (firmware, kernel, and the one just made). Once it is full, the
	// recorded ones are still avoided: the only 1 MiB-aligned spot left,
	// 0x80100000, is taken and the bank ends at 0x80200000.
	int n = 0;
	while (early_reserve(0x80100000 + (uint64_t)n * 0x100, 0x10) == 0)
		n++;
	assert_int_equal(n, MEMMAP_MAX_RESV + 32 - 3);
	assert_int_equal(early_reserve(0x80180000, 0x10), -ENOMEM);
	assert_int_equal(early_alloc(0x10, 0x100000, 0), 0);
	assert_int_equal(early_alloc(0x10, 8, 0), 0x80054010);
}

// Bad maps, and init starting over.
static void test_init(void **state)
{
	assert_int_equal(early_init(&map), -EINVAL);
	kernel_map();
	assert_int_equal(early_alloc(100, 8, 0), 0x80053000);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(get_stats().nallocs, 0);
	assert_int_equal(early_alloc(100, 8, 0), 0x80053000);
}

static int nmeta;
static void on_meta(phys_addr_t base, uint64_t size, void *arg)
{
	nmeta++;
}

// After the handoff the allocator is retired; it never has metadata.
static void test_retired(void **state)
{
	kernel_map();
	early_handoff(record, NULL);
	assert_int_equal(early_alloc(8, 8, 0), 0);
	assert_int_equal(early_reserve(0x80100000, 8), -EINVAL);
	assert_int_equal(early_handoff(record, NULL), 0);
	early_for_each_meta(on_meta, NULL);
	assert_int_equal(nmeta, 0);
}

// ---- handoff ----------------------------------------------------------------

// Every RAM page outside [kernel start, memory_start) and the reservations,
// in maximal naturally aligned blocks of at most order 10:
//
//   0x80000 firmware | 0x80080 o7 | 0x80100 o8 | 0x80200 kernel |
//   0x80201 o0, o1, o2 ... 0x80300 o8 | 0x80400 o10 | 0x80800 end
static void test_handoff_blocks(void **state)
{
	add_bank(0x80000000, 0x800000);
	add_resv(0x80000000, 0x80000, MEMMAP_FIRMWARE);
	add_resv(0x80200000, 0x1000, MEMMAP_KERNEL);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(early_handoff(record, NULL), 2048 - 128 - 1);
	static const struct give want[] = {
		{ 0x80080, 7 }, { 0x80100, 8 },
		{ 0x80201, 0 }, { 0x80202, 1 }, { 0x80204, 2 }, { 0x80208, 3 }, { 0x80210, 4 },
		{ 0x80220, 5 }, { 0x80240, 6 }, { 0x80280, 7 }, { 0x80300, 8 }, { 0x80400, 10 },
	};
	expect_gives(want, 12);
	struct early_stats s = get_stats();
	assert_int_equal(s.handoff_pages, 1919);
	assert_int_equal(s.handoff_calls, 12);
}

// ---- boundaries -------------------------------------------------------------

// A map filled to the allocator's limits, exactly MEMMAP_MAX_BANKS banks and
// MEMMAP_MAX_RESV reservations, is taken whole, and its last bank and last
// reservation count like the others; one more of either is -ENOMEM:
//
//   bank 0   0x80000000 | kernel page | 15 pages given
//   bank 1   0x80100000 | 318 reservations of 8 B in page 0 | 15 pages given
//   banks 2-30 (1 MiB apart, 16 pages each)                  | all given
//   bank 31  0x81f00000 | reservation 319, page 0 | 15 pages given
static void test_map_at_capacity(void **state)
{
	for (int b = 0; b < MEMMAP_MAX_BANKS; b++)
		add_bank(0x80000000 + (uint64_t)b * 0x100000, 16 * PG);
	add_resv(0x80000000, 0x1000, MEMMAP_KERNEL);
	while (map.nresv < MEMMAP_MAX_RESV - 1)
		add_resv(0x80100000 + (uint64_t)(map.nresv - 1) * 8, 8, MEMMAP_MEMRESERVE);
	add_resv(0x81f00000, 0x1000, MEMMAP_RESERVED_MEMORY);
	assert_int_equal(map.nbanks, MEMMAP_MAX_BANKS);
	assert_int_equal(map.nresv, MEMMAP_MAX_RESV);
	assert_int_equal(early_init(&map), 0);

	assert_int_equal(early_handoff(record, NULL), 15 + 15 + 29 * 16 + 15);
	for (int g = 0; g < ngives; g++) {
		uint64_t end = gives[g].pfn + (1ULL << gives[g].order);
		assert_false(gives[g].pfn <= 0x80100 && 0x80100 < end);
		assert_false(gives[g].pfn <= 0x81f00 && 0x81f00 < end);
	}
	assert_int_equal(gives[ngives - 1].pfn + (1ULL << gives[ngives - 1].order), 0x81f10);

	assert_map_limits(&map);
}

// Zero-size reservations block nothing, whether they sit on a page boundary
// or inside a page; two touching reservations block exactly their pages:
//
//   0x80053000 (empty resv at +0x800)  0x80054000 ... 0x80060000 0x80061000 0x80062000
//   | 4 KiB allocation here            | free             | resv A   | resv B    | free
//   0x80100000 (empty resv, page-aligned), 0x80100800 (empty resv): free pages
static void test_zero_size_and_touching(void **state)
{
	add_bank(0x80000000, 0x200000);
	add_resv(0x80000000, 0x40000, MEMMAP_FIRMWARE);
	add_resv(0x80040000, 0x12345, MEMMAP_KERNEL);
	add_resv(0x80053800, 0, MEMMAP_MEMRESERVE);
	add_resv(0x80060000, 0x1000, MEMMAP_RESERVED_MEMORY);
	add_resv(0x80061000, 0x1000, MEMMAP_RESERVED_MEMORY);
	add_resv(0x80100000, 0, MEMMAP_MEMRESERVE);
	add_resv(0x80100800, 0, MEMMAP_RESERVED_MEMORY);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(early_alloc(0x1000, 8, 0), 0x80053000);
	assert_int_equal(early_reserve(0x80180800, 0), 0);

	// All of [0x80054, 0x80200) but the two touching pages.
	assert_int_equal(early_handoff(record, NULL), 0x200 - 0x54 - 2);
	static const struct give want[] = {
		{ 0x80054, 2 }, { 0x80058, 3 }, { 0x80062, 1 }, { 0x80064, 2 }, { 0x80068, 3 },
		{ 0x80070, 4 }, { 0x80080, 7 }, { 0x80100, 8 },
	};
	expect_gives(want, 8);
}

// Memory below the kernel image is not spoken for: a reservation there,
// even one ending exactly where the kernel starts, is recorded and kept from
// the handoff; one that runs into the kernel is refused (-EBUSY):
//
//   0x80000000 0x80020000  0x80023000 ... 0x800ff000 0x80100000  0x80110000
//   | free     | resv      | free        | resv      | kernel     | free ...
static void test_reserve_below_kernel(void **state)
{
	add_bank(0x80000000, 0x200000);
	add_resv(0x80100000, 0x10000, MEMMAP_KERNEL);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(early_reserve(0x80020000, 0x3000), 0);
	assert_int_equal(early_reserve(0x800ff000, 0x1000), 0);     // touches the kernel
	assert_int_equal(early_reserve(0x800fe000, 0x3000), -EBUSY); // runs into it
	assert_int_equal(early_handoff(record, NULL), 0x200 - 3 - 1 - 0x10);
	static const struct give want[] = {
		{ 0x80000, 5 }, { 0x80023, 0 }, { 0x80024, 2 }, { 0x80028, 3 }, { 0x80030, 4 },
		{ 0x80040, 6 }, { 0x80080, 6 }, { 0x800c0, 5 }, { 0x800e0, 4 }, { 0x800f0, 3 },
		{ 0x800f8, 2 }, { 0x800fc, 1 }, { 0x800fe, 0 },
		{ 0x80110, 4 }, { 0x80120, 5 }, { 0x80140, 6 }, { 0x80180, 7 },
	};
	expect_gives(want, 17);
}

// An alignment so large that rounding the pointer up wraps past the top of
// the address space fails cleanly: nothing is allocated and the next request
// lands where it would have. The bank ends one page below 2^64:
//
//   0xfffffffffff00000  0xfffffffffff01000 ...  0xfffffffffffff000
//   | 4 KiB             | next 16 B             | end of bank
static void test_alignment_wraps(void **state)
{
	add_bank(0xfffffffffff00000ULL, 0xff000);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(early_alloc(0x1000, 0x1000, 0), 0xfffffffffff00000ULL);
	assert_int_equal(early_alloc(16, 1ULL << 63, 0), 0);
	assert_int_equal(early_alloc(16, 1ULL << 40, 0), 0);
	assert_int_equal(get_stats().nallocs, 1);
	assert_int_equal(early_alloc(16, 8, 0), 0xfffffffffff01000ULL);
	assert_int_equal(early_handoff(record, NULL), 0xff - 2);
}

// ---- randomized -------------------------------------------------------------

// Random allocations over three banks with reservations, then the handoff,
// checked page by page like the kernel's accounting: a page given is RAM,
// not reserved, not allocated, given once; every RAM page outside
// [kernel, memory_start) that is not reserved is given; and RAM pages that
// are neither given, reserved nor allocated number exactly lost_pages.
#define R_PFN0   0x80000
#define R_PAGES  0x700
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void mark(uint8_t *v, phys_addr_t base, uint64_t size)
{
	for (uint64_t p = base / PG; p < (base + size + PG - 1) / PG; p++)
		v[p - R_PFN0] = 1;
}

// Intent: see the block comment above R_PFN0 (allocations, then a page-exact
// audit of the handoff and of lost_pages).
static void test_randomized(void **state)
{
	static const uint64_t aligns[] = { 0, 1, 8, 64, 4096, 0x10000, 0x20000 };
	static struct { phys_addr_t a; uint64_t size; } al[4096];
	static uint8_t ram[R_PAGES], rsv[R_PAGES], used[R_PAGES], given[R_PAGES];
	int nal = 0, fails = 0;

	add_bank(0x80000000, 0x200000);
	add_bank(0x80400000, 0x100000);
	add_bank(0x80600800, 0xff800);
	add_resv(0x80000000, 0x10000, MEMMAP_FIRMWARE);
	add_resv(0x80020000, 0x23456, MEMMAP_KERNEL);
	add_resv(0x80060100, 0x2000, MEMMAP_DTB);
	add_resv(0x80090000, 0x30000, MEMMAP_INITRD);
	add_resv(0x801ff000, 0x1000, MEMMAP_RESERVED_MEMORY);
	add_resv(0x80410000, 0x800, MEMMAP_RESERVED_MEMORY);
	add_resv(0x80410400, 0x10000, MEMMAP_MEMRESERVE);
	add_resv(0x80680000, 0x4000, MEMMAP_RESERVED_MEMORY);
	assert_int_equal(early_init(&map), 0);

	phys_addr_t ms = 0x80044000, end = ms;
	uint64_t requested = 0;
	for (int i = 0; i < 3000 && end < 0x80480000; i++) {
		uint64_t k = rnd() % 10;
		uint64_t size = k < 6 ? 1 + rnd() % 300 : k < 9 ? 1 + rnd() % 0x2000 : 1 + rnd() % 0x10000;
		uint64_t align = aligns[rnd() % 7];
		phys_addr_t a = early_alloc(size, align, (int)(rnd() % 3) - 1);
		if (!a) {
			fails++;
			continue;
		}
		align = align ? align : 64;
		assert_int_equal(a % align, 0);
		assert_true(a >= end);
		int inbank = 0;
		for (int b = 0; b < map.nbanks; b++)
			inbank |= a >= map.bank[b].base && a + size <= map.bank[b].base + map.bank[b].size;
		assert_true(inbank);
		for (int r = 0; r < map.nresv; r++)
			assert_true(a + size <= map.resv[r].base || map.resv[r].base + map.resv[r].size <= a);
		al[nal].a = a;
		al[nal++].size = size;
		requested += size;
		end = a + size;
	}
	assert_true(nal > 50);
	assert_true(end > 0x80400000);   // it chained into the second bank
	struct early_stats s = get_stats();
	assert_int_equal(s.nallocs, (uint64_t)nal);
	assert_int_equal(s.bytes_requested, requested);
	assert_int_equal(s.bytes_consumed, end - ms);

	uint64_t n = early_handoff(record, NULL);
	for (int b = 0; b < map.nbanks; b++)
		for (uint64_t p = (map.bank[b].base + PG - 1) / PG;
		     p < (map.bank[b].base + map.bank[b].size) / PG; p++)
			ram[p - R_PFN0] = 1;
	for (int r = 0; r < map.nresv; r++)
		mark(rsv, map.resv[r].base, map.resv[r].size);
	for (int i = 0; i < nal; i++)
		mark(used, al[i].a, al[i].size);
	uint64_t total = 0;
	for (int g = 0; g < ngives; g++)
		for (uint64_t p = gives[g].pfn; p < gives[g].pfn + (1ULL << gives[g].order); p++) {
			assert_true(p >= R_PFN0 && p < R_PFN0 + R_PAGES);
			given[p - R_PFN0]++;
			total++;
		}
	assert_int_equal(n, total);

	uint64_t lost = 0;
	for (uint64_t i = 0; i < R_PAGES; i++) {
		uint64_t pfn = R_PFN0 + i;
		assert_true(given[i] <= 1);
		if (given[i])
			assert_true(ram[i] && !rsv[i] && !used[i]);
		bool inside = pfn >= 0x80020 && pfn < (end + PG - 1) / PG;
		if (ram[i] && !rsv[i] && !inside && !given[i])
			fail_msg("pfn 0x%lx was not handed off", pfn);
		lost += ram[i] && !given[i] && !rsv[i] && !used[i];
	}
	assert_int_equal(s.lost_pages, lost);
	assert_true(lost > 0);
	assert_true(ngives > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_starts_after_kernel, setup),
		cmocka_unit_test_setup(test_alignment, setup),
		cmocka_unit_test_setup(test_jump_reservations, setup),
		cmocka_unit_test_setup(test_bank_chaining, setup),
		cmocka_unit_test_setup(test_no_kernel, setup),
		cmocka_unit_test_setup(test_reserve_and_free, setup),
		cmocka_unit_test_setup(test_init, setup),
		cmocka_unit_test_setup(test_retired, setup),
		cmocka_unit_test_setup(test_handoff_blocks, setup),
		cmocka_unit_test_setup(test_map_at_capacity, setup),
		cmocka_unit_test_setup(test_zero_size_and_touching, setup),
		cmocka_unit_test_setup(test_reserve_below_kernel, setup),
		cmocka_unit_test_setup(test_alignment_wraps, setup),
		cmocka_unit_test_setup(test_randomized, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
