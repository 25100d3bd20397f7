// Page tables: the kernel's direct map (kvm.c) and user address spaces.
// Implemented in vm.c. Every function that takes a user address checks it
// and returns -1 (or 0 for a pointer) instead of faulting or panicking.
#ifndef KERNEL_VM_H
#define KERNEL_VM_H
#include "riscv.h"
#include "types.h"

int copyout(pagetable_t pt, uint64 dstva, const char *src, uint64 len);
int copyin(pagetable_t pt, char *dst, uint64 srcva, uint64 len);
int copyinstr(pagetable_t pt, char *dst, uint64 srcva, uint64 max);

#endif
