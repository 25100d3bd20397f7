// The address-space layout, with xv6-riscv's names.
//
// Physical: the kernel never uses the device and RAM addresses below. It
// reads them from the device tree (fdtmap.c, fdtdev.c), so it also runs
// on a machine with more RAM, a second PLIC or devices elsewhere. They are
// QEMU virt's defaults (hw/riscv/virt.c, one socket), here so that xv6
// programs that include this file compile; user/xv6check compares them
// with what the kernel found in the device tree. PHYSTOP is the end of RAM
// only at -m 128M.
// Left out: xv6's CLINT addresses. The CLINT is M-mode's: OpenSBI drives
// the timer and IPIs through it, and S-mode asks OpenSBI (or uses Sstc).
//
// Virtual, used by the kernel and by user programs alike:
// Kernel: RAM and devices identity-mapped (superpages), TRAMPOLINE at the
// top, below it each process's kernel stack with an unmapped guard page.
// User:   text, data, bss, heap from 0 upward; a guard page and the stack;
//         ... TRAPFRAME (p->trapframe), TRAMPOLINE at the top.
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

#include "riscv.h"

#define UART0       0x10000000L
#define UART0_IRQ   10
#define VIRTIO0     0x10001000          // the first virtio-mmio slot of eight
#define VIRTIO0_IRQ 1

// The PLIC: context 2h is hart h's M-mode, 2h+1 its S-mode (one socket).
#define PLIC                 0x0c000000L
#define PLIC_PRIORITY        (PLIC + 0x0)       // a word per source
#define PLIC_PENDING         (PLIC + 0x1000)    // a bit per source
#define PLIC_MENABLE(hart)   (PLIC + 0x2000 + (hart) * 0x100)
#define PLIC_SENABLE(hart)   (PLIC + 0x2080 + (hart) * 0x100)
#define PLIC_MPRIORITY(hart) (PLIC + 0x200000 + (hart) * 0x2000)   // threshold
#define PLIC_SPRIORITY(hart) (PLIC + 0x201000 + (hart) * 0x2000)
#define PLIC_MCLAIM(hart)    (PLIC + 0x200004 + (hart) * 0x2000)
#define PLIC_SCLAIM(hart)    (PLIC + 0x201004 + (hart) * 0x2000)

#define KERNBASE 0x80000000L    // RAM's start; OpenSBI, then this kernel at 0x80200000
#define PHYSTOP  (KERNBASE + 128*1024*1024)

#define TRAMPOLINE (MAXVA - PGSIZE)
#define KSTACK(p) (TRAMPOLINE - ((p)+1)* 2*PGSIZE)
#define TRAPFRAME (TRAMPOLINE - PGSIZE)

#endif
