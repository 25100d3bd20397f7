// Host tests of the device-tree reader (kernel/fdtmap.c, kernel/fdtdev.c)
// on well-formed trees. QEMU virt's own trees, dumped at build time into
// build/dtb/, are checked against what this file reads from the same tree
// with plain libfdt calls; the hand-written trees of tests/dts/ cover holes,
// high memory, reservations, harts and devices. Every malformed tree (from
// dtc, or patched in memory) is refused with its exact error text in
// test_fdtmap_bad.c; the fixture helpers both use are in fdtmap_fixtures.h.
// Run from the top of the tree (FDTMAP_DTB_DIR overrides build/dtb).
#include "fdtmap_fixtures.h"

// ---- checking what was read ------------------------------------------------------------

// The invariants every successful read promises (mm/memmap.h).
static void check_invariants(void)
{
	const struct memmap *m = &bi.map;

	assert_true(m->nbanks >= 1 && m->nnodes >= 1);
	for (int i = 0; i < m->nbanks; i++) {
		assert_true(m->bank[i].size > 0);
		assert_true(m->bank[i].nid < m->nnodes);
		if (i)
			assert_true(m->bank[i - 1].base + m->bank[i - 1].size <= m->bank[i].base);
	}
	for (int i = 1; i < m->nresv; i++) {
		const struct memmap_resv *u = &m->resv[i - 1], *v = &m->resv[i];

		assert_true(u->base < v->base || (u->base == v->base && (u->size < v->size ||
			    (u->size == v->size && u->origin <= v->origin))));
	}
	for (int i = 1; i < bi.nvirtio; i++)
		assert_true(bi.virtio[i - 1].base < bi.virtio[i].base);
}

static void read_ok(const char *name, uint64_t dtb_pa, uint64_t ks, uint64_t ke)
{
	int rc = read_fixture(name, dtb_pa, ks, ke);

	if (rc)
		fail_msg("%s: fdtmap_read returned %d: %s", name, rc, err);
	assert_string_equal(err, "");
	check_invariants();
}

static void assert_bank(int i, uint64_t base, uint64_t size, int nid)
{
	const struct memmap_bank *b = &bi.map.bank[i];

	if (b->base != base || b->size != size || b->nid != nid)
		fail_msg("bank %d is [0x%lx +0x%lx nid %d], want [0x%lx +0x%lx nid %d]", i,
			 b->base, b->size, b->nid, base, size, nid);
}

static void assert_resv(int i, uint64_t base, uint64_t size, int origin, int flags,
			const char *name)
{
	const struct memmap_resv *v = &bi.map.resv[i];

	if (v->base != base || v->size != size || v->origin != origin || v->flags != flags ||
	    strcmp(v->name, name))
		fail_msg("resv %d is [0x%lx +0x%lx %s flags %d \"%s\"], want "
			 "[0x%lx +0x%lx %s flags %d \"%s\"]", i, v->base, v->size,
			 memmap_origin_name(v->origin), v->flags, v->name, base, size,
			 memmap_origin_name(origin), flags, name);
}

// ---- reading the tree independently, for the QEMU dumps ------------------------------

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

// reg[0] of node in its parent's cells, and interrupts[0].
static struct fdt_dev ref_dev(const void *fdt, int node)
{
	int parent = fdt_parent_offset(fdt, node), len;
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", NULL);
	struct fdt_dev d = { 0 };

	assert_non_null(reg);
	d.base = cells(reg, ac);
	d.size = cells(reg + ac, sc);
	d.irq = irq ? fdt32_to_cpu(irq[0]) : 0;
	d.present = 1;
	return d;
}

static void assert_dev(const struct fdt_dev *got, const struct fdt_dev *want, const char *what)
{
	if (got->present != want->present || got->base != want->base ||
	    got->size != want->size || got->irq != want->irq)
		fail_msg("%s is [0x%lx +0x%lx irq %u present %d], want [0x%lx +0x%lx irq %u]",
			 what, got->base, got->size, got->irq, got->present, want->base,
			 want->size, want->irq);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

// Everything fdtmap read from a QEMU dump, against plain libfdt lookups.
static void check_against_tree(const char *name)
{
	size_t len;
	void *fdt = load(name, &len);
	uint64_t vbase[16];
	int nb = 0, nv = 0, nh = 0, node, cpus, l;

	// Banks: every device_type = "memory" node, root cells (2, 2) on virt.
	for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	     node >= 0; node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) {
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &l);
		const fdt32_t *nid = fdt_getprop(fdt, node, "numa-node-id", NULL);
		int i;

		assert_int_equal(l, 16);
		for (i = 0; i < bi.map.nbanks && bi.map.bank[i].base != cells(reg, 2); i++)
			;
		assert_true(i < bi.map.nbanks);
		assert_bank(i, cells(reg, 2), cells(reg + 2, 2), nid ? (int)fdt32_to_cpu(*nid) : 0);
		nb++;
	}
	assert_int_equal(bi.map.nbanks, nb);

	// Harts: /cpus children with device_type = "cpu", in tree order.
	cpus = fdt_path_offset(fdt, "/cpus");
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", NULL);

		if (!type || strcmp(type, "cpu"))
			continue;
		assert_true(nh < bi.nharts);
		assert_int_equal(bi.hart[nh].hartid, fdt32_to_cpu(*reg));
		assert_string_equal(bi.hart[nh].isa, fdt_getprop(fdt, node, "riscv,isa", NULL));
		assert_int_equal(bi.hart[nh].okay, 1);
		nh++;
	}
	assert_int_equal(bi.nharts, nh);
	assert_int_equal(bi.timebase_hz,
			 fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(fdt, cpus, "timebase-frequency",
								   NULL)));

	// Devices: the uart is the stdout-path node; the others by compatible.
	const char *sp = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL);
	struct fdt_dev want = ref_dev(fdt, fdt_path_offset(fdt, sp));

	assert_string_equal(bi.stdout_path, sp);
	assert_dev(&bi.uart, &want, "uart");
	assert_int_equal(bi.uart_kind, FDT_UART_NS16550A);
	node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");
	want = ref_dev(fdt, node);
	assert_dev(&bi.plic, &want, "plic");
	assert_int_equal(bi.plic_ndev,
			 fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(fdt, node, "riscv,ndev", NULL)));
	want = ref_dev(fdt, fdt_node_offset_by_compatible(fdt, -1, "sifive,test0"));
	assert_dev(&bi.test, &want, "test");
	for (node = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio"))
		vbase[nv++] = ref_dev(fdt, node).base;
	qsort(vbase, nv, sizeof(vbase[0]), cmp_u64);
	assert_int_equal(bi.nvirtio, nv);
	for (int i = 0; i < nv; i++) {
		assert_int_equal(bi.virtio[i].base, vbase[i]);
		node = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio");
		while (ref_dev(fdt, node).base != vbase[i])
			node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio");
		want = ref_dev(fdt, node);
		assert_dev(&bi.virtio[i], &want, "virtio");
	}
	free(fdt);
}

// ---- QEMU's own trees ----------------------------------------------------------------------

// -m 128M -smp 1: one bank, one hart, QEMU's devices; the DTB (at 0x87e00000,
// the top 2 MiB of RAM) and a kernel at 0x80200000 are reserved, in order.
static void test_qemu_128m_smp1(void **state)
{
	read_ok("qemu-128m-smp1.dtb", 0x87e00000, 0x80200000, 0x80231000);
	check_against_tree("qemu-128m-smp1.dtb");
	assert_int_equal(bi.map.nbanks, 1);
	assert_bank(0, 0x80000000, 128 * MiB, 0);
	assert_int_equal(bi.map.nnodes, 1);
	assert_int_equal(bi.nharts, 1);
	assert_int_equal(bi.timebase_hz, 10000000);
	assert_int_equal(bi.has_sstc, 1);       // QEMU 7.2's riscv,isa ends in _sstc
	assert_int_equal(bi.uart.base, 0x10000000);
	assert_int_equal(bi.uart.irq, 10);
	assert_int_equal(bi.plic.base, 0xc000000);
	assert_int_equal(bi.test.base, 0x100000);
	assert_int_equal(bi.nvirtio, 8);
	assert_int_equal(bi.virtio[0].base, 0x10001000);
	assert_int_equal(bi.virtio[0].irq, 1);
	assert_int_equal(bi.dtb_base, 0x87e00000);
	assert_int_equal(bi.map.nresv, 2);
	assert_resv(0, 0x80200000, 0x31000, MEMMAP_KERNEL, 0, "");
	assert_resv(1, 0x87e00000, bi.dtb_size, MEMMAP_DTB, 0, "");
	assert_int_equal(bi.initrd_start, 0);
	assert_int_equal(bi.initrd_end, 0);
	assert_string_equal(bi.bootargs, "");
}

// -m 2G -smp 4: one 2 GiB bank and four harts 0..3.
static void test_qemu_2g_smp4(void **state)
{
	read_ok("qemu-2g-smp4.dtb", 0, 0, 0);
	check_against_tree("qemu-2g-smp4.dtb");
	assert_int_equal(bi.map.nbanks, 1);
	assert_bank(0, 0x80000000, 2 * GiB, 0);
	assert_int_equal(bi.nharts, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(bi.hart[i].hartid, i);
	assert_int_equal(bi.map.nresv, 0);
}

// Two NUMA nodes of 1 GiB (platform.md's options): a bank per node with its
// numa-node-id, a hart per node; of the two PLICs the first in the tree.
static void test_qemu_numa2(void **state)
{
	read_ok("qemu-numa2.dtb", 0, 0, 0);
	check_against_tree("qemu-numa2.dtb");
	assert_int_equal(bi.map.nbanks, 2);
	assert_bank(0, 0x80000000, 1 * GiB, 0);
	assert_bank(1, 0xc0000000, 1 * GiB, 1);
	assert_int_equal(bi.map.nnodes, 2);
	assert_int_equal(bi.nharts, 2);
	assert_int_equal(bi.hart[0].nid, 0);
	assert_int_equal(bi.hart[1].nid, 1);
	assert_int_equal(bi.plic.base, 0xc000000);
}

// -append and -initrd: bootargs as given, and QEMU's 32-bit
// linux,initrd-start/-end reserved as the initrd (4 KiB stand-in).
static void test_qemu_append_initrd(void **state)
{
	read_ok("qemu-append.dtb", 0, 0, 0);
	check_against_tree("qemu-append.dtb");
	assert_string_equal(bi.bootargs, "console=ttyS0 loglevel=7 fdtmap=yes");
	assert_int_equal(bi.initrd_end - bi.initrd_start, 4096);
	assert_int_equal(bi.map.nresv, 1);
	assert_resv(0, bi.initrd_start, 4096, MEMMAP_INITRD, 0, "");
}

// ---- hand-written trees ----------------------------------------------------------------------

// Holes: nodes out of order, two pairs in one node, a zero-size pair and a
// disabled node are all handled; the banks come out sorted.
static void test_holes(void **state)
{
	read_ok("holes.dtb", 0, 0, 0);
	assert_int_equal(bi.map.nbanks, 4);
	//  0x80000000    0x84000000  0x88000000  0x8a000000  0x90000000  0x91000000  0xa0000000   0xa8000000
	//  |== 64M ==|   hole       |== 32M ==|  hole       |== 16M ==|  hole       |== 128M ==|
	assert_bank(0, 0x80000000, 64 * MiB, 0);
	assert_bank(1, 0x88000000, 32 * MiB, 0);
	assert_bank(2, 0x90000000, 16 * MiB, 0);
	assert_bank(3, 0xa0000000, 128 * MiB, 0);
	assert_string_equal(bi.bootargs, "console=ttyS0 holes");
	// A kernel inside the first bank is fine.
	read_ok("holes.dtb", 0, 0x80200000, 0x80400000);
	assert_int_equal(bi.map.nresv, 1);
}

// 64-bit cells, RAM above 4 GiB on two nodes, a memory node under a bus of
// (1, 1) cells, and a reservation across two adjacent banks.
static void test_highmem(void **state)
{
	read_ok("highmem.dtb", 0, 0, 0);
	assert_int_equal(bi.map.nbanks, 4);
	assert_bank(0, 0x40000000, 1 * MiB, 0);         // from /bus32, one cell each
	assert_bank(1, 0x80000000, 2 * GiB, 0);
	assert_bank(2, 0x100000000, 4 * GiB, 0);        // adjacent to bank 1
	assert_bank(3, 0x400000000, 8 * GiB, 1);
	assert_int_equal(bi.map.nnodes, 2);
	assert_int_equal(bi.map.nresv, 2);
	//        bank 1 ends here: 0x100000000
	//  [0xfff00000 ........|........ 0x100100000)   across both: inside RAM
	assert_resv(0, 0xfff00000, 2 * MiB, MEMMAP_RESERVED_MEMORY, 0, "across@fff00000");
	assert_resv(1, 0x500000000, 16 * MiB, MEMMAP_RESERVED_MEMORY, MEMMAP_F_NOMAP,
		    "high@500000000");
}

// Every kind of reservation, in (base, size, origin) order: OpenSBI's
// mmode_resv0 (firmware, forced no-map), no-map, reusable, a two-pair node,
// /memreserve/ entries, a 64-bit initrd, the DTB and the kernel; the
// disabled dynamic node is skipped.
static void test_reservations(void **state)
{
	read_ok("resv.dtb", 0x87e00000, 0x80200000, 0x80400000);
	assert_int_equal(bi.map.nresv, 10);
	assert_resv(0, 0x80000000, 0x80000, MEMMAP_FIRMWARE, MEMMAP_F_NOMAP,
		    "mmode_resv0@80000000");
	assert_resv(1, 0x80200000, 0x200000, MEMMAP_KERNEL, 0, "");
	assert_resv(2, 0x83000000, 0x1000, MEMMAP_RESERVED_MEMORY, 0, "pair@83000000");
	assert_resv(3, 0x83100000, 0x2000, MEMMAP_RESERVED_MEMORY, 0, "pair@83000000");
	assert_resv(4, 0x84000000, 0x2000, MEMMAP_MEMRESERVE, 0, "memreserve[1]");
	assert_resv(5, 0x85000000, 0x400000, MEMMAP_RESERVED_MEMORY, MEMMAP_F_NOMAP,
		    "framebuffer@85000000");
	assert_resv(6, 0x86000000, 0x123456, MEMMAP_INITRD, 0, "");
	assert_resv(7, 0x86800000, 0x800000, MEMMAP_RESERVED_MEMORY, MEMMAP_F_REUSABLE,
		    "cma@86800000");
	assert_resv(8, 0x87e00000, bi.dtb_size, MEMMAP_DTB, 0, "");
	assert_resv(9, 0x87f00000, 0x100000, MEMMAP_MEMRESERVE, 0, "memreserve[0]");
	assert_int_equal(bi.initrd_start, 0x86000000);
	assert_int_equal(bi.initrd_end, 0x86123456);
	assert_string_equal(bi.bootargs, "console=ttyS0 root=/dev/ram");
}

// Overlapping reservations that share a base are all kept, ordered by
// (base, size, origin), and listing them in another order changes nothing:
//   0x80000000 |- memreserve 4K -|
//              |------ firmware 512K ------|
//              |-- reserved-memory 512K ---|
//              |------ memreserve 512K ----|
//              |------------- big 2M ------------------|
//                       0x80040000 |inside 4K|
static void test_overlap_order(void **state)
{
	struct memmap first;

	read_ok("resv-overlap.dtb", 0, 0, 0);
	assert_int_equal(bi.map.nresv, 6);
	assert_resv(0, 0x80000000, 0x1000, MEMMAP_MEMRESERVE, 0, "memreserve[1]");
	assert_resv(1, 0x80000000, 0x80000, MEMMAP_FIRMWARE, MEMMAP_F_NOMAP,
		    "mmode_resv0@80000000");
	assert_resv(2, 0x80000000, 0x80000, MEMMAP_RESERVED_MEMORY, 0, "same@80000000");
	assert_resv(3, 0x80000000, 0x80000, MEMMAP_MEMRESERVE, 0, "memreserve[0]");
	assert_resv(4, 0x80000000, 0x200000, MEMMAP_RESERVED_MEMORY, 0, "big@80000000");
	assert_resv(5, 0x80040000, 0x1000, MEMMAP_RESERVED_MEMORY, 0, "inside@80040000");
	first = bi.map;
	read_ok("resv-overlap2.dtb", 0, 0, 0);
	assert_int_equal(bi.map.nresv, first.nresv);
	for (int i = 0; i < first.nresv; i++) {
		// memreserve names carry their index, which the order changes
		assert_int_equal(bi.map.resv[i].base, first.resv[i].base);
		assert_int_equal(bi.map.resv[i].size, first.resv[i].size);
		assert_int_equal(bi.map.resv[i].origin, first.resv[i].origin);
		if (first.resv[i].origin != MEMMAP_MEMRESERVE)
			assert_string_equal(bi.map.resv[i].name, first.resv[i].name);
	}
}

// The devices of tests/dts/base.dtsi: by compatible, from their reg and
// interrupts; the virtio slots (written high first) sorted by base.
static void test_devices(void **state)
{
	struct fdt_dev uart = { 0x10000000, 0x100, 10, 1 }, plic = { 0xc000000, 0x600000, 0, 1 };
	struct fdt_dev test = { 0x100000, 0x1000, 0, 1 };
	struct fdt_dev v0 = { 0x10001000, 0x1000, 1, 1 }, v1 = { 0x10002000, 0x1000, 2, 1 };

	read_ok("holes.dtb", 0, 0, 0);
	assert_dev(&bi.uart, &uart, "uart");
	assert_dev(&bi.plic, &plic, "plic");
	assert_int_equal(bi.plic_ndev, 0x60);
	assert_dev(&bi.test, &test, "test");
	assert_int_equal(bi.nvirtio, 2);
	assert_dev(&bi.virtio[0], &v0, "virtio[0]");
	assert_dev(&bi.virtio[1], &v1, "virtio[1]");
	assert_string_equal(bi.stdout_path, "/soc/serial@10000000");
}

// stdout-path = "serial1:115200n8" goes through /aliases to the second
// UART, which then wins over the first ns16550a in the tree.
static void test_stdout_alias(void **state)
{
	struct fdt_dev want = { 0x10010000, 0x100, 12, 1 };

	read_ok("stdout.dtb", 0, 0, 0);
	assert_string_equal(bi.stdout_path, "serial1:115200n8");
	assert_dev(&bi.uart, &want, "uart");
}

// Harts in tree order with their ids, status, node ids and ISA strings; the
// timebase from a cpu node; Sstc from riscv,isa-extensions; a disabled hart
// does not count against has_sstc; cpu-map is not a hart.
static void test_harts(void **state)
{
	read_ok("harts.dtb", 0, 0, 0);
	assert_int_equal(bi.nharts, 3);
	assert_int_equal(bi.hart[0].hartid, 0);
	assert_int_equal(bi.hart[1].hartid, 1);
	assert_int_equal(bi.hart[2].hartid, 7);
	assert_int_equal(bi.hart[0].okay, 1);
	assert_int_equal(bi.hart[2].okay, 0);
	assert_int_equal(bi.hart[0].nid, 0);
	assert_int_equal(bi.hart[1].nid, 1);
	assert_string_equal(bi.hart[1].isa, "rv64imafdc_zicsr");
	assert_string_equal(bi.hart[2].isa, "rv64imac");
	assert_int_equal(bi.timebase_hz, 1000000);
	assert_int_equal(bi.has_sstc, 1);
	assert_null(bi.hart[0].unfit);
	assert_null(bi.hart[1].unfit);
	assert_string_equal(bi.hart[2].unfit, "status is not \"okay\"");
	read_ok("nosstc.dtb", 0, 0, 0);
	assert_int_equal(bi.has_sstc, 0);
}

#define UNFIT_ISA "its riscv,isa lacks rv64imafdc (the kernel is rv64imac, user programs rv64gc)"

// Which harts the kernel can run on, from mmu-type and riscv,isa (or
// riscv,isa-extensions); tests/dts/hart-fit.dts says why each is what it is.
static void test_hart_fit(void **state)
{
	static const char *const want[8] = {
		NULL, NULL, UNFIT_ISA, UNFIT_ISA,
		"its mmu-type is not riscv,sv39, sv48 or sv57", NULL, UNFIT_ISA,
		"it has neither riscv,isa nor riscv,isa-extensions",
	};

	read_ok("hart-fit.dtb", 0, 0, 0);
	assert_int_equal(bi.nharts, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(bi.hart[i].hartid, i);
		if (!want[i] != !bi.hart[i].unfit || (want[i] && strcmp(want[i], bi.hart[i].unfit)))
			fail_msg("hart %d: unfit is \"%s\", want \"%s\"", i,
				 bi.hart[i].unfit ? bi.hart[i].unfit : "(fit)", want[i] ? want[i] : "(fit)");
	}
	// Sstc is judged on the fit harts only: base.dtsi's two have it, the
	// fit cpu@5 (riscv,isa-extensions without sstc) has not.
	assert_int_equal(bi.has_sstc, 0);
}

// QEMU's sifive_u as make qemu BOARD=sifive_u starts it: the SiFive UART
// that stdout-path names (not the second one), no finisher, no virtio, the
// initrd, and hart 0, the E51 monitor core without an MMU, unfit.
static void test_sifive_u(void **state)
{
	struct fdt_dev uart = { 0x10010000, 0x1000, 4, 1 };
	struct fdt_dev plic = { 0xc000000, 0x4000000, 0, 1 };

	read_ok("qemu-sifive-u.dtb", 0, 0, 0);
	assert_int_equal(bi.uart_kind, FDT_UART_SIFIVE);
	assert_dev(&bi.uart, &uart, "uart");
	assert_dev(&bi.plic, &plic, "plic");
	assert_int_equal(bi.plic_ndev, 53);
	assert_int_equal(bi.test.present, 0);
	assert_int_equal(bi.nvirtio, 0);
	assert_true(bi.initrd_end > bi.initrd_start);
	assert_int_equal(bi.timebase_hz, 1000000);
	assert_int_equal(bi.has_sstc, 0);
	assert_int_equal(bi.nharts, 5);
	assert_string_equal(bi.hart[0].unfit, "it has no mmu-type, so no MMU");
	for (int i = 1; i < 5; i++)
		assert_null(bi.hart[i].unfit);
	assert_int_equal(bi.map.nbanks, 1);
	assert_bank(0, 0x80000000, 0x10000000, 0);
}

// A bank may end on the last byte of the address space; one byte more
// overflows and is refused, naming the bank:
//
//   0x80000000 [ 128 MiB ] ... 0xffffffff00000000 [ 4 GiB - 1 byte ] 2^64
static void test_bank_to_top(void **state)
{
	size_t len;
	void *fdt = load_rw("qemu-128m-smp1.dtb", 4096, &len);
	int node = fdt_add_subnode(fdt, 0, "memory@ffffffff00000000");
	fdt32_t reg[4] = { cpu_to_fdt32(0xffffffff), 0, 0, cpu_to_fdt32(0xffffffff) };

	assert_true(node >= 0);
	assert_int_equal(fdt_setprop_string(fdt, node, "device_type", "memory"), 0);
	assert_int_equal(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)), 0);
	assert_int_equal(read_buf(fdt, len, 0, 0, 0), 0);
	assert_int_equal(bi.map.nbanks, 2);
	assert_bank(1, 0xffffffff00000000ULL, 0xffffffffULL, 0);

	reg[2] = cpu_to_fdt32(1);
	reg[3] = 0;
	assert_int_equal(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)), 0);
	expect_err(read_buf(fdt, len, 0, 0, 0), -EINVAL,
		   "memory bank 0xffffffff00000000 + 0x100000000 overflows");
	free(fdt);
}

// 320 /memreserve/ entries fill the map exactly; the 321st is refused.
static void test_resv_limit(void **state)
{
	size_t len;
	void *fdt = load_rw("qemu-128m-smp1.dtb", 8192, &len);

	for (int i = 0; i < MEMMAP_MAX_RESV; i++)
		assert_int_equal(fdt_add_mem_rsv(fdt, 0x80000000 + i * 0x1000ull, 0x1000), 0);
	assert_int_equal(read_buf(fdt, len, 0, 0, 0), 0);
	assert_int_equal(bi.map.nresv, MEMMAP_MAX_RESV);
	assert_int_equal(fdt_add_mem_rsv(fdt, 0x81000000, 0x1000), 0);
	expect_err(read_buf(fdt, len, 0, 0, 0), -ENOSPC,
		   "too many reservations (limit MEMMAP_MAX_RESV = 320): memreserve[320]");
	free(fdt);
}

// Eight harts fit; a ninth cpu node is refused, naming the limit.
static void test_hart_limit(void **state)
{
	size_t len;
	void *fdt = load_rw("qemu-128m-smp1.dtb", 4096, &len);
	int cpus = fdt_path_offset(fdt, "/cpus");

	for (int id = 8; id >= 1; id--) {
		char name[16];
		int node;

		snprintf(name, sizeof(name), "cpu@%d", id);
		node = fdt_add_subnode(fdt, cpus, name);
		assert_true(node >= 0);
		assert_int_equal(fdt_setprop_string(fdt, node, "device_type", "cpu"), 0);
		assert_int_equal(fdt_setprop_u32(fdt, node, "reg", id), 0);
	}
	// libfdt adds a node as its parent's first child: nine cpu nodes, 1..8 then 0.
	expect_err(read_buf(fdt, len, 0, 0, 0), -ENOSPC,
		   "too many harts (limit FDT_MAX_HARTS = 8): /cpus/cpu@0");
	assert_int_equal(fdt_del_node(fdt, fdt_path_offset(fdt, "/cpus/cpu@8")), 0);
	assert_int_equal(read_buf(fdt, len, 0, 0, 0), 0);
	assert_int_equal(bi.nharts, 8);
	free(fdt);
}

// Each origin has its report name; anything else is "unknown".
static void test_origin_names(void **state)
{
	assert_string_equal(memmap_origin_name(MEMMAP_FIRMWARE), "firmware");
	assert_string_equal(memmap_origin_name(MEMMAP_RESERVED_MEMORY), "reserved-memory");
	assert_string_equal(memmap_origin_name(MEMMAP_MEMRESERVE), "memreserve");
	assert_string_equal(memmap_origin_name(MEMMAP_DTB), "dtb");
	assert_string_equal(memmap_origin_name(MEMMAP_KERNEL), "kernel");
	assert_string_equal(memmap_origin_name(MEMMAP_INITRD), "initrd");
	assert_string_equal(memmap_origin_name(MEMMAP_NR_ORIGINS), "unknown");
	assert_string_equal(memmap_origin_name(-1), "unknown");
}

// The bootable holes tree reads cleanly with the DTB where QEMU puts it for
// -m 256M (0x8fe00000) and the kernel at 0x80200000.
static void test_holes_boot(void **state)
{
	read_ok("holes-boot.dtb", 0x8fe00000, 0x80200000, 0x80300000);
	assert_int_equal(bi.map.nbanks, 2);
	assert_bank(0, 0x80000000, 96 * MiB, 0);
	assert_bank(1, 0x88000000, 128 * MiB, 0);
	assert_int_equal(bi.nharts, 2);
	assert_int_equal(bi.nvirtio, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_128m_smp1),
		cmocka_unit_test(test_qemu_2g_smp4),
		cmocka_unit_test(test_qemu_numa2),
		cmocka_unit_test(test_qemu_append_initrd),
		cmocka_unit_test(test_holes),
		cmocka_unit_test(test_highmem),
		cmocka_unit_test(test_bank_to_top),
		cmocka_unit_test(test_reservations),
		cmocka_unit_test(test_overlap_order),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_stdout_alias),
		cmocka_unit_test(test_harts),
		cmocka_unit_test(test_hart_fit),
		cmocka_unit_test(test_sifive_u),
		cmocka_unit_test(test_resv_limit),
		cmocka_unit_test(test_hart_limit),
		cmocka_unit_test(test_holes_boot),
		cmocka_unit_test(test_origin_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
