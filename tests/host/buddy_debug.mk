# The same allocator built with -DMM_DEBUG (poison on free), as DEBUG=1 does
# for the kernel.
HOST_TEST_SRCS_buddy_debug := mm/buddy.c
$(HOSTO)/test_buddy_debug: HOSTCFLAGS += -DMM_DEBUG
