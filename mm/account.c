// The accounting invariant of mm/account.h, by interval arithmetic: the
// reserved and early regions are rounded to pages, clipped to the banks and
// merged into sorted lists, so the cost grows with the number of regions and
// free blocks, not with the size of RAM (16 GiB is 4M pages).
#include "account.h"
#include "mm_env.h"

#define MAX_IVS (MEMMAP_MAX_RESV + 256)

struct iv {
	uint64_t s, e;  // pfns, [s, e)
	int nid;
};

struct state {
	const struct memmap *map;
	struct iv rsv[MAX_IVS];   // reservations, merged
	int nrsv;
	struct iv any[MAX_IVS];   // reservations and early allocations, merged
	int nany;
	uint64_t free_pages[MEMMAP_MAX_NODES];
	uint64_t walked;
	int bad;
	char *err;
	size_t errlen;
};

static struct state st;  // too big for a boot stack; the check runs once

static void put_str(size_t *i, const char *str)
{
	for (; *str && *i + 1 < st.errlen; str++)
		st.err[(*i)++] = *str;
}

static void put_num(size_t *i, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n && *i + 1 < st.errlen)
		st.err[(*i)++] = tmp[--n];
}

// Record the first failure as "what k1=v1 k2=v2" (no printf in mm/).
static void acct_fail(const char *what, const char *k1, uint64_t v1, const char *k2, uint64_t v2)
{
	size_t i = 0;
	if (st.bad++ || st.errlen == 0)
		return;
	put_str(&i, what);
	put_str(&i, k1);
	put_num(&i, v1);
	put_str(&i, k2);
	put_num(&i, v2);
	st.err[i] = 0;
}

// Append [base, base+size) rounded outward to pages and clipped to each bank.
static void add_region(struct iv *v, int *n, phys_addr_t base, uint64_t size)
{
	uint64_t s = base >> PAGE_SHIFT;
	uint64_t e = (base + size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	for (int b = 0; b < st.map->nbanks; b++) {
		const struct memmap_bank *bk = &st.map->bank[b];
		uint64_t bs = (bk->base + PAGE_SIZE - 1) >> PAGE_SHIFT;
		uint64_t be = (bk->base + bk->size) >> PAGE_SHIFT;
		uint64_t cs = s > bs ? s : bs, ce = e < be ? e : be;
		if (cs >= ce)
			continue;
		MM_ASSERT(*n < MAX_IVS, "account: more than %d regions", MAX_IVS);
		v[*n].s = cs;
		v[*n].e = ce;
		v[*n].nid = bk->nid;
		(*n)++;
	}
}

// Sort by start (insertion sort: the lists are short and nearly sorted),
// then merge overlapping and touching intervals of the same node.
static int merge(struct iv *v, int n)
{
	for (int i = 1; i < n; i++) {
		struct iv x = v[i];
		int j = i - 1;
		for (; j >= 0 && v[j].s > x.s; j--)
			v[j + 1] = v[j];
		v[j + 1] = x;
	}
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (m && v[i].s <= v[m - 1].e && v[i].nid == v[m - 1].nid) {
			if (v[i].e > v[m - 1].e)
				v[m - 1].e = v[i].e;
		} else {
			v[m++] = v[i];
		}
	}
	return m;
}

// Does [s, e) overlap any interval of the sorted list v?
static int overlaps(const struct iv *v, int n, uint64_t s, uint64_t e)
{
	int lo = 0, hi = n;
	while (lo < hi) {           // first interval ending after s
		int mid = (lo + hi) / 2;
		if (v[mid].e <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].s < e;
}

static void on_free_block(uint64_t pfn, unsigned order, int nid, void *arg)
{
	uint64_t e = pfn + (1ULL << order);
	int inside = 0;
	for (int b = 0; b < st.map->nbanks; b++) {
		const struct memmap_bank *bk = &st.map->bank[b];
		if (pfn >= (bk->base >> PAGE_SHIFT) && e <= ((bk->base + bk->size) >> PAGE_SHIFT)) {
			inside = bk->nid == nid;
			break;
		}
	}
	if (!inside)
		acct_fail("account: free block outside its node's RAM:", " pfn=", pfn, " order=", order);
	else if (overlaps(st.rsv, st.nrsv, pfn, e))
		acct_fail("account: a reservation reached the buddy allocator:", " pfn=", pfn, " order=", order);
	else if (overlaps(st.any, st.nany, pfn, e))
		acct_fail("account: an early allocation reached the buddy allocator:", " pfn=", pfn, " order=", order);
	if (nid >= 0 && nid < MEMMAP_MAX_NODES)
		st.free_pages[nid] += 1ULL << order;
	st.walked += 1ULL << order;
}

int account_check(const struct memmap *map,
		  const struct acct_region *early, int nearly,
		  acct_walk_fn walk, uint64_t buddy_counted, uint64_t early_lost,
		  struct acct_node *out, char *err, size_t errlen)
{
	mm_memset(&st, 0, sizeof(st));
	st.map = map;
	st.err = err;
	st.errlen = errlen;
	if (errlen)
		err[0] = 0;

	for (int i = 0; i < map->nresv; i++) {
		add_region(st.rsv, &st.nrsv, map->resv[i].base, map->resv[i].size);
		add_region(st.any, &st.nany, map->resv[i].base, map->resv[i].size);
	}
	for (int i = 0; i < nearly; i++)
		add_region(st.any, &st.nany, early[i].base, early[i].size);
	st.nrsv = merge(st.rsv, st.nrsv);
	st.nany = merge(st.any, st.nany);

	for (int n = 0; n < map->nnodes; n++)
		mm_memset(&out[n], 0, sizeof(out[n]));
	for (int b = 0; b < map->nbanks; b++) {
		const struct memmap_bank *bk = &map->bank[b];
		uint64_t s = (bk->base + PAGE_SIZE - 1) >> PAGE_SHIFT;
		uint64_t e = (bk->base + bk->size) >> PAGE_SHIFT;
		if (e > s)
			out[bk->nid].ram += e - s;
	}
	for (int i = 0; i < st.nrsv; i++)
		out[st.rsv[i].nid].reserved += st.rsv[i].e - st.rsv[i].s;
	for (int i = 0; i < st.nany; i++)
		out[st.any[i].nid].early += st.any[i].e - st.any[i].s;

	walk(on_free_block, 0);

	uint64_t lost = 0;
	for (int n = 0; n < map->nnodes; n++) {
		out[n].early -= out[n].reserved;  // any = reserved + early, disjoint
		out[n].buddy = st.free_pages[n];
		uint64_t used = out[n].buddy + out[n].reserved + out[n].early;
		if (used > out[n].ram) {
			acct_fail("account: more pages accounted than RAM:", " node=", (uint64_t)n, " ram=", out[n].ram);
			continue;
		}
		out[n].lost = out[n].ram - used;
		lost += out[n].lost;
	}
	if (!st.bad && st.walked != buddy_counted)
		acct_fail("account: buddy counters disagree with its free lists:", " counted=", buddy_counted, " walked=", st.walked);
	if (!st.bad && lost != early_lost)
		acct_fail("account: pages neither free, reserved nor early-allocated:", " found=", lost, " allocator_reported=", early_lost);
	return st.bad ? -1 : 0;
}
