// Processes: a fixed table of NPROC, fork/exit/wait/kill, sleep/wakeup,
// and one scheduler per hart. Each slot owns one kernel-stack page for
// the whole run, mapped at KSTACK(slot) with an unmapped page below it, so
// an overflowing stack faults instead of corrupting a neighbour.
// Lock order: wait_lock, then a p->lock. wait_lock guards every p->parent,
// so exit() and wait() see parent links change atomically.
#include "bootargs.h"
#include "bootreport.h"
#include "console.h"
#include "file.h"
#include "kalloc.h"
#include "kvm.h"
#include "memlayout.h"
#include "mminit.h"
#include "proc.h"
#include "report.h"
#include "smp.h"
#include "string.h"
#include "trap.h"
#include "vm.h"

static struct proc proc[NPROC];
static struct proc *initproc;

static int nextpid = 1;
static struct spinlock pid_lock = { .name = "nextpid" };
static struct spinlock wait_lock = { .name = "wait_lock" };

extern char trampoline[];
void swtch(struct context *from, struct context *to);
static void forkret(void);

void procinit(void)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &proc[i];
		initlock(&p->lock, "proc");
		p->state = UNUSED;
		void *stack = kalloc();
		if (!stack)
			panic("proc: out of memory for the kernel stack of slot %d", i);
		p->kstack = KSTACK(i);
		kvm_map_page(p->kstack, (uint64)stack, PTE_R | PTE_W);
	}
	sfence_vma();
}

struct proc *myproc(void)
{
	push_off();
	struct proc *p = mycpu()->proc;
	pop_off();
	return p;
}

static int allocpid(void)
{
	acquire(&pid_lock);
	int pid = nextpid++;
	release(&pid_lock);
	return pid;
}

pagetable_t proc_pagetable(struct proc *p)
{
	pagetable_t pt = uvmcreate();
	if (!pt)
		return 0;
	// The trampoline and trap frame have no PTE_U: only the kernel side
	// of a trap uses them.
	if (mappages(pt, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R | PTE_X) < 0 ||
	    mappages(pt, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) < 0) {
		proc_freepagetable(pt, 0);
		return 0;
	}
	return pt;
}

void proc_freepagetable(pagetable_t pt, uint64 sz)
{
	uvmunmap(pt, TRAMPOLINE, 1, 0);
	uvmunmap(pt, TRAPFRAME, 1, 0);
	uvmfree(pt, sz);
}

// Give back everything a slot holds except its kernel stack. p->lock held.
static void freeproc(struct proc *p)
{
	if (p->pagetable)
		proc_freepagetable(p->pagetable, p->sz);
	if (p->trapframe)
		kfree(p->trapframe);
	p->pagetable = 0;
	p->trapframe = 0;
	p->sz = 0;
	p->pid = 0;
	p->parent = 0;
	p->name[0] = 0;
	p->chan = 0;
	p->killed = 0;
	p->xstate = 0;
	p->state = UNUSED;
}

// An UNUSED slot made ready to run forkret on its own kernel stack, with a
// trap frame and a page table holding only the trampoline and trap frame.
// Returns it with p->lock held, or 0 when the table or memory is full.
static struct proc *allocproc(void)
{
	struct proc *p;
	for (p = proc; p < &proc[NPROC]; p++) {
		acquire(&p->lock);
		if (p->state == UNUSED)
			break;
		release(&p->lock);
	}
	if (p == &proc[NPROC])
		return 0;

	p->pid = allocpid();
	p->state = USED;
	p->killed = 0;
	p->trapframe = kalloc();
	if (p->trapframe) {
		memset(p->trapframe, 0, PGSIZE);
		p->pagetable = proc_pagetable(p);
	}
	if (!p->pagetable) {
		freeproc(p);
		release(&p->lock);
		return 0;
	}
	memset(&p->context, 0, sizeof(p->context));
	memset(&p->fp, 0, sizeof(p->fp));
	p->context.ra = (uint64)forkret;
	p->context.sp = p->kstack + PGSIZE;
	return p;
}

static int have_root_disk;

// The first process starts with an empty address space: its first run
// (forkret) mounts the root file system and execs /init, which is only
// possible from process context since disk reads sleep. Without a disk
// it shuts the machine down instead (the boot tests run that way).
void proc_userinit(int have_disk)
{
	have_root_disk = have_disk;
	struct proc *p = allocproc();
	if (!p)
		panic("proc: no memory for the first process");
	initproc = p;
	safestrcpy(p->name, "init", sizeof(p->name));
	p->state = RUNNABLE;
	release(&p->lock);
}

static void start_init(struct proc *p)
{
	fsinit(ROOTDEV);
	begin_op();
	p->cwd = namei("/");
	end_op();
	if (!p->cwd)
		panic("init: the file system has no root directory");
	char *argv[] = { "init", 0 };
	int argc = exec("/init", argv);
	if (argc < 0)
		panic("init: cannot exec /init");
	p->trapframe->a0 = argc;
}

struct proc *kstack_guard_owner(uint64 va)
{
	for (struct proc *p = proc; p < &proc[NPROC]; p++)
		if (va >= p->kstack - PGSIZE && va < p->kstack)
			return p;
	return 0;
}

// demo=kstack-overflow: recurse until the kernel stack meets its guard.
static volatile int overflow_stop;
static int overflow(int depth)
{
	volatile char frame[256];
	frame[0] = (char)depth;
	if (overflow_stop)
		return depth;
	return overflow(depth + 1) + frame[0];
}

// Where a new process's first swtch lands, still holding p->lock from
// the scheduler.
static void forkret(void)
{
	static int fs_started;
	struct proc *p = myproc();
	release(&p->lock);
	if (!fs_started) {      // only initproc can get here first
		fs_started = 1;
		if (bootarg(kbootargs, "demo=kstack-overflow")) {
			printf("demo: pid %d recurses in the kernel until its stack overflows\n",
			       p->pid);
			overflow(0);
		}
		if (!have_root_disk) {
			printf("boot: no disk; nothing to run, shutting down\n");
			power_off(0);
		}
		start_init(p);
		boot_mark(BR_MARK_INIT);
	}
	usertrapret();
}

int fork(void)
{
	struct proc *p = myproc();
	struct proc *np = allocproc();
	if (!np)
		return -1;
	if (uvmcopy(p->pagetable, np->pagetable, p->sz) < 0) {
		freeproc(np);
		release(&np->lock);
		return -1;
	}
	np->sz = p->sz;
	*np->trapframe = *p->trapframe;
	np->fp = p->fp;         // saved on entry to fork's system call
	np->trapframe->a0 = 0;          // fork returns 0 in the child
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->ofile[fd])
			np->ofile[fd] = filedup(p->ofile[fd]);
	np->cwd = idup(p->cwd);
	safestrcpy(np->name, p->name, sizeof(np->name));
	int pid = np->pid;
	release(&np->lock);

	acquire(&wait_lock);
	np->parent = p;
	release(&wait_lock);

	acquire(&np->lock);
	np->state = RUNNABLE;
	release(&np->lock);
	return pid;
}

// Hand p's children to init, which reaps orphans. wait_lock held.
static void reparent(struct proc *p)
{
	for (struct proc *pp = proc; pp < &proc[NPROC]; pp++) {
		if (pp->parent == p) {
			pp->parent = initproc;
			wakeup(initproc);
		}
	}
}

// Switch to this hart's scheduler. The caller holds p->lock (and no other
// lock) and has already changed p->state. intena belongs to this thread,
// not the hart, so it is saved across the switch.
static void sched(void)
{
	struct proc *p = myproc();
	struct cpu *c = mycpu();
	if (!holding(&p->lock))
		panic("proc: sched without p->lock (pid %d)", p->pid);
	if (c->noff != 1)
		panic("proc: sched with %d locks held (pid %d)", c->noff, p->pid);
	if (p->state == RUNNING)
		panic("proc: sched while pid %d is still RUNNING", p->pid);
	if (intr_get())
		panic("proc: sched with interrupts on (pid %d)", p->pid);
	int intena = c->intena;
	swtch(&p->context, &c->context);
	mycpu()->intena = intena;       // possibly another hart by now
}

void exit(int status)
{
	struct proc *p = myproc();
	if (p == initproc)
		panic("init: exited with status %d", status);

	for (int fd = 0; fd < NOFILE; fd++) {
		if (p->ofile[fd]) {
			fileclose(p->ofile[fd]);
			p->ofile[fd] = 0;
		}
	}
	begin_op();
	iput(p->cwd);
	end_op();
	p->cwd = 0;

	acquire(&wait_lock);
	reparent(p);
	wakeup(p->parent);
	acquire(&p->lock);
	p->xstate = status;
	p->state = ZOMBIE;
	release(&wait_lock);
	sched();
	panic("proc: zombie pid %d ran again", p->pid);
}

int wait(uint64 addr)
{
	struct proc *p = myproc();
	acquire(&wait_lock);
	for (;;) {
		int children = 0;
		for (struct proc *pp = proc; pp < &proc[NPROC]; pp++) {
			if (pp->parent != p)
				continue;
			children++;
			acquire(&pp->lock);
			if (pp->state == ZOMBIE) {
				int pid = pp->pid;
				if (addr && copyout(p->pagetable, addr, (char *)&pp->xstate,
						    sizeof(pp->xstate)) < 0) {
					release(&pp->lock);     // left a zombie: a retry can reap it
					release(&wait_lock);
					return -1;
				}
				freeproc(pp);
				release(&pp->lock);
				release(&wait_lock);
				return pid;
			}
			release(&pp->lock);
		}
		if (!children || killed(p)) {
			release(&wait_lock);
			return -1;
		}
		sleep(p, &wait_lock);   // exit() wakes the parent
	}
}

void scheduler(void)
{
	struct cpu *c = mycpu();
	c->proc = 0;
	for (;;) {
		// Take any pending interrupt, then scan with interrupts off: one
		// that arrives during the scan (a disk completion, say) stays
		// pending, so wfi below returns at once instead of idling until
		// the next tick with a runnable process left behind. wfi returns
		// on a pending interrupt enabled in sie even with SIE off.
		intr_on();
		intr_off();
		// Idle from before the scan, so that a wakeup on another hart
		// either is seen by the scan or sees the flag (smp_kick_idle).
		__atomic_store_n(&c->idle, 1, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		int ran = 0;
		for (struct proc *p = proc; p < &proc[NPROC]; p++) {
			acquire(&p->lock);
			if (p->state == RUNNABLE) {
				__atomic_store_n(&c->idle, 0, __ATOMIC_RELAXED);
				p->state = RUNNING;
				c->proc = p;
				swtch(&c->context, &p->context);
				c->proc = 0;
				ran = 1;
			}
			release(&p->lock);
		}
		if (!ran)
			wfi();          // until an interrupt: a device, a tick or an IPI
		__atomic_store_n(&c->idle, 0, __ATOMIC_RELAXED);
	}
}

void yield(void)
{
	struct proc *p = myproc();
	acquire(&p->lock);
	p->state = RUNNABLE;
	sched();
	release(&p->lock);
}

// Atomically release lk and sleep on chan; reacquire lk when woken.
// Holding p->lock from before lk is released means a wakeup(chan) cannot
// slip in between: wakeup takes p->lock too.
void sleep(void *chan, struct spinlock *lk)
{
	struct proc *p = myproc();
	if (!p)
		panic("proc: sleep on %p outside a process", chan);
	acquire(&p->lock);
	release(lk);
	p->chan = chan;
	p->state = SLEEPING;
	sched();
	p->chan = 0;
	release(&p->lock);
	acquire(lk);
}

// Make every process sleeping on chan runnable. Call without p->lock.
void wakeup(void *chan)
{
	struct proc *me = myproc();
	int woke = 0;
	for (struct proc *p = proc; p < &proc[NPROC]; p++) {
		if (p == me)
			continue;
		acquire(&p->lock);
		if (p->state == SLEEPING && p->chan == chan) {
			p->state = RUNNABLE;
			woke = 1;
		}
		release(&p->lock);
	}
	if (woke)
		smp_kick_idle();
}

// The victim exits the next time it crosses into user mode (usertrap).
// init is refused (-1), as Linux's init ignores the signals it has no
// handler for: it must outlive every process, to reap orphans, and its
// exit is a panic. xv6 takes the kill and then panics.
int kill(int pid)
{
	for (struct proc *p = proc; p < &proc[NPROC]; p++) {
		if (p == initproc)
			continue;
		acquire(&p->lock);
		if (p->state != UNUSED && p->pid == pid) {
			p->killed = 1;
			if (p->state == SLEEPING)
				p->state = RUNNABLE;    // sleep loops check killed()
			release(&p->lock);
			return 0;
		}
		release(&p->lock);
	}
	return -1;
}

void setkilled(struct proc *p)
{
	acquire(&p->lock);
	p->killed = 1;
	release(&p->lock);
}

int killed(struct proc *p)
{
	acquire(&p->lock);
	int k = p->killed;
	release(&p->lock);
	return k;
}

int growproc(long n)
{
	struct proc *p = myproc();
	uint64 sz = p->sz;
	if (n > 0) {
		if ((uint64)n > TRAPFRAME - sz)
			return -1;
		uint64 nsz = uvmalloc(p->pagetable, sz, sz + n, PTE_W);
		if (!nsz)
			return -1;
		p->sz = nsz;
	} else if (n < 0) {
		if ((uint64)-n > sz)
			return -1;      // below address 0
		p->sz = uvmdealloc(p->pagetable, sz, sz + n);
	}
	return 0;
}

int either_copyout(int user_dst, uint64 dst, void *src, uint64 len)
{
	if (user_dst)
		return copyout(myproc()->pagetable, dst, src, len);
	memmove((void *)dst, src, len);
	return 0;
}

int either_copyin(void *dst, int user_src, uint64 src, uint64 len)
{
	if (user_src)
		return copyin(myproc()->pagetable, dst, src, len);
	memmove(dst, (const void *)src, len);
	return 0;
}

// The process list, for ^P on the console. No locks: it must work even
// when the machine is wedged, and a torn line does no harm.
void procdump(void)
{
	static const char *const names[] = {
		[UNUSED] = "unused", [USED] = "used", [SLEEPING] = "sleep",
		[RUNNABLE] = "runble", [RUNNING] = "run", [ZOMBIE] = "zombie",
	};
	printf("\n");
	for (struct proc *p = proc; p < &proc[NPROC]; p++) {
		if (p->state == UNUSED)
			continue;
		const char *st = (unsigned)p->state < sizeof(names) / sizeof(names[0]) ?
			names[p->state] : "???";
		printf("%d %s %s\n", p->pid, st, p->name);
	}
}
