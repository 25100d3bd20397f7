// The device-tree reader's core: the header, the RAM banks (every node with
// device_type = "memory") and the reservations (/reserved-memory children,
// /memreserve/ entries, the blob, the kernel, the initrd). On success the
// banks are sorted and disjoint, and the reservations are sorted by (base,
// size, origin) and lie inside RAM. After one bounded pass over the
// structure block, only libfdt's checked accessors touch the blob, and
// every loop has a bound. The property readers, harts and devices are in
// fdtdev.c.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libfdt.h>
#include "fdtmap.h"
#include "../mm/errno.h"

#define WALK_DEPTH 64           // parents remembered on the tree walk
#define HEADER_BYTES 40         // struct fdt_header, version 17

// ---- the header -----------------------------------------------------------------

static int check_header(struct fdtrd *r)
{
	const void *fdt = r->fdt;
	int rc;

	if (!fdt)
		return fdtrd_fail(r, -EINVAL, "no device tree (null pointer)", -1, NULL, 0);
	// libfdt and our own loads assume it; firmware always aligns the blob.
	if ((uintptr_t)fdt & 7) {
		fdtrd_s(r, "device tree at ");
		fdtrd_x(r, (uintptr_t)fdt);
		return fdtrd_fail(r, -EINVAL, " is not 8-byte aligned", -1, NULL, 0);
	}
	if (fdt_magic(fdt) != FDT_MAGIC) {
		fdtrd_s(r, "bad magic ");
		fdtrd_x(r, fdt_magic(fdt));
		fdtrd_s(r, ", want 0xd00dfeed");
		return fdtrd_end(r, -EINVAL, -FDT_ERR_BADMAGIC);
	}
	rc = fdt_check_header(fdt);
	if (rc == -FDT_ERR_BADVERSION || (rc == 0 && fdt_version(fdt) < 17)) {
		fdtrd_s(r, "unsupported version ");
		fdtrd_u(r, fdt_version(fdt));
		fdtrd_s(r, " (last compatible ");
		fdtrd_u(r, fdt_last_comp_version(fdt));
		fdtrd_s(r, "; want version >= 17, last compatible <= 17)");
		return fdtrd_end(r, -EOPNOTSUPP, rc);
	}
	if (rc < 0) {
		fdtrd_s(r, "bad header: the blocks do not fit in totalsize ");
		fdtrd_x(r, fdt_totalsize(fdt));
		return fdtrd_end(r, -EINVAL, rc);
	}
	// The spec aligns these blocks, and libfdt loads from them as if so
	// (fuzzing found the misaligned /memreserve/ case).
	if (fdt_off_mem_rsvmap(fdt) % 8 || fdt_off_dt_struct(fdt) % 4) {
		fdtrd_s(r, "bad header: misaligned block (/memreserve/ at ");
		fdtrd_x(r, fdt_off_mem_rsvmap(fdt));
		fdtrd_s(r, ", structure at ");
		fdtrd_x(r, fdt_off_dt_struct(fdt));
		fdtrd_s(r, "; want 8- and 4-byte aligned)");
		return -EINVAL;
	}
	if (fdt_totalsize(fdt) > FDTMAP_MAX_TOTALSIZE) {
		fdtrd_s(r, "totalsize ");
		fdtrd_x(r, fdt_totalsize(fdt));
		fdtrd_s(r, " exceeds the 2 MiB limit");
		return -EINVAL;
	}
	return 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int bad_structure(struct fdtrd *r, const char *what, uint32_t off)
{
	fdtrd_s(r, "corrupt structure block: ");
	fdtrd_s(r, what);
	fdtrd_s(r, " at offset ");
	fdtrd_x(r, off);
	return fdtrd_end(r, -EINVAL, -FDT_ERR_BADSTRUCTURE);
}

// One pass over the structure block with our own bounds, before libfdt
// walks it. libfdt up to 1.6.1 (Debian's and the kernel's) trusts a
// property's length: 0xfffffff4 makes fdt_next_tag return the offset it
// was given, and any walk over that node spins forever (fuzzing found it).
// After this pass every tag lies inside the block and moves the walk on.
static int check_structure(struct fdtrd *r)
{
	const uint8_t *s = (const uint8_t *)r->fdt + fdt_off_dt_struct(r->fdt);
	uint32_t size = fdt_size_dt_struct(r->fdt), off = 0, at, len;
	int depth = 0, roots = 0;

	while (off + 4 <= size) {       // size <= 2 MiB: no wrap below
		at = off;
		off += 4;
		switch (be32(s + at)) {
		case FDT_BEGIN_NODE:
			if (depth == 0 && roots++)
				return bad_structure(r, "a second root node", at);
			while (off < size && s[off])
				off++;
			if (off >= size)
				return bad_structure(r, "node name runs past the block", at);
			off = (off + 4) & ~3u;  // past the NUL, aligned
			depth++;
			break;
		case FDT_PROP:
			if (depth == 0 || size - off < 8)
				return bad_structure(r, "property outside a node", at);
			len = be32(s + off);
			off += 8;
			if (len > size - off || be32(s + off - 4) >= fdt_size_dt_strings(r->fdt))
				return bad_structure(r, "property runs past its block", at);
			off = (off + len + 3) & ~3u;
			break;
		case FDT_END_NODE:
			if (depth-- == 0)
				return bad_structure(r, "unbalanced FDT_END_NODE", at);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth || !roots)
				return bad_structure(r, "FDT_END inside a node", at);
			return 0;
		default:
			return bad_structure(r, "unknown tag", at);
		}
	}
	return bad_structure(r, "no FDT_END", off);
}

int fdtmap_check(const void *fdt, size_t buflen, char *err, size_t errlen)
{
	struct fdtrd rd = { .fdt = fdt, .err = err, .errlen = errlen };
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (fdt && buflen < HEADER_BYTES) {
		fdtrd_s(&rd, "truncated: ");
		fdtrd_u(&rd, buflen);
		return fdtrd_fail(&rd, -EINVAL, " bytes cannot hold the 40-byte header", -1, NULL,
				  -FDT_ERR_TRUNCATED);
	}
	rc = check_header(&rd);
	if (rc < 0)
		return rc;
	if (fdt_totalsize(fdt) > buflen) {
		fdtrd_s(&rd, "truncated: totalsize ");
		fdtrd_x(&rd, fdt_totalsize(fdt));
		fdtrd_s(&rd, " exceeds the ");
		fdtrd_x(&rd, buflen);
		return fdtrd_fail(&rd, -EINVAL, " bytes present", -1, NULL, -FDT_ERR_TRUNCATED);
	}
	return check_structure(&rd);
}

// The bytes of one (address, size) pair of a reg, or a named error when reg
// is not a whole number of pairs.
static int reg_pair_bytes(struct fdtrd *r, int node, int len, int ac, int sc)
{
	int pair = 4 * (ac + sc);
	if (len % pair == 0)
		return pair;
	fdtrd_s(r, "reg length ");
	fdtrd_u(r, len);
	fdtrd_s(r, " is not a multiple of ");
	fdtrd_u(r, pair);
	return fdtrd_fail(r, -EINVAL, " (#address-cells + #size-cells)", node, NULL, 0);
}

// ---- RAM banks -----------------------------------------------------------------

// One memory node: every non-empty (base, size) pair of its reg, in the
// parent's cells. status = "disabled" hides the node, as it does in Linux.
static int read_memory(struct fdtrd *r, int node, int parent)
{
	struct memmap *m = &r->bi->map;
	const uint8_t *reg;
	int ac, sc, nid, len, rc, pair;

	rc = fdtrd_okay(r, node);
	if (rc <= 0)
		return rc;
	if (parent < 0)
		parent = fdt_parent_offset(r->fdt, node);
	if (parent < 0)
		return fdtrd_fail(r, -EINVAL, "cannot find the parent of", node, NULL, parent);
	if ((rc = fdtrd_bus_cells(r, parent, &ac, &sc)) < 0 ||
	    (rc = fdtrd_nid(r, node, &nid)) < 0 ||
	    (rc = fdtrd_prop(r, node, "reg", &reg, &len)) < 0)
		return rc;
	if (rc == 0)
		return fdtrd_fail(r, -EINVAL, "memory node without reg", node, NULL, 0);
	if ((pair = reg_pair_bytes(r, node, len, ac, sc)) < 0)
		return pair;
	for (int off = 0; off < len; off += pair) {
		uint64_t base = fdtrd_cells(reg + off, ac);
		uint64_t size = fdtrd_cells(reg + off + 4 * ac, sc);

		if (size == 0)
			continue;
		if (size > UINT64_MAX - base) {
			fdtrd_s(r, "memory bank ");
			fdtrd_x(r, base);
			fdtrd_s(r, " + ");
			fdtrd_x(r, size);
			return fdtrd_fail(r, -EINVAL, " overflows", node, NULL, 0);
		}
		if (m->nbanks == MEMMAP_MAX_BANKS)
			return fdtrd_fail(r, -ENOSPC,
					  "too many memory banks (limit MEMMAP_MAX_BANKS = 32)",
					  node, NULL, 0);
		r->bank_node[m->nbanks] = node;
		m->bank[m->nbanks++] = (struct memmap_bank){ base, size, nid };
		if (nid + 1 > m->nnodes)
			m->nnodes = nid + 1;
	}
	return 0;
}

// Visit every node under the root once: memory nodes and devices. The
// parent of a node at depth d is the last node seen at depth d - 1.
static int walk(struct fdtrd *r)
{
	int parents[WALK_DEPTH];
	int depth = 0, prev = 0, node, rc;

	parents[0] = 0;
	for (node = fdt_next_node(r->fdt, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(r->fdt, node, &depth)) {
		const char *type;
		int parent = depth <= WALK_DEPTH ? parents[depth - 1] : -1;

		// libfdt's offsets only grow, so this ends; check rather than trust.
		if (node <= prev)
			return fdtrd_fail(r, -EINVAL, "corrupt structure block", -1, NULL, 0);
		prev = node;
		if (depth < WALK_DEPTH)
			parents[depth] = node;
		rc = fdtrd_str(r, node, "device_type", &type);
		if (rc < 0)
			return rc;
		if (rc > 0 && fdtrd_streq(type, "memory") && (rc = read_memory(r, node, parent)) < 0)
			return rc;
		if ((rc = fdtdev_node(r, node, parent)) < 0)
			return rc;
	}
	// A good tree ends with the root's END_NODE (depth -1), never with an error.
	if (node < 0)
		return fdtrd_fail(r, -EINVAL, "corrupt structure block", -1, NULL, node);
	return 0;
}

static int sort_banks(struct fdtrd *r)
{
	struct memmap *m = &r->bi->map;

	for (int i = 1; i < m->nbanks; i++) {
		struct memmap_bank b = m->bank[i];
		int node = r->bank_node[i], j = i;

		for (; j > 0 && m->bank[j - 1].base > b.base; j--) {
			m->bank[j] = m->bank[j - 1];
			r->bank_node[j] = r->bank_node[j - 1];
		}
		m->bank[j] = b;
		r->bank_node[j] = node;
	}
	for (int i = 1; i < m->nbanks; i++) {
		const struct memmap_bank *a = &m->bank[i - 1], *b = &m->bank[i];

		if (a->base + a->size > b->base) {
			fdtrd_s(r, "overlapping memory banks: ");
			fdtrd_range(r, r->bank_node[i - 1], a->base, a->base + a->size);
			fdtrd_s(r, " and ");
			fdtrd_range(r, r->bank_node[i], b->base, b->base + b->size);
			return -EINVAL;
		}
	}
	return 0;
}

// ---- reservations ----------------------------------------------------------------

// Is [base, base + size) covered by banks? They are sorted and disjoint,
// and a range may run across adjacent banks.
static bool in_ram(const struct memmap *m, uint64_t base, uint64_t size)
{
	uint64_t cur = base, end = base + size;

	for (int i = 0; i < m->nbanks && cur < end; i++) {
		const struct memmap_bank *b = &m->bank[i];

		if (b->base <= cur && cur < b->base + b->size)
			cur = b->base + b->size;
	}
	return cur >= end;
}

static int resv_fail(struct fdtrd *r, int err, const char *what, const char *name, int node,
		     uint64_t base, uint64_t size, bool range)
{
	fdtrd_s(r, what);
	fdtrd_s(r, ": ");
	if (node >= 0)
		fdtrd_node(r, node);
	else
		fdtrd_s(r, name);
	fdtrd_s(r, range ? " [" : " ");
	fdtrd_x(r, base);
	fdtrd_s(r, range ? ", " : " + ");
	fdtrd_x(r, range ? base + size : size);
	fdtrd_s(r, range ? ")" : "");
	return err;
}

// Add one reservation; name is the node's name (or "memreserve[i]", or ""),
// what names it in messages (the node's path when node >= 0).
static int add_resv(struct fdtrd *r, uint64_t base, uint64_t size, int origin, int flags,
		    const char *name, const char *what, int node)
{
	struct memmap *m = &r->bi->map;
	struct memmap_resv *v;
	int i;

	if (size == 0)
		return 0;
	if (size > UINT64_MAX - base)
		return resv_fail(r, -EINVAL, "reservation overflows", what, node, base, size, false);
	if (!in_ram(m, base, size))
		return resv_fail(r, -EINVAL, "reservation outside RAM", what, node, base, size, true);
	if (m->nresv == MEMMAP_MAX_RESV)
		return resv_fail(r, -ENOSPC, "too many reservations (limit MEMMAP_MAX_RESV = 320)",
				 what, node, base, size, true);
	v = &m->resv[m->nresv++];
	v->base = base;
	v->size = size;
	v->origin = (uint8_t)origin;
	v->flags = (uint8_t)flags;
	for (i = 0; i < MEMMAP_NAME_LEN - 1 && name[i]; i++)  // a label: cut to fit
		v->name[i] = name[i];
	v->name[i] = '\0';
	return 0;
}

static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix)
		s++, prefix++;
	return *prefix == '\0';
}

// A /reserved-memory child: static (reg) regions only.
static int read_resv_node(struct fdtrd *r, int node, int ac, int sc)
{
	static const char *const dynamic[] = { "size", "alignment", "alloc-ranges" };
	const uint8_t *reg, *v;
	const char *name;
	int len, vlen, rc, pair, origin = MEMMAP_RESERVED_MEMORY, flags = 0;

	rc = fdtrd_okay(r, node);
	if (rc <= 0)
		return rc;
	rc = fdtrd_prop(r, node, "reg", &reg, &len);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		for (int i = 0; i < 3; i++) {
			if ((rc = fdtrd_prop(r, node, dynamic[i], &v, &vlen)) < 0)
				return rc;
			if (rc)
				return fdtrd_fail(r, -EOPNOTSUPP, "dynamic reserved-memory "
						  "(size/alignment/alloc-ranges) is not supported",
						  node, NULL, 0);
		}
		return fdtrd_fail(r, -EINVAL, "reserved-memory node without reg", node, NULL, 0);
	}
	if ((rc = fdtrd_prop(r, node, "no-map", &v, &vlen)) < 0)
		return rc;
	flags |= rc ? MEMMAP_F_NOMAP : 0;
	if ((rc = fdtrd_prop(r, node, "reusable", &v, &vlen)) < 0)
		return rc;
	flags |= rc ? MEMMAP_F_REUSABLE : 0;
	if (flags == (MEMMAP_F_NOMAP | MEMMAP_F_REUSABLE))
		return fdtrd_fail(r, -EINVAL, "no-map and reusable together", node, NULL, 0);
	name = fdt_get_name(r->fdt, node, &vlen);
	if (!name)
		return fdtrd_fail(r, -EINVAL, "cannot read the name of", node, NULL, vlen);
	// OpenSBI's own region(s). OpenSBI 1.1 leaves out no-map, but PMP
	// denies S-mode every access to them, so a mapping (let alone an
	// allocation) there would fault: treat them as no-map regardless.
	if (starts_with(name, "mmode_resv")) {
		origin = MEMMAP_FIRMWARE;
		flags |= MEMMAP_F_NOMAP;
	}
	if ((pair = reg_pair_bytes(r, node, len, ac, sc)) < 0)
		return pair;
	for (int off = 0; off < len; off += pair) {
		uint64_t base = fdtrd_cells(reg + off, ac), size = fdtrd_cells(reg + off + 4 * ac, sc);

		rc = add_resv(r, base, size, origin, flags, name, NULL, node);
		if (rc < 0)
			return rc;
		// The kernel runs from its image with paging off, then from the
		// direct map, which leaves no-map regions out: an image under one
		// would stop at its first instruction fetch once paging is on.
		if ((flags & MEMMAP_F_NOMAP) && size && base < r->kernel_end &&
		    r->kernel_start < base + size) {
			fdtrd_s(r, "no-map reservation overlaps the kernel image [");
			fdtrd_x(r, r->kernel_start);
			fdtrd_s(r, ", ");
			fdtrd_x(r, r->kernel_end);
			fdtrd_s(r, ")");
			return resv_fail(r, -EINVAL, "", NULL, node, base, size, true);
		}
	}
	return 0;
}

static int read_reserved_memory(struct fdtrd *r)
{
	int rm = fdt_path_offset(r->fdt, "/reserved-memory"), ac, sc, node, rc;

	if (rm == -FDT_ERR_NOTFOUND)
		return 0;
	if (rm < 0)
		return fdtrd_fail(r, -EINVAL, "cannot look up /reserved-memory", -1, NULL, rm);
	if ((rc = fdtrd_bus_cells(r, rm, &ac, &sc)) < 0)
		return rc;
	for (node = fdt_first_subnode(r->fdt, rm); node >= 0;
	     node = fdt_next_subnode(r->fdt, node))
		if ((rc = read_resv_node(r, node, ac, sc)) < 0)
			return rc;
	if (node != -FDT_ERR_NOTFOUND)
		return fdtrd_fail(r, -EINVAL, "corrupt structure block", rm, NULL, node);
	return 0;
}

static int read_memreserve(struct fdtrd *r)
{
	int n = fdt_num_mem_rsv(r->fdt), rc;

	if (n < 0)
		return fdtrd_fail(r, -EINVAL, "corrupt /memreserve/ block", -1, NULL, n);
	for (int i = 0; i < n; i++) {
		char name[24] = "memreserve[";
		uint64_t base, size;
		int k = 11, d = 1;

		rc = fdt_get_mem_rsv(r->fdt, i, &base, &size);
		if (rc < 0)
			return fdtrd_fail(r, -EINVAL, "corrupt /memreserve/ block", -1, NULL, rc);
		while (d * 10 <= i)
			d *= 10;
		for (; d; d /= 10)
			name[k++] = (char)('0' + i / d % 10);
		name[k++] = ']';
		name[k] = '\0';
		rc = add_resv(r, base, size, MEMMAP_MEMRESERVE, 0, name, name, -1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

// ---- /chosen -----------------------------------------------------------------------

static int read_chosen(struct fdtrd *r)
{
	struct bootinfo *bi = r->bi;
	int ch = fdt_path_offset(r->fdt, "/chosen"), rc, rs, re;
	uint64_t start, end;
	const char *s;

	if (ch == -FDT_ERR_NOTFOUND)
		return 0;
	if (ch < 0)
		return fdtrd_fail(r, -EINVAL, "cannot look up /chosen", -1, NULL, ch);
	if ((rc = fdtrd_str(r, ch, "bootargs", &s)) < 0 ||
	    (rc && (rc = fdtrd_copy(r, bi->bootargs, sizeof(bi->bootargs), s, ch, "bootargs")) < 0))
		return rc;
	if ((rc = fdtrd_str(r, ch, "stdout-path", &s)) < 0 ||
	    (rc && (rc = fdtrd_copy(r, bi->stdout_path, sizeof(bi->stdout_path), s, ch,
				    "stdout-path")) < 0))
		return rc;
	if ((rs = fdtrd_num(r, ch, "linux,initrd-start", &start)) < 0 ||
	    (re = fdtrd_num(r, ch, "linux,initrd-end", &end)) < 0)
		return rs < 0 ? rs : re;
	if (rs != re)
		return fdtrd_fail(r, -EINVAL, "linux,initrd-start and -end must come together",
				  ch, NULL, 0);
	if (end < start) {
		fdtrd_s(r, "initrd end ");
		fdtrd_x(r, end);
		fdtrd_s(r, " is below its start ");
		fdtrd_x(r, start);
		return fdtrd_fail(r, -EINVAL, "", ch, NULL, 0);
	}
	if (end > start) {
		bi->initrd_start = start;
		bi->initrd_end = end;
	}
	return 0;
}

// Stable insertion sort by (base, size, origin): equal keys keep the order
// they were found in, which the blob fixes, so the result is deterministic.
static void sort_resv(struct memmap *m)
{
	for (int i = 1; i < m->nresv; i++) {
		struct memmap_resv v = m->resv[i];
		int j = i;

		for (; j > 0; j--) {
			const struct memmap_resv *u = &m->resv[j - 1];

			if (u->base < v.base || (u->base == v.base && (u->size < v.size ||
			    (u->size == v.size && u->origin <= v.origin))))
				break;
			m->resv[j] = m->resv[j - 1];
		}
		m->resv[j] = v;
	}
}

// ---- the whole read -------------------------------------------------------------

int fdtmap_read(const void *fdt, uint64_t dtb_pa, uint64_t kernel_start, uint64_t kernel_end,
		struct bootinfo *bi, char *err, size_t errlen)
{
	struct fdtrd rd = { .fdt = fdt, .bi = bi, .err = err, .errlen = errlen, .uart_node = -1,
			    .plic_node = -1, .test_node = -1,
			    .kernel_start = kernel_start, .kernel_end = kernel_end };
	struct fdtrd *r = &rd;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	for (size_t i = 0; i < sizeof(*bi); i++)  // no temporary on a small stack
		((uint8_t *)bi)[i] = 0;
	if ((rc = check_header(r)) < 0 || (rc = check_structure(r)) < 0)
		return rc;
	bi->dtb_base = dtb_pa;
	bi->dtb_size = fdt_totalsize(fdt);
	if ((rc = walk(r)) < 0)
		return rc;
	if (bi->map.nbanks == 0)
		return fdtrd_fail(r, -EINVAL, "no memory: no node with device_type = \"memory\" "
				  "and a non-empty reg", -1, NULL, 0);
	if (kernel_end < kernel_start) {      // before the no-map regions are checked against it
		fdtrd_s(r, "kernel image end ");
		fdtrd_x(r, kernel_end);
		fdtrd_s(r, " is below its start ");
		fdtrd_x(r, kernel_start);
		return -EINVAL;
	}
	if ((rc = sort_banks(r)) < 0 || (rc = read_chosen(r)) < 0 ||
	    (rc = read_reserved_memory(r)) < 0 || (rc = read_memreserve(r)) < 0)
		return rc;
	if (dtb_pa && (rc = add_resv(r, dtb_pa, bi->dtb_size, MEMMAP_DTB, 0, "", "dtb", -1)) < 0)
		return rc;
	if ((rc = add_resv(r, kernel_start, kernel_end - kernel_start, MEMMAP_KERNEL, 0, "",
			   "kernel", -1)) < 0 ||
	    (rc = add_resv(r, bi->initrd_start, bi->initrd_end - bi->initrd_start, MEMMAP_INITRD,
			   0, "", "initrd", -1)) < 0)
		return rc;
	sort_resv(&bi->map);
	if ((rc = fdtdev_harts(r)) < 0 || (rc = fdtdev_finish(r)) < 0)
		return rc;
	return 0;
}

const char *memmap_origin_name(int origin)
{
	static const char *const names[MEMMAP_NR_ORIGINS] = {
		[MEMMAP_FIRMWARE] = "firmware",
		[MEMMAP_RESERVED_MEMORY] = "reserved-memory",
		[MEMMAP_MEMRESERVE] = "memreserve",
		[MEMMAP_DTB] = "dtb",
		[MEMMAP_KERNEL] = "kernel",
		[MEMMAP_INITRD] = "initrd",
	};

	if (origin < 0 || origin >= MEMMAP_NR_ORIGINS)
		return "unknown";
	return names[origin];
}

const char *memmap_resv_label(const struct memmap_resv *r)
{
	return r->name[0] ? r->name : memmap_origin_name(r->origin);
}
