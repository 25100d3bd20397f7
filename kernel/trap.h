// Traps: system calls, faults and interrupts from user mode (usertrap)
// and from the kernel (kerneltrap), and the timer tick.
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H
#include "fdtmap.h"
#include "spinlock.h"
#include "types.h"

extern struct spinlock tickslock;
extern uint ticks;              // timer ticks since boot (TICK_HZ per second)

#define TICK_HZ 10

// First thing on each hart: kernelvec as the trap vector, so that an
// exception in early boot panics with its cause. OpenSBI 1.1 leaves stvec
// at the kernel's entry (0x80200000): an early exception re-entered _start,
// which took the hart for a late secondary and parked it in wfi, silently.
void trap_init_early(void);
// Once, on the boot hart: the tick lock and the timer source (Sstc's
// stimecmp when every hart has it, else SBI set_timer).
void trap_init(const struct bootinfo *bi);
// On each hart: the kernel trap vector, timer and timer interrupts.
void trapinithart(void);
// Return to user mode in the current process (after fork, exec, a trap).
void usertrapret(void) __attribute__((noreturn));

#endif
