# mm/bootmem.c before the handoff: sizing, init, free/reserve, allocation
# (test_bootmem.c); the handoff, nodes and randomized run are bootmem_handoff.mk.
HOST_TEST_SRCS_bootmem := mm/bootmem.c
