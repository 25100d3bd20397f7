HOST_TEST_SRCS_bootmem := mm/bootmem.c
