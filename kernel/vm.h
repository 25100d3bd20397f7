// Page tables: the kernel's direct map (kvm.c) and user address spaces.
// Implemented in vm.c. Every function that takes a user address checks it
// and returns -1 (or 0 for a pointer) instead of faulting or panicking.
#ifndef KERNEL_VM_H
#define KERNEL_VM_H
#include "riscv.h"
#include "types.h"

int copyout(pagetable_t pt, uint64 dstva, const char *src, uint64 len);
int copyin(pagetable_t pt, char *dst, uint64 srcva, uint64 len);
int copyinstr(pagetable_t pt, char *dst, uint64 srcva, uint64 max);

// The rest is for proc.c and exec.c. Page-table pages and user pages come
// from kalloc; a user page table never uses superpages.

// The PTE for va, allocating missing tables when alloc is set.
// Returns 0 for va >= MAXVA, a missing table (alloc 0) or out of memory.
pte_t *walk(pagetable_t pt, uint64 va, int alloc);
// The physical page behind user page va (PTE_V and PTE_U set), or 0.
uint64 walkaddr(pagetable_t pt, uint64 va);
// Map [va, va+size) to [pa, pa+size) with perm; page-aligned, and nothing
// there may be mapped yet (panics otherwise: a kernel bug). Returns 0, or
// -1 when out of memory for a page-table page, with nothing left mapped.
int mappages(pagetable_t pt, uint64 va, uint64 size, uint64 pa, int perm);

pagetable_t uvmcreate(void);    // an empty page table, or 0 when out of memory
// Remove npages leaf mappings from va (page-aligned); kfree the pages when
// do_free. Pages that are not mapped are skipped.
void uvmunmap(pagetable_t pt, uint64 va, uint64 npages, int do_free);
// Grow a process from oldsz to newsz bytes with zeroed pages mapped
// PTE_R|PTE_U|xperm. Returns newsz, or 0 on failure (out of memory, or
// newsz beyond TRAPFRAME) after freeing everything this call allocated.
uint64 uvmalloc(pagetable_t pt, uint64 oldsz, uint64 newsz, int xperm);
// Shrink from oldsz to newsz bytes, freeing the pages and any page-table
// page left empty. Returns the new size.
uint64 uvmdealloc(pagetable_t pt, uint64 oldsz, uint64 newsz);
// Free the user pages below sz, then every page-table page. Anything else
// still mapped (the trampoline, the trap frame) must be unmapped first.
void uvmfree(pagetable_t pt, uint64 sz);
// Copy the user pages below sz of old into new (fork). Returns 0, or -1
// when out of memory, with everything mapped into new by this call freed.
int uvmcopy(pagetable_t old, pagetable_t new, uint64 sz);
// Take PTE_U off the page at va: the guard page below the user stack.
void uvmclear(pagetable_t pt, uint64 va);

#endif
