// Commands that every early-allocator lab's driver shares (mm/early.h):
// "handoff" runs early_handoff and prints each block it gives as
// "give PFN ORDER", then "handoff PAGES". Include it once, in the driver.
#ifndef GRADER_EARLY_CMDS_H
#define GRADER_EARLY_CMDS_H

#include "driver.h"
#include "../../mm/early.h"

static void driver_give(uint64_t pfn, unsigned order, void *arg)
{
	say("give 0x%lx %u", pfn, order);
}

static void driver_handoff(const uint64_t *a)
{
	say("handoff %lu", early_handoff(driver_give, NULL));
}

#endif
