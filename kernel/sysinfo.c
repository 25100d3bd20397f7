// bootreport() and buddyinfo(): the boot memory map and early-allocator
// figures, and the buddy allocator's free blocks, as fixed-size structs
// (bootreport.h) copied to a user pointer. The boot report never changes
// after boot, so it is built once and copied out from a static buffer
// (it is about 20 KiB, far too big for a kernel stack).
#include "../mm/buddy.h"
#include "../mm/early.h"
#include "bootalloc.h"
#include "bootreport.h"
#include "kalloc.h"
#include "mminit.h"
#include "proc.h"
#include "report.h"
#include "riscv.h"
#include "smp.h"
#include "string.h"
#include "sysarg.h"
#include "sysproc.h"
#include "vm.h"

static struct bootreport report;
static int report_built;
static struct spinlock report_lock = { .name = "bootreport" };
static struct br_mark marks[BR_MARKS];
static int mark_claimed[BR_MARKS];

void boot_mark(int which)
{
	struct br_mark *m = &marks[which];

	if (__atomic_exchange_n(&mark_claimed[which], 1, __ATOMIC_ACQ_REL))
		return;         // reached before
	m->time = r_time();
	m->instret = r_instret();
	m->hart = (int)r_tp();
	__atomic_store_n(&m->reached, 1, __ATOMIC_RELEASE);
}

static void report_dev(struct br_dev *d, const struct fdt_dev *f)
{
	d->base = f->base;
	d->size = f->size;
	d->irq = (int)f->irq;
	d->present = f->present;
}

static void build_report(void)
{
	const struct bootinfo *bi = mm_bootinfo();
	const struct memmap *m = &bi->map;
	struct early_stats st;
	const struct bootalloc_times *t = bootalloc_times();
	int nacct;
	const struct acct_node *acct = mm_accounting(&nacct);

	safestrcpy(report.alloc, early_allocator_name, sizeof(report.alloc));
	report.nbanks = m->nbanks < BR_MAX_BANKS ? m->nbanks : BR_MAX_BANKS;
	report.nresv = m->nresv < BR_MAX_RESV ? m->nresv : BR_MAX_RESV;
	report.nnodes = m->nnodes < BR_MAX_NODES ? m->nnodes : BR_MAX_NODES;
	report.nharts = ncpu;
	for (int i = 0; i < report.nbanks; i++) {
		report.bank[i].base = m->bank[i].base;
		report.bank[i].size = m->bank[i].size;
		report.bank[i].nid = m->bank[i].nid;
	}
	for (int i = 0; i < report.nresv; i++) {
		const struct memmap_resv *r = &m->resv[i];
		report.resv[i].base = r->base;
		report.resv[i].size = r->size;
		report.resv[i].origin = r->origin;
		report.resv[i].flags = r->flags;
		safestrcpy(report.resv[i].name, r->name, sizeof(report.resv[i].name));
	}

	early_get_stats(&st);
	report.nallocs = st.nallocs;
	report.bytes_requested = st.bytes_requested;
	report.bytes_consumed = st.bytes_consumed;
	report.meta_bytes = st.meta_bytes;
	report.meta_peak_bytes = st.meta_peak_bytes;
	report.resizes = st.resizes;
	report.merges = st.merges;
	report.handoff_pages = st.handoff_pages;
	report.handoff_calls = st.handoff_calls;
	report.lost_pages = st.lost_pages;
	report.early_instret = t->init_instret;
	report.early_time = t->init_time;
	report.handoff_instret = t->handoff_instret;
	report.handoff_time = t->handoff_time;
	report.timebase_hz = bi->timebase_hz;
	report.instret_exact = instret_exact;
	report_dev(&report.uart, &bi->uart);
	report_dev(&report.plic, &bi->plic);
	if (bi->nvirtio > 0)
		report_dev(&report.virtio0, &bi->virtio[0]);

	for (int n = 0; n < nacct && n < BR_MAX_NODES; n++) {
		report.acct[n].ram = acct[n].ram;
		report.acct[n].buddy = acct[n].buddy;
		report.acct[n].reserved = acct[n].reserved;
		report.acct[n].early = acct[n].early;
		report.acct[n].lost = acct[n].lost;
	}
}

// bootreport(struct bootreport *r): 0, or -1 for a bad pointer.
uint64 sys_bootreport(void)
{
	uint64 addr;
	argaddr(0, &addr);
	acquire(&report_lock);
	if (!report_built) {
		build_report();
		report_built = 1;
	}
	for (int i = 0; i < BR_MARKS; i++)
		if (__atomic_load_n(&marks[i].reached, __ATOMIC_ACQUIRE))
			report.mark[i] = marks[i];
	release(&report_lock);
	return copyout(myproc()->pagetable, addr, (const char *)&report, sizeof(report));
}

// buddyinfo(struct buddyinfo *b): 0, or -1 for a bad pointer. The free
// counts are one snapshot; total_pages is what each node got at handoff.
uint64 sys_buddyinfo(void)
{
	uint64 addr;
	struct buddyinfo bi;
	int nacct;
	const struct acct_node *acct = mm_accounting(&nacct);

	argaddr(0, &addr);
	memset(&bi, 0, sizeof(bi));
	int nodes = kalloc_snapshot(&bi.nr_free[0][0], bi.free_pages, BR_MAX_NODES, BR_ORDERS);
	bi.nnodes = nodes < BR_MAX_NODES ? nodes : BR_MAX_NODES;
	for (int n = 0; n < bi.nnodes && n < nacct; n++)
		bi.total_pages[n] = acct[n].buddy;
	return copyout(myproc()->pagetable, addr, (const char *)&bi, sizeof(bi));
}
