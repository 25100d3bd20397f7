// Host tests of mm/buddy.c: the handoff, splitting and coalescing, node
// fallback, the caller-bug assertions, and a long randomized run checked
// against an independent model. Descriptor arrays are plain malloc'd memory.
#include <stdbool.h>
#include <stdlib.h>
#include "mm_env.h"
#include "../../mm/buddy.h"

// ---- helpers --------------------------------------------------------------

static struct page *maps[BUDDY_MAX_SPANS + 4];
static int nmaps;

static int setup(void **state)
{
	buddy_reset();
	return 0;
}

static int teardown(void **state)
{
	buddy_reset();
	for (int i = 0; i < nmaps; i++)
		free(maps[i]);
	nmaps = 0;
	return 0;
}

// A descriptor array full of junk, so the test sees what add_span really sets.
static struct page *new_map(uint64_t npages)
{
	struct page *m = malloc(buddy_map_bytes(npages));

	assert_non_null(m);
	memset(m, 0xa5, buddy_map_bytes(npages));
	maps[nmaps++] = m;
	return m;
}

static void add_span(int nid, uint64_t start, uint64_t npages)
{
	assert_int_equal(buddy_add_span(nid, start, npages, new_map(npages)), 0);
}

// The §3.8 rule: the largest naturally aligned block (order <= 10) at s
// that ends by e.
static unsigned chunk_order(uint64_t s, uint64_t e)
{
	unsigned o = s ? (unsigned)__builtin_ctzll(s) : 63;

	if (o > BUDDY_MAX_ORDER)
		o = BUDDY_MAX_ORDER;
	while (s + (1ULL << o) > e)
		o--;
	return o;
}

static void give_range(uint64_t s, uint64_t e)
{
	while (s < e) {
		unsigned o = chunk_order(s, e);
		buddy_free_boot(s, o, NULL);
		s += 1ULL << o;
	}
}

struct blk { uint64_t pfn; unsigned order; int nid; };

struct blk_list { struct blk b[16384]; int n; };

static void collect(uint64_t pfn, unsigned order, int nid, void *arg)
{
	struct blk_list *l = arg;

	assert_true(l->n < 16384);
	l->b[l->n++] = (struct blk){ pfn, order, nid };
}

static int blk_cmp(const void *a, const void *b)
{
	const struct blk *x = a, *y = b;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

// The free blocks, sorted by pfn (the list is big: keep it off the stack).
static struct blk_list *free_blocks(void)
{
	static struct blk_list l;

	l.n = 0;
	buddy_for_each_free_block(collect, &l);
	qsort(l.b, l.n, sizeof(l.b[0]), blk_cmp);
	return &l;
}

static void assert_counts(int nid, const uint64_t want[BUDDY_MAX_ORDER + 1])
{
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		if (buddy_nr_free(nid, k) != want[k])
			fail_msg("node %d order %u: %llu free blocks, want %llu", nid, k,
				 (unsigned long long)buddy_nr_free(nid, k),
				 (unsigned long long)want[k]);
}

static uint64_t pfn_of(const struct page *pg)
{
	return page_to_pfn(pg);
}

// ---- tests ----------------------------------------------------------------

// A descriptor fits the 32-byte budget (4M of them at 16 GiB = 128 MiB).
static void test_page_size(void **state)
{
	assert_true(sizeof(struct page) <= 32);
	assert_int_equal(buddy_map_bytes(1000), 1000 * sizeof(struct page));
}

// add_span rejects bad nodes, empty and overlapping spans, spans whose pfns
// wrap or whose addresses would (pfns past 2^52), and the 33rd span, and
// leaves every page reserved with refcount 0 and the right nid and span.
static void test_add_span(void **state)
{
	struct page dummy[4];

	assert_int_equal(buddy_add_span(-1, 0, 4, dummy), -EINVAL);
	assert_int_equal(buddy_add_span(BUDDY_MAX_NODES, 0, 4, dummy), -EINVAL);
	assert_int_equal(buddy_add_span(0, 0, 0, dummy), -EINVAL);
	assert_int_equal(buddy_add_span(0, 0, 4, NULL), -EINVAL);
	assert_int_equal(buddy_add_span(0, UINT64_MAX - 1, 4, dummy), -EINVAL);
	assert_int_equal(buddy_add_span(0, (UINT64_MAX >> PAGE_SHIFT) - 1, 4, dummy), -EINVAL);
	assert_int_equal(buddy_nr_nodes(), 0);

	add_span(0, 100, 50);
	add_span(3, 200, 10);
	assert_int_equal(buddy_add_span(1, 149, 2, dummy), -EINVAL);   // overlaps [100,150)
	assert_int_equal(buddy_add_span(1, 190, 11, dummy), -EINVAL);  // overlaps [200,210)
	assert_int_equal(buddy_nr_nodes(), 4);

	for (uint64_t pfn = 100; pfn < 150; pfn++) {
		struct page *pg = pfn_to_page(pfn);
		assert_non_null(pg);
		assert_int_equal(pg->flags, PG_RESERVED);
		assert_int_equal(pg->refcount, 0);
		assert_int_equal(pg->nid, 0);
		assert_int_equal(pg->span, 0);
		assert_int_equal(page_to_pfn(pg), pfn);
	}
	assert_int_equal(pfn_to_page(205)->nid, 3);
	assert_int_equal(pfn_to_page(205)->span, 1);
	assert_null(pfn_to_page(99));
	assert_null(pfn_to_page(150));
	assert_null(pfn_to_page(210));
	assert_int_equal(buddy_free_pages(-1), 0);

	for (int i = 2; i < BUDDY_MAX_SPANS; i++)
		add_span(1, 1000 + 10 * (uint64_t)i, 1);
	assert_int_equal(buddy_add_span(1, 5000, 1, dummy), -ENOSPC);
}

// Single pages handed off in any order coalesce all the way to order 10.
static void test_handoff_singles(void **state)
{
	uint64_t want[BUDDY_MAX_ORDER + 1] = { [10] = 4 };
	uint64_t order[4096];

	add_span(0, 0, 4096);
	for (uint64_t i = 0; i < 4096; i++)
		order[i] = i;
	srand(7);
	for (int i = 4095; i > 0; i--) {
		int j = rand() % (i + 1);
		uint64_t t = order[i]; order[i] = order[j]; order[j] = t;
	}
	for (int i = 0; i < 4096; i++)
		buddy_free_boot(order[i], 0, NULL);
	assert_counts(0, want);
	assert_int_equal(buddy_free_pages(0), 4096);
	for (uint64_t pfn = 0; pfn < 4096; pfn++) {
		assert_int_equal(pfn_to_page(pfn)->flags, pfn % 1024 ? 0 : PG_BUDDY);
		assert_true(buddy_page_is_free(pfn));
	}
}

// The §3.8 example: [3,1029) goes in as 3/o0, 4/o2, 8/o3 ... 512/o9,
// 1024/o2, 1028/o0, and nothing merges because 0..2 and 1029.. stay reserved.
static void test_handoff_chunks(void **state)
{
	static const struct blk seq[] = {
		{3, 0, 0}, {4, 2, 0}, {8, 3, 0}, {16, 4, 0}, {32, 5, 0}, {64, 6, 0},
		{128, 7, 0}, {256, 8, 0}, {512, 9, 0}, {1024, 2, 0}, {1028, 0, 0},
	};
	uint64_t want[BUDDY_MAX_ORDER + 1] = { 2, 0, 2, 1, 1, 1, 1, 1, 1, 1, 0 };
	struct blk_list *l;
	uint64_t s = 3;

	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		assert_int_equal(seq[i].pfn, s);
		assert_int_equal(chunk_order(s, 1029), seq[i].order);
		s += 1ULL << seq[i].order;
	}
	assert_int_equal(s, 1029);

	add_span(0, 0, 1100);
	give_range(3, 1029);
	assert_counts(0, want);
	assert_int_equal(buddy_free_pages(0), 1026);
	l = free_blocks();
	assert_int_equal(l->n, 11);
	for (int i = 0; i < l->n; i++) {
		assert_int_equal(l->b[i].pfn, seq[i].pfn);
		assert_int_equal(l->b[i].order, seq[i].order);
	}
	assert_false(buddy_page_is_free(2));
	assert_false(buddy_page_is_free(1029));
	assert_true(buddy_page_is_free(1027));
}

// Spans that touch, with buddies aligned across the seam, stay apart: on
// one node (a bank boundary) and across two nodes.
//   node 0 |-- span 0 [0,512) --|-- span 1 [512,1024) --|      order 9 + order 9
//   node 0 |-- span 2 [2048,2560) --| node 1 |-- span 3 [2560,3072) --|
static void test_no_merge_across_spans(void **state)
{
	uint64_t three9[BUDDY_MAX_ORDER + 1] = { [9] = 3 };
	uint64_t one9[BUDDY_MAX_ORDER + 1] = { [9] = 1 };

	add_span(0, 0, 512);
	add_span(0, 512, 512);
	add_span(0, 2048, 512);
	add_span(1, 2560, 512);
	for (uint64_t pfn = 0; pfn < 1024; pfn++)
		buddy_free_boot(pfn, 0, NULL);
	for (uint64_t pfn = 2048; pfn < 3072; pfn++)
		buddy_free_boot(pfn, 0, NULL);
	assert_counts(0, three9);
	assert_counts(1, one9);
	assert_int_equal(buddy_nr_free(-1, 9), 4);
	assert_int_equal(buddy_nr_free(-1, 10), 0);
	assert_int_equal(buddy_free_pages(-1), 2048);

	// An order-10 request cannot be met from four order-9 halves.
	assert_null(alloc_pages(-1, 10));
}

// Splitting an order-10 block for one page leaves exactly one free block of
// each order 0..9, each the upper half of the block above it; freeing the
// page merges everything back.
//   [1024 ............................................ 2048)  order 10
//   [1024|1025|1026-27|1028-31| ... |1536 ........... 2048)
//    used  o0    o1      o2           o9
static void test_split(void **state)
{
	uint64_t one10[BUDDY_MAX_ORDER + 1] = { [10] = 1 };
	struct blk_list *l;
	struct page *pg;

	add_span(0, 1024, 1024);
	give_range(1024, 2048);
	assert_counts(0, one10);

	pg = alloc_pages(0, 0);
	assert_non_null(pg);
	assert_int_equal(pfn_of(pg), 1024);
	assert_int_equal(pg->refcount, 1);
	assert_int_equal(pg->order, 0);
	assert_int_equal(pg->flags, 0);
	l = free_blocks();
	assert_int_equal(l->n, 10);
	for (unsigned k = 0; k < 10; k++) {
		assert_int_equal(l->b[k].pfn, 1024 + (1ULL << k));
		assert_int_equal(l->b[k].order, k);
		assert_int_equal(buddy_nr_free(0, k), 1);
	}
	assert_int_equal(buddy_free_pages(0), 1023);
	assert_false(buddy_page_is_free(1024));
	assert_true(buddy_page_is_free(1025));

	free_pages(pg, 0);
	assert_counts(0, one10);
	assert_int_equal(pg->flags, PG_BUDDY);
	assert_int_equal(pg->refcount, 0);
}

// A node's request is served there first, then by the other nodes in order;
// nid < 0 starts at node 0; a node with no memory just falls back.
static void test_node_fallback(void **state)
{
	struct page *a, *b, *c, *d;

	add_span(0, 0, 1024);
	add_span(1, 4096, 1024);
	add_span(2, 8192, 1024);
	give_range(0, 1024);
	give_range(4096, 5120);
	give_range(8192, 9216);

	a = alloc_pages(1, 10);
	assert_non_null(a);
	assert_int_equal(a->nid, 1);
	b = alloc_pages(1, 10);                 // node 1 is empty: node 0
	assert_non_null(b);
	assert_int_equal(b->nid, 0);
	c = alloc_pages(-1, 10);                // 0 and 1 are empty: node 2
	assert_non_null(c);
	assert_int_equal(c->nid, 2);
	assert_null(alloc_pages(2, 0));
	free_pages(b, 10);
	free_pages(c, 10);
	d = alloc_pages(-1, 3);                 // no preference: node 0 first
	assert_non_null(d);
	assert_int_equal(d->nid, 0);
	free_pages(d, 3);
	d = alloc_pages(5, 3);                  // a node without memory
	assert_non_null(d);
	assert_int_equal(d->nid, 0);
	free_pages(d, 3);
	free_pages(a, 10);
	assert_int_equal(buddy_free_pages(-1), 3072);
	expect_assert_failure(alloc_pages(BUDDY_MAX_NODES, 0));
}

// Order 11 and an exhausted allocator both give NULL, and nothing changes.
static void test_alloc_failures(void **state)
{
	struct page *pg[64];

	add_span(0, 0, 64);
	give_range(0, 64);
	assert_null(alloc_pages(0, BUDDY_MAX_ORDER + 1));
	assert_null(alloc_pages(-1, 100));
	assert_null(alloc_pages(0, 7));                 // bigger than all of RAM
	for (int i = 0; i < 64; i++) {
		pg[i] = alloc_pages(0, 0);
		assert_non_null(pg[i]);
	}
	assert_null(alloc_pages(0, 0));
	assert_null(alloc_pages(-1, 0));
	assert_int_equal(buddy_free_pages(-1), 0);
	for (int i = 0; i < 64; i++)
		free_pages(pg[i], 0);
	assert_int_equal(buddy_nr_free(0, 6), 1);
}

// Caller bugs in free_pages panic with the pfn and order: double free, a page
// that was never allocated (tail or free head), the wrong order, a reserved
// page, an order past 10, a pointer that is not a descriptor.
static void test_free_bugs(void **state)
{
	struct page fake = { 0 };
	struct page *a, *b;

	add_span(0, 0, 1024);
	give_range(0, 512);                     // [512,1024) stays reserved
	a = alloc_pages(0, 2);
	b = alloc_pages(0, 0);
	assert_non_null(a);
	assert_non_null(b);
	uint64_t before = buddy_free_pages(0);

	expect_assert_failure(free_pages(a, 1));                 // wrong order
	expect_assert_failure(free_pages(a, 3));
	expect_assert_failure(free_pages(a, 11));
	expect_assert_failure(free_pages(a + 1, 0));             // tail of a block
	expect_assert_failure(free_pages(pfn_to_page(256), 8));  // a free head
	expect_assert_failure(free_pages(pfn_to_page(300), 0));  // inside a free block
	expect_assert_failure(free_pages(pfn_to_page(600), 0));  // reserved
	expect_assert_failure(free_pages(&fake, 0));             // not a descriptor
	expect_assert_failure(free_pages(NULL, 0));
	assert_int_equal(buddy_free_pages(0), before);

	free_pages(b, 0);
	expect_assert_failure(free_pages(b, 0));                 // double free
	free_pages(a, 2);
	expect_assert_failure(free_pages(a, 2));
	assert_int_equal(buddy_free_pages(0), 512);
	assert_int_equal(buddy_nr_free(0, 9), 1);
}

// A handoff block must be aligned, inside one span and wholly reserved; a
// bad page in the middle leaves the block's other pages reserved.
static void test_free_boot_bugs(void **state)
{
	add_span(0, 0, 6);
	add_span(0, 8, 8);
	buddy_free_boot(1, 0, NULL);
	expect_assert_failure(buddy_free_boot(1, 0, NULL));     // double handoff
	expect_assert_failure(buddy_free_boot(0, 2, NULL));     // page 1 is not reserved
	assert_int_equal(pfn_to_page(0)->flags, PG_RESERVED);
	assert_int_equal(pfn_to_page(2)->flags, PG_RESERVED);
	assert_int_equal(pfn_to_page(3)->flags, PG_RESERVED);
	expect_assert_failure(buddy_free_boot(2, 2, NULL));     // misaligned
	expect_assert_failure(buddy_free_boot(4, 2, NULL));     // runs past the span into a hole
	expect_assert_failure(buddy_free_boot(0, 4, NULL));     // covers two spans
	expect_assert_failure(buddy_free_boot(6, 0, NULL));     // a hole
	expect_assert_failure(buddy_free_boot(0, 11, NULL));    // order too big
	assert_int_equal(buddy_free_pages(0), 1);
	buddy_free_boot(8, 3, NULL);
	assert_int_equal(buddy_free_pages(0), 9);
	assert_int_equal(buddy_nr_free(0, 3), 1);
}

// buddy_reset forgets spans, nodes and free blocks.
static void test_reset(void **state)
{
	add_span(2, 0, 16);
	give_range(0, 16);
	buddy_reset();
	assert_int_equal(buddy_nr_nodes(), 0);
	assert_int_equal(buddy_free_pages(-1), 0);
	assert_null(pfn_to_page(3));
	assert_null(alloc_pages(-1, 0));
	add_span(0, 0, 16);                     // the same range registers again
}

// ---- the randomized run ----------------------------------------------------

// Memory for the model run: spans on two nodes with holes, spans that touch
// across a bank and across a node, and unaligned ends. Node 2 has nothing.
//   node 0: [5,700) hole [1024,3000)[3000,3500)
//   node 1:                                   [3500,6000) hole [8193,9300)
static const struct { int nid; uint64_t start, end; } rspans[] = {
	{0, 5, 700}, {0, 1024, 3000}, {0, 3000, 3500}, {1, 3500, 6000}, {1, 8193, 9300},
};
#define NR_RSPANS ((int)(sizeof(rspans) / sizeof(rspans[0])))
#define RMAX 9300

enum { M_HOLE, M_RESV, M_FREE, M_USED };

static uint8_t model[RMAX];     // per pfn
static int rspan_of[RMAX];      // index into rspans, -1 in a hole
static uint64_t total;          // pages handed off

struct live { struct page *pg; uint64_t pfn; unsigned order; };
static struct live live[20000];
static int nlive;

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

// The free list the allocator must hold when nothing is allocated, computed
// per page rather than by a left-to-right walk: a page's block is the largest
// aligned block (order <= 10) around it that is all free and in its span.
static int expected_blocks(struct blk *out)
{
	int n = 0;

	for (uint64_t pfn = 0; pfn < RMAX; pfn++) {
		if (model[pfn] != M_FREE)
			continue;
		unsigned best = 0;
		for (unsigned k = 1; k <= BUDDY_MAX_ORDER; k++) {
			uint64_t h = pfn & ~((1ULL << k) - 1);
			bool ok = h + (1ULL << k) <= RMAX;
			for (uint64_t q = h; ok && q < h + (1ULL << k); q++)
				ok = model[q] == M_FREE && rspan_of[q] == rspan_of[pfn];
			if (!ok)
				break;
			best = k;
		}
		uint64_t h = pfn & ~((1ULL << best) - 1);
		if (h == pfn)
			out[n++] = (struct blk){ pfn, best, rspans[rspan_of[pfn]].nid };
	}
	return n;
}

// Everything the allocator reports agrees with the model and with itself.
static void check_state(void)
{
	struct blk_list *l = free_blocks();
	static uint8_t seen[RMAX];
	uint64_t walk[BUDDY_MAX_NODES][BUDDY_MAX_ORDER + 1] = { { 0 } };
	uint64_t used = 0, freep = 0;

	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < l->n; i++) {
		struct blk *b = &l->b[i];
		assert_true(b->pfn % (1ULL << b->order) == 0);
		for (uint64_t q = b->pfn; q < b->pfn + (1ULL << b->order); q++) {
			assert_true(q < RMAX);
			assert_int_equal(model[q], M_FREE);     // not live, reserved or a hole
			assert_int_equal(rspan_of[q], rspan_of[b->pfn]);
			assert_int_equal(seen[q], 0);           // free blocks do not overlap
			seen[q] = 1;
		}
		assert_int_equal(rspans[rspan_of[b->pfn]].nid, b->nid);
		walk[b->nid][b->order]++;
		freep += 1ULL << b->order;
	}
	for (uint64_t pfn = 0; pfn < RMAX; pfn++) {
		assert_int_equal(seen[pfn], model[pfn] == M_FREE);
		assert_int_equal(buddy_page_is_free(pfn), model[pfn] == M_FREE);
	}
	for (int i = 0; i < nlive; i++)
		used += 1ULL << live[i].order;
	// buddyinfo: the counters match the walk, per node and summed.
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t sum = 0;
		for (int n = 0; n < BUDDY_MAX_NODES; n++) {
			assert_int_equal(buddy_nr_free(n, k), walk[n][k]);
			sum += walk[n][k];
		}
		assert_int_equal(buddy_nr_free(-1, k), sum);
	}
	assert_int_equal(buddy_free_pages(-1), freep);
	assert_int_equal(buddy_free_pages(0) + buddy_free_pages(1), freep);
	assert_int_equal(freep + used, total);
}

// The node alloc_pages must pick (nid first, then 0, 1, ...), or -1.
static int expected_node(int nid, unsigned order)
{
	for (int i = -1; i < BUDDY_MAX_NODES; i++) {
		int n = i < 0 ? nid : i;
		if (n < 0 || (i >= 0 && n == nid))
			continue;
		for (unsigned k = order; k <= BUDDY_MAX_ORDER; k++)
			if (buddy_nr_free(n, k))
				return n;
	}
	return -1;
}

static void model_alloc(int nid, unsigned order)
{
	int want = order > BUDDY_MAX_ORDER ? -1 : expected_node(nid, order);
	uint64_t before[BUDDY_MAX_ORDER + 1] = { 0 };
	unsigned from = order;
	struct page *pg;

	if (want >= 0) {
		for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
			before[k] = buddy_nr_free(want, k);
		while (!before[from])
			from++;
	}
	pg = alloc_pages(nid, order);
	if (want < 0) {
		assert_null(pg);
		return;
	}
	assert_non_null(pg);
	assert_int_equal(pg->nid, want);
	assert_int_equal(pg->order, order);
	assert_int_equal(pg->refcount, 1);
	// The smallest fitting block was split: one fewer at `from`, one more
	// at each order in [order, from).
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t w = before[k] - (k == from) + (k >= order && k < from);
		assert_int_equal(buddy_nr_free(want, k), w);
	}
	uint64_t pfn = page_to_pfn(pg);
	assert_true(pfn % (1ULL << order) == 0);
	for (uint64_t q = pfn; q < pfn + (1ULL << order); q++) {
		assert_true(q < RMAX);
		assert_int_equal(model[q], M_FREE);     // no overlap with a live block
		assert_int_equal(rspan_of[q], rspan_of[pfn]);
		model[q] = M_USED;
	}
	live[nlive++] = (struct live){ pg, pfn, order };
}

static void model_free(int i)
{
	struct live b = live[i];

	free_pages(b.pg, b.order);
	for (uint64_t q = b.pfn; q < b.pfn + (1ULL << b.order); q++)
		model[q] = M_FREE;
	live[i] = live[--nlive];
}

static void assert_fully_coalesced(void)
{
	static struct blk want[RMAX];
	struct blk_list *l = free_blocks();
	int n = expected_blocks(want);

	assert_int_equal(l->n, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(l->b[i].pfn, want[i].pfn);
		assert_int_equal(l->b[i].order, want[i].order);
		assert_int_equal(l->b[i].nid, want[i].nid);
	}
}

// Thousands of random allocations and frees of random orders on random
// nodes (fixed seed), checked against a per-page model: live blocks never
// overlap each other, reserved pages or holes; free + allocated == total;
// the counters match a walk of the lists; and once everything is freed the
// lists hold exactly the maximal aligned blocks of each span.
static void test_randomized(void **state)
{
	static struct blk gives[RMAX];
	int ngives = 0;

	memset(model, M_HOLE, sizeof(model));
	for (uint64_t p = 0; p < RMAX; p++)
		rspan_of[p] = -1;
	total = 0;
	nlive = 0;
	for (int s = 0; s < NR_RSPANS; s++) {
		add_span(rspans[s].nid, rspans[s].start, rspans[s].end - rspans[s].start);
		for (uint64_t p = rspans[s].start; p < rspans[s].end; p++) {
			rspan_of[p] = s;
			model[p] = rnd() % 32 == 0 ? M_RESV : M_FREE;
		}
	}
	for (uint64_t p = 2100; p < 2180; p++)          // one longer reservation
		model[p] = M_RESV;

	// Hand off each free run in §3.8 chunks, half of them broken into
	// single pages, all in a shuffled order.
	for (uint64_t p = 0; p < RMAX;) {
		if (model[p] != M_FREE) {
			p++;
			continue;
		}
		uint64_t e = p;
		while (e < RMAX && model[e] == M_FREE && rspan_of[e] == rspan_of[p])
			e++;
		total += e - p;
		while (p < e) {
			unsigned o = chunk_order(p, e);
			if (rnd() & 1) {
				gives[ngives++] = (struct blk){ p, o, 0 };
			} else {
				for (uint64_t q = p; q < p + (1ULL << o); q++)
					gives[ngives++] = (struct blk){ q, 0, 0 };
			}
			p += 1ULL << o;
		}
	}
	for (int i = ngives - 1; i > 0; i--) {
		int j = (int)(rnd() % (uint64_t)(i + 1));
		struct blk t = gives[i]; gives[i] = gives[j]; gives[j] = t;
	}
	for (int i = 0; i < ngives; i++)
		buddy_free_boot(gives[i].pfn, gives[i].order, NULL);
	check_state();
	assert_fully_coalesced();

	for (int op = 0; op < 30000; op++) {
		if (nlive > 0 && (rnd() % 100 < 45 || nlive == 20000)) {
			model_free((int)(rnd() % (uint64_t)nlive));
		} else {
			unsigned order = rnd() % 4 ? rnd() % 4 : rnd() % 12;
			int nid = (int)(rnd() % 4) - 1;         // -1, 0, 1, or 2 (empty)
			model_alloc(nid, order);
		}
		if (op % 1000 == 0)
			check_state();
	}
	check_state();
	while (nlive)
		model_free((int)(rnd() % (uint64_t)nlive));
	check_state();
	assert_fully_coalesced();
	assert_int_equal(buddy_free_pages(-1), total);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_page_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handoff_singles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handoff_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_merge_across_spans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_node_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_bugs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_boot_bugs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_randomized, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
