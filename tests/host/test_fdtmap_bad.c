// Host tests of the device-tree reader (kernel/fdtmap.c, kernel/fdtdev.c)
// on malformed trees: every one, whether compiled by dtc from tests/dts/bad-*
// or patched here in memory from a QEMU dump (bad headers, a corrupt
// structure block, bad cells, strings, values and limits), must be refused
// with its exact error code and text, by fdtmap_check and fdtmap_read alike.
// The well-formed trees are in test_fdtmap.c; the fixture helpers both use
// are in fdtmap_fixtures.h.
// Run from the top of the tree (FDTMAP_DTB_DIR overrides build/dtb).
#include "fdtmap_fixtures.h"

// ---- malformed headers ------------------------------------------------------------------------

// Bad magic: refused by both entry points, with libfdt's error name.
static void test_bad_magic(void **state)
{
	size_t len;
	uint8_t *fdt = load("qemu-128m-smp1.dtb", &len);

	fdt[0] ^= 0xff;
	expect_err(fdtmap_check(fdt, len, err, sizeof(err)), -EINVAL,
		   "bad magic 0x2f0dfeed, want 0xd00dfeed (FDT_ERR_BADMAGIC)");
	expect_err(fdtmap_read(fdt, 0, 0, 0, &bi, err, sizeof(err)), -EINVAL,
		   "bad magic 0x2f0dfeed");
	free(fdt);
}

// Truncated: a totalsize too small for the blocks the header names, a
// totalsize larger than the buffer, a buffer shorter than the header.
static void test_truncated(void **state)
{
	size_t len;
	void *fdt = load("qemu-128m-smp1.dtb", &len);

	fdt_set_totalsize(fdt, fdt_off_dt_strings(fdt));
	expect_err(fdtmap_read(fdt, 0, 0, 0, &bi, err, sizeof(err)), -EINVAL,
		   "bad header: the blocks do not fit in totalsize");
	assert_non_null(strstr(err, "(FDT_ERR_TRUNCATED)"));
	fdt_set_totalsize(fdt, len + 1);
	expect_err(fdtmap_check(fdt, len, err, sizeof(err)), -EINVAL, "truncated: totalsize");
	assert_non_null(strstr(err, "bytes present (FDT_ERR_TRUNCATED)"));
	fdt_set_totalsize(fdt, len);
	assert_int_equal(fdtmap_check(fdt, len, err, sizeof(err)), 0);
	expect_err(fdtmap_check(fdt, 39, err, sizeof(err)), -EINVAL,
		   "truncated: 39 bytes cannot hold the 40-byte header (FDT_ERR_TRUNCATED)");
	expect_err(fdtmap_check(NULL, 0, err, sizeof(err)), -EINVAL, "no device tree");
	free(fdt);
}

// Oversized: a consistent blob of 3 MiB passes fdtmap_check's buffer test
// but not the 2 MiB limit; a buffer longer than totalsize is fine.
static void test_oversized(void **state)
{
	size_t len, big = 3 * MiB;
	void *fdt = load("qemu-128m-smp1.dtb", &len);
	void *buf = calloc(1, big);

	assert_non_null(buf);
	memcpy(buf, fdt, len);
	assert_int_equal(fdtmap_check(buf, big, err, sizeof(err)), 0);
	fdt_set_totalsize(buf, big);
	expect_err(fdtmap_check(buf, big, err, sizeof(err)), -EINVAL,
		   "totalsize 0x300000 exceeds the 2 MiB limit");
	expect_err(fdtmap_read(buf, 0, 0, 0, &bi, err, sizeof(err)), -EINVAL,
		   "totalsize 0x300000 exceeds the 2 MiB limit");
	fdt_set_totalsize(buf, 2 * MiB);
	assert_int_equal(read_buf(buf, big, 0, 0, 0), 0);
	free(buf);
	free(fdt);
}

// Unsupported versions: libfdt's own limits (last compatible 18) and ours
// (version 16 has no size_dt_struct to bound the structure block).
static void test_bad_version(void **state)
{
	size_t len;
	void *fdt = load("qemu-128m-smp1.dtb", &len);

	fdt_set_last_comp_version(fdt, 18);
	expect_err(fdtmap_check(fdt, len, err, sizeof(err)), -EOPNOTSUPP,
		   "unsupported version 17 (last compatible 18; ");
	assert_non_null(strstr(err, "(FDT_ERR_BADVERSION)"));
	fdt_set_last_comp_version(fdt, 16);
	fdt_set_version(fdt, 16);
	expect_err(fdtmap_read(fdt, 0, 0, 0, &bi, err, sizeof(err)), -EOPNOTSUPP,
		   "unsupported version 16 (last compatible 16; want version >= 17");
	free(fdt);
}

// A blob not on an 8-byte boundary is refused rather than read unaligned.
static void test_misaligned(void **state)
{
	size_t len;
	void *fdt = load("qemu-128m-smp1.dtb", &len);
	uint8_t *buf = malloc(len + 8);

	memcpy(buf + 4, fdt, len);
	expect_err(fdtmap_check(buf + 4, len, err, sizeof(err)), -EINVAL,
		   "is not 8-byte aligned");
	free(buf);
	free(fdt);
}

// Blocks the spec aligns (/memreserve/ to 8, structure to 4) but a header
// misplaces: refused, since libfdt would load from them unaligned.
static void test_misaligned_blocks(void **state)
{
	size_t len;
	void *fdt = load("qemu-128m-smp1.dtb", &len);
	uint32_t rsv = fdt_off_mem_rsvmap(fdt);

	fdt_set_off_mem_rsvmap(fdt, rsv + 4);
	expect_err(fdtmap_check(fdt, len, err, sizeof(err)), -EINVAL,
		   "bad header: misaligned block (/memreserve/ at ");
	fdt_set_off_mem_rsvmap(fdt, rsv);
	fdt_set_off_dt_struct(fdt, fdt_off_dt_struct(fdt) + 2);
	expect_err(fdtmap_read(fdt, 0, 0, 0, &bi, err, sizeof(err)), -EINVAL,
		   "; want 8- and 4-byte aligned)");
	free(fdt);
}

// The structure block is checked before libfdt walks it: an unknown tag,
// and a property length of 0xfffffff4 (-12), which sends libfdt up to 1.6.1
// round the same property forever (the fuzzer found it).
static void test_bad_structure(void **state)
{
	size_t len;
	uint8_t *fdt = load("qemu-128m-smp1.dtb", &len);
	int cpus = fdt_path_offset(fdt, "/cpus"), prop;
	char want[96];

	fdt[fdt_off_dt_struct(fdt) + cpus + 3] = 0x42;  // FDT_BEGIN_NODE -> 0x42
	snprintf(want, sizeof(want), "corrupt structure block: unknown tag at offset 0x%x "
		 "(FDT_ERR_BADSTRUCTURE)", cpus);
	expect_err(fdtmap_check(fdt, len, err, sizeof(err)), -EINVAL, want);
	expect_err(fdtmap_read(fdt, 0, 0, 0, &bi, err, sizeof(err)), -EINVAL, want);
	fdt[fdt_off_dt_struct(fdt) + cpus + 3] = FDT_BEGIN_NODE;
	assert_int_equal(fdtmap_check(fdt, len, err, sizeof(err)), 0);

	prop = fdt_first_property_offset(fdt, fdt_path_offset(fdt, "/cpus/cpu@0"));
	assert_true(prop > 0);
	// struct fdt_property: tag, len, nameoff; len becomes -12
	memcpy(fdt + fdt_off_dt_struct(fdt) + prop + 4, "\xff\xff\xff\xf4", 4);
	snprintf(want, sizeof(want), "corrupt structure block: property runs past its block "
		 "at offset 0x%x", prop);
	expect_err(fdtmap_check(fdt, len, err, sizeof(err)), -EINVAL, want);
	expect_err(fdtmap_read(fdt, 0, 0, 0, &bi, err, sizeof(err)), -EINVAL, want);
	free(fdt);

	// The block ends END_NODE (the root's), END: end early, or never.
	fdt = load("qemu-128m-smp1.dtb", &len);
	uint8_t *end = fdt + fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt);
	memcpy(end - 8, "\0\0\0\x09", 4);               // FDT_END
	expect_err(fdtmap_check(fdt, len, err, sizeof(err)), -EINVAL,
		   "corrupt structure block: FDT_END inside a node");
	memcpy(end - 8, "\0\0\0\x02", 4);               // FDT_END_NODE again
	memcpy(end - 4, "\0\0\0\x04", 4);               // FDT_NOP
	expect_err(fdtmap_check(fdt, len, err, sizeof(err)), -EINVAL,
		   "corrupt structure block: no FDT_END");
	free(fdt);
}

// ---- malformed trees --------------------------------------------------------------------------

// No memory node (one without device_type does not count).
static void test_no_memory(void **state)
{
	expect_fixture_err("bad-nomem.dtb", -EINVAL,
			   "no memory: no node with device_type = \"memory\" and a non-empty reg");
}

// reg of 12 bytes where a (base, size) pair is 16.
static void test_reg_length(void **state)
{
	expect_fixture_err("bad-reglen.dtb", -EINVAL,
			   "reg length 12 is not a multiple of 16 (#address-cells + #size-cells): "
			   "/memory@80000000");
}

// #address-cells = 3 on a bus; #address-cells = 5 (libfdt refuses it).
static void test_cells_out_of_range(void **state)
{
	size_t len;
	void *fdt;

	expect_fixture_err("bad-cells3.dtb", -EINVAL,
			   "cells out of range (#address-cells = 3, #size-cells = 2; "
			   "want 1..2 and 0..2): /bus3");
	fdt = load_rw("qemu-128m-smp1.dtb", 256, &len);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 5), 0);
	expect_err(read_buf(fdt, len, 0, 0, 0), -EINVAL,
		   "cells out of range (#address-cells or #size-cells): / (FDT_ERR_BADNCELLS)");
	free(fdt);
}

// Strings: bootargs without a NUL, bootargs too long for bootinfo, and an
// unterminated stdout-path and status patched in.
static void test_bad_strings(void **state)
{
	size_t len;
	void *fdt;

	expect_fixture_err("bad-bootargs-noterm.dtb", -EINVAL,
			   "string property without terminator: /chosen/bootargs");
	expect_fixture_err("bad-bootargs-long.dtb", -ENOSPC,
			   "string property too long (300 bytes, at most 255): /chosen/bootargs");
	fdt = load_rw("qemu-128m-smp1.dtb", 256, &len);
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path",
				     "/soc", 4), 0);
	expect_err(read_buf(fdt, len, 0, 0, 0), -EINVAL,
		   "string property without terminator: /chosen/stdout-path");
	assert_int_equal(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path",
					    "/soc/serial@10000000"), 0);
	assert_int_equal(fdt_setprop(fdt, fdt_path_offset(fdt, "/soc/test@100000"), "status",
				     "okay", 4), 0);
	expect_err(read_buf(fdt, len, 0, 0, 0), -EINVAL,
		   "string property without terminator: /soc/test@100000/status");
	free(fdt);
}

// A dynamic reserved-memory region (size, no reg) is not supported.
static void test_dynamic_reserved(void **state)
{
	expect_fixture_err("bad-dynamic.dtb", -EOPNOTSUPP,
			   "dynamic reserved-memory (size/alignment/alloc-ranges) is not supported: "
			   "/reserved-memory/pool");
}

// Overlapping banks: the error names both nodes and ranges.
static void test_overlapping_banks(void **state)
{
	expect_fixture_err("bad-overlap-banks.dtb", -EINVAL,
			   "overlapping memory banks: /memory@80000000 [0x80000000, 0x88000000) "
			   "and /memory@84000000 [0x84000000, 0x8c000000)");
}

// Reservations outside RAM: wholly below it, and partly in a hole.
static void test_resv_outside_ram(void **state)
{
	expect_fixture_err("bad-resv-outside.dtb", -EINVAL,
			   "reservation outside RAM: /reserved-memory/low@70000000 "
			   "[0x70000000, 0x70001000)");
	expect_fixture_err("bad-resv-hole.dtb", -EINVAL,
			   "reservation outside RAM: memreserve[0] [0x83fff000, 0x84001000)");
}

// The DTB and the kernel must lie in RAM too, and the kernel's end must not
// be below its start.
static void test_dtb_kernel_outside_ram(void **state)
{
	expect_err(read_fixture("qemu-128m-smp1.dtb", 0x90000000, 0, 0), -EINVAL,
		   "reservation outside RAM: dtb [0x90000000, ");
	expect_err(read_fixture("qemu-128m-smp1.dtb", 0, 0x87ff0000, 0x88010000), -EINVAL,
		   "reservation outside RAM: kernel [0x87ff0000, 0x88010000)");
	expect_err(read_fixture("qemu-128m-smp1.dtb", 0, 0x80400000, 0x80200000), -EINVAL,
		   "kernel image end 0x80200000 is below its start 0x80400000");
}

// A no-map region over the kernel image: refused with both ranges. The
// same region is fine when it only touches the image, or with no kernel.
static void test_nomap_over_kernel(void **state)
{
	expect_err(read_fixture("bad-nomap-kernel.dtb", 0, 0x80200000, 0x80300000), -EINVAL,
		   "no-map reservation overlaps the kernel image [0x80200000, 0x80300000): "
		   "/reserved-memory/secure@802f0000 [0x802f0000, 0x80310000)");
	assert_int_equal(read_fixture("bad-nomap-kernel.dtb", 0, 0x80200000, 0x802f0000), 0);
	assert_int_equal(read_fixture("bad-nomap-kernel.dtb", 0, 0, 0), 0);
}

// Device registers inside a RAM bank: the error names the device and the bank.
static void test_device_in_ram(void **state)
{
	expect_fixture_err("bad-dev-in-ram.dtb", -EINVAL,
			   "device inside RAM: /soc/virtio_mmio@10002000 [0x80500000, 0x80501000) "
			   "overlaps /memory@80000000 [0x80000000, 0x88000000)");
}

// Overflow: a bank and a reservation whose ends wrap past 2^64.
static void test_overflow(void **state)
{
	expect_fixture_err("bad-mem-overflow.dtb", -EINVAL,
			   "memory bank 0xfffffffffffff000 + 0x2000 overflows: "
			   "/memory@fffffffffffff000");
	expect_fixture_err("bad-resv-overflow.dtb", -EINVAL,
			   "reservation overflows: memreserve[0] 0xfffffffffffff000 + 0x2000");
}

// numa-node-id beyond MEMMAP_MAX_NODES, an initrd ending before it starts,
// no-map with reusable, and one bank too many.
static void test_bad_values(void **state)
{
	expect_fixture_err("bad-numa.dtb", -EINVAL,
			   "numa-node-id 8 out of range (limit MEMMAP_MAX_NODES = 8): "
			   "/memory@80000000");
	expect_fixture_err("bad-initrd.dtb", -EINVAL,
			   "initrd end 0x83000000 is below its start 0x84000000: /chosen");
	expect_fixture_err("bad-nomap-reusable.dtb", -EINVAL,
			   "no-map and reusable together: /reserved-memory/both@84000000");
	expect_fixture_err("bad-many-banks.dtb", -ENOSPC,
			   "too many memory banks (limit MEMMAP_MAX_BANKS = 32): /memory@80000000");
}

// The initrd properties: an empty initrd (end == start) is no initrd, one
// property without the other is an error, and so is a 3-byte value.
static void test_initrd_edges(void **state)
{
	size_t len;
	void *fdt = load_rw("qemu-128m-smp1.dtb", 256, &len);
	int ch = fdt_path_offset(fdt, "/chosen");

	assert_int_equal(fdt_setprop_u32(fdt, ch, "linux,initrd-start", 0x84000000), 0);
	assert_int_equal(fdt_setprop_u64(fdt, ch, "linux,initrd-end", 0x84000000), 0);
	assert_int_equal(read_buf(fdt, len, 0, 0, 0), 0);
	assert_int_equal(bi.initrd_start, 0);
	assert_int_equal(bi.initrd_end, 0);
	assert_int_equal(bi.map.nresv, 0);
	assert_int_equal(fdt_delprop(fdt, ch, "linux,initrd-end"), 0);
	expect_err(read_buf(fdt, len, 0, 0, 0), -EINVAL,
		   "linux,initrd-start and -end must come together: /chosen");
	assert_int_equal(fdt_setprop(fdt, ch, "linux,initrd-end", "\x84\0\0", 3), 0);
	expect_err(read_buf(fdt, len, 0, 0, 0), -EINVAL,
		   "property of 3 bytes, want 4 or 8: /chosen/linux,initrd-end");
	free(fdt);
}

// The message is cut to fit err and always terminated; no buffer is fine.
static void test_small_err_buffer(void **state)
{
	size_t len;
	void *fdt = load("bad-nomem.dtb", &len);
	char small[10];

	memset(small, 'x', sizeof(small));
	assert_true(fdtmap_read(fdt, 0, 0, 0, &bi, small, sizeof(small)) < 0);
	assert_string_equal(small, "no memory");
	assert_int_equal(fdtmap_read(fdt, 0, 0, 0, &bi, NULL, 0), -EINVAL);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_misaligned),
		cmocka_unit_test(test_misaligned_blocks),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_reg_length),
		cmocka_unit_test(test_cells_out_of_range),
		cmocka_unit_test(test_bad_strings),
		cmocka_unit_test(test_dynamic_reserved),
		cmocka_unit_test(test_overlapping_banks),
		cmocka_unit_test(test_resv_outside_ram),
		cmocka_unit_test(test_dtb_kernel_outside_ram),
		cmocka_unit_test(test_nomap_over_kernel),
		cmocka_unit_test(test_device_in_ram),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_initrd_edges),
		cmocka_unit_test(test_small_err_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
