// The platform-level interrupt controller: routes device interrupts to
// the harts' S-mode. Drivers register a handler per interrupt source;
// trap.c calls plic_dispatch() on every external interrupt.
#ifndef KERNEL_PLIC_H
#define KERNEL_PLIC_H
#include <stdint.h>
#include "fdtmap.h"

// Base address and number of sources from the device tree (bi->plic,
// bi->plic_ndev). Call once, on the boot hart, before any plic_enable.
void plic_init(const struct bootinfo *bi);
// This hart takes every enabled source (threshold 0). Once per hart.
void plicinithart(void);
// Route source irq (1..ndev) to handler on every hart. Panics for a bad
// irq or a second handler on one source (driver bugs).
void plic_enable(uint32_t irq, void (*handler)(void));
// Claim, handle and complete every pending source, on every context we
// enabled (not only this hart's: see plic.c on QEMU 7.2's wiring).
// Returns 1 if a source was claimed, 0 if none was pending.
int plic_dispatch(void);

#endif
