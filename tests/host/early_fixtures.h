// Checks shared by the host tests of the three early allocators (each test
// file is built against one of them, through mm/early.h).
#ifndef HOST_EARLY_FIXTURES_H
#define HOST_EARLY_FIXTURES_H

#include "mm_env.h"
#include "../../mm/early.h"

// The contract of early.h, the same for all three allocators: a map that
// claims one bank or one reservation more than struct memmap holds is
// -ENOMEM; one with no bank or a negative reservation count is -EINVAL.
// Only the counts are read before that. *m comes back with its counts as
// they were.
static inline void assert_map_limits(struct memmap *m)
{
	int nbanks = m->nbanks, nresv = m->nresv;

	m->nresv = MEMMAP_MAX_RESV + 1;
	assert_int_equal(early_init(m), -ENOMEM);
	m->nresv = -1;
	assert_int_equal(early_init(m), -EINVAL);
	m->nresv = nresv;
	m->nbanks = MEMMAP_MAX_BANKS + 1;
	assert_int_equal(early_init(m), -ENOMEM);
	m->nbanks = 0;
	assert_int_equal(early_init(m), -EINVAL);
	m->nbanks = nbanks;
}

#endif
