// Start every hart the device tree lists through SBI HSM; each announces
// itself and parks. The boot hart waits for them, with a time limit, so a
// hart that never arrives is reported instead of hanging the boot.
#include "bootalloc.h"
#include "console.h"
#include "riscv.h"
#include "sbi.h"
#include "smp.h"

struct cpu *cpus[NCPU];
int ncpu;

extern char secondary_entry[];

void smp_alloc(const struct bootinfo *bi, uint64_t boothart)
{
	for (int i = 0; i < bi->nharts && ncpu < NCPU; i++) {
		if (!bi->hart[i].okay)
			continue;
		struct cpu *c = bootalloc(sizeof(struct cpu), 64, bi->hart[i].nid, "per-hart data");
		c->hartid = bi->hart[i].hartid;
		c->nid = bi->hart[i].nid;
		if (c->hartid != boothart)
			c->stack = bootalloc(KSTACK_SIZE, 4096, c->nid, "hart stack");
		c->online = c->hartid == boothart;
		cpus[ncpu++] = c;
	}
}

void secondary_main(uint64_t hartid)
{
	w_tp(hartid);
	for (int i = 0; i < ncpu; i++)
		if (cpus[i]->hartid == hartid)
			__atomic_store_n(&cpus[i]->online, 1, __ATOMIC_RELEASE);
	for (;;)
		wfi();  // parked: nothing to schedule yet
}

void smp_start(const struct bootinfo *bi, uint64_t boothart)
{
	for (int i = 0; i < ncpu; i++) {
		struct cpu *c = cpus[i];
		if (c->hartid == boothart)
			continue;
		long e = sbi_hart_start(c->hartid, (uint64_t)(uintptr_t)secondary_entry,
					(uint64_t)(uintptr_t)c->stack + KSTACK_SIZE);
		if (e && e != SBI_ERR_ALREADY_AVAILABLE)
			printf("smp: SBI could not start hart %lu (error %ld)\n", c->hartid, e);
	}
	uint64_t deadline = r_time() + bi->timebase_hz;  // one second
	while (smp_online() < ncpu && r_time() < deadline)
		;
}

int smp_online(void)
{
	int n = 0;
	for (int i = 0; i < ncpu; i++)
		n += __atomic_load_n(&cpus[i]->online, __ATOMIC_ACQUIRE);
	return n;
}
