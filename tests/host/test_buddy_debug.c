// Host tests of mm/buddy.c built with -DMM_DEBUG: every freed block, at the
// handoff and in free_pages, is filled with 0x6b so that a use after free
// reads junk; pages that stay reserved or allocated are left alone.
#include <stdlib.h>
#include "mm_env.h"
#include "../../mm/buddy.h"

#define BASE   0x80000000ULL
#define NPAGES 64

static struct page map[NPAGES];

static int setup(void **state)
{
	buddy_reset();
	host_arena_init(BASE, NPAGES * PAGE_SIZE);
	assert_int_equal(buddy_add_span(0, BASE >> PAGE_SHIFT, NPAGES, map), 0);
	return 0;
}

static int teardown(void **state)
{
	buddy_reset();
	host_arena_free();
	return 0;
}

static int all_bytes(uint64_t pfn, uint64_t npages, unsigned char v)
{
	const unsigned char *p = mm_phys_to_virt(pfn << PAGE_SHIFT);

	for (uint64_t i = 0; i < npages * PAGE_SIZE; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

// The handoff poisons what it hands over and nothing else.
//   arena: [ 2 reserved pages (stay 0) | 2 | 4 | 8 | 16 | 32 handed off (0x6b) ]
static void test_poison_handoff(void **state)
{
	uint64_t pfn0 = BASE >> PAGE_SHIFT;

	buddy_free_boot(pfn0 + 2, 1, NULL);
	buddy_free_boot(pfn0 + 4, 2, NULL);
	buddy_free_boot(pfn0 + 8, 3, NULL);
	buddy_free_boot(pfn0 + 16, 4, NULL);
	buddy_free_boot(pfn0 + 32, 5, NULL);
	assert_true(all_bytes(pfn0, 2, 0));
	assert_true(all_bytes(pfn0 + 2, NPAGES - 2, 0x6b));
}

// free_pages poisons the freed block; a live block keeps its contents.
static void test_poison_free(void **state)
{
	uint64_t pfn0 = BASE >> PAGE_SHIFT;
	struct page *a, *b;

	buddy_free_boot(pfn0, 6, NULL);
	a = alloc_pages(0, 2);
	b = alloc_pages(0, 0);
	assert_non_null(a);
	assert_non_null(b);
	memset(mm_phys_to_virt(page_to_pfn(a) << PAGE_SHIFT), 0x11, 4 * PAGE_SIZE);
	memset(mm_phys_to_virt(page_to_pfn(b) << PAGE_SHIFT), 0x22, PAGE_SIZE);
	free_pages(a, 2);
	assert_true(all_bytes(page_to_pfn(a), 4, 0x6b));
	assert_true(all_bytes(page_to_pfn(b), 1, 0x22));
	free_pages(b, 0);
	assert_true(all_bytes(pfn0, NPAGES, 0x6b));
	assert_int_equal(buddy_nr_free(0, 6), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_poison_handoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poison_free, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
