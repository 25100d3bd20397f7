// libFuzzer target: the input is a DTB. fdtmap_check sees it with its real
// length first (as a host caller would), and only a blob that passes goes to
// fdtmap_read, in an exact-size, aligned malloc'd copy so that ASan catches a
// read one byte past it. A successful read must also keep every promise the
// map makes (sorted, disjoint, inside RAM, strings terminated, devices outside
// RAM, no no-map region over the kernel): abort if not.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../kernel/fdtmap.h"

static struct bootinfo bi;

static void check_outside_ram(const struct memmap *m, const struct fdt_dev *d)
{
	uint64_t last = d->base + (d->size ? d->size - 1 : 0);

	for (int k = 0; d->present && k < m->nbanks; k++)
		if (d->base < m->bank[k].base + m->bank[k].size && m->bank[k].base <= last)
			abort();
}

// [ks, ke): the kernel image the read was given (empty: none).
static void check_map(const struct bootinfo *b, uint64_t ks, uint64_t ke)
{
	const struct memmap *m = &b->map;

	if (m->nbanks < 1 || m->nbanks > MEMMAP_MAX_BANKS || m->nresv < 0 ||
	    m->nresv > MEMMAP_MAX_RESV || m->nnodes < 1 || m->nnodes > MEMMAP_MAX_NODES)
		abort();
	for (int i = 0; i < m->nbanks; i++) {
		const struct memmap_bank *k = &m->bank[i];

		if (k->size == 0 || k->base + k->size < k->base || k->nid >= m->nnodes)
			abort();
		if (i && m->bank[i - 1].base + m->bank[i - 1].size > k->base)
			abort();
	}
	for (int i = 0; i < m->nresv; i++) {
		const struct memmap_resv *v = &m->resv[i], *u = i ? &m->resv[i - 1] : NULL;
		uint64_t cur = v->base;

		if (v->size == 0 || v->base + v->size < v->base || v->origin >= MEMMAP_NR_ORIGINS ||
		    memchr(v->name, 0, sizeof(v->name)) == NULL ||
		    strcmp(memmap_origin_name(v->origin), "unknown") == 0)
			abort();
		if (u && (u->base > v->base || (u->base == v->base && (u->size > v->size ||
		    (u->size == v->size && u->origin > v->origin)))))
			abort();
		for (int k = 0; k < m->nbanks; k++)
			if (m->bank[k].base <= cur && cur < m->bank[k].base + m->bank[k].size)
				cur = m->bank[k].base + m->bank[k].size;
		if (cur < v->base + v->size)
			abort();
		if ((v->flags & MEMMAP_F_NOMAP) && v->base < ke && ks < v->base + v->size)
			abort();
	}
	if (!memchr(b->bootargs, 0, sizeof(b->bootargs)) ||
	    !memchr(b->stdout_path, 0, sizeof(b->stdout_path)) ||
	    b->nharts < 1 || b->nharts > FDT_MAX_HARTS || b->timebase_hz == 0 ||
	    b->nvirtio < 0 || b->nvirtio > FDT_MAX_VIRTIO)
		abort();
	for (int i = 0; i < b->nharts; i++)
		if (!memchr(b->hart[i].isa, 0, sizeof(b->hart[i].isa)))
			abort();
	for (int i = 1; i < b->nvirtio; i++)
		if (b->virtio[i - 1].base > b->virtio[i].base)
			abort();
	check_outside_ram(m, &b->uart);
	check_outside_ram(m, &b->plic);
	check_outside_ram(m, &b->test);
	for (int i = 0; i < b->nvirtio; i++)
		check_outside_ram(m, &b->virtio[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[160];
	void *fdt;

	if (fdtmap_check(data, size, err, sizeof(err)) < 0) {
		if (!memchr(err, 0, sizeof(err)) || err[0] == '\0')
			abort();
		return 0;
	}
	fdt = malloc(size);     // 16-byte aligned, and not one byte more

	if (!fdt)
		return 0;
	memcpy(fdt, data, size);
	// No outside reservations: the map from the tree alone...
	if (fdtmap_read(fdt, 0, 0, 0, &bi, err, sizeof(err)) < 0) {
		if (err[0] == '\0')
			abort();
	} else {
		check_map(&bi, 0, 0);
		// ...then again with the blob and a kernel placed in the first bank.
		uint64_t base = bi.map.bank[0].base, bsize = bi.map.bank[0].size;
		uint64_t ks = base + bsize / 4, ke = ks + bsize / 8;
		if (fdtmap_read(fdt, base, ks, ke, &bi, err, sizeof(err)) == 0)
			check_map(&bi, ks, ke);
		else if (err[0] == '\0')
			abort();
	}
	free(fdt);
	return 0;
}
