// The reading toolkit fdtmap.c shares (the error message, checked property
// readers), then the harts under /cpus and the devices the kernel drives:
// the UART, an ns16550a or a sifive,uart0 (the one stdout-path names, when
// it is one of those), the PLIC, the SiFive test finisher and the
// virtio-mmio slots. Each device is found by compatible and read from its
// own reg and interrupts, never from hard-coded addresses.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libfdt.h>
#include "fdtmap.h"
#include "../mm/errno.h"

// ---- the error message ------------------------------------------------------

void fdtrd_s(struct fdtrd *r, const char *s)
{
	if (!r->err || r->errlen == 0)
		return;
	while (*s && r->epos + 1 < r->errlen)
		r->err[r->epos++] = *s++;
	r->err[r->epos] = '\0';
}

void fdtrd_x(struct fdtrd *r, uint64_t v)
{
	char buf[19];
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	fdtrd_s(r, &buf[i]);
}

void fdtrd_u(struct fdtrd *r, uint64_t v)
{
	char buf[21];
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fdtrd_s(r, &buf[i]);
}

void fdtrd_node(struct fdtrd *r, int node)
{
	char path[128];
	const char *name;

	if (fdt_get_path(r->fdt, node, path, sizeof(path)) == 0) {
		fdtrd_s(r, path);
		return;
	}
	// Too deep for path[] (or unreadable): the name alone still helps.
	name = fdt_get_name(r->fdt, node, NULL);
	fdtrd_s(r, ".../");
	fdtrd_s(r, name ? name : "?");
}

void fdtrd_range(struct fdtrd *r, int node, uint64_t base, uint64_t end)
{
	fdtrd_node(r, node);
	fdtrd_s(r, " [");
	fdtrd_x(r, base);
	fdtrd_s(r, ", ");
	fdtrd_x(r, end);
	fdtrd_s(r, ")");
}

int fdtrd_end(struct fdtrd *r, int err, int fdterr)
{
	if (fdterr < 0) {
		fdtrd_s(r, " (");
		fdtrd_s(r, fdt_strerror(fdterr));
		fdtrd_s(r, ")");
	}
	return err;
}

int fdtrd_fail(struct fdtrd *r, int err, const char *what, int node, const char *prop,
	       int fdterr)
{
	fdtrd_s(r, what);
	if (node >= 0) {
		fdtrd_s(r, ": ");
		fdtrd_node(r, node);
		if (prop) {
			if (node != 0)  // the root's path is "/" already
				fdtrd_s(r, "/");
			fdtrd_s(r, prop);
		}
	}
	return fdtrd_end(r, err, fdterr);
}

// ---- properties ---------------------------------------------------------------

int fdtrd_prop(struct fdtrd *r, int node, const char *name, const uint8_t **val, int *len)
{
	int l;
	const void *p = fdt_getprop(r->fdt, node, name, &l);

	*val = p;
	*len = p ? l : 0;
	if (p)
		return 1;
	if (l == -FDT_ERR_NOTFOUND)
		return 0;
	return fdtrd_fail(r, -EINVAL, "cannot read property", node, name, l);
}

int fdtrd_str(struct fdtrd *r, int node, const char *name, const char **s)
{
	const uint8_t *v;
	int l, n = 0, rc = fdtrd_prop(r, node, name, &v, &l);

	if (rc <= 0)
		return rc;
	while (n < l && v[n])
		n++;
	if (n == l)
		return fdtrd_fail(r, -EINVAL, "string property without terminator", node, name, 0);
	*s = (const char *)v;
	return 1;
}

int fdtrd_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int fdtrd_copy(struct fdtrd *r, char *dst, size_t cap, const char *s, int node, const char *prop)
{
	size_t n = 0;

	while (s[n])
		n++;
	if (n + 1 > cap) {
		fdtrd_s(r, "string property too long (");
		fdtrd_u(r, n);
		fdtrd_s(r, " bytes, at most ");
		fdtrd_u(r, cap - 1);
		fdtrd_s(r, ")");
		return fdtrd_fail(r, -ENOSPC, "", node, prop, 0);
	}
	for (size_t i = 0; i <= n; i++)
		dst[i] = s[i];
	return 0;
}

uint64_t fdtrd_cells(const uint8_t *p, int ncells)
{
	uint64_t v = 0;

	for (int i = 0; i < 4 * ncells; i++)
		v = v << 8 | p[i];
	return v;
}

int fdtrd_bus_cells(struct fdtrd *r, int bus, int *ac, int *sc)
{
	int a = fdt_address_cells(r->fdt, bus);
	int s = fdt_size_cells(r->fdt, bus);

	// libfdt refuses 0 or > 4 address cells, > 4 size cells, bad lengths.
	if (a < 0 || s < 0)
		return fdtrd_fail(r, -EINVAL, "cells out of range (#address-cells or #size-cells)",
				  bus, NULL, a < 0 ? a : s);
	if (a > 2 || s > 2) {
		fdtrd_s(r, "cells out of range (#address-cells = ");
		fdtrd_u(r, a);
		fdtrd_s(r, ", #size-cells = ");
		fdtrd_u(r, s);
		return fdtrd_fail(r, -EINVAL, "; want 1..2 and 0..2)", bus, NULL, 0);
	}
	*ac = a;
	*sc = s;
	return 0;
}

int fdtrd_nid(struct fdtrd *r, int node, int *nid)
{
	const uint8_t *v;
	int len, rc = fdtrd_prop(r, node, "numa-node-id", &v, &len);

	*nid = 0;
	if (rc <= 0)
		return rc;
	if (len != 4)
		return fdtrd_fail(r, -EINVAL, "numa-node-id is not one cell", node, NULL, 0);
	if (fdtrd_cells(v, 1) >= MEMMAP_MAX_NODES) {
		fdtrd_s(r, "numa-node-id ");
		fdtrd_u(r, fdtrd_cells(v, 1));
		return fdtrd_fail(r, -EINVAL, " out of range (limit MEMMAP_MAX_NODES = 8)",
				  node, NULL, 0);
	}
	*nid = (int)fdtrd_cells(v, 1);
	return 0;
}

int fdtrd_okay(struct fdtrd *r, int node)
{
	const char *s;
	int rc = fdtrd_str(r, node, "status", &s);

	if (rc <= 0)
		return rc < 0 ? rc : 1;
	return fdtrd_streq(s, "okay") || fdtrd_streq(s, "ok");
}

// A 32- or 64-bit number property; 1 present, 0 absent, < 0 error.
int fdtrd_num(struct fdtrd *r, int node, const char *name, uint64_t *val)
{
	const uint8_t *v;
	int len, rc = fdtrd_prop(r, node, name, &v, &len);

	*val = 0;
	if (rc <= 0)
		return rc;
	if (len != 4 && len != 8) {
		fdtrd_s(r, "property of ");
		fdtrd_u(r, len);
		return fdtrd_fail(r, -EINVAL, " bytes, want 4 or 8", node, name, 0);
	}
	*val = fdtrd_cells(v, len / 4);
	return 1;
}

// ---- devices ----------------------------------------------------------------------

static bool compatible(const uint8_t *v, int len, const char *s)
{
	// Bounded by len; an unterminated last string never matches.
	return fdt_stringlist_contains((const char *)v, len, s) != 0;
}

// Which UART a compatible list names; FDT_UART_NONE if neither.
static int uart_kind(const uint8_t *v, int len)
{
	if (compatible(v, len, "ns16550a"))
		return FDT_UART_NS16550A;
	if (compatible(v, len, "sifive,uart0"))
		return FDT_UART_SIFIVE;
	return FDT_UART_NONE;
}

// The first reg pair (in the parent's cells) and the first interrupts cell.
// Bus addresses are taken as they are: virt's buses map 1:1 ("ranges;").
static int read_dev(struct fdtrd *r, int node, int parent, struct fdt_dev *d)
{
	const uint8_t *v;
	int ac, sc, len, rc;

	if (parent < 0)
		parent = fdt_parent_offset(r->fdt, node);
	if (parent < 0)
		return fdtrd_fail(r, -EINVAL, "cannot find the parent of", node, NULL, parent);
	if ((rc = fdtrd_bus_cells(r, parent, &ac, &sc)) < 0 ||
	    (rc = fdtrd_prop(r, node, "reg", &v, &len)) < 0)
		return rc;
	if (rc == 0)
		return fdtrd_fail(r, -EINVAL, "device without reg", node, NULL, 0);
	if (len < 4 * (ac + sc) || len % (4 * (ac + sc))) {
		fdtrd_s(r, "reg length ");
		fdtrd_u(r, len);
		fdtrd_s(r, " is not a multiple of ");
		fdtrd_u(r, 4 * (ac + sc));
		return fdtrd_fail(r, -EINVAL, " (#address-cells + #size-cells)", node, NULL, 0);
	}
	d->base = fdtrd_cells(v, ac);
	d->size = fdtrd_cells(v + 4 * ac, sc);
	if (d->size > UINT64_MAX - d->base)
		return fdtrd_fail(r, -EINVAL, "device registers overflow", node, "reg", 0);
	if ((rc = fdtrd_prop(r, node, "interrupts", &v, &len)) < 0)
		return rc;
	if (rc && (len < 4 || len % 4))
		return fdtrd_fail(r, -EINVAL, "interrupts is not whole cells", node, NULL, 0);
	d->irq = rc ? (uint32_t)fdtrd_cells(v, 1) : 0;
	d->present = 1;
	return 0;
}

int fdtdev_node(struct fdtrd *r, int node, int parent)
{
	struct bootinfo *bi = r->bi;
	const uint8_t *v;
	int len, rc = fdtrd_prop(r, node, "compatible", &v, &len);
	bool plic, test, virtio;
	int uart;

	if (rc <= 0)
		return rc;
	uart = uart_kind(v, len);
	plic = compatible(v, len, "riscv,plic0") || compatible(v, len, "sifive,plic-1.0.0");
	test = compatible(v, len, "sifive,test0") || compatible(v, len, "sifive,test1");
	virtio = compatible(v, len, "virtio,mmio");
	if (!uart && !plic && !test && !virtio)
		return 0;
	if ((rc = fdtrd_okay(r, node)) <= 0)
		return rc;
	if (uart && !bi->uart.present) {
		r->uart_node = node;
		bi->uart_kind = uart;
		return read_dev(r, node, parent, &bi->uart);
	}
	if (plic && !bi->plic.present) {
		r->plic_node = node;
		if ((rc = read_dev(r, node, parent, &bi->plic)) < 0 ||
		    (rc = fdtrd_prop(r, node, "riscv,ndev", &v, &len)) < 0)
			return rc;
		if (rc && len != 4)
			return fdtrd_fail(r, -EINVAL, "riscv,ndev is not one cell", node, NULL, 0);
		bi->plic_ndev = rc ? (uint32_t)fdtrd_cells(v, 1) : 0;
		return 0;
	}
	if (test && !bi->test.present) {
		r->test_node = node;
		return read_dev(r, node, parent, &bi->test);
	}
	if (virtio) {
		if (bi->nvirtio == FDT_MAX_VIRTIO)
			return fdtrd_fail(r, -ENOSPC, "too many virtio,mmio nodes "
					  "(limit FDT_MAX_VIRTIO = 8)", node, NULL, 0);
		r->virtio_node[bi->nvirtio] = node;
		return read_dev(r, node, parent, &bi->virtio[bi->nvirtio++]);
	}
	return 0;
}

// ---- harts ---------------------------------------------------------------------------

// Does a riscv,isa string ("rv64imafdc_zicsr_sstc") list Sstc? Multi-letter
// extensions follow the base, each after an underscore.
static bool isa_has_sstc(const char *isa)
{
	const char *p = isa;

	while (*p) {
		const char *s = p;
		int n = 0;

		while (*p && *p != '_')
			p++, n++;
		if (s != isa && n == 4 && (s[0] | 32) == 's' && (s[1] | 32) == 's' &&
		    (s[2] | 32) == 't' && (s[3] | 32) == 'c')
			return true;
		if (*p)
			p++;
	}
	return false;
}

// Does a riscv,isa string name what this kernel needs? RV64 with I, M, A
// and C (the kernel's own -march), and F and D: user programs are rv64gc,
// and the kernel keeps their floating-point registers. G stands for IMAFD.
// The single letters end at the first multi-letter extension (after an
// underscore, or a z, s or x straight after the letters).
static bool isa_fits(const char *isa)
{
	static const char need[] = "imafdc";
	unsigned have = 0;

	if ((isa[0] | 32) != 'r' || (isa[1] | 32) != 'v' || isa[2] != '6' || isa[3] != '4')
		return false;
	for (const char *p = isa + 4; *p && *p != '_'; p++) {
		char c = (char)(*p | 32);

		if (c == 'z' || c == 's' || c == 'x')
			break;
		if (c == 'g')
			have |= 0x1f;           // i m a f d
		for (int i = 0; need[i]; i++)
			if (c == need[i])
				have |= 1u << i;
	}
	return have == 0x3f;
}

// The same, from a riscv,isa-extensions list ("i", "m", "a", ...).
static bool isa_list_fits(const uint8_t *v, int len)
{
	static const char *const need[] = { "i", "m", "a", "f", "d", "c" };

	for (unsigned i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!compatible(v, len, need[i]))
			return false;
	return true;
}

// Can this kernel run on the hart? It needs S-mode with Sv39 paging: a
// hart with no mmu-type has no MMU (the HiFive Unleashed's E51 monitor
// core, hart 0), and a Sv48 or Sv57 MMU also does Sv39 (the privileged
// spec requires it). Returns why not, or NULL.
static const char *hart_unfit(int okay, const char *mmu, const char *isa, const uint8_t *exts,
			      int extlen)
{
	if (!okay)
		return "status is not \"okay\"";
	if (!mmu)
		return "it has no mmu-type, so no MMU";
	if (!fdtrd_streq(mmu, "riscv,sv39") && !fdtrd_streq(mmu, "riscv,sv48") &&
	    !fdtrd_streq(mmu, "riscv,sv57"))
		return "its mmu-type is not riscv,sv39, sv48 or sv57";
	if (!isa && !exts)
		return "it has neither riscv,isa nor riscv,isa-extensions";
	if (isa ? !isa_fits(isa) : !isa_list_fits(exts, extlen))
		return "its riscv,isa lacks rv64imafdc (the kernel is rv64imac, user programs rv64gc)";
	return NULL;
}

static int read_hart(struct fdtrd *r, int node, int ac, int sc, bool *sstc)
{
	struct bootinfo *bi = r->bi;
	struct fdt_hart *h = &bi->hart[bi->nharts];
	const uint8_t *v;
	const char *isa = NULL, *mmu = NULL;
	uint64_t id;
	int len, rc, i;

	if ((rc = fdtrd_prop(r, node, "reg", &v, &len)) < 0)
		return rc;
	// /cpus should say #size-cells = <0>; a tree that leaves it out (libfdt
	// then assumes 1) still gives one address and nothing else.
	if (rc == 0 || (len != 4 * (ac + sc) && len != 4 * ac))
		return fdtrd_fail(r, -EINVAL, "cpu reg is not one hart id", node, NULL, 0);
	id = fdtrd_cells(v, ac);
	if (id > UINT32_MAX)
		return fdtrd_fail(r, -EINVAL, "hart id above 32 bits", node, NULL, 0);
	for (i = 0; i < bi->nharts; i++)
		if (bi->hart[i].hartid == id)
			return fdtrd_fail(r, -EINVAL, "duplicate hart id", node, NULL, 0);
	h->hartid = (uint32_t)id;
	if ((rc = fdtrd_okay(r, node)) < 0)
		return rc;
	h->okay = rc;
	if ((rc = fdtrd_nid(r, node, &h->nid)) < 0 ||
	    (rc = fdtrd_str(r, node, "riscv,isa", &isa)) < 0)
		return rc;
	*sstc = false;
	if (rc) {
		for (i = 0; i < (int)sizeof(h->isa) - 1 && isa[i]; i++)  // informative: cut to fit
			h->isa[i] = isa[i];
		h->isa[i] = '\0';
		*sstc = isa_has_sstc(isa);
	}
	if ((rc = fdtrd_prop(r, node, "riscv,isa-extensions", &v, &len)) < 0)
		return rc;
	if (rc && (len == 0 || v[len - 1] != '\0'))
		return fdtrd_fail(r, -EINVAL, "string property without terminator", node,
				  "riscv,isa-extensions", 0);
	if (rc && compatible(v, len, "sstc"))
		*sstc = true;
	// v is NULL without riscv,isa-extensions (fdtrd_prop).
	if ((rc = fdtrd_str(r, node, "mmu-type", &mmu)) < 0)
		return rc;
	h->unfit = hart_unfit(h->okay, mmu, isa, v, len);
	bi->nharts++;
	return 0;
}

int fdtdev_harts(struct fdtrd *r)
{
	struct bootinfo *bi = r->bi;
	int cpus = fdt_path_offset(r->fdt, "/cpus"), ac, sc, node, rc, nokay = 0;
	bool all_sstc = true, sstc;
	uint64_t tb;
	const char *type;

	if (cpus < 0)
		return fdtrd_fail(r, -EINVAL, "no /cpus node", -1, NULL,
				  cpus == -FDT_ERR_NOTFOUND ? 0 : cpus);
	if ((rc = fdtrd_bus_cells(r, cpus, &ac, &sc)) < 0 ||
	    (rc = fdtrd_num(r, cpus, "timebase-frequency", &tb)) < 0)
		return rc;
	bi->timebase_hz = tb;
	for (node = fdt_first_subnode(r->fdt, cpus); node >= 0;
	     node = fdt_next_subnode(r->fdt, node)) {
		if ((rc = fdtrd_str(r, node, "device_type", &type)) < 0)
			return rc;
		if (rc == 0 || !fdtrd_streq(type, "cpu"))
			continue;
		if (bi->nharts == FDT_MAX_HARTS)
			return fdtrd_fail(r, -ENOSPC, "too many harts (limit FDT_MAX_HARTS = 8)",
					  node, NULL, 0);
		if ((rc = read_hart(r, node, ac, sc, &sstc)) < 0)
			return rc;
		if (bi->hart[bi->nharts - 1].okay)
			nokay++;
		if (!bi->hart[bi->nharts - 1].unfit)
			all_sstc = all_sstc && sstc;
		// Linux also accepts timebase-frequency in the cpu nodes.
		if (!bi->timebase_hz && (rc = fdtrd_num(r, node, "timebase-frequency", &tb)) < 0)
			return rc;
		if (!bi->timebase_hz)
			bi->timebase_hz = tb;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return fdtrd_fail(r, -EINVAL, "corrupt structure block", cpus, NULL, node);
	if (nokay == 0)
		return fdtrd_fail(r, -EINVAL, "no enabled cpu node (device_type = \"cpu\")",
				  cpus, NULL, 0);
	if (bi->timebase_hz == 0)
		return fdtrd_fail(r, -EINVAL, "no timebase-frequency in /cpus or a cpu node",
				  -1, NULL, 0);
	bi->has_sstc = all_sstc;
	return 0;
}

// ---- stdout-path ------------------------------------------------------------------

// Follow the components of p[0..len) down from node; < 0 if one is missing.
static int walk_path(const void *fdt, int node, const char *p, int len)
{
	int i = 0;

	while (i < len && node >= 0) {
		int start;

		while (i < len && p[i] == '/')
			i++;
		start = i;
		while (i < len && p[i] != '/')
			i++;
		if (i > start)
			node = fdt_subnode_offset_namelen(fdt, node, p + start, i - start);
	}
	return node;
}

// The node stdout-path names: a path or an alias (with or without more path
// after it), up to an optional ":options". < 0 if it names nothing. Aliases
// are resolved here, not by libfdt, whose older versions follow an alias
// value without checking that it is terminated or starts with '/'.
static int stdout_node(const void *fdt, const char *s)
{
	int len = 0, n = 0, node = 0, al, vlen;
	const char *v;

	while (s[len] && s[len] != ':')
		len++;
	if (len > 0 && s[0] != '/') {
		while (n < len && s[n] != '/')
			n++;
		al = fdt_path_offset(fdt, "/aliases");
		v = al < 0 ? NULL : fdt_getprop_namelen(fdt, al, s, n, &vlen);
		if (!v || vlen < 2 || v[vlen - 1] != '\0' || v[0] != '/')
			return -1;
		node = walk_path(fdt, 0, v, vlen - 1);
		s += n;
		len -= n;
	}
	return len > 0 || n > 0 ? walk_path(fdt, node, s, len) : -1;
}

// A device's registers must lie outside every RAM bank. The kernel maps
// RAM and devices into one direct map, RAM with large pages, so a device
// inside a bank would be mapped twice, and the early allocators would hand
// its registers out as free pages.
static int check_outside_ram(struct fdtrd *r, const struct fdt_dev *d, int node)
{
	const struct memmap *m = &r->bi->map;
	uint64_t last = d->base + (d->size ? d->size - 1 : 0);   // read_dev checked the wrap

	for (int i = 0; d->present && i < m->nbanks; i++) {
		const struct memmap_bank *b = &m->bank[i];

		if (d->base >= b->base + b->size || last < b->base)
			continue;
		fdtrd_s(r, "device inside RAM: ");
		fdtrd_range(r, node, d->base, last + 1);
		fdtrd_s(r, " overlaps ");
		fdtrd_range(r, r->bank_node[i], b->base, b->base + b->size);
		return -EINVAL;
	}
	return 0;
}

static int sort_virtio(struct bootinfo *bi)
{
	for (int i = 1; i < bi->nvirtio; i++) {
		struct fdt_dev d = bi->virtio[i];
		int j = i;

		for (; j > 0 && bi->virtio[j - 1].base > d.base; j--)
			bi->virtio[j] = bi->virtio[j - 1];
		bi->virtio[j] = d;
	}
	return 0;
}

int fdtdev_finish(struct fdtrd *r)
{
	struct bootinfo *bi = r->bi;
	const uint8_t *v;
	int node, len, rc;

	node = bi->stdout_path[0] ? stdout_node(r->fdt, bi->stdout_path) : -1;
	// The console the firmware and Linux use, when it is an enabled UART
	// of a kind the kernel drives.
	if (node >= 0 && node != r->uart_node) {
		if ((rc = fdtrd_prop(r, node, "compatible", &v, &len)) < 0)
			return rc;
		int kind = rc ? uart_kind(v, len) : FDT_UART_NONE;

		if (kind != FDT_UART_NONE) {
			if ((rc = fdtrd_okay(r, node)) < 0)
				return rc;
			if (rc) {
				struct fdt_dev d = { 0 };

				if ((rc = read_dev(r, node, -1, &d)) < 0)
					return rc;
				bi->uart = d;
				bi->uart_kind = kind;
				r->uart_node = node;
			}
		}
	}
	if ((rc = check_outside_ram(r, &bi->uart, r->uart_node)) < 0 ||
	    (rc = check_outside_ram(r, &bi->plic, r->plic_node)) < 0 ||
	    (rc = check_outside_ram(r, &bi->test, r->test_node)) < 0)
		return rc;
	for (int i = 0; i < bi->nvirtio; i++)
		if ((rc = check_outside_ram(r, &bi->virtio[i], r->virtio_node[i])) < 0)
			return rc;
	return sort_virtio(bi);
}
