// User address spaces: three-level Sv39 page tables built from kalloc'd
// pages, 4 KiB leaves only. Addresses that come from a user program are
// checked on every use (below MAXVA, mapped, PTE_U, PTE_W to write), so a
// bad pointer costs the program -1, never the kernel a fault. Only kernel
// bugs (double mappings, freeing a table that still maps a page) panic.
#include "console.h"
#include "kalloc.h"
#include "memlayout.h"
#include "string.h"
#include "vm.h"

#define PTE_LEAF (PTE_R | PTE_W | PTE_X)   // any of these: a leaf, not a pointer to a table

static pagetable_t new_table(void)
{
	pagetable_t t = kalloc();
	if (t)
		memset(t, 0, PGSIZE);
	return t;
}

pte_t *walk(pagetable_t pt, uint64 va, int alloc)
{
	if (va >= MAXVA)
		return 0;
	for (int level = 2; level > 0; level--) {
		pte_t *pte = &pt[PX(level, va)];
		if (*pte & PTE_V) {
			if (*pte & PTE_LEAF)
				return 0;       // a superpage: never in a user page table
			pt = (pagetable_t)PTE2PA(*pte);
			continue;
		}
		if (!alloc || !(pt = new_table()))
			return 0;
		*pte = PA2PTE(pt) | PTE_V;
	}
	return &pt[PX(0, va)];
}

// The physical page behind user page va0 if its PTE has every bit of need
// (besides PTE_V and PTE_U), else 0.
static uint64 user_page(pagetable_t pt, uint64 va0, uint64 need)
{
	pte_t *pte = walk(pt, va0, 0);
	uint64 want = PTE_V | PTE_U | need;
	if (!pte || (*pte & want) != want)
		return 0;
	return PTE2PA(*pte);
}

uint64 walkaddr(pagetable_t pt, uint64 va)
{
	return user_page(pt, PGROUNDDOWN(va), 0);
}

int mappages(pagetable_t pt, uint64 va, uint64 size, uint64 pa, int perm)
{
	if (size == 0 || va % PGSIZE || size % PGSIZE || pa % PGSIZE)
		panic("vm: mappages(va 0x%lx, size 0x%lx, pa 0x%lx): not whole pages", va, size, pa);
	for (uint64 off = 0; off < size; off += PGSIZE) {
		pte_t *pte = walk(pt, va + off, 1);
		if (!pte) {
			uvmunmap(pt, va, off / PGSIZE, 0);
			return -1;
		}
		if (*pte & PTE_V)
			panic("vm: mappages: va 0x%lx is already mapped (pte 0x%lx)", va + off, *pte);
		// A and D set up front: hardware that does not update them would
		// otherwise fault on the first access.
		*pte = PA2PTE(pa + off) | perm | PTE_V | PTE_A | PTE_D;
	}
	return 0;
}

pagetable_t uvmcreate(void)
{
	return new_table();
}

void uvmunmap(pagetable_t pt, uint64 va, uint64 npages, int do_free)
{
	if (va % PGSIZE)
		panic("vm: uvmunmap(0x%lx): not page-aligned", va);
	for (uint64 i = 0; i < npages; i++) {
		uint64 a = va + i * PGSIZE;
		pte_t *pte = walk(pt, a, 0);
		if (!pte || !(*pte & PTE_V))
			continue;
		if (!(*pte & PTE_LEAF))
			panic("vm: uvmunmap: va 0x%lx holds a table, not a page (pte 0x%lx)", a, *pte);
		if (do_free)
			kfree((void *)PTE2PA(*pte));
		*pte = 0;
	}
}

static int table_empty(pagetable_t t)
{
	for (int i = 0; i < 512; i++)
		if (t[i])
			return 0;
	return 1;
}

// Free the page-table pages covering [lo, hi) that map nothing any more,
// so that growing and shrinking back (or a failed grow) gives every page
// back, tables included.
static void prune(pagetable_t root, uint64 lo, uint64 hi)
{
	if (lo >= hi)
		return;
	uint64 last = hi - 1;
	for (uint64 i2 = PX(2, lo); i2 <= PX(2, last); i2++) {
		pte_t *e2 = &root[i2];
		if (!(*e2 & PTE_V) || (*e2 & PTE_LEAF))
			continue;
		pagetable_t mid = (pagetable_t)PTE2PA(*e2);
		uint64 first1 = i2 == PX(2, lo) ? PX(1, lo) : 0;
		uint64 last1 = i2 == PX(2, last) ? PX(1, last) : 511;
		for (uint64 i1 = first1; i1 <= last1; i1++) {
			pte_t *e1 = &mid[i1];
			if (!(*e1 & PTE_V) || (*e1 & PTE_LEAF))
				continue;
			pagetable_t low = (pagetable_t)PTE2PA(*e1);
			if (table_empty(low)) {
				kfree(low);
				*e1 = 0;
			}
		}
		if (table_empty(mid)) {
			kfree(mid);
			*e2 = 0;
		}
	}
}

uint64 uvmdealloc(pagetable_t pt, uint64 oldsz, uint64 newsz)
{
	if (newsz >= oldsz)
		return oldsz;
	uint64 lo = PGROUNDUP(newsz), hi = PGROUNDUP(oldsz);
	if (lo < hi) {
		uvmunmap(pt, lo, (hi - lo) / PGSIZE, 1);
		prune(pt, lo, hi);
	}
	return newsz;
}

uint64 uvmalloc(pagetable_t pt, uint64 oldsz, uint64 newsz, int xperm)
{
	if (newsz <= oldsz)
		return oldsz;
	if (newsz > TRAPFRAME)
		return 0;
	uint64 start = PGROUNDUP(oldsz);
	// Refuse what cannot fit before taking anything: a huge request would
	// otherwise drain every free page just to give them all back.
	if ((PGROUNDUP(newsz) - start) / PGSIZE > kalloc_free_pages(-1))
		return 0;
	uint64 a;
	for (a = start; a < newsz; a += PGSIZE) {
		char *mem = kalloc();
		if (!mem)
			goto undo;
		memset(mem, 0, PGSIZE);
		if (mappages(pt, a, PGSIZE, (uint64)mem, PTE_R | PTE_U | xperm) < 0) {
			kfree(mem);
			goto undo;
		}
	}
	return newsz;
undo:
	// [start, a) is mapped; a walk for page a may have left empty tables.
	uvmunmap(pt, start, (a - start) / PGSIZE, 1);
	prune(pt, start, a + PGSIZE);
	return 0;
}

// Free a page-table page and the tables below it; a leaf still mapped
// here would leak its page, so that is a kernel bug.
static void freewalk(pagetable_t t)
{
	for (int i = 0; i < 512; i++) {
		if (!(t[i] & PTE_V))
			continue;
		if (t[i] & PTE_LEAF)
			panic("vm: freeing a page table that still maps pa 0x%lx (pte 0x%lx)",
			      PTE2PA(t[i]), t[i]);
		freewalk((pagetable_t)PTE2PA(t[i]));
		t[i] = 0;
	}
	kfree(t);
}

void uvmfree(pagetable_t pt, uint64 sz)
{
	if (sz > 0)
		uvmunmap(pt, 0, PGROUNDUP(sz) / PGSIZE, 1);
	freewalk(pt);
}

int uvmcopy(pagetable_t old, pagetable_t new, uint64 sz)
{
	uint64 a;
	for (a = 0; a < sz; a += PGSIZE) {
		pte_t *pte = walk(old, a, 0);
		if (!pte || !(*pte & PTE_V))
			continue;
		char *mem = kalloc();
		if (!mem)
			goto fail;
		memmove(mem, (const void *)PTE2PA(*pte), PGSIZE);
		if (mappages(new, a, PGSIZE, (uint64)mem, PTE_FLAGS(*pte) & ~(PTE_V | PTE_A | PTE_D)) < 0) {
			kfree(mem);
			goto fail;
		}
	}
	return 0;
fail:
	uvmunmap(new, 0, a / PGSIZE, 1);
	return -1;
}

void uvmclear(pagetable_t pt, uint64 va)
{
	pte_t *pte = walk(pt, va, 0);
	if (!pte || !(*pte & PTE_V))
		panic("vm: uvmclear: va 0x%lx is not mapped", va);
	*pte &= ~PTE_U;
}

// Copy len bytes between kernel memory at kva and user memory at uva, page
// by page, each page checked by user_page for the access (PTE_W: into user
// memory, PTE_R: out of it). Returns 0, or -1 at the first bad page.
static int copy_user(pagetable_t pt, uint64 uva, char *kva, uint64 len, uint64 access)
{
	while (len > 0) {
		uint64 va0 = PGROUNDDOWN(uva);
		uint64 pa0 = user_page(pt, va0, access);
		if (!pa0)
			return -1;
		uint64 n = PGSIZE - (uva - va0);
		if (n > len)
			n = len;
		char *user = (char *)(pa0 + (uva - va0));
		if (access == PTE_W)
			memmove(user, kva, n);
		else
			memmove(kva, user, n);
		len -= n;
		kva += n;
		uva += n;
	}
	return 0;
}

int copyout(pagetable_t pt, uint64 dstva, const char *src, uint64 len)
{
	return copy_user(pt, dstva, (char *)src, len, PTE_W);
}

int copyin(pagetable_t pt, char *dst, uint64 srcva, uint64 len)
{
	return copy_user(pt, srcva, dst, len, PTE_R);
}

// Copy a NUL-terminated string of at most max bytes, NUL included.
// Returns 0, or -1 for a bad address or no NUL within max bytes.
int copyinstr(pagetable_t pt, char *dst, uint64 srcva, uint64 max)
{
	while (max > 0) {
		uint64 va0 = PGROUNDDOWN(srcva);
		uint64 pa0 = user_page(pt, va0, PTE_R);
		if (!pa0)
			return -1;
		uint64 n = PGSIZE - (srcva - va0);
		if (n > max)
			n = max;
		const char *s = (const char *)(pa0 + (srcva - va0));
		for (uint64 i = 0; i < n; i++) {
			dst[i] = s[i];
			if (s[i] == 0)
				return 0;
		}
		dst += n;
		max -= n;
		srcva += n;
	}
	return -1;
}
