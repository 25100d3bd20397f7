HOST_TEST_SRCS_memblock_alloc := mm/memblock.c mm/memblock_alloc.c
