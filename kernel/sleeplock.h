// Long-term locks for processes (inodes, buffers): the holder may sleep.
#ifndef KERNEL_SLEEPLOCK_H
#define KERNEL_SLEEPLOCK_H
#include "spinlock.h"

struct sleeplock {
	unsigned int locked;
	struct spinlock lk;
	const char *name;
	int pid;                // the holder
};

void initsleeplock(struct sleeplock *lk, const char *name);
void acquiresleep(struct sleeplock *lk);
void releasesleep(struct sleeplock *lk);
int holdingsleep(struct sleeplock *lk);

#endif
