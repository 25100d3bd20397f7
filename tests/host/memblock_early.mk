HOST_TEST_SRCS_memblock_early := mm/memblock.c mm/memblock_alloc.c
