// xv6's single-page interface over the buddy allocator (kalloc.c).
#ifndef KERNEL_KALLOC_H
#define KERNEL_KALLOC_H
void *kalloc(void);     // one 4 KiB page, or 0 when memory is out
void kfree(void *pa);   // a page from kalloc; anything else panics
#endif
