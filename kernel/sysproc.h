// The system-call dispatcher (syscall.c) and the handlers outside the file
// system: processes (sysproc.c), exec (exec.c) and the memory reports
// (sysinfo.c). Each handler returns the value for the program's a0.
#ifndef KERNEL_SYSPROC_H
#define KERNEL_SYSPROC_H
#include "types.h"

// Run the system call named by the current process's a7; result in a0.
void syscall(void);

uint64 sys_fork(void);
uint64 sys_exit(void);
uint64 sys_wait(void);
uint64 sys_kill(void);
uint64 sys_getpid(void);
uint64 sys_sbrk(void);
uint64 sys_sleep(void);
uint64 sys_uptime(void);
uint64 sys_exec(void);
uint64 sys_bootreport(void);
uint64 sys_buddyinfo(void);

#endif
