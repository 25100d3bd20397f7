// The address-space layout, as xv6-riscv names it. The kernel finds its
// devices and RAM in the device tree and never uses UART0/VIRTIO0/PLIC/
// PHYSTOP below; they stay for xv6 user programs that include this file,
// and hold QEMU virt's usual values.
//
// Kernel: RAM and devices identity-mapped (superpages), TRAMPOLINE at the
// top, below it each process's kernel stack with an unmapped guard page.
// User:   text, data, bss, heap from 0 upward; a guard page and the stack;
//         ... TRAPFRAME (p->trapframe), TRAMPOLINE at the top.
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

#include "riscv.h"

#define UART0    0x10000000L
#define UART0_IRQ 10
#define VIRTIO0  0x10001000
#define VIRTIO0_IRQ 1
#define PLIC     0x0c000000L
#define KERNBASE 0x80000000L
#define PHYSTOP  (KERNBASE + 128*1024*1024)

#define TRAMPOLINE (MAXVA - PGSIZE)
#define KSTACK(p) (TRAMPOLINE - ((p)+1)* 2*PGSIZE)
#define TRAPFRAME (TRAMPOLINE - PGSIZE)

#endif
