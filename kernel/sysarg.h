// Fetching system-call arguments from the current process's trap frame,
// with every user address checked. Each returns -1 on a bad argument; the
// system call then returns -1 to the program (never a panic).
#ifndef KERNEL_SYSARG_H
#define KERNEL_SYSARG_H
#include "types.h"

int argint(int n, int *ip);
int argaddr(int n, uint64 *ap);
int argstr(int n, char *buf, int max);  // length, or -1 (bad address, too long)
int fetchaddr(uint64 addr, uint64 *ip);
int fetchstr(uint64 addr, char *buf, int max);

#endif
