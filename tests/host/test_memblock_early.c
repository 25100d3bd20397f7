// Host tests of memblock's side of the mm/early.h contract (mm/memblock_alloc.c):
// early_init from a memory map (a 200-reservation map included; a map exactly
// at the array's 128 entries and at the map's limits, and one past), early_alloc,
// early_free and the statistics, and a randomized run of 2000 operations
// checked page by page against a bitmap model, ending with a handoff that must
// give exactly the pages the model says are free.
#include "memblock_fixtures.h"
#include "early_fixtures.h"


// ---- the early.h contract -------------------------------------------------------

static struct memmap map;

static void add_bank(phys_addr_t base, uint64_t size, int nid)
{
	map.bank[map.nbanks++] = (struct memmap_bank){ base, size, nid };
	if (nid + 1 > map.nnodes)
		map.nnodes = nid + 1;
}

static void add_resv(phys_addr_t base, uint64_t size, int origin, int flags)
{
	map.resv[map.nresv++] = (struct memmap_resv){ .base = base, .size = size,
		.origin = (uint8_t)origin, .flags = (uint8_t)flags };
}

static void count_meta(phys_addr_t base, uint64_t size, void *arg)
{
	phys_addr_t *m = arg;

	m[0]++;
	m[1] = base;
	m[2] = size;
}

// Intent: early_init takes banks with their nodes and every reservation,
// marks firmware and no-map ones NOMAP, and sets max_low_pfn; early_alloc
// maps to memblock_phys_alloc_try_nid and counts; a double early_free is a
// caller bug; a second early_init starts from scratch.
//   node 0 [80000000 ## fw NOMAP ## 80080000 ... 81000000)
//   node 1 [81000000 ... 81800000 ## no-map ## 81810000 ... ## dtb ## 82000000)
static void test_early_init(void **state)
{
	struct early_stats st;
	phys_addr_t meta[3] = { 0 };

	memset(&map, 0, sizeof(map));
	assert_int_equal(early_init(&map), -EINVAL);
	assert_int_equal(early_init(NULL), -EINVAL);
	add_bank(0x80000000, 16 * MB, 0);
	add_bank(0x81000000, 16 * MB, 1);
	add_resv(0x80000000, 0x80000, MEMMAP_FIRMWARE, 0);
	add_resv(0x80200000, 0x100000, MEMMAP_KERNEL, 0);
	add_resv(0x81800000, 0x10000, MEMMAP_RESERVED_MEMORY, MEMMAP_F_NOMAP);
	add_resv(0x81ffe000, 0x2000, MEMMAP_DTB, 0);
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(early_init(&map), 0);
		assert_string_equal(early_allocator_name, "memblock");
		assert_int_equal(MEM->cnt, 5);
		expect_rgn(MEM, 0, 0x80000000, 0x80000);
		assert_true(memblock_is_nomap(&MEM->regions[0]));
		assert_int_equal(MEM->regions[1].nid, 0);
		assert_int_equal(MEM->regions[2].nid, 1);
		expect_rgn(MEM, 3, 0x81800000, 0x10000);
		assert_true(memblock_is_nomap(&MEM->regions[3]));
		assert_int_equal(RSV->cnt, 4);
		assert_int_equal(max_low_pfn, 0x82000);
		assert_int_equal(early_alloc(0x1000, 0x1000, 0), 0x80fff000);
		assert_int_equal(early_alloc(100, 0, EARLY_NO_NODE), 0x81ffdf80);
		assert_int_equal(host_warn_count, 0);       // align 0 is legal here
	}
	assert_int_equal(early_alloc(0, 8, 0), 0);
	assert_int_equal(early_alloc(8, 3, 0), 0);
	assert_int_equal(early_alloc(64 * MB, 8, 0), 0);
	early_get_stats(&st);
	assert_int_equal(st.nallocs, 2);
	assert_int_equal(st.bytes_requested, 0x1000 + 100);
	assert_int_equal(st.bytes_consumed, 0x1000 + 100);
	assert_int_equal(st.meta_bytes, 2 * 128 * 24);
	assert_int_equal(st.meta_peak_bytes, 2 * 128 * 24);
	assert_int_equal(st.resizes, 0);
	assert_int_equal(st.lost_pages, 0);
	early_for_each_meta(count_meta, meta);
	assert_int_equal(meta[0], 0);

	assert_int_equal(early_reserve(0x80800000, 0x1000), 0);
	assert_true(memblock_is_reserved(0x80800fff));
	assert_int_equal(early_free(0x80fff000, 0x1000), 0);
	assert_false(memblock_is_reserved(0x80fff000));
	assert_int_equal(early_free(0x80fff000, 0), 0);
	expect_assert_failure(early_free(0x80fff000, 0x1000));
	expect_assert_failure(early_free(0x807ff000, 0x2000));         // half free
}

// 32 MiB of RAM holding the firmware, the kernel, n one-page islands of
// reserved-memory 0x11000 apart from 0x80400000, and the DTB at the top;
// then early_init, which must succeed.
static void init_islands(int n)
{
	host_arena_init(0x80000000, 32 * MB);
	memset(&map, 0, sizeof(map));
	add_bank(0x80000000, 32 * MB, 0);
	add_resv(0x80000000, 0x80000, MEMMAP_FIRMWARE, 0);
	add_resv(0x80200000, 0x200000, MEMMAP_KERNEL, 0);
	for (int i = 0; i < n; i++)
		add_resv(0x80400000 + i * 0x11000, 0x1000, MEMMAP_RESERVED_MEMORY, 0);
	add_resv(0x81ffe000, 0x2000, MEMMAP_DTB, 0);
	assert_int_equal(early_init(&map), 0);
}

// Intent: the 200-island map of tests/dts/gen-many-resv.sh. The reserved
// array must double; it is doubled before any reservation goes in, into
// memory clear of all of them - the top of RAM here holds the DTB, which a
// doubling at the 129th reservation would have overwritten. The handoff then
// gives exactly the pages no reservation or allocation touches.
static void test_early_init_many(void **state)
{
	static unsigned char bits[8192];
	phys_addr_t meta[3] = { 0 };
	struct early_stats st;

	init_islands(200);
	assert_int_equal(RSV->max, 256);
	assert_ptr_equal(RSV->regions, host_arena + 0x1ffc000);
	for (int i = 0; i < map.nresv; i++) {
		const struct memmap_resv *r = &map.resv[i];

		assert_false(r->base < 0x81ffe000 && 0x81ffc000 < r->base + r->size);
		assert_true(memblock_is_reserved(r->base) && memblock_is_reserved(r->base + r->size - 1));
	}
	// The kernel touches the first island and the array the DTB: both merge.
	assert_int_equal(RSV->cnt, 202);
	expect_rgn(RSV, 201, 0x81ffc000, 0x4000);
	early_for_each_meta(count_meta, meta);
	assert_int_equal(meta[0], 1);
	assert_int_equal(meta[1], 0x81ffc000);
	assert_int_equal(meta[2], 0x2000);
	early_get_stats(&st);
	assert_int_equal(st.resizes, 1);
	assert_int_equal(st.meta_bytes, 128 * 24 + 0x2000);

	assert_int_equal(early_alloc(5000, 4096, 0), 0x81ffa000);
	assert_int_equal(early_alloc(64, 64, 0), 0x81ffbfc0);     // the partial page
	ngiven = 0;
	uint64_t n = early_handoff(record, NULL);
	given_bitmap(0x80000, 8192, bits);
	uint64_t want = 0;
	for (uint64_t p = 0x80000; p < 0x82000; p++) {
		assert_int_equal(bits[p - 0x80000], page_free(p));
		want += page_free(p);
	}
	assert_int_equal(n, want);
	assert_int_equal(n, 8192 - 128 - 512 - 200 - 2 - 2 - 2);
}

// Intent: 300 reservations need two doublings before any goes in (128 ->
// 256 -> 512); the second array replaces the first, and the first is freed.
//   ... islands ... [81ff9000 array 81ffc000) [81ffc000 free 81ffe000) [dtb)
static void test_early_init_300(void **state)
{
	struct early_stats st;

	init_islands(300);
	assert_int_equal(RSV->max, 512);
	assert_ptr_equal(RSV->regions, host_arena + 0x1ff9000);
	assert_int_equal(RSV->cnt, 303);
	expect_rgn(RSV, 301, 0x81ff9000, 0x3000);
	assert_false(memblock_is_reserved(0x81ffc000));
	early_get_stats(&st);
	assert_int_equal(st.resizes, 2);
	assert_int_equal(st.meta_bytes, 128 * 24 + 0x3000);
	assert_int_equal(st.meta_peak_bytes, 128 * 24 + 0x3000);
}

// Intent: the reserved array is doubled at init only when the map's
// reservations, merged as memblock merges them, are more than its 128
// entries. The kernel touches the first island, so 126 islands make 129
// reservations but exactly 128 pieces: no doubling. 127 islands make 129
// pieces: doubled once, into the top 8 KiB below the DTB, where an empty
// reservation (size 0) is no obstacle:
//   [80000000 fw) [80200000 kernel 80400000)[island 0) .. island n-1 ..
//   [81ffc000 array, empty reservation at 81ffd000 81ffe000) [dtb 82000000)
static void test_early_init_exactly_full(void **state)
{
	struct early_stats st;

	init_islands(126);
	assert_int_equal(map.nresv, 129);
	assert_int_equal(RSV->max, 128);
	assert_int_equal(RSV->cnt, 128);
	early_get_stats(&st);
	assert_int_equal(st.resizes, 0);

	host_arena_init(0x80000000, 32 * MB);
	map.nresv--;                                    // the DTB goes last again
	add_resv(0x80400000 + 126 * 0x11000, 0x1000, MEMMAP_RESERVED_MEMORY, 0);
	add_resv(0x81ffd000, 0, MEMMAP_MEMRESERVE, 0);
	add_resv(0x81ffe000, 0x2000, MEMMAP_DTB, 0);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(RSV->max, 256);
	assert_ptr_equal(RSV->regions, host_arena + 0x1ffc000);
	assert_int_equal(RSV->cnt, 129);                // the array merges with the DTB
	expect_rgn(RSV, 128, 0x81ffc000, 0x4000);
	early_get_stats(&st);
	assert_int_equal(st.resizes, 1);
}

// Intent: a map exactly at the limits, MEMMAP_MAX_BANKS banks and
// MEMMAP_MAX_RESV reservations, is taken whole (319 of the reservations
// share one page and merge into one region); its last bank and last
// reservation count like the others. One more of either is -ENOMEM, as
// from bump and bootmem.
//   bank b at 80000000 + b * 2 MiB, 1 MiB each
//   bank 1 page 0: 319 reservations of 8 bytes; bank 31's last page: the 320th
static void test_early_init_map_limits(void **state)
{
	host_arena_init(0x80000000, 64 * MB);
	memset(&map, 0, sizeof(map));
	for (int b = 0; b < MEMMAP_MAX_BANKS; b++)
		add_bank(0x80000000 + (uint64_t)b * 2 * MB, MB, 0);
	while (map.nresv < MEMMAP_MAX_RESV - 1)
		add_resv(0x80200000 + (uint64_t)map.nresv * 8, 8, MEMMAP_MEMRESERVE, 0);
	add_resv(0x83eff000, 0x1000, MEMMAP_RESERVED_MEMORY, 0);
	assert_int_equal(early_init(&map), 0);
	assert_int_equal(MEM->cnt, MEMMAP_MAX_BANKS);
	assert_int_equal(RSV->cnt, 2);
	assert_int_equal(max_low_pfn, 0x83f00);
	ngiven = 0;
	assert_int_equal(early_handoff(record, NULL), MEMMAP_MAX_BANKS * 256 - 2);
	for (int i = 0; i < ngiven; i++) {
		uint64_t end = given[i].pfn + (1ULL << given[i].order);

		assert_false(given[i].pfn <= 0x80200 && 0x80200 < end);
		assert_false(given[i].pfn <= 0x83eff && 0x83eff < end);
	}

	assert_map_limits(&map);
}

// Intent: touching banks of one node are one memblock region, but the buddy
// allocator registers one span per bank: no handoff block may cross from one
// bank to the next, and a page split between two banks is not given.
//   bank 0 [80000000 80100000) | bank 1 [80100000 80200000)  -> 2 x order 8
//   bank 0 [80000000 80100800) | bank 1 [80100800 80200000)  -> pfn 80100 kept
static void test_handoff_bank_boundary(void **state)
{
	static unsigned char bits[512];

	for (int pass = 0; pass < 2; pass++) {
		phys_addr_t mid = pass ? 0x80100800 : 0x80100000;

		memset(&map, 0, sizeof(map));
		add_bank(0x80000000, mid - 0x80000000, 0);
		add_bank(mid, 0x80200000 - mid, 0);
		assert_int_equal(early_init(&map), 0);
		assert_int_equal(MEM->cnt, 1);
		ngiven = 0;
		assert_int_equal(early_handoff(record, NULL), pass ? 511 : 512);
		given_bitmap(0x80000, 512, bits);
		for (int i = 0; i < ngiven; i++)
			assert_true(given[i].pfn + (1ULL << given[i].order) <= 0x80100 ||
				    given[i].pfn >= 0x80100ULL + (unsigned)pass);
		assert_int_equal(bits[0x100], !pass);
	}
	assert_int_equal(ngiven, 9);
	assert_int_equal(given[0].pfn, 0x80000);
	assert_int_equal(given[0].order, 8);
}

// ---- randomized, against a page bitmap ------------------------------------------

#define RPAGES 256
#define RBASE MB
static bool m_mem[RPAGES], m_res[RPAGES];
static uint64_t rng = 0x2545f4914f6cdd1dULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

// The array must be exactly the runs of set pages (all nids and flags agree,
// so every run is one merged region).
static void match(const struct memblock_type *t, const bool *bits)
{
	unsigned long k = 0;
	phys_addr_t sum = 0;

	for (int p = 0; p < RPAGES;) {
		int q = p;

		if (!bits[p]) {
			p++;
			continue;
		}
		while (q < RPAGES && bits[q])
			q++;
		expect_rgn(t, k++, RBASE + p * PAGE_SIZE, (q - p) * PAGE_SIZE);
		sum += (q - p) * PAGE_SIZE;
		p = q;
	}
	assert_int_equal(t->cnt, k ? k : 1);
	assert_int_equal(t->total_size, sum);
	if (!k)
		expect_rgn(t, 0, 0, 0);
}

// Pieces of [p, p+n) not yet set: the new regions an add would insert.
static unsigned long uncovered(const bool *bits, int p, int n)
{
	unsigned long pieces = 0;

	for (int i = p; i < p + n; i++)
		if (!bits[i] && (i == p || bits[i - 1]))
			pieces++;
	return pieces;
}

// Where the model says an allocation of n pages aligned to a pages goes, or -1.
static int predict(int n, int a)
{
	int best = -1;

	for (int p = 0; p < RPAGES;) {
		int q = p;

		if (!m_mem[p] || m_res[p]) {
			p++;
			continue;
		}
		while (q < RPAGES && m_mem[q] && !m_res[q])
			q++;
		if (memblock_bottom_up()) {
			int c = (p + a - 1) / a * a;

			if (c < q && q - c >= n)
				return c;
		} else if (q - p >= n && (q - n) / a * a >= p) {
			best = (q - n) / a * a;
		}
		p = q;
	}
	return best;
}

// Pages of the arrays that live in the arena (the static ones do not).
static void array_pages(const struct memblock_type *t, bool *bits, bool val)
{
	if (t->regions == memblock_memory_init_regions || t->regions == memblock_reserved_init_regions)
		return;
	phys_addr_t b = mm_virt_to_phys(t->regions) - RBASE;
	for (phys_addr_t o = 0; o < __memblock_array_bytes(t); o += PAGE_SIZE)
		bits[(b + o) / PAGE_SIZE] = val;
}

static bool touches_array(int p, int n)
{
	static bool arr[RPAGES];

	memset(arr, 0, sizeof(arr));
	array_pages(MEM, arr, true);
	array_pages(RSV, arr, true);
	for (int i = p; i < p + n; i++)
		if (arr[i])
			return true;
	return false;
}

// 2000 random operations on [1 MiB, 2 MiB), page-granular. Without resizing
// (arrays cut to 24 and 26 entries, so they fill up now and then) every
// -ENOMEM is predicted; with resizing
// (arrays cut to 4, so they double again and again) the arrays' own pages
// are followed in the model. After each step both arrays must equal the
// model exactly, and at the end the handoff must give exactly the free pages.
static void random_run(bool resize)
{
	static unsigned char gave[RPAGES];

	host_arena_init(MB, MB);        // memory comes and goes by the random adds
	memset(m_mem, 0, sizeof(m_mem));
	memset(m_res, 0, sizeof(m_res));
	MEM->max = resize ? 4 : 24;
	RSV->max = resize ? 4 : 26;
	if (resize)
		memblock_allow_resize();
	for (int step = 0; step < 2000; step++) {
		int op = rnd(6), p = rnd(RPAGES), n = 1 + rnd(12), a = 1 << rnd(3), c;
		phys_addr_t base = RBASE + p * PAGE_SIZE, size;
		struct memblock_type om = *MEM, orr = *RSV;
		bool *bits = (op == 0 || op == 1) ? m_mem : m_res;
		struct memblock_type *t = (op == 0 || op == 1) ? MEM : RSV;
		bool fits;
		int ret;

		if (p + n > RPAGES)
			n = RPAGES - p;
		size = n * PAGE_SIZE;
		if (op == 3 && touches_array(p, n))
			continue;               // would free a live array
		switch (op) {
		case 0: case 2:                 // add, reserve
			fits = uncovered(bits, p, n) == 0 ||
			       t->cnt + uncovered(bits, p, n) <= t->max;
			ret = op ? memblock_reserve(base, size) : memblock_add(base, size);
			break;
		case 1: case 3:                 // remove, phys_free
			fits = t->cnt + 2 <= t->max;
			ret = op == 1 ? memblock_remove(base, size) : memblock_phys_free(base, size);
			break;
		case 4:                         // allocate
			c = predict(n, a);
			fits = c < 0 || RSV->cnt + 1 <= RSV->max;
			base = memblock_phys_alloc_range(size, a * PAGE_SIZE, RBASE, RBASE + MB);
			ret = base ? 0 : -ENOMEM;
			if (c < 0)
				assert_int_equal(base, 0);
			else if (base)
				assert_int_equal(base, RBASE + c * PAGE_SIZE);
			if (c < 0 && !base)
				ret = 0;
			p = c;
			break;
		default:
			memblock_set_bottom_up(rnd(2));
			continue;
		}
		if (!resize)
			assert_int_equal(ret, fits ? 0 : -ENOMEM);
		if (ret) {
			assert_memory_equal(&om, MEM, sizeof(om));
			assert_memory_equal(&orr, RSV, sizeof(orr));
		} else if (p >= 0) {
			for (int i = p; i < p + n; i++)
				bits[i] = op == 0 || op == 2 || op == 4;
		}
		// A doubling frees the old array and reserves the new one.
		array_pages(&om, m_res, false);
		array_pages(&orr, m_res, false);
		array_pages(MEM, m_res, true);
		array_pages(RSV, m_res, true);
		match(MEM, m_mem);
		match(RSV, m_res);
	}
	if (resize)
		assert_true(__memblock_resizes >= 4);
	max_low_pfn = 0x200;
	ngiven = 0;
	uint64_t got = early_handoff(record, NULL), want = 0;
	given_bitmap(RBASE / PAGE_SIZE, RPAGES, gave);
	for (int i = 0; i < RPAGES; i++) {
		assert_int_equal(gave[i], m_mem[i] && !m_res[i]);
		want += m_mem[i] && !m_res[i];
	}
	assert_int_equal(got, want);
}

// Intent: random_run with fixed arrays: every -ENOMEM predicted, none changes anything.
static void test_random_fixed_arrays(void **state)
{
	random_run(false);
}

// Intent: random_run with arrays that start at 4 entries and keep doubling.
static void test_random_doubling(void **state)
{
	random_run(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_early_init),
		T(test_early_init_many),
		T(test_early_init_300),
		T(test_early_init_exactly_full),
		T(test_early_init_map_limits),
		T(test_handoff_bank_boundary),
		T(test_random_fixed_arrays),
		T(test_random_doubling),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
