// Building the kernel's direct map. Page-table pages come from the early
// allocator before the handoff, on the node of what they map; the few
// mappings made after it (the trampoline, process kernel stacks) take their
// page-table pages from kalloc, since the early allocator is retired then.
#include "../mm/buddy.h"
#include "bootalloc.h"
#include "console.h"
#include "kalloc.h"
#include "kvm.h"
#include "memlayout.h"
#include "riscv.h"
#include "string.h"

#define LEVEL_SIZE(l) (1ULL << (12 + 9 * (l)))   // 4 KiB, 2 MiB, 1 GiB
#define VPN(va, l)    (((va) >> (12 + 9 * (l))) & 511)
#define SV39_TOP      (1ULL << 38)               // highest direct-mapped address

pte_t *kernel_pagetable;
static struct kvm_stats stats;

static int after_handoff;      // set by kvm_map_page: tables from kalloc now

static pte_t *new_table(int nid)
{
	stats.table_pages++;
	if (!after_handoff)
		return bootalloc(PAGE_SIZE, PAGE_SIZE, nid, "kernel page table");
	pte_t *t = kalloc();
	if (!t)
		panic("kvm: out of memory for a kernel page-table page");
	memset(t, 0, PAGE_SIZE);
	return t;
}

// Map one page of level l (0: 4 KiB, 1: 2 MiB, 2: 1 GiB) at va -> pa.
static void map_one(uint64_t va, uint64_t pa, int l, uint64_t perm, int nid)
{
	pte_t *pt = kernel_pagetable;
	for (int level = 2; level > l; level--) {
		pte_t *pte = &pt[VPN(va, level)];
		if (*pte & PTE_V) {
			if (*pte & (PTE_R | PTE_W | PTE_X))
				panic("kvm: 0x%lx is already mapped by a larger page", va);
			pt = (pte_t *)(uintptr_t)PTE2PA(*pte);
		} else {
			pt = new_table(nid);
			*pte = PA2PTE(pt) | PTE_V;
		}
	}
	pte_t *leaf = &pt[VPN(va, l)];
	if ((*leaf & PTE_V) && PTE2PA(*leaf) == pa)
		return;         // two devices in one page
	if (*leaf & PTE_V)
		panic("kvm: 0x%lx mapped twice", va);
	*leaf = PA2PTE(pa) | perm | PTE_V | PTE_A | PTE_D | PTE_G;
	stats.leaves[l]++;
}

// Identity-map [start, end) (page-aligned) with the largest pages that fit.
static void map_range(uint64_t start, uint64_t end, uint64_t perm, int nid)
{
	if (end > SV39_TOP)
		panic("kvm: 0x%lx is beyond what Sv39 can map", end);
	while (start < end) {
		int l = 2;
		while (l > 0 && ((start & (LEVEL_SIZE(l) - 1)) || end - start < LEVEL_SIZE(l)))
			l--;
		map_one(start, start, l, perm, nid);
		start += LEVEL_SIZE(l);
	}
}

static void map_dev(const struct fdt_dev *d)
{
	if (!d->present || d->size == 0)
		return;
	uint64_t s = d->base & ~(PAGE_SIZE - 1);
	uint64_t e = (d->base + d->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	map_range(s, e, PTE_R | PTE_W, EARLY_NO_NODE);
}

// RAM minus every no-map reservation (rounded outward to pages).
static void map_bank(const struct memmap *m, const struct memmap_bank *b)
{
	uint64_t s = (b->base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint64_t e = (b->base + b->size) & ~(PAGE_SIZE - 1);
	for (int i = 0; i < m->nresv && s < e; i++) {   // reservations are sorted
		const struct memmap_resv *r = &m->resv[i];
		if (!(r->flags & MEMMAP_F_NOMAP))
			continue;
		uint64_t rs = r->base & ~(PAGE_SIZE - 1);
		uint64_t re = (r->base + r->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		if (re <= s || rs >= e)
			continue;
		if (rs > s)
			map_range(s, rs, PTE_R | PTE_W | PTE_X, b->nid);
		s = re > s ? re : s;
	}
	if (s < e)
		map_range(s, e, PTE_R | PTE_W | PTE_X, b->nid);
}

void kvm_build(const struct bootinfo *bi)
{
	kernel_pagetable = new_table(EARLY_NO_NODE);
	for (int b = 0; b < bi->map.nbanks; b++)
		map_bank(&bi->map, &bi->map.bank[b]);
	map_dev(&bi->uart);
	map_dev(&bi->plic);
	map_dev(&bi->test);
	for (int i = 0; i < bi->nvirtio; i++)
		map_dev(&bi->virtio[i]);
}

void kvm_map_late(uint64_t pa, uint64_t size, uint64_t perm)
{
	after_handoff = 1;
	uint64_t s = pa & ~(PAGE_SIZE - 1);
	uint64_t e = (pa + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	map_range(s, e, perm, EARLY_NO_NODE);
}

void kvm_map_page(uint64_t va, uint64_t pa, uint64_t perm)
{
	after_handoff = 1;
	if (va % PAGE_SIZE || pa % PAGE_SIZE || va >= MAXVA)
		panic("kvm: cannot map page 0x%lx -> 0x%lx", va, pa);
	map_one(va, pa, 0, perm, EARLY_NO_NODE);
}

void kvminithart(void)
{
	sfence_vma();
	csr_write(satp, MAKE_SATP(kernel_pagetable));
	sfence_vma();
}

const struct kvm_stats *kvm_stats(void)
{
	return &stats;
}
