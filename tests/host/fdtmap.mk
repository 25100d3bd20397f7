# The device-tree reader (kernel/fdtmap.c + kernel/fdtdev.c), tested on the
# host against Debian's libfdt with the DTB fixtures of tests/dts/:
# test_fdtmap.c on well-formed trees, test_fdtmap_bad.c (fdtmap_bad.mk) on
# malformed ones. Both read the fixtures, so both depend on them here, after
# dtb.mk has defined DTB_FIXTURES (whatever order the .mk files are read in).
HOST_TEST_SRCS_fdtmap := kernel/fdtmap.c kernel/fdtdev.c
include tests/dts/dtb.mk
$(HOSTO)/test_fdtmap $(HOSTO)/test_fdtmap_bad: $(DTB_FIXTURES)
include tests/fuzz/fuzz.mk
