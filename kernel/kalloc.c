// kalloc/kfree: single pages from the buddy allocator (mm/buddy.c), which
// does no locking of its own, so every call into it goes through kmem_lock.
// A page comes from the calling hart's node when that node has one.
#include "../mm/buddy.h"
#include "console.h"
#include "kalloc.h"
#include "riscv.h"
#include "smp.h"
#include "spinlock.h"
#include "string.h"

static struct spinlock kmem_lock = { .name = "kmem" };

void *kalloc(void)
{
	acquire(&kmem_lock);
	struct page *pg = alloc_pages(mycpu()->nid, 0);
	uint64_t pa = pg ? page_to_pfn(pg) << PAGE_SHIFT : 0;
	release(&kmem_lock);
	if (pa)
		memset((void *)pa, 5, PGSIZE);  // junk, so a reader of uninitialised memory notices
	return (void *)pa;
}

void kfree(void *p)
{
	uint64_t pa = (uint64_t)p;
	if (pa % PGSIZE)
		panic("kalloc: kfree(0x%lx): not page-aligned", pa);
	struct page *pg = pfn_to_page(pa >> PAGE_SHIFT);
	if (!pg)
		panic("kalloc: kfree(0x%lx): not a RAM page", pa);
	acquire(&kmem_lock);
	free_pages(pg, 0);      // the buddy allocator panics on a double or foreign free
	release(&kmem_lock);
}

uint64_t kalloc_free_pages(int nid)
{
	acquire(&kmem_lock);
	uint64_t n = buddy_free_pages(nid);
	release(&kmem_lock);
	return n;
}

int kalloc_snapshot(uint64_t *nr_free, uint64_t *free, int maxnodes, int norders)
{
	acquire(&kmem_lock);
	int nodes = buddy_nr_nodes();
	for (int n = 0; n < maxnodes; n++) {
		for (int o = 0; o < norders; o++)
			nr_free[n * norders + o] = n < nodes && o <= BUDDY_MAX_ORDER ? buddy_nr_free(n, o) : 0;
		free[n] = n < nodes ? buddy_free_pages(n) : 0;
	}
	release(&kmem_lock);
	return nodes;
}
