// The boot arguments (/chosen/bootargs, QEMU -append): space-separated words.
//   bottom-up         memblock: allocate from low addresses (default top-down)
//   halt              shut down after the boot report (tests, benchmarks)
//   demo=oom          ask the early allocator for 1 TiB: the out-of-memory panic
//   demo=late-alloc   call the early allocator after the handoff: the retired panic
#ifndef KERNEL_BOOTARGS_H
#define KERNEL_BOOTARGS_H
// 1 if word is one of the words of args.
int bootarg(const char *args, const char *word);
#endif
