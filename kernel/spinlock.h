// Mutual exclusion between harts, with interrupts off while held.
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

struct cpu;

struct spinlock {
	unsigned int locked;
	const char *name;       // for panics
	struct cpu *cpu;        // the holder
};

void initlock(struct spinlock *lk, const char *name);
void acquire(struct spinlock *lk);   // panics if this hart already holds it
void release(struct spinlock *lk);   // panics if this hart does not hold it
int holding(struct spinlock *lk);
void push_off(void);                 // nestable intr_off
void pop_off(void);

#endif
