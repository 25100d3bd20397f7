// The harts: started through SBI HSM at boot and parked until the boot
// hart has a first process; then each one enables paging, its trap vector
// and timer, and runs its own scheduler (proc.c).
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdint.h>
#include "fdtmap.h"
#include "param.h"
#include "proc.h"

// Per-hart data, allocated by the early allocator on the hart's node.
struct cpu {
	uint64_t hartid;
	int nid;
	volatile int online;
	void *stack;            // KSTACK_SIZE bytes (the boot hart uses boot_stack)
	// scheduler state (proc.c, spinlock.c); touched only by this hart
	struct proc *proc;      // the process running here, or 0
	struct context context; // swtch() here to enter this hart's scheduler
	int noff;               // depth of push_off() nesting
	int intena;             // were interrupts enabled before push_off()?
	int idle;               // 1 while the scheduler may wfi (smp_kick_idle)
};

extern struct cpu *cpus[NCPU];
extern int ncpu;
extern uint64_t boot_hartid;

void smp_alloc(const struct bootinfo *bi, uint64_t boothart);
void smp_start(const struct bootinfo *bi, uint64_t boothart);
int smp_online(void);

// Let every parked hart into its scheduler (after the first process exists).
void smp_release(void);
// A process became runnable: wake one idle hart (not this one), if any,
// with an IPI, rather than leave the process waiting for that hart's tick.
void smp_kick_idle(void);

// This hart's struct cpu. Call with interrupts off, so the caller cannot
// move to another hart while it uses the result. Panics if tp names no hart.
struct cpu *mycpu(void);

#endif
