// Start every hart the device tree lists through SBI HSM; each announces
// itself and parks in wfi. The boot hart waits for them, with a time limit,
// so a hart that never arrives is reported instead of hanging the boot.
// smp_release later wakes the parked harts with an IPI into their
// schedulers. tp holds the hart id on every hart, always.
#include "bootalloc.h"
#include "bootargs.h"
#include "console.h"
#include "kvm.h"
#include "mminit.h"
#include "plic.h"
#include "riscv.h"
#include "sbi.h"
#include "smp.h"
#include "trap.h"

#define SBI_EXT_IPI        0x735049
#define SBI_LEGACY_SEND_IPI 0x04

// entry.S's late_secondary reads these two fields by offset.
_Static_assert(__builtin_offsetof(struct cpu, hartid) == 0 &&
	       __builtin_offsetof(struct cpu, stack) == 16, "entry.S: struct cpu offsets");

struct cpu *cpus[NCPU];
int ncpu;
uint64_t boot_hartid;

static volatile int released;   // set once by smp_release

extern char secondary_entry[];
extern char _start[];

void smp_alloc(const struct bootinfo *bi, uint64_t boothart)
{
	boot_hartid = boothart;
	for (int i = 0; i < bi->nharts && ncpu < NCPU; i++) {
		// A hart the kernel cannot run on is left alone: a disabled
		// one, one without an MMU, one without the ISA (fdtdev.c).
		// The boot hart is the exception: the firmware chose it, and
		// the kernel has been running on it all along, so the tree is
		// wrong about it.
		if (bi->hart[i].unfit && bi->hart[i].hartid == boothart) {
			printf("smp: the device tree says the boot hart %lu cannot run this kernel (%s); "
			       "it has, so it stays\n", boothart, bi->hart[i].unfit);
		} else if (bi->hart[i].unfit) {
			printf("smp: skipping hart %u of the device tree: %s\n",
			       bi->hart[i].hartid, bi->hart[i].unfit);
			continue;
		}
		// QEMU virt numbers its harts 0..smp-1, and smp is at most NCPU
		// here. A larger id is a hart the machine lacks, yet OpenSBI 1.1
		// accepts a start request for it (hart 8 with -smp 3), and the
		// boot would only wait for it to arrive.
		if (bi->hart[i].hartid >= NCPU) {
			printf("smp: skipping hart %u of the device tree: hart ids must be below "
			       "NCPU = %d\n", bi->hart[i].hartid, NCPU);
			continue;
		}
		struct cpu *c = bootalloc(sizeof(struct cpu), 64, bi->hart[i].nid, "per-hart data");
		c->hartid = bi->hart[i].hartid;
		c->nid = bi->hart[i].nid;
		if (c->hartid != boothart)
			c->stack = bootalloc(KSTACK_SIZE, 4096, c->nid, "hart stack");
		c->online = c->hartid == boothart;
		cpus[ncpu++] = c;
	}
	for (int i = 0; i < ncpu; i++)
		if (cpus[i]->hartid == boothart)
			return;
	panic("smp: the boot hart %lu is not among the %d harts taken from the device tree",
	      boothart, ncpu);
}

struct cpu *mycpu(void)
{
	uint64_t id = r_tp();
	// Hart ids are usually 0..ncpu-1 in device-tree order: try that slot first.
	if (id < (uint64_t)ncpu && cpus[id]->hartid == id)
		return cpus[id];
	for (int i = 0; i < ncpu; i++)
		if (cpus[i]->hartid == id)
			return cpus[i];
	panic("smp: hart %lu has no struct cpu (%d harts known)", id, ncpu);
}

void secondary_main(uint64_t hartid)
{
	w_tp(hartid);
	trap_init_early();
	// Only the software interrupt may end the wfi below. SIE stays off, so
	// the IPI is not taken as a trap: wfi just returns with SSIP pending.
	w_sie(SIE_SSIE);
	for (int i = 0; i < ncpu; i++)
		if (cpus[i]->hartid == hartid)
			__atomic_store_n(&cpus[i]->online, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&released, __ATOMIC_ACQUIRE))
		wfi();
	clear_sip(SIE_SSIE);
	kvminithart();           // the page table is complete before released is set
	trapinithart();
	plicinithart();
	scheduler();
}

static void send_ipi(uint64_t hartid)
{
	struct sbiret r = sbi_call(SBI_EXT_IPI, 0, 1, (long)hartid, 0);
	if (r.error) {          // firmware without the IPI extension: the legacy call
		unsigned long mask = 1UL << (hartid & 63);
		sbi_call(SBI_LEGACY_SEND_IPI, 0, (long)&mask, 0, 0);
	}
}

void smp_kick_idle(void)
{
	uint64_t me = r_tp();
	// Pairs with the scheduler's fence: either it sees the runnable
	// process in its scan, or this sees its idle flag.
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int i = 0; i < ncpu; i++) {
		struct cpu *c = cpus[i];
		if (c->hartid != me && __atomic_load_n(&c->idle, __ATOMIC_RELAXED) &&
		    __atomic_exchange_n(&c->idle, 0, __ATOMIC_ACQ_REL)) {
			send_ipi(c->hartid);
			return;
		}
	}
}

void smp_release(void)
{
	__atomic_store_n(&released, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < ncpu; i++)
		if (cpus[i]->hartid != boot_hartid && cpus[i]->online)
			send_ipi(cpus[i]->hartid);
}

void smp_start(const struct bootinfo *bi, uint64_t boothart)
{
	// demo=hsm-race picks the last hart that is not the boot hart.
	int race = -1;
	if (bootarg(kbootargs, "demo=hsm-race"))
		for (int i = 0; i < ncpu; i++)
			if (cpus[i]->hartid != boothart)
				race = i;
	for (int i = 0; i < ncpu; i++) {
		struct cpu *c = cpus[i];
		if (c->hartid == boothart)
			continue;
		uint64_t entry = (uint64_t)(uintptr_t)secondary_entry;
		uint64_t arg = (uint64_t)(uintptr_t)c->stack + KSTACK_SIZE;
		// demo=hsm-race: start that hart as OpenSBI 1.1's start race
		// would, at the boot entry with the boot hart's a1 (the DTB), so
		// that entry.S's late_secondary path is taken on every such boot.
		if (i == race) {
			printf("demo: hart %lu starts at _start with a1 = the DTB, as in OpenSBI 1.1's "
			       "start race\n", c->hartid);
			entry = (uint64_t)(uintptr_t)_start;
			arg = bi->dtb_base;
		}
		long e = sbi_hart_start(c->hartid, entry, arg);
		if (e && e != SBI_ERR_ALREADY_AVAILABLE)
			printf("smp: SBI could not start hart %lu (error %ld)\n", c->hartid, e);
	}
	// Harts normally arrive within milliseconds; the generous limit only
	// matters for one that never comes (reported, not waited for forever),
	// and keeps a busy host running QEMU from making a slow hart look absent.
	uint64_t deadline = r_time() + 10 * bi->timebase_hz;
	while (smp_online() < ncpu && r_time() < deadline)
		;
	for (int i = 0; i < ncpu; i++)
		if (!__atomic_load_n(&cpus[i]->online, __ATOMIC_ACQUIRE))
			printf("smp: hart %lu did not come online within 10 s; going on without it\n",
			       cpus[i]->hartid);
}

int smp_online(void)
{
	int n = 0;
	for (int i = 0; i < ncpu; i++)
		n += __atomic_load_n(&cpus[i]->online, __ATOMIC_ACQUIRE);
	return n;
}
