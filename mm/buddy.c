// The buddy page allocator (docs/buddy.md); callers serialise (the kernel
// wraps every call in its lock). A free block of order k is naturally
// aligned, lies in one span, and only its head has PG_BUDDY, order k and a
// place on free_head[nid][k]; its other pages have flags 0. An allocated
// head has flags 0, refcount 1 and its order; a reserved page has exactly
// PG_RESERVED and refcount 0. next/prev mean something only on a free head.
#include <stddef.h>
#include <stdint.h>
#include "buddy.h"
#include "errno.h"
#include "mm_env.h"

#define NORDERS (BUDDY_MAX_ORDER + 1)

#ifdef MM_DEBUG
#define BUDDY_POISON 1      // fill freed blocks with 0x6b to catch use after free
#else
#define BUDDY_POISON 0
#endif

struct buddy_span {
	uint64_t start, end;        // pfns [start, end)
	struct page *map;           // map[i] describes pfn start + i
	int nid;
};

static struct buddy_span spans[BUDDY_MAX_SPANS];
static int nspans;
static int last_span;           // pfn_to_page's one-entry cache
static int nr_nodes;            // 1 + highest nid registered
static struct page *free_head[BUDDY_MAX_NODES][NORDERS];
static uint64_t nr_free[BUDDY_MAX_NODES][NORDERS];

// The span init loop writes a descriptor as two 64-bit words: {flags,
// refcount} and {order, nid, span, unused}. may_alias makes those stores
// legal C for GCC and Clang; the asserts keep the layout honest.
typedef uint64_t __attribute__((may_alias)) buddy_word;
_Static_assert(sizeof(struct page) <= 32, "struct page grew past 32 bytes");
_Static_assert(offsetof(struct page, flags) % 8 == 0 &&
	       offsetof(struct page, refcount) == offsetof(struct page, flags) + 4 &&
	       offsetof(struct page, order) == offsetof(struct page, flags) + 8 &&
	       offsetof(struct page, unused) + 4 == offsetof(struct page, order) + 8,
	       "buddy_add_span's two-word init no longer matches struct page");

static inline uint64_t span_pfn(const struct buddy_span *s, const struct page *pg)
{
	return s->start + (uint64_t)(pg - s->map);
}

// The span holding pfn, or NULL. Lookups come in runs (the handoff walks
// RAM in order, frees tend to stay in one bank), so try the last hit first.
// The cache is read and written relaxed-atomically (plain lw/sw on rv64), so
// pfn_to_page is safe outside the kernel's buddy lock once spans are set up.
static struct buddy_span *span_of(uint64_t pfn)
{
	struct buddy_span *s = &spans[__atomic_load_n(&last_span, __ATOMIC_RELAXED)];

	if (pfn - s->start < s->end - s->start)
		return s;
	for (int i = 0; i < nspans; i++) {
		s = &spans[i];
		if (pfn - s->start < s->end - s->start) {
			__atomic_store_n(&last_span, i, __ATOMIC_RELAXED);
			return s;
		}
	}
	return NULL;
}

static inline void list_push(struct page *pg, int nid, unsigned order)
{
	struct page **head = &free_head[nid][order];

	pg->flags = PG_BUDDY;
	pg->order = (uint8_t)order;
	pg->prev = NULL;
	pg->next = *head;
	if (*head)
		(*head)->prev = pg;
	*head = pg;
	nr_free[nid][order]++;
}

static inline void list_del(struct page *pg)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		free_head[pg->nid][pg->order] = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->flags = 0;
	nr_free[pg->nid][pg->order]--;
}

// Put the block [pfn, pfn + 2^order) of span s on the free lists, merging
// with its buddy as long as the buddy is a free block of the same order in
// the same span (so never across a hole or into another node).
static void free_block(struct buddy_span *s, uint64_t pfn, unsigned order)
{
	if (BUDDY_POISON)
		mm_memset(mm_phys_to_virt(pfn << PAGE_SHIFT), 0x6b, PAGE_SIZE << order);
	// lab buddy §2
	while (order < BUDDY_MAX_ORDER) {
		uint64_t bpfn = pfn ^ (1ULL << order);
		struct page *b;

		if (bpfn < s->start || bpfn >= s->end)
			break;
		b = &s->map[bpfn - s->start];
		if (!(b->flags & PG_BUDDY) || b->order != order)
			break;
		list_del(b);
		pfn &= bpfn;
		order++;
	}
	list_push(&s->map[pfn - s->start], s->nid, order);
	// lab end
}

size_t buddy_map_bytes(uint64_t npages)
{
	return (size_t)npages * sizeof(struct page);
}

// Every descriptor becomes {flags PG_RESERVED, refcount 0, order 0, nid,
// span}; next/prev are left as they are (they matter only on free heads).
// That is two stores per page.
int buddy_add_span(int nid, uint64_t start_pfn, uint64_t npages, struct page *map)
{
	struct page tmpl = { .flags = PG_RESERVED, .refcount = 0, .order = 0 };
	buddy_word w0, w1;
	uint64_t end = start_pfn + npages;

	if (nid < 0 || nid >= BUDDY_MAX_NODES || npages == 0 || !map ||
	    end < start_pfn || end > (UINT64_MAX >> PAGE_SHIFT))
		return -EINVAL;
	for (int i = 0; i < nspans; i++)
		if (start_pfn < spans[i].end && spans[i].start < end)
			return -EINVAL;
	if (nspans == BUDDY_MAX_SPANS)
		return -ENOSPC;

	tmpl.nid = (uint8_t)nid;
	tmpl.span = (uint16_t)nspans;
	w0 = *(buddy_word *)&tmpl.flags;
	w1 = *(buddy_word *)&tmpl.order;
	for (struct page *p = map, *e = map + npages; p < e; p++) {
		*(buddy_word *)&p->flags = w0;
		*(buddy_word *)&p->order = w1;
	}

	spans[nspans] = (struct buddy_span){ start_pfn, end, map, nid };
	nspans++;
	if (nid >= nr_nodes)
		nr_nodes = nid + 1;
	return 0;
}

// The handoff path. The check and the clear share one loop (five
// instructions a page on rv64); on a bad page the pages already cleared get
// their flag back before the assertion fires, so the state stays coherent.
void buddy_free_boot(uint64_t pfn, unsigned order, void *arg)
{
	// lab buddy §1
	struct buddy_span *s;
	struct page *first, *p, *e;

	MM_ASSERT(order <= BUDDY_MAX_ORDER, "buddy: handoff of pfn 0x%llx order %u: "
		  "order above %d", (unsigned long long)pfn, order, BUDDY_MAX_ORDER);
	MM_ASSERT((pfn & ((1ULL << order) - 1)) == 0, "buddy: handoff of pfn 0x%llx "
		  "order %u: not naturally aligned", (unsigned long long)pfn, order);
	s = span_of(pfn);
	MM_ASSERT(s && pfn + (1ULL << order) <= s->end,
		  "buddy: handoff of pfn 0x%llx order %u: not inside one RAM span",
		  (unsigned long long)pfn, order);
	first = &s->map[pfn - s->start];
	for (p = first, e = first + (1ULL << order); p < e; p++) {
		if (p->flags != PG_RESERVED)
			break;
		p->flags = 0;
	}
	if (p != e) {
		for (struct page *q = first; q < p; q++)
			q->flags = PG_RESERVED;
		MM_ASSERT(0, "buddy: handoff of pfn 0x%llx order %u: page 0x%llx is not "
			  "reserved (flags 0x%x): a reservation or a double handoff",
			  (unsigned long long)pfn, order,
			  (unsigned long long)span_pfn(s, p), p->flags);
		return;
	}
	free_block(s, pfn, order);
	// lab end
}

// Take the smallest free block of order >= order from node nid, split it
// down, and return its head; NULL if the node has none.
static struct page *alloc_from(int nid, unsigned order)
{
	// lab buddy §3
	struct page *pg;
	unsigned k = order;

	while (k <= BUDDY_MAX_ORDER && !free_head[nid][k])
		k++;
	if (k > BUDDY_MAX_ORDER)
		return NULL;
	pg = free_head[nid][k];
	list_del(pg);
	while (k > order) {
		k--;
		list_push(pg + (1ULL << k), nid, k);   // the upper half stays free
	}
	pg->order = (uint8_t)order;
	pg->refcount = 1;
	return pg;
	// lab end
}

struct page *alloc_pages(int nid, unsigned order)
{
	struct page *pg = NULL;

	MM_ASSERT(nid < BUDDY_MAX_NODES, "buddy: alloc_pages on node %d (max %d)",
		  nid, BUDDY_MAX_NODES - 1);
	// lab buddy §4
	if (order > BUDDY_MAX_ORDER)
		return NULL;
	if (nid >= 0)
		pg = alloc_from(nid, order);
	for (int n = 0; !pg && n < nr_nodes; n++)
		if (n != nid)
			pg = alloc_from(n, order);
	// lab end
	return pg;
}

void free_pages(struct page *page, unsigned order)
{
	// lab buddy §5
	uint64_t pfn;

	MM_ASSERT(page, "buddy: free_pages(NULL, order %u)", order);
	pfn = page_to_pfn(page);
	MM_ASSERT(order <= BUDDY_MAX_ORDER && !(page->flags & (PG_RESERVED | PG_BUDDY)) &&
		  page->refcount == 1 && page->order == order,
		  "buddy: free of pfn 0x%llx order %u, which is not an allocated block of "
		  "that order (flags 0x%x refcount %d order %u)", (unsigned long long)pfn,
		  order, page->flags, page->refcount, page->order);
	page->refcount = 0;
	free_block(&spans[page->span], pfn, order);
	// lab end
}

// A descriptor knows its span, so this is O(1); a pointer that is not a
// descriptor is a caller bug.
uint64_t page_to_pfn(const struct page *page)
{
	unsigned i = page->span;
	uintptr_t p = (uintptr_t)page;

	MM_ASSERT(i < (unsigned)nspans && p >= (uintptr_t)spans[i].map &&
		  p < (uintptr_t)(spans[i].map + (spans[i].end - spans[i].start)),
		  "buddy: %p is not a page descriptor", (const void *)page);
	return span_pfn(&spans[i], page);
}

struct page *pfn_to_page(uint64_t pfn)
{
	struct buddy_span *s = span_of(pfn);

	return s ? &s->map[pfn - s->start] : NULL;
}

// A page is free when some free head at or below it covers it. Its block's
// head is pfn rounded down to the block's order, so at most NORDERS probes.
int buddy_page_is_free(uint64_t pfn)
{
	struct buddy_span *s = span_of(pfn);

	if (!s)
		return 0;
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t head = pfn & ~((1ULL << k) - 1);
		const struct page *pg;

		if (head < s->start)
			break;
		pg = &s->map[head - s->start];
		if (pg->flags & PG_BUDDY)
			return pfn - head < (1ULL << pg->order);
		if (pg->flags & PG_RESERVED || pg->refcount)
			return 0;       // a reserved page or an allocated head
	}
	return 0;
}

void buddy_for_each_free_block(void (*fn)(uint64_t pfn, unsigned order, int nid, void *arg),
			       void *arg)
{
	for (int nid = 0; nid < nr_nodes; nid++)
		for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
			for (struct page *pg = free_head[nid][k]; pg; pg = pg->next)
				fn(span_pfn(&spans[pg->span], pg), k, nid, arg);
}

uint64_t buddy_nr_free(int nid, unsigned order)
{
	uint64_t n = 0;

	if (order > BUDDY_MAX_ORDER || nid >= BUDDY_MAX_NODES)
		return 0;
	if (nid >= 0)
		return nr_free[nid][order];
	for (int i = 0; i < BUDDY_MAX_NODES; i++)
		n += nr_free[i][order];
	return n;
}

uint64_t buddy_free_pages(int nid)
{
	uint64_t n = 0;

	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		n += buddy_nr_free(nid, k) << k;
	return n;
}

int buddy_nr_nodes(void)
{
	return nr_nodes;
}

void buddy_reset(void)
{
	mm_memset(spans, 0, sizeof(spans));
	mm_memset(free_head, 0, sizeof(free_head));
	mm_memset(nr_free, 0, sizeof(nr_free));
	nspans = 0;
	last_span = 0;
	nr_nodes = 0;
}
