// Sleep locks: held across disk I/O, so a waiter sleeps instead of
// spinning. The inner spinlock only guards the locked flag; it is given up
// inside sleep() while the waiter is parked.
#include "proc.h"
#include "sleeplock.h"

void initsleeplock(struct sleeplock *lk, const char *name)
{
	initlock(&lk->lk, "sleep lock");
	lk->name = name;
	lk->locked = 0;
	lk->pid = 0;
}

void acquiresleep(struct sleeplock *lk)
{
	struct proc *p = myproc();
	acquire(&lk->lk);
	while (lk->locked)
		sleep(lk, &lk->lk);
	lk->locked = 1;
	lk->pid = p ? p->pid : 0;     // 0: taken outside any process (boot)
	release(&lk->lk);
}

void releasesleep(struct sleeplock *lk)
{
	acquire(&lk->lk);
	lk->locked = 0;
	lk->pid = 0;
	wakeup(lk);
	release(&lk->lk);
}

// 1 if the current process holds lk.
int holdingsleep(struct sleeplock *lk)
{
	struct proc *p = myproc();
	acquire(&lk->lk);
	int mine = lk->locked && lk->pid == (p ? p->pid : 0);
	release(&lk->lk);
	return mine;
}
