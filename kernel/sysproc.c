// Process system calls. Arguments come through sysarg.h; anything a
// program passes is checked, and a bad value returns -1.
#include "proc.h"
#include "sysarg.h"
#include "sysproc.h"
#include "trap.h"

uint64 sys_exit(void)
{
	int status;
	argint(0, &status);
	exit(status);
}

uint64 sys_getpid(void)
{
	return myproc()->pid;
}

uint64 sys_fork(void)
{
	return fork();
}

uint64 sys_wait(void)
{
	uint64 status_addr;
	argaddr(0, &status_addr);
	return wait(status_addr);
}

// sbrk(n): grow (n > 0) or shrink (n < 0) the heap; returns the old end,
// or -1 with nothing changed.
uint64 sys_sbrk(void)
{
	int n;
	argint(0, &n);
	uint64 old = myproc()->sz;
	if (growproc(n) < 0)
		return -1;
	return old;
}

// sleep(n): wait n ticks; -1 if killed meanwhile. n < 0 counts as 0.
uint64 sys_sleep(void)
{
	int n;
	argint(0, &n);
	acquire(&tickslock);
	uint start = ticks;
	while (n > 0 && ticks - start < (uint)n) {
		if (killed(myproc())) {
			release(&tickslock);
			return -1;
		}
		sleep(&ticks, &tickslock);
	}
	release(&tickslock);
	return 0;
}

uint64 sys_kill(void)
{
	int pid;
	argint(0, &pid);
	return kill(pid);
}

uint64 sys_uptime(void)
{
	acquire(&tickslock);
	uint t = ticks;
	release(&tickslock);
	return t;
}
