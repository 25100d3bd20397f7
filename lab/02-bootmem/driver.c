// Host driver of lab bootmem: the grader's commands against mm/bootmem.c.
// Each prints what it observed; grade.py decides what is right.
#include <stdlib.h>
#include "../../grading/host/early_cmds.h"
#include "../../mm/bootmem.h"

static void c_reset(const uint64_t *a)
{
	driver_map_reset();
	bootmem_reset();
}

static void c_nodes(const uint64_t *a)
{
	for (int n = 0; n < MEMMAP_MAX_NODES; n++) {
		const struct bootmem_data *bd = &bootmem_node_data[n];
		if (!bd->node_bootmem_map)
			continue;
		say("node %d min=0x%lx low=0x%lx map=0x%lx hint=0x%lx last_end_off=0x%lx",
		    n, bd->node_min_pfn, bd->node_low_pfn, bd->map_pfn, bd->hint_idx, bd->last_end_off);
	}
}

static void c_init(const uint64_t *a)
{
	say("init %d", early_init(&driver_map));
}

// The taken pfns of every node, as ranges [first, last].
static void c_bits(const uint64_t *a)
{
	for (int n = 0; n < MEMMAP_MAX_NODES; n++) {
		const struct bootmem_data *bd = &bootmem_node_data[n];
		if (!bd->node_bootmem_map)
			continue;
		uint64_t len = bd->node_low_pfn - bd->node_min_pfn, i = 0;
		char line[4096];
		int pos = snprintf(line, sizeof(line), "bits %d", n);
		while (i < len) {
			if (!((bd->node_bootmem_map[i / 64] >> (i % 64)) & 1)) {
				i++;
				continue;
			}
			uint64_t j = i;
			while (j + 1 < len && ((bd->node_bootmem_map[(j + 1) / 64] >> ((j + 1) % 64)) & 1))
				j++;
			if (pos < (int)sizeof(line) - 48)
				pos += snprintf(line + pos, sizeof(line) - pos, " 0x%lx-0x%lx",
						bd->node_min_pfn + i, bd->node_min_pfn + j);
			i = j + 1;
		}
		say("%s", line);
	}
}

static void c_initnode(const uint64_t *a)
{
	say("initnode %lu", init_bootmem_node((int)a[0], a[1], a[2], a[3]));
}

static void c_bytes(const uint64_t *a)
{
	say("bytes %lu pages %lu", bootmap_bytes(a[0]), bootmem_bootmap_pages(a[0]));
}

static void print_ptr(const char *what, void *p)
{
	say("%s 0x%lx", what, p ? harness_virt_to_phys(p) : 0);
}

static void c_alloc(const uint64_t *a)
{
	print_ptr("alloc", __alloc_bootmem_nopanic(a[0], a[1], a[2]));
}

static void c_alloc_low(const uint64_t *a)
{
	print_ptr("alloc_low", __alloc_bootmem_low_nopanic(a[0], a[1], a[2]));
}

static void c_alloc_node(const uint64_t *a)
{
	print_ptr("alloc_node", __alloc_bootmem_node_nopanic((int)a[0], a[1], a[2], a[3]));
}

static void c_ealloc(const uint64_t *a)
{
	say("ealloc 0x%lx", early_alloc(a[0], a[1], (int)(int64_t)a[2]));
}

static void c_reserve(const uint64_t *a)
{
	say("reserve %d", reserve_bootmem(a[0], a[1], (int)a[2]));
}

static void c_free(const uint64_t *a)
{
	say("free %d", free_bootmem(a[0], a[1]));
}

static void c_stats(const uint64_t *a)
{
	struct early_stats s;
	early_get_stats(&s);
	say("stats nallocs=%lu requested=%lu consumed=%lu meta=%lu peak=%lu merges=%lu lost=%lu "
	    "pages=%lu calls=%lu", s.nallocs, s.bytes_requested, s.bytes_consumed, s.meta_bytes,
	    s.meta_peak_bytes, s.merges, s.lost_pages, s.handoff_pages, s.handoff_calls);
}

// Fill [base, base+size) with a byte, as a caller would use what it got;
// an allocator that handed out its own bitmap breaks here.
static void c_scribble(const uint64_t *a)
{
	memset(harness_phys_to_virt(a[0]), (int)a[2], a[1]);
}

const struct driver_cmd driver_cmds[] = {
	{ "reset", 0, c_reset },          { "init", 0, c_init },
	{ "nodes", 0, c_nodes },          { "bits", 0, c_bits },
	{ "initnode", 4, c_initnode },    { "bytes", 1, c_bytes },
	{ "alloc", 3, c_alloc },          { "alloc_low", 3, c_alloc_low },
	{ "alloc_node", 4, c_alloc_node }, { "ealloc", 3, c_ealloc },
	{ "reserve", 3, c_reserve },      { "free", 2, c_free },
	{ "handoff", 0, driver_handoff },      { "stats", 0, c_stats },
	{ "scribble", 3, c_scribble },
	{ NULL, 0, NULL },
};
