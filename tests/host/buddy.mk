HOST_TEST_SRCS_buddy := mm/buddy.c
