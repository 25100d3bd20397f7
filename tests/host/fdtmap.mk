# The device-tree reader (kernel/fdtmap.c + kernel/fdtdev.c), tested on the
# host against Debian's libfdt with the DTB fixtures of tests/dts/.
HOST_TEST_SRCS_fdtmap := kernel/fdtmap.c kernel/fdtdev.c
include tests/dts/dtb.mk
$(HOSTO)/test_fdtmap: $(DTB_FIXTURES)
include tests/fuzz/fuzz.mk
