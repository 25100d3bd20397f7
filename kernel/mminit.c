// The boot sequence of mm/, the same for every ALLOC=:
//   1. the early allocator takes the memory map (RAM and every reservation);
//   2. the kernel's real early allocations go through it: the page
//      descriptors (per bank, on the bank's node), the kernel page table,
//      per-hart data and stacks, and a copy of the boot arguments;
//   3. handoff: descriptors are initialised and every free page goes to the
//      buddy allocator; the early allocator is retired;
//   4. the accounting invariant is checked (a mismatch panics) and reported.
#include "../mm/account.h"
#include "../mm/buddy.h"
#include "bootalloc.h"
#include "bootargs.h"
#include "console.h"
#include "kvm.h"
#include "mminit.h"
#include "report.h"
#include "smp.h"
#include "string.h"

char *kbootargs;

static const struct bootinfo *boot;
static const void *devicetree;          // mm_devicetree()
static struct page *descs[MEMMAP_MAX_BANKS];
static struct acct_node acct_result[MEMMAP_MAX_NODES];   // kept for sysinfo.c

static uint64_t bank_first_pfn(const struct memmap_bank *b)
{
	return (b->base + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

static uint64_t bank_pages(const struct memmap_bank *b)
{
	uint64_t e = (b->base + b->size) >> PAGE_SHIFT;
	uint64_t s = bank_first_pfn(b);
	return e > s ? e - s : 0;
}

// Runs inside the timed handoff window: every descriptor is written here.
static void init_descriptors(void)
{
	buddy_reset();
	for (int i = 0; i < boot->map.nbanks; i++) {
		const struct memmap_bank *b = &boot->map.bank[i];
		if (!descs[i])
			continue;
		int e = buddy_add_span(b->nid, bank_first_pfn(b), bank_pages(b), descs[i]);
		if (e)
			panic("mm: buddy refused bank %d [0x%lx, +0x%lx) (error %d)", i, b->base, b->size, e);
	}
}

// Load one byte from the highest page of each bank that no no-map region
// covers (those may fault anyway: PMP guards OpenSBI's), before an
// allocator can hand it out. QEMU raises an access fault where there is no
// RAM, and kerneltrap names the bank that claimed it: a tree that claims
// more RAM than the machine has stops here, the same way on every ALLOC,
// not wherever (or whenever, or never) a page there is first used.
static void probe_banks(const struct memmap *m)
{
	for (int i = 0; i < m->nbanks; i++) {
		const struct memmap_bank *b = &m->bank[i];
		uint64_t lo = (b->base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		uint64_t pa = ((b->base + b->size) & ~(PAGE_SIZE - 1)) - PAGE_SIZE;
		// Reservations are sorted by base: walking down, pa only drops
		// below the ones already passed.
		for (int r = m->nresv - 1; r >= 0 && pa + PAGE_SIZE > lo; r--) {
			const struct memmap_resv *v = &m->resv[r];
			uint64_t rs = v->base & ~(PAGE_SIZE - 1);
			if ((v->flags & MEMMAP_F_NOMAP) && pa < v->base + v->size && rs < pa + PAGE_SIZE)
				pa = rs - PAGE_SIZE;
		}
		if (pa + PAGE_SIZE > lo && pa >= lo)    // a page is left (pa did not wrap)
			(void)*(volatile uint8_t *)(uintptr_t)pa;
	}
}

// plic.c reads the tree again once paging is on, but a no-map region over
// the blob leaves it out of the direct map. fdtmap_read has already read it
// with paging off, so the boot copes: the blob is copied now, while it can
// still be read (Linux, too, reads a copy it makes at boot), and only then.
static void keep_devicetree(const struct bootinfo *bi)
{
	devicetree = (const void *)(uintptr_t)bi->dtb_base;
	for (int i = 0; bi->dtb_base && i < bi->map.nresv; i++) {
		const struct memmap_resv *r = &bi->map.resv[i];
		if (!(r->flags & MEMMAP_F_NOMAP) || r->base >= bi->dtb_base + bi->dtb_size ||
		    bi->dtb_base >= r->base + r->size)
			continue;
		void *copy = bootalloc(bi->dtb_size, 8, EARLY_NO_NODE, "device tree copy");
		memcpy(copy, devicetree, bi->dtb_size);
		printf("mm: the device tree at 0x%lx lies under the no-map reservation %s "
		       "[0x%lx, 0x%lx); it is read from a copy at %p from now on\n", bi->dtb_base,
		       memmap_resv_label(r), r->base,
		       r->base + r->size, copy);
		devicetree = copy;
		return;
	}
}

static void walk_free(acct_block_fn fn, void *arg)
{
	buddy_for_each_free_block(fn, arg);
}

static void check_accounting(const struct memmap *map)
{
	struct acct_node *node = acct_result;
	const struct acct_region *regs;
	struct early_stats st;
	char err[160];

	early_get_stats(&st);
	int n = bootalloc_regions(&regs);
	int bad = account_check(map, regs, n, walk_free, buddy_free_pages(-1),
				st.lost_pages, node, err, sizeof(err));
	report_accounting(map, node);
	if (bad)
		panic("mm: the accounting invariant does not hold: %s", err);
}

void mm_init(const struct bootinfo *bi, uint64_t boothart)
{
	boot = bi;
	probe_banks(&bi->map);
	bootalloc_init(&bi->map, bootarg(bi->bootargs, "trace"));
	if (bootarg(bi->bootargs, "bottom-up") || bootarg(bi->bootargs, "top-down")) {
		int up = bootarg(bi->bootargs, "bottom-up");
		if (early_set_bottom_up(up) < 0)
			printf("mm: %s cannot allocate %s; it always allocates bottom-up\n",
			       early_allocator_name, up ? "bottom-up" : "top-down");
		else
			printf("mm: %s allocates %s\n", early_allocator_name, up ? "bottom-up" : "top-down");
	}

	for (int i = 0; i < bi->map.nbanks; i++) {
		uint64_t n = bank_pages(&bi->map.bank[i]);
		if (n)
			descs[i] = bootalloc_raw(buddy_map_bytes(n), PAGE_SIZE, bi->map.bank[i].nid,
						 "page descriptors");
	}
	kvm_build(bi);
	smp_alloc(bi, boothart);
	keep_devicetree(bi);
	kbootargs = bootalloc(strlen(bi->bootargs) + 1, 8, EARLY_NO_NODE, "boot arguments");
	memcpy(kbootargs, bi->bootargs, strlen(bi->bootargs) + 1);
	if (bootarg(kbootargs, "demo=oom")) {
		printf("demo: asking the early allocator for 1 TiB\n");
		bootalloc(1ULL << 40, PAGE_SIZE, EARLY_NO_NODE, "a 1 TiB demonstration");
	}

	bootalloc_handoff(init_descriptors);
	kvminithart();
	report_early_allocs();
	report_handoff(bi->timebase_hz);
	report_buddyinfo();
	check_accounting(&bi->map);
	report_memmap_after(&bi->map);
}

const struct acct_node *mm_accounting(int *nnodes)
{
	*nnodes = boot ? boot->map.nnodes : 0;
	return acct_result;
}

const struct bootinfo *mm_bootinfo(void)
{
	return boot;
}

const void *mm_devicetree(void)
{
	return devicetree;
}
