// Spinlocks. A hart holding one keeps its interrupts off: an interrupt
// handler that wanted the same lock would otherwise spin forever on the
// hart that holds it. push_off/pop_off nest, so the interrupt state seen
// before the outermost acquire is the one restored after the last release.
#include "console.h"
#include "riscv.h"
#include "smp.h"
#include "spinlock.h"

void initlock(struct spinlock *lk, const char *name)
{
	lk->name = name;
	lk->locked = 0;
	lk->cpu = 0;
}

void acquire(struct spinlock *lk)
{
	push_off();
	if (holding(lk))
		panic("spinlock: hart %lu acquires %s, which it already holds", r_tp(), lk->name);
	// amoswap.w.aq: the acquire ordering keeps the critical section's loads
	// and stores after the lock is seen free.
	while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0)
		;
	lk->cpu = mycpu();
}

void release(struct spinlock *lk)
{
	if (!holding(lk))
		panic("spinlock: hart %lu releases %s, which it does not hold", r_tp(), lk->name);
	lk->cpu = 0;
	// Release ordering: every store of the critical section is visible
	// before another hart can see the lock free.
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	pop_off();
}

// Call with interrupts off (acquire/release do), so mycpu() stays valid.
int holding(struct spinlock *lk)
{
	return __atomic_load_n(&lk->locked, __ATOMIC_RELAXED) && lk->cpu == mycpu();
}

void push_off(void)
{
	int was_on = intr_get();
	intr_off();
	struct cpu *c = mycpu();
	if (c->noff == 0)
		c->intena = was_on;
	c->noff++;
}

void pop_off(void)
{
	struct cpu *c = mycpu();
	if (intr_get())
		panic("spinlock: pop_off on hart %lu with interrupts on", r_tp());
	if (c->noff < 1)
		panic("spinlock: pop_off on hart %lu without a matching push_off", r_tp());
	c->noff--;
	if (c->noff == 0 && c->intena)
		intr_on();
}
