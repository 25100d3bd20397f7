// Processes and the per-hart scheduler state. Implemented in proc.c.
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "types.h"

// Callee-saved registers for kernel context switches (swtch.S).
struct context {
	uint64 ra, sp;
	uint64 s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
};

// The user registers saved by the trampoline, one page per process,
// mapped just below the trampoline in the user page table.
struct trapframe {
	/*   0 */ uint64 kernel_satp;   // kernel page table
	/*   8 */ uint64 kernel_sp;     // top of process's kernel stack
	/*  16 */ uint64 kernel_trap;   // usertrap()
	/*  24 */ uint64 epc;           // saved user program counter
	/*  32 */ uint64 kernel_hartid; // saved kernel tp
	/*  40 */ uint64 ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5,
	                 a6, a7, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6;
};

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

// Floating-point registers of a user process (kernel/fpu.S).
struct fpstate {
	uint64 f[32];
	uint64 fcsr;
};
void fpu_save(struct fpstate *fp);
void fpu_restore(const struct fpstate *fp);

struct proc {
	struct spinlock lock;
	// p->lock must be held when using these:
	enum procstate state;
	void *chan;                  // if non-zero, sleeping on chan
	int killed;
	int xstate;                  // exit status for the parent's wait
	int pid;
	// wait_lock must be held when using this:
	struct proc *parent;
	// private to the process, so p->lock need not be held:
	uint64 kstack;               // virtual address of kernel stack
	uint64 sz;                   // size of process memory (bytes)
	pagetable_t pagetable;       // user page table
	struct trapframe *trapframe; // data page for trampoline.S
	struct context context;      // swtch() here to run process
	struct fpstate fp;           // user FP registers while in the kernel
	struct file *ofile[NOFILE];  // open files
	struct inode *cwd;           // current directory
	char name[16];               // process name (debugging)
};

struct proc *myproc(void);
// The process whose kernel stack's guard page holds va, or 0.
struct proc *kstack_guard_owner(uint64 va);
int killed(struct proc *p);
void setkilled(struct proc *p);
void sleep(void *chan, struct spinlock *lk);
void wakeup(void *chan);
// Copy to/from a user address (user_dst/user_src = 1) or a kernel address.
// Return 0, or -1 on a bad user address.
int either_copyout(int user_dst, uint64 dst, void *src, uint64 len);
int either_copyin(void *dst, int user_src, uint64 src, uint64 len);

// The rest of proc.c, for main.c, trap.c, smp.c and the system calls.
void procinit(void);                    // kernel stacks (boot; panics when out of memory)
void proc_userinit(int have_disk);      // the first process: it runs /init
void scheduler(void) __attribute__((noreturn));   // each hart, for good
void yield(void);                       // give up the hart for one round
int fork(void);                         // child's pid, or -1
void exit(int status) __attribute__((noreturn));
int wait(uint64 addr);                  // a zombie child's pid (status to user addr), or -1
int kill(int pid);                      // 0, or -1 if there is no such process
int growproc(long n);                   // sbrk: 0, or -1 (nothing changed)
void procdump(void);                    // the process list on the console (^P)
pagetable_t proc_pagetable(struct proc *p);        // trampoline + trap frame, or 0
void proc_freepagetable(pagetable_t pt, uint64 sz);

// exec.c: replace the current process's image. Returns argc, or -1 with
// the process untouched.
int exec(const char *path, char **argv);

#endif
