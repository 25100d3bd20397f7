# mm/bootmem.c from the handoff on: handoff, nodes, randomized run
# (test_bootmem_handoff.c); the rest is bootmem.mk.
HOST_TEST_SRCS_bootmem_handoff := mm/bootmem.c
