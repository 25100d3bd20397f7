HOST_TEST_SRCS_memblock := mm/memblock.c mm/memblock_alloc.c
