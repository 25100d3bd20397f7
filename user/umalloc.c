// malloc and free: one free list kept in address order, first fit, and
// neighbours merged on free, so the list stays short. Every block starts
// with a 16-byte header holding its whole size; payloads are 16-aligned.
// Memory comes from sbrk() in chunks of at least GROW bytes and is never
// given back.
#include "kernel/types.h"
#include "user/user.h"

struct block {
	uint64 size;            // bytes, header included; a multiple of ALIGN
	struct block *next;     // next free block (free blocks only)
};

#define ALIGN   16
#define HDR     sizeof(struct block)
#define MINBLK  (2 * ALIGN)
#define GROW    (64 * 1024)

static struct block *freelist;  // free blocks, lowest address first

// Puts b on the free list, merged with a free neighbour on either side.
static void
freelist_insert(struct block *b)
{
	struct block **link = &freelist, *prev = 0;

	while (*link && *link < b) {
		prev = *link;
		link = &(*link)->next;
	}
	b->next = *link;
	*link = b;
	if (b->next && (char *)b + b->size == (char *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

// Asks the kernel for at least need bytes; 0 if it refuses.
static int
grow(uint64 need)
{
	uint64 n = need < GROW ? GROW : need;
	char *p;

	if (n > 0x7fff0000)
		return -1;
	p = sbrk(n);
	if (p == (char *)-1 && n > need) {
		n = need;               // a whole chunk is too much: try just enough
		p = sbrk(n);
	}
	if (p == (char *)-1)
		return -1;
	// The break may not be aligned (a program can sbrk odd sizes itself).
	if ((uint64)p % ALIGN) {
		uint64 skip = ALIGN - (uint64)p % ALIGN;
		p += skip;
		n -= skip;
		if (n < MINBLK)
			return -1;
		n &= ~(uint64)(ALIGN - 1);
	}
	((struct block *)p)->size = n;
	freelist_insert((struct block *)p);
	return 0;
}

// The size of the free block that ends exactly at the break, or 0.
static uint64
tail_free(void)
{
	struct block *b = freelist;

	while (b && b->next)
		b = b->next;            // the list is in address order: the last
	if (b && (char *)b + b->size == sbrk(0))
		return b->size;
	return 0;
}

void *
malloc(uint nbytes)
{
	uint64 need = ((uint64)nbytes + HDR + ALIGN - 1) & ~(uint64)(ALIGN - 1);
	struct block **link, *b, *rest;

	if (need < MINBLK)
		need = MINBLK;
	for (;;) {
		for (link = &freelist; (b = *link) != 0; link = &b->next) {
			if (b->size < need)
				continue;
			if (b->size - need >= MINBLK) {         // split; keep the tail free
				rest = (struct block *)((char *)b + need);
				rest->size = b->size - need;
				rest->next = b->next;
				b->size = need;
				*link = rest;
			} else {
				*link = b->next;
			}
			return (char *)b + HDR;
		}
		// A free block that ends at the break only needs topping up (it
		// merges with the new memory); alignment slack may cost ALIGN bytes.
		if (grow(need + ALIGN - tail_free()) < 0)
			return 0;
	}
}

void
free(void *p)
{
	if (p)
		freelist_insert((struct block *)((char *)p - HDR));
}
