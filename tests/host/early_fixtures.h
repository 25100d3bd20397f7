// Checks shared by the host tests of the three early allocators (each test
// file is built against one of them, through mm/early.h).
#ifndef HOST_EARLY_FIXTURES_H
#define HOST_EARLY_FIXTURES_H

#include "mm_env.h"
#include "../../mm/early.h"

// A map that claims one bank or one reservation more than struct memmap
// holds is refused with err, and only its counts are read before that.
// *m comes back with its counts as they were.
static inline void assert_map_limits(struct memmap *m, int err)
{
	int nbanks = m->nbanks, nresv = m->nresv;

	m->nresv = MEMMAP_MAX_RESV + 1;
	assert_int_equal(early_init(m), err);
	m->nresv = nresv;
	m->nbanks = MEMMAP_MAX_BANKS + 1;
	assert_int_equal(early_init(m), err);
	m->nbanks = nbanks;
}

#endif
