// Traps. From user mode, trampoline.S's uservec saves the registers and
// calls usertrap() on the process's kernel stack; from the kernel,
// kernelvec.S calls kerneltrap() on the current stack. A fault in user
// mode kills the process, never the kernel; an exception in the kernel
// is a kernel bug and panics. The boot hart counts the ticks.
#include "console.h"
#include "memlayout.h"
#include "mminit.h"
#include "plic.h"
#include "proc.h"
#include "report.h"
#include "riscv.h"
#include "sbi.h"
#include "smp.h"
#include "sysproc.h"
#include "trap.h"

#define SCAUSE_FETCH_ACCESS 1
#define SCAUSE_LOAD_ACCESS  5
#define SCAUSE_STORE_ACCESS 7
#define SCAUSE_FETCH_PAGE_FAULT 12

extern char trampoline[], uservec[], userret[];
void kernelvec(void);

_Static_assert(TRAPFRAME == 0x3fffffe000, "trampoline.S hard-codes TRAPFRAME");

struct spinlock tickslock = { .name = "ticks" };
uint ticks;

static uint64 tick_interval;    // timebase ticks between timer interrupts
static int use_sstc;

void trap_init_early(void)
{
	w_stvec((uint64)kernelvec);
}

void trap_init(const struct bootinfo *bi)
{
	tick_interval = bi->timebase_hz / TICK_HZ;
	if (tick_interval == 0)
		tick_interval = 1000000;
	use_sstc = bi->has_sstc;
	printf("timer: %d ticks a second, through %s\n", TICK_HZ,
	       use_sstc ? "Sstc (stimecmp)" : "SBI set_timer");
	report_at("@timer hz=%d via=%s\n", TICK_HZ, use_sstc ? "sstc" : "sbi");
}

// Ask for the next timer interrupt; either way the pending one is cleared.
static void timer_next(void)
{
	uint64 when = r_time() + tick_interval;
	if (use_sstc)
		w_stimecmp(when);
	else
		sbi_set_timer(when);
}

void trapinithart(void)
{
	w_stvec((uint64)kernelvec);
	w_sie(SIE_STIE | SIE_SSIE);     // plicinithart adds SEIE; IPIs wake idle harts
	timer_next();
}

static void clockintr(void)
{
	if (r_tp() == boot_hartid) {
		acquire(&tickslock);
		ticks++;
		wakeup(&ticks);
		release(&tickslock);
	}
	timer_next();
}

// An interrupt: handle it and say which kind. 2 timer, 1 another
// interrupt, 0 not an interrupt we know (an exception, or unexpected).
static int devintr(uint64 scause)
{
	if (!(scause & SCAUSE_INTR))
		return 0;
	switch (scause & ~SCAUSE_INTR) {
	case SCAUSE_TIMER:
		clockintr();
		return 2;
	case SCAUSE_EXTERNAL:
		plic_dispatch();
		return 1;
	case SCAUSE_SOFT:       // an IPI: a process became runnable (smp_kick_idle)
		clear_sip(SIE_SSIE);
		return 1;
	}
	return 0;
}

static const char *cause_name(uint64 scause)
{
	static const char *const exc[] = {
		[0] = "instruction address misaligned", [1] = "instruction access fault",
		[2] = "illegal instruction", [3] = "breakpoint", [4] = "load address misaligned",
		[5] = "load access fault", [6] = "store address misaligned",
		[7] = "store access fault", [8] = "ecall from U-mode", [9] = "ecall from S-mode",
		[12] = "instruction page fault", [13] = "load page fault", [15] = "store page fault",
	};
	if (scause & SCAUSE_INTR)
		return "interrupt";
	if (scause < sizeof(exc) / sizeof(exc[0]) && exc[scause])
		return exc[scause];
	return "unknown exception";
}

void usertrap(void)
{
	if (r_sstatus() & SSTATUS_SPP)
		panic("trap: usertrap entered from S-mode (sstatus 0x%lx)", r_sstatus());
	w_stvec((uint64)kernelvec);     // from here on, traps are the kernel's

	struct proc *p = myproc();
	p->trapframe->epc = r_sepc();
	uint64 scause = r_scause();
	int dev = 0;

	// The FP registers are the process's until usertrapret loads another
	// process's (or this one's again); keep them if it wrote any.
	if ((r_sstatus() & SSTATUS_FS) == SSTATUS_FS_DIRTY)
		fpu_save(&p->fp);

	if (scause == SCAUSE_ECALL_U) {
		if (killed(p))
			exit(-1);
		p->trapframe->epc += 4;         // return past the ecall
		intr_on();                      // the syscall may take a while
		syscall();
	} else if ((dev = devintr(scause)) == 0) {
		printf("pid %d %s: scause 0x%lx sepc 0x%lx stval 0x%lx (%s); killed\n",
		       p->pid, p->name, scause, r_sepc(), r_stval(), cause_name(scause));
		setkilled(p);
	}
	if (killed(p))
		exit(-1);
	if (dev == 2)
		yield();
	usertrapret();
}

void usertrapret(void)
{
	struct proc *p = myproc();

	// A trap between the stvec write and sret would enter uservec while
	// still in the kernel: keep interrupts off until sret turns them on.
	intr_off();
	w_stvec(TRAMPOLINE + (uservec - trampoline));

	p->trapframe->kernel_satp = r_satp();
	p->trapframe->kernel_sp = p->kstack + PGSIZE;
	p->trapframe->kernel_trap = (uint64)usertrap;
	p->trapframe->kernel_hartid = r_tp();

	uint64 s = r_sstatus();
	if ((s & SSTATUS_FS) == 0)
		s |= SSTATUS_FS_INIT;   // fpu_restore needs the unit on
	w_sstatus(s);
	fpu_restore(&p->fp);
	s &= ~(SSTATUS_SPP | SSTATUS_FS);
	s |= SSTATUS_SPIE;      // sret goes to U-mode with interrupts enabled
	s |= SSTATUS_FS_CLEAN;  // the registers match p->fp until it writes one
	w_sstatus(s);
	w_sepc(p->trapframe->epc);

	void (*enter)(uint64) = (void (*)(uint64))(TRAMPOLINE + (userret - trampoline));
	enter(MAKE_SATP(p->pagetable));
	__builtin_unreachable();
}

// A fault names what the boot memory map says is at the address. QEMU
// virt raises an access fault for a physical address with no RAM behind it
// (seen: -m 128M with a tree claiming 256M, a store to 0x8fdff000 gave
// scause 7, stval 0x8fdff000), so an access fault inside a bank means the
// device tree claims RAM the machine lacks. No-map regions fault too: PMP
// guards OpenSBI's with access faults, and the kernel's page table maps
// none of them, so once paging is on the others give page faults (seen: a
// bump that ignored reservations put the page descriptors over a no-map
// region at 0x80300000; the handoff's load gave scause 13 there).
static void name_fault(uint64 scause, uint64 sepc, uint64 stval)
{
	const struct bootinfo *bi = mm_bootinfo();      // 0 before mm_init
	int access = scause == SCAUSE_FETCH_ACCESS || scause == SCAUSE_LOAD_ACCESS ||
		     scause == SCAUSE_STORE_ACCESS;
	int paging = scause == SCAUSE_FETCH_PAGE_FAULT || scause == SCAUSE_LOAD_PAGE_FAULT ||
		     scause == SCAUSE_STORE_PAGE_FAULT;
	if (!bi || !(access || paging))
		return;
	for (int i = 0; i < bi->map.nresv; i++) {
		const struct memmap_resv *r = &bi->map.resv[i];
		if ((r->flags & MEMMAP_F_NOMAP) && stval >= r->base && stval - r->base < r->size)
			panic("trap: %s at 0x%lx, inside the no-map reservation %s [0x%lx, 0x%lx), "
			      "which no allocator may hand out and the kernel does not map (sepc 0x%lx)",
			      cause_name(scause), stval, memmap_resv_label(r),
			      r->base, r->base + r->size, sepc);
	}
	for (int i = 0; access && i < bi->map.nbanks; i++) {
		const struct memmap_bank *b = &bi->map.bank[i];
		if (stval >= b->base && stval - b->base < b->size)
			panic("trap: RAM at 0x%lx is not there, though the device tree's memory bank "
			      "[0x%lx, 0x%lx) claims it (%s, sepc 0x%lx)", stval, b->base,
			      b->base + b->size, cause_name(scause), sepc);
	}
}

// Called by kernelvec on the current kernel stack.
void kerneltrap(void)
{
	uint64 sepc = r_sepc(), sstatus = r_sstatus(), scause = r_scause();

	if (!(sstatus & SSTATUS_SPP))
		panic("trap: kerneltrap from U-mode (sstatus 0x%lx)", sstatus);
	if (intr_get())
		panic("trap: kerneltrap with interrupts enabled");
	int dev = devintr(scause);
	struct proc *g;
	if (dev == 0 && (scause == SCAUSE_LOAD_PAGE_FAULT || scause == SCAUSE_STORE_PAGE_FAULT) &&
	    (g = kstack_guard_owner(r_stval())) != 0)
		panic("trap: kernel stack overflow: pid %d (%s) ran past its %d-byte kernel stack "
		      "into the guard page at 0x%lx (sepc 0x%lx)", g->pid, g->name, PGSIZE,
		      r_stval(), sepc);
	if (dev == 0)
		name_fault(scause, sepc, r_stval());
	if (dev == 0)
		panic("trap: unexpected kernel trap: scause 0x%lx (%s) sepc 0x%lx stval 0x%lx",
		      scause, cause_name(scause), sepc, r_stval());
	struct proc *p = myproc();
	if (dev == 2 && p && p->state == RUNNING)
		yield();
	// yield may have run other code that trapped: restore what sret needs.
	w_sepc(sepc);
	w_sstatus(sstatus);
}
