// Memory bring-up: the early allocator serves the kernel's first
// allocations, hands every free page to the buddy allocator, and the
// accounting invariant is checked before anything else runs.
#ifndef KERNEL_MMINIT_H
#define KERNEL_MMINIT_H

#include <stdint.h>
#include "../mm/account.h"
#include "fdtmap.h"

extern char *kbootargs;   // the kernel's own copy of /chosen/bootargs

void mm_init(const struct bootinfo *bi, uint64_t boothart);

// After mm_init: the accounting check's per-node results (*nnodes of
// them), and the machine description mm_init was given.
const struct acct_node *mm_accounting(int *nnodes);
const struct bootinfo *mm_bootinfo(void);
// After mm_init: where the device tree can be read with paging on (the
// blob itself, or a copy when a no-map region covers it); 0 if none.
const void *mm_devicetree(void);

#endif
