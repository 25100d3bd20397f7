HOST_TEST_SRCS_bump := mm/bump.c
