// Tests of the boot accounting invariant (mm/account.c). The invariant must
// hold for a correct handoff and FAIL, with a message that says why, for
// each way a handoff can go wrong: a reserved page or an early allocation
// given to the buddy, a page given twice or outside RAM, counters that
// disagree, and pages silently held back.
#include "mm_env.h"
#include "../../mm/account.h"

#define PG 4096ULL
#define MAXB 64

// A fake buddy: the blocks "in" it, as the walk callback reports them.
static struct { uint64_t pfn; unsigned order; int nid; } blocks[MAXB];
static int nblocks;

static void add_block(uint64_t pfn, unsigned order, int nid)
{
	blocks[nblocks].pfn = pfn;
	blocks[nblocks].order = order;
	blocks[nblocks].nid = nid;
	nblocks++;
}

static void walk(acct_block_fn fn, void *arg)
{
	for (int i = 0; i < nblocks; i++)
		fn(blocks[i].pfn, blocks[i].order, blocks[i].nid, arg);
}

static uint64_t counted(void)
{
	uint64_t n = 0;
	for (int i = 0; i < nblocks; i++)
		n += 1ULL << blocks[i].order;
	return n;
}

//   RAM  0x80000000 ............................ 0x80010000  (16 pages, node 0)
//   resv [0x80000000, 0x80001800)  -> pages 0,1 (rounded outward)
//   early [0x80004000, +0x10)      -> page 4
//   free: pages 2,3 (order 1), 8..15 (order 3); pages 5,6,7 lost
static struct memmap map;
static struct acct_region early[4];

static int setup(void **state)
{
	memset(&map, 0, sizeof(map));
	map.nbanks = 1;
	map.nnodes = 1;
	map.bank[0] = (struct memmap_bank){ 0x80000000, 16 * PG, 0 };
	map.nresv = 1;
	map.resv[0] = (struct memmap_resv){ .base = 0x80000000, .size = 0x1800, .origin = MEMMAP_FIRMWARE };
	early[0] = (struct acct_region){ 0x80004000, 0x10 };
	nblocks = 0;
	add_block(0x80002, 1, 0);
	add_block(0x80008, 3, 0);
	return 0;
}

// A correct handoff: every term as drawn above, and the lost pages agree
// with what the allocator reported.
static void test_balanced(void **state)
{
	struct acct_node n[1];
	char err[160];
	assert_int_equal(account_check(&map, early, 1, walk, counted(), 3, n, err, sizeof(err)), 0);
	assert_int_equal(n[0].ram, 16);
	assert_int_equal(n[0].reserved, 2);
	assert_int_equal(n[0].early, 1);
	assert_int_equal(n[0].buddy, 10);
	assert_int_equal(n[0].lost, 3);
}

// Lost pages the allocator did not own up to are a failure.
static void test_unreported_loss(void **state)
{
	struct acct_node n[1];
	char err[160];
	assert_int_equal(account_check(&map, early, 1, walk, counted(), 0, n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "neither free, reserved nor early-allocated"));
	assert_non_null(strstr(err, "found=3"));
}

// A free block over a reservation: the firmware page reached the buddy.
static void test_reservation_in_buddy(void **state)
{
	struct acct_node n[1];
	char err[160];
	add_block(0x80001, 0, 0);
	assert_int_equal(account_check(&map, early, 1, walk, counted(), 2, n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "reservation reached the buddy"));
	assert_non_null(strstr(err, "pfn=524289"));
}

// A free block over an early allocation.
static void test_early_in_buddy(void **state)
{
	struct acct_node n[1];
	char err[160];
	add_block(0x80004, 0, 0);
	assert_int_equal(account_check(&map, early, 1, walk, counted(), 2, n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "early allocation reached the buddy"));
}

// The buddy's own counter disagrees with its lists.
static void test_counter_mismatch(void **state)
{
	struct acct_node n[1];
	char err[160];
	assert_int_equal(account_check(&map, early, 1, walk, counted() + 1, 3, n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "counters disagree"));
}

// A page given twice makes more pages than RAM.
static void test_double_handoff(void **state)
{
	struct acct_node n[1];
	char err[160];
	add_block(0x80008, 3, 0);
	assert_int_equal(account_check(&map, early, 1, walk, counted(), 0, n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more pages accounted than RAM"));
}

// A block outside RAM, or filed under the wrong node.
static void test_outside_ram(void **state)
{
	struct acct_node n[1];
	char err[160];
	add_block(0x80010, 0, 0);
	assert_int_equal(account_check(&map, early, 1, walk, counted(), 3, n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "outside its node's RAM"));
}

//   node 0: [0x80000000, +8 pages)    node 1: [0x80010000, +8 pages)
//   (hole between them); a reservation that straddles nothing; each node
//   balances on its own.
static void test_two_nodes_with_hole(void **state)
{
	struct acct_node n[2];
	char err[160];
	map.nbanks = 2;
	map.nnodes = 2;
	map.bank[0] = (struct memmap_bank){ 0x80000000, 8 * PG, 0 };
	map.bank[1] = (struct memmap_bank){ 0x80010000, 8 * PG, 1 };
	map.nresv = 1;
	map.resv[0] = (struct memmap_resv){ .base = 0x80010000, .size = PG, .origin = MEMMAP_DTB };
	nblocks = 0;
	add_block(0x80000, 3, 0);
	add_block(0x80011, 0, 1);
	add_block(0x80012, 1, 1);
	add_block(0x80014, 2, 1);
	assert_int_equal(account_check(&map, NULL, 0, walk, counted(), 0, n, err, sizeof(err)), 0);
	assert_int_equal(n[0].ram, 8);
	assert_int_equal(n[0].buddy, 8);
	assert_int_equal(n[1].reserved, 1);
	assert_int_equal(n[1].buddy, 7);
	// The same block claimed by the wrong node fails.
	blocks[0].nid = 1;
	assert_int_equal(account_check(&map, NULL, 0, walk, counted(), 0, n, err, sizeof(err)), -1);
}

// Overlapping reservations and allocations count each page once; partial
// pages at a bank's ends are not RAM pages.
static void test_overlaps_and_partial_pages(void **state)
{
	struct acct_node n[1];
	char err[160];
	map.bank[0] = (struct memmap_bank){ 0x80000800, 16 * PG, 0 };  // 15 whole pages
	map.nresv = 2;
	map.resv[0] = (struct memmap_resv){ .base = 0x80001000, .size = 2 * PG, .origin = MEMMAP_KERNEL };
	map.resv[1] = (struct memmap_resv){ .base = 0x80002000, .size = 2 * PG, .origin = MEMMAP_DTB };
	early[0] = (struct acct_region){ 0x80003000, 2 * PG };   // overlaps resv[1] by a page
	nblocks = 0;
	add_block(0x80008, 3, 0);
	// pages 1..15 are RAM (15); reserved 1,2,3 (3); early 4 (1); free 8..15 (8); lost 5,6,7
	assert_int_equal(account_check(&map, early, 1, walk, counted(), 3, n, err, sizeof(err)), 0);
	assert_int_equal(n[0].ram, 15);
	assert_int_equal(n[0].reserved, 3);
	assert_int_equal(n[0].early, 1);
	assert_int_equal(n[0].lost, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_balanced, setup),
		cmocka_unit_test_setup(test_unreported_loss, setup),
		cmocka_unit_test_setup(test_reservation_in_buddy, setup),
		cmocka_unit_test_setup(test_early_in_buddy, setup),
		cmocka_unit_test_setup(test_counter_mismatch, setup),
		cmocka_unit_test_setup(test_double_handoff, setup),
		cmocka_unit_test_setup(test_outside_ram, setup),
		cmocka_unit_test_setup(test_two_nodes_with_hole, setup),
		cmocka_unit_test_setup(test_overlaps_and_partial_pages, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
