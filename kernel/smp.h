// The other harts: started through SBI HSM, parked until there is a
// scheduler to run.
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdint.h>
#include "fdtmap.h"
#include "param.h"

// Per-hart data, allocated by the early allocator on the hart's node.
struct cpu {
	uint64_t hartid;
	int nid;
	volatile int online;
	void *stack;            // KSTACK_SIZE bytes
};

extern struct cpu *cpus[NCPU];
extern int ncpu;

void smp_alloc(const struct bootinfo *bi, uint64_t boothart);
void smp_start(const struct bootinfo *bi, uint64_t boothart);
int smp_online(void);

#endif
