// Boot reports. Every human table is followed by "@" lines with the same
// facts (hex addresses, key=value pairs), so nothing has to be scraped
// from the tables. Pictures draw each bank as 64 cells.
#include "../mm/buddy.h"
#include "../mm/early.h"
#include "bootalloc.h"
#include "bootargs.h"
#include "console.h"
#include "kvm.h"
#include "report.h"
#include "smp.h"
#include "string.h"

#define CELLS 64

static const char origin_letter[MEMMAP_NR_ORIGINS] = {
	[MEMMAP_FIRMWARE] = 'F', [MEMMAP_RESERVED_MEMORY] = 'R', [MEMMAP_MEMRESERVE] = 'M',
	[MEMMAP_DTB] = 'D', [MEMMAP_KERNEL] = 'K', [MEMMAP_INITRD] = 'I',
};

const char *fmt_size(char *buf, uint64_t bytes)
{
	static const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;
	uint64_t scale = 1;
	while (u < 4 && bytes >= scale * 1024) {
		scale *= 1024;
		u++;
	}
	uint64_t whole = bytes / scale, tenth = (bytes % scale) * 10 / scale;
	if (tenth)
		snprintf(buf, 16, "%lu.%lu %s", whole, tenth, unit[u]);
	else
		snprintf(buf, 16, "%lu %s", whole, unit[u]);
	return buf;
}

static const char *flag_names(uint8_t f)
{
	if ((f & MEMMAP_F_NOMAP) && (f & MEMMAP_F_REUSABLE))
		return "nomap,reusable";
	if (f & MEMMAP_F_NOMAP)
		return "nomap";
	return f & MEMMAP_F_REUSABLE ? "reusable" : "none";
}

int instret_exact;

// The instret change across a loop of n iterations (2n + 1 instructions).
static uint64_t loop_instret(long n)
{
	uint64_t a, b;
	asm volatile("csrr %0, instret\n"
		     "1: addi %2, %2, -1\n"
		     "bnez %2, 1b\n"
		     "csrr %1, instret" : "=&r"(a), "=&r"(b), "+r"(n));
	return b - a;
}

// Does instret count instructions on this machine? Under QEMU it does only
// with -icount; otherwise it follows the host's clock (platform.md). Two
// loops that differ by exactly 4000 instructions must differ by 4000.
static int check_instret(void)
{
	uint64_t d1 = loop_instret(1000), d2 = loop_instret(3000);
	return d2 - d1 == 4000 && d1 >= 2001 && d1 <= 2016;
}

static int quiet;       // "quiet" in the boot arguments: no "@" lines

void report_at(const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void report_banner(const struct bootinfo *bi, uint64_t boothart)
{
	quiet = bootarg(bi->bootargs, "quiet");
	instret_exact = check_instret();
	printf("\n=== teaching kernel: early allocator '%s', boot hart %lu, %d hart(s) in the device tree ===\n",
	       early_allocator_name, boothart, bi->nharts);
	printf("bootargs: \"%s\"  stdout: %s  timebase: %lu Hz\n",
	       bi->bootargs, bi->stdout_path, bi->timebase_hz);
	printf("devices: uart 0x%lx (%s) irq %u, plic 0x%lx (%u sources), test 0x%lx, %d virtio-mmio\n",
	       bi->uart.base, uart_name(), bi->uart.irq, bi->plic.base, bi->plic_ndev, bi->test.base,
	       bi->nvirtio);
	printf("instret: %s\n", instret_exact ? "counts instructions" :
	       "follows the host clock, not instructions (QEMU without -icount; make bench counts them)");
	report_at("@boot alloc=%s boothart=%lu harts_dt=%d timebase=%lu bootargs_len=%lu instret_exact=%d\n",
	       early_allocator_name, boothart, bi->nharts, bi->timebase_hz, strlen(bi->bootargs),
	       instret_exact);
	report_at("@dev name=uart base=0x%lx size=0x%lx irq=%u compatible=%s\n", bi->uart.base,
		  bi->uart.size, bi->uart.irq, uart_name());
	report_at("@dev name=plic base=0x%lx size=0x%lx ndev=%u\n", bi->plic.base, bi->plic.size, bi->plic_ndev);
	report_at("@dev name=test base=0x%lx size=0x%lx\n", bi->test.base, bi->test.size);
	for (int i = 0; i < bi->nvirtio; i++)
		report_at("@dev name=virtio%d base=0x%lx size=0x%lx irq=%u\n", i,
		       bi->virtio[i].base, bi->virtio[i].size, bi->virtio[i].irq);
}

// One bank as CELLS characters: a reservation's origin letter wins, then
// (after the handoff) 'a' for early allocations, then '.' for free.
static void draw(const struct memmap *m, uint64_t base, uint64_t size, int nid, int after)
{
	const struct acct_region *regs = 0;
	int nregs = after ? bootalloc_regions(&regs) : 0;
	uint64_t cell = (size + CELLS - 1) / CELLS;
	char line[CELLS + 1];
	for (int c = 0; c < CELLS; c++) {
		uint64_t s = base + c * cell, e = s + cell;
		char ch = '.';
		for (int i = 0; i < m->nresv && ch == '.'; i++)
			if (m->resv[i].base < e && m->resv[i].base + m->resv[i].size > s)
				ch = origin_letter[m->resv[i].origin];
		for (int i = 0; i < nregs && ch == '.'; i++)
			if (regs[i].base < e && regs[i].base + regs[i].size > s)
				ch = 'a';
		line[c] = ch;
	}
	line[CELLS] = 0;
	char sz[16];
	printf("  node %d 0x%09lx |%s| 0x%09lx  (%s, %s per cell)\n", nid, base, line,
	       base + size, after ? "after handoff" : "at boot", fmt_size(sz, cell));
}

static void draw_bank(const struct memmap *m, const struct memmap_bank *b, int after)
{
	draw(m, b->base, b->size, b->nid, after);
}

void report_memmap(const struct memmap *m)
{
	char s1[16], s2[16];
	uint64_t ram = 0, rsv = 0;

	printf("\nMemory map from the device tree\n");
	printf("  %-4s %-4s %-18s %-18s %10s\n", "bank", "node", "base", "end", "size");
	for (int i = 0; i < m->nbanks; i++) {
		const struct memmap_bank *b = &m->bank[i];
		ram += b->size;
		printf("  %-4d %-4d 0x%016lx 0x%016lx %10s\n", i, b->nid, b->base, b->base + b->size,
		       fmt_size(s1, b->size));
	}
	printf("  %-4s %-15s %-18s %-18s %10s  %-14s %s\n", "resv", "origin", "base", "end", "size",
	       "flags", "name");
	for (int i = 0; i < m->nresv; i++) {
		const struct memmap_resv *r = &m->resv[i];
		rsv += r->size;
		if (i < 24 || i == m->nresv - 1)
			printf("  %-4d %-15s 0x%016lx 0x%016lx %10s  %-14s %s\n", i,
			       memmap_origin_name(r->origin), r->base, r->base + r->size,
			       fmt_size(s1, r->size), flag_names(r->flags), r->name);
		else if (i == 24)
			printf("  ... %d more (make qemu AT=1 lists them all as @map lines)\n",
			       m->nresv - 25);
	}
	printf("  RAM %s in %d bank(s) on %d node(s); reserved %s in %d region(s)\n",
	       fmt_size(s1, ram), m->nbanks, m->nnodes, fmt_size(s2, rsv), m->nresv);
	printf("  legend: F firmware  R reserved-memory  M memreserve  D dtb  K kernel  I initrd  . free\n");
	for (int i = 0; i < m->nbanks; i++)
		draw_bank(m, &m->bank[i], 0);

	for (int i = 0; i < m->nbanks; i++)
		report_at("@map bank n=%d base=0x%lx size=0x%lx end=0x%lx node=%d\n", i,
		       m->bank[i].base, m->bank[i].size, m->bank[i].base + m->bank[i].size, m->bank[i].nid);
	for (int i = 0; i < m->nresv; i++) {
		const struct memmap_resv *r = &m->resv[i];
		report_at("@map resv n=%d base=0x%lx size=0x%lx end=0x%lx origin=%s flags=%s name=%s\n", i,
		       r->base, r->size, r->base + r->size, memmap_origin_name(r->origin),
		       flag_names(r->flags), r->name[0] ? r->name : "-");
	}
	report_at("@map total banks=%d resv=%d nodes=%d ram=0x%lx\n", m->nbanks, m->nresv, m->nnodes, ram);
}

void report_early_allocs(void)
{
	struct early_stats st;
	char s1[16], s2[16], s3[16], s4[16];
	early_get_stats(&st);
	printf("\n");
	bootalloc_print_log();
	printf("Early allocator '%s': %lu allocations, %s requested, %s consumed; metadata %s (peak %s)",
	       early_allocator_name, st.nallocs, fmt_size(s1, st.bytes_requested),
	       fmt_size(s2, st.bytes_consumed), fmt_size(s3, st.meta_bytes), fmt_size(s4, st.meta_peak_bytes));
	if (st.resizes)
		printf(", %lu array doubling(s)", st.resizes);
	if (st.merges)
		printf(", %lu sub-page merge(s)", st.merges);
	printf("\n");
	report_at("@early stats alloc=%s nallocs=%lu requested=%lu consumed=%lu meta=%lu meta_peak=%lu "
	       "resizes=%lu merges=%lu\n", early_allocator_name, st.nallocs, st.bytes_requested,
	       st.bytes_consumed, st.meta_bytes, st.meta_peak_bytes, st.resizes, st.merges);
	const struct kvm_stats *k = kvm_stats();
	printf("Kernel page table: %lu page-table page(s); %lu x 1 GiB, %lu x 2 MiB, %lu x 4 KiB mappings\n",
	       k->table_pages, k->leaves[2], k->leaves[1], k->leaves[0]);
	report_at("@kvm tables=%lu map1g=%lu map2m=%lu map4k=%lu\n", k->table_pages, k->leaves[2],
	       k->leaves[1], k->leaves[0]);
}

void report_handoff(uint64_t timebase_hz)
{
	uint64_t hz = timebase_hz ? timebase_hz : 1;
	struct early_stats st;
	const struct bootalloc_times *t = bootalloc_times();
	early_get_stats(&st);
	uint64_t per_page_x100 = st.handoff_pages ? t->handoff_instret * 100 / st.handoff_pages : 0;
	printf("Handoff: %lu pages to the buddy allocator in %lu insertions; "
	       "early phase %lu us, handoff %lu us", st.handoff_pages, st.handoff_calls,
	       t->init_time * 1000000 / hz, t->handoff_time * 1000000 / hz);
	if (instret_exact)
		printf("; %lu and %lu instructions, %lu.%02lu instructions/page\n",
		       t->init_instret, t->handoff_instret, per_page_x100 / 100, per_page_x100 % 100);
	else
		printf(" (instruction counts: under -icount only)\n");
	report_at("@handoff alloc=%s pages=%lu calls=%lu lost=%lu early_instret=%lu early_time=%lu "
	       "handoff_instret=%lu handoff_time=%lu\n", early_allocator_name, st.handoff_pages,
	       st.handoff_calls, st.lost_pages, t->init_instret, t->init_time,
	       t->handoff_instret, t->handoff_time);
}

void report_buddyinfo(void)
{
	printf("Free blocks per order (like /proc/buddyinfo):\n       ");
	for (int o = 0; o <= BUDDY_MAX_ORDER; o++)
		printf(" %6d", o);
	printf("\n");
	for (int n = 0; n < buddy_nr_nodes(); n++) {
		printf("Node %d ", n);
		for (int o = 0; o <= BUDDY_MAX_ORDER; o++)
			printf(" %6lu", buddy_nr_free(n, o));
		printf("\n");
		if (quiet)
			continue;
		printf("@buddy node=%d free=%lu", n, buddy_free_pages(n));
		for (int o = 0; o <= BUDDY_MAX_ORDER; o++)
			printf(" o%d=%lu", o, buddy_nr_free(n, o));
		printf("\n");
	}
}

void report_accounting(const struct memmap *m, const struct acct_node *node)
{
	printf("Accounting (pages): RAM = buddy + reserved + early + lost\n");
	for (int n = 0; n < m->nnodes; n++) {
		const struct acct_node *a = &node[n];
		int ok = a->ram == a->buddy + a->reserved + a->early + a->lost;
		printf("  node %d: %lu = %lu + %lu + %lu + %lu  %s\n", n, a->ram, a->buddy, a->reserved,
		       a->early, a->lost, ok ? "ok" : "MISMATCH");
		report_at("@acct node=%d ram=%lu buddy=%lu reserved=%lu early=%lu lost=%lu ok=%d\n", n,
		       a->ram, a->buddy, a->reserved, a->early, a->lost, ok);
	}
}

void report_memmap_after(const struct memmap *m)
{
	printf("  legend: reservations as above, a early allocation, . free in the buddy allocator\n");
	for (int i = 0; i < m->nbanks; i++)
		draw_bank(m, &m->bank[i], 1);

	// Zoom in on each bank's early allocations, which one cell hides.
	const struct acct_region *r;
	int n = bootalloc_regions(&r);
	for (int i = 0; i < m->nbanks; i++) {
		const struct memmap_bank *b = &m->bank[i];
		uint64_t lo = ~0ULL, hi = 0;
		for (int k = 0; k < n; k++) {
			if (r[k].base < b->base || r[k].base >= b->base + b->size)
				continue;
			lo = r[k].base < lo ? r[k].base : lo;
			hi = r[k].base + r[k].size > hi ? r[k].base + r[k].size : hi;
		}
		if (hi == 0)
			continue;
		lo &= ~(uint64_t)(CELLS * PAGE_SIZE - 1);
		hi = (hi + CELLS * PAGE_SIZE - 1) & ~(uint64_t)(CELLS * PAGE_SIZE - 1);
		printf("  zoom on the early allocations of bank %d:\n", i);
		draw(m, lo, hi - lo, b->nid, 1);
	}
}

void report_harts(const struct bootinfo *bi)
{
	printf("Harts online: %d of %d:", smp_online(), ncpu);
	for (int i = 0; i < ncpu; i++)
		printf(" %lu%s", cpus[i]->hartid, cpus[i]->online ? "" : "(absent)");
	printf("\n");
	report_at("@harts online=%d listed=%d\n", smp_online(), ncpu);
}
