// xv6's single-page interface over the buddy allocator (kalloc.c).
#ifndef KERNEL_KALLOC_H
#define KERNEL_KALLOC_H
#include <stdint.h>

void *kalloc(void);     // one 4 KiB page, or 0 when memory is out
void kfree(void *pa);   // a page from kalloc; anything else panics

// The buddy allocator's counters, read under the allocator's lock.
// Free pages on node nid (nid < 0: every node).
uint64_t kalloc_free_pages(int nid);
// One consistent snapshot: nr_free[n * norders + o] free blocks of order o
// and free[n] free pages, for nodes 0..maxnodes-1 (0 for absent nodes).
// Returns the number of nodes the buddy allocator knows.
int kalloc_snapshot(uint64_t *nr_free, uint64_t *free, int maxnodes, int norders);
#endif
