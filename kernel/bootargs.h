// The boot arguments (/chosen/bootargs, QEMU -append): space-separated words.
//   bottom-up         memblock: allocate from low addresses (default top-down)
//   halt              shut down after the boot report (tests, benchmarks)
//   trace             one "@trace" line per early-allocator event, with its state
//   quiet             no "@" lines, only the tables (make qemu passes it unless AT=1)
//   demo=oom          ask the early allocator for 1 TiB: the out-of-memory panic
//   demo=late-alloc   call the early allocator after the handoff: the retired panic
//   demo=hsm-race     start the last hart but the boot hart at _start, as OpenSBI
//                     1.1's start race does
//   demo=kstack-overflow  recurse in the kernel until the stack guard page traps
//   demo=nomap        read the first no-map reservation: the trap names it
#ifndef KERNEL_BOOTARGS_H
#define KERNEL_BOOTARGS_H
// 1 if word is one of the words of args.
int bootarg(const char *args, const char *word);
#endif
