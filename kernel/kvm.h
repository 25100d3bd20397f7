// The kernel's Sv39 page table: all RAM the device tree reports (less the
// no-map reservations) and the devices, identity-mapped with the largest
// pages alignment allows (1 GiB, 2 MiB, then 4 KiB).
#ifndef KERNEL_KVM_H
#define KERNEL_KVM_H

#include <stdint.h>
#include "fdtmap.h"

typedef uint64_t pte_t;

struct kvm_stats {
	uint64_t leaves[3];     // 4 KiB, 2 MiB and 1 GiB mappings
	uint64_t table_pages;   // page-table pages, the root included
};

extern pte_t *kernel_pagetable;

void kvm_build(const struct bootinfo *bi);
// After the handoff: map one 4 KiB page va -> pa with perm (PTE_R/W/X),
// page-table pages from kalloc. A page mapped here stays mapped for good,
// so no other hart can hold a stale TLB entry for it. Panics when out of
// memory or when va is already mapped (both kernel bugs at boot).
void kvm_map_page(uint64_t va, uint64_t pa, uint64_t perm);
// After the handoff: identity-map [pa, pa+size) (rounded out to pages) with
// the largest pages that fit, e.g. a device the boot map did not cover.
// Mapping a page that is already mapped the same way is allowed.
void kvm_map_late(uint64_t pa, uint64_t size, uint64_t perm);
// Turn on paging with the kernel page table on this hart.
void kvminithart(void);
const struct kvm_stats *kvm_stats(void);

#endif
