// System-call stubs. Each puts its number in a7 and traps with ecall; the
// arguments are already in a0..a5 where the C caller left them, and the
// kernel returns the result in a0. Numbers come from kernel/syscall.h.
#include "kernel/syscall.h"

#define STUB(name)              \
	.globl name;            \
	.type name, @function;  \
	.align 2;               \
name:                           \
	li a7, SYS_##name;      \
	ecall;                  \
	ret;                    \
	.size name, . - name

	.text
STUB(fork)
STUB(exit)
STUB(wait)
STUB(pipe)
STUB(read)
STUB(write)
STUB(close)
STUB(kill)
STUB(exec)
STUB(open)
STUB(mknod)
STUB(unlink)
STUB(fstat)
STUB(link)
STUB(mkdir)
STUB(chdir)
STUB(dup)
STUB(getpid)
STUB(sbrk)
STUB(sleep)
STUB(pause)
STUB(uptime)
STUB(bootreport)
STUB(buddyinfo)
STUB(fsinfo)
