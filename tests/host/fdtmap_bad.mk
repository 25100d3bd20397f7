# The device-tree reader's malformed trees (test_fdtmap_bad.c), built against
# the same sources as test_fdtmap. fdtmap.mk includes the DTB fixtures and the
# fuzzer and gives this binary its fixture dependency; = (not :=) so the list
# is taken whichever .mk is read first.
HOST_TEST_SRCS_fdtmap_bad = $(HOST_TEST_SRCS_fdtmap)
