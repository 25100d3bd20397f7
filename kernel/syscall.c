// System-call dispatch: the number in a7 picks the handler, the result
// goes back in a0. Arguments are read from the trap frame; every user
// address behind them is checked by copyin/copyinstr, so a bad pointer
// makes the call return -1.
#include "console.h"
#include "proc.h"
#include "string.h"
#include "sysarg.h"
#include "sysfile.h"
#include "syscall.h"
#include "sysproc.h"
#include "vm.h"

// Read the word at user address addr. Returns 0, or -1 if addr is bad.
int fetchaddr(uint64 addr, uint64 *ip)
{
	struct proc *p = myproc();
	if (addr >= p->sz || p->sz - addr < sizeof(uint64))
		return -1;
	return copyin(p->pagetable, (char *)ip, addr, sizeof(*ip));
}

// Copy the string at user address addr into buf[max]. Returns its length,
// or -1 for a bad address or a string that does not fit.
int fetchstr(uint64 addr, char *buf, int max)
{
	if (max <= 0 || copyinstr(myproc()->pagetable, buf, addr, max) < 0)
		return -1;
	return strlen(buf);
}

static uint64 argraw(int n)
{
	struct trapframe *tf = myproc()->trapframe;
	switch (n) {
	case 0: return tf->a0;
	case 1: return tf->a1;
	case 2: return tf->a2;
	case 3: return tf->a3;
	case 4: return tf->a4;
	case 5: return tf->a5;
	}
	panic("syscall: argument %d does not exist", n);
}

int argint(int n, int *ip)
{
	*ip = (int)argraw(n);
	return 0;
}

// The address is not checked here; copyin/copyout check it when it is used.
int argaddr(int n, uint64 *ap)
{
	*ap = argraw(n);
	return 0;
}

int argstr(int n, char *buf, int max)
{
	return fetchstr(argraw(n), buf, max);
}

static uint64 (*const handlers[])(void) = {
	[SYS_fork] = sys_fork,
	[SYS_exit] = sys_exit,
	[SYS_wait] = sys_wait,
	[SYS_pipe] = sys_pipe,
	[SYS_read] = sys_read,
	[SYS_kill] = sys_kill,
	[SYS_exec] = sys_exec,
	[SYS_fstat] = sys_fstat,
	[SYS_chdir] = sys_chdir,
	[SYS_dup] = sys_dup,
	[SYS_getpid] = sys_getpid,
	[SYS_sbrk] = sys_sbrk,
	[SYS_sleep] = sys_sleep,
	[SYS_uptime] = sys_uptime,
	[SYS_open] = sys_open,
	[SYS_write] = sys_write,
	[SYS_mknod] = sys_mknod,
	[SYS_unlink] = sys_unlink,
	[SYS_link] = sys_link,
	[SYS_mkdir] = sys_mkdir,
	[SYS_close] = sys_close,
	[SYS_bootreport] = sys_bootreport,
	[SYS_buddyinfo] = sys_buddyinfo,
	[SYS_fsinfo] = sys_fsinfo,
};

void syscall(void)
{
	struct proc *p = myproc();
	uint64 num = p->trapframe->a7;
	if (num < sizeof(handlers) / sizeof(handlers[0]) && handlers[num]) {
		p->trapframe->a0 = handlers[num]();
		return;
	}
	printf("pid %d %s: unknown sys call %ld\n", p->pid, p->name, (long)num);
	p->trapframe->a0 = -1;
}
