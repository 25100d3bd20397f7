// Kernel limits. Plain #defines only: assembly includes this file too.
#ifndef KERNEL_PARAM_H
#define KERNEL_PARAM_H

#define NCPU         8          // harts the kernel will run (CPUS=1..8)
#define KSTACK_SIZE  16384      // bytes of stack per hart at boot

#endif
