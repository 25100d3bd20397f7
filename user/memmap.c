// memmap: the boot memory map and the early allocator's report, from
// bootreport(): RAM banks, reservations, the early allocator's figures, the
// handoff to the buddy allocator and the per-node page accounting, then one
// picture per bank showing where the reservations lie, and the boot
// timeline. 80 columns. `memmap -t` prints the timeline alone.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/bootreport.h"
#include "user/user.h"
#include "user/sizefmt.h"

#define CELLS 64                // picture width, in cells

static struct bootreport br;

static const char *origin_name[] = {
	"firmware", "resv-mem", "memresv", "dtb", "kernel", "initrd",
};
static const char origin_mark[] = "FRMDKI";
// When reservations share a cell, the one earliest in this list is drawn.
static const char precedence[] = "KDIMRF";

static const char *
origin_str(int o)
{
	return o >= 0 && o < 6 ? origin_name[o] : "?";
}

static const char *
flags_str(int f)
{
	switch (f & 3) {
	case 0:  return "-";
	case 1:  return "nomap";
	case 2:  return "reusable";
	default: return "nomap,reus";
	}
}

// Microseconds from timebase ticks.
static unsigned long
usec(unsigned long ticks)
{
	return br.timebase_hz ? ticks * 1000000 / br.timebase_hz : 0;
}

static void
show_banks(void)
{
	char s[24];
	int i;

	printf("RAM banks\n");
	printf("   #  base         end          size     node\n");
	for (i = 0; i < br.nbanks && i < BR_MAX_BANKS; i++)
		printf("  %2d  0x%09lx  0x%09lx  %-7s  %4d\n", i, br.bank[i].base,
		       br.bank[i].base + br.bank[i].size, size_str(s, br.bank[i].size, 1), br.bank[i].nid);
}

static void
show_resv(void)
{
	char s[24], name[18];
	int i;

	printf("\nReservations\n");
	printf("   #  base         end          size     origin    flags      name\n");
	for (i = 0; i < br.nresv && i < BR_MAX_RESV; i++) {
		struct br_resv *r = &br.resv[i];
		memmove(name, r->name, 17);     // long names are cut to fit 80 columns
		name[17] = 0;
		printf("  %2d  0x%09lx  0x%09lx  %-7s  %-8s  %-10s %s\n", i, r->base,
		       r->base + r->size, size_str(s, r->size, 1), origin_str(r->origin),
		       flags_str(r->flags), name);
	}
	if (br.nresv == 0)
		printf("  (none)\n");
}

static void
show_early(void)
{
	unsigned long wasted = br.bytes_consumed > br.bytes_requested ?
	                       br.bytes_consumed - br.bytes_requested : 0;

	printf("\nEarly allocator: %s\n", br.alloc);
	printf("  %lu allocations: %lu bytes asked for, %lu used (+%lu for alignment)\n",
	       br.nallocs, br.bytes_requested, br.bytes_consumed, wasted);
	printf("  own metadata %lu bytes (peak %lu), %lu resizes, %lu merges\n",
	       br.meta_bytes, br.meta_peak_bytes, br.resizes, br.merges);
	printf("  early phase %lu us", usec(br.early_time));
	if (br.instret_exact)
		printf(", %lu instructions", br.early_instret);
	printf("\nHandoff to the buddy allocator\n");
	printf("  %lu pages in %lu calls, %lu pages lost; %lu us", br.handoff_pages,
	       br.handoff_calls, br.lost_pages, usec(br.handoff_time));
	if (br.instret_exact)
		printf(", %lu instructions", br.handoff_instret);
	printf("\n");
}

static void
show_acct(void)
{
	int n;

	printf("\nPages per node: ram = buddy + reserved + early + lost\n");
	printf("  node       ram     buddy  reserved     early      lost  check\n");
	for (n = 0; n < br.nnodes && n < BR_MAX_NODES; n++) {
		struct br_acct *a = &br.acct[n];
		int ok = a->ram == a->buddy + a->reserved + a->early + a->lost;
		printf("  %4d %9lu %9lu %9lu %9lu %9lu  %s\n", n, a->ram, a->buddy, a->reserved,
		       a->early, a->lost, ok ? "ok" : "MISMATCH");
	}
}

// The mark of the highest-precedence reservation in [lo, hi), or '.'.
static char
cell_mark(unsigned long lo, unsigned long hi)
{
	char best = '.';
	int i;

	for (i = 0; i < br.nresv && i < BR_MAX_RESV; i++) {
		struct br_resv *r = &br.resv[i];
		char m;
		if (r->size == 0 || r->base >= hi || r->base + r->size <= lo)
			continue;
		m = r->origin >= 0 && r->origin < 6 ? origin_mark[r->origin] : '?';
		if (best == '.' || (strchr(precedence, m) && strchr(precedence, m) < strchr(precedence, best)))
			best = m;
	}
	return best;
}

// How many reservations touch [lo, hi).
static int
cell_count(unsigned long lo, unsigned long hi)
{
	int i, n = 0;

	for (i = 0; i < br.nresv && i < BR_MAX_RESV; i++)
		if (br.resv[i].size && br.resv[i].base < hi && br.resv[i].base + br.resv[i].size > lo)
			n++;
	return n;
}

// One line of CELLS cells over [base, base + size).
static void
draw(unsigned long base, unsigned long size)
{
	char line[CELLS + 1];
	unsigned long lo, hi;
	int c;

	for (c = 0; c < CELLS; c++) {
		lo = base + size / CELLS * c + size % CELLS * c / CELLS;
		hi = base + size / CELLS * (c + 1) + size % CELLS * (c + 1) / CELLS;
		line[c] = cell_mark(lo, hi);
	}
	line[CELLS] = 0;
	printf("  |%s|\n", line);
}

// Each bank as one line; where one cell hides several reservations, a
// second line zooms in on that cell.
static void
show_pictures(void)
{
	char s1[24], s2[24];
	unsigned long base, size, cell, lo;
	int b, c;

	printf("\nBanks, %d cells each; a cell shows the reservation it touches:\n", CELLS);
	printf("  F firmware  R reserved-memory  M memreserve  D dtb  K kernel  I initrd\n");
	printf("  . none (free, or early allocations)\n");
	for (b = 0; b < br.nbanks && b < BR_MAX_BANKS; b++) {
		base = br.bank[b].base;
		size = br.bank[b].size;
		cell = size / CELLS;
		printf("bank %d, node %d: %s at 0x%lx, %s per cell\n", b, br.bank[b].nid,
		       size_str(s1, size, 1), base, size_str(s2, cell, 1));
		draw(base, size);
		for (c = 0; c < CELLS && cell >= CELLS; c++) {
			lo = base + cell * c;
			if (cell_count(lo, lo + cell) < 2)
				continue;
			printf("  zoom on cell %d, 0x%lx-0x%lx, %s per cell:\n", c, lo, lo + cell,
			       size_str(s1, cell / CELLS, 1));
			draw(lo, cell);
			break;
		}
	}
}

// When the boot reached each milestone, and what each step took.
static void
show_timeline(void)
{
	static const char *step[BR_MARKS] = {
		"kernel entered (kmain)", "buddy allocator ready", "schedulers started",
		"/init loaded", "shell prompt (first read)",
	};
	unsigned long prev = 0;

	printf("Boot timeline from reset\n");
	if (br.instret_exact)
		printf("(instructions: retired by the hart that got there, firmware included)\n");
	else
		printf("(instructions not counted: QEMU without -icount; make bench counts them)\n");
	printf("  step                        time (us)   +step (us)  instructions  hart\n");
	for (int i = 0; i < BR_MARKS; i++) {
		struct br_mark *m = &br.mark[i];
		if (!m->reached) {
			printf("  %-26s  not reached\n", step[i]);
			continue;
		}
		printf("  %-26s %10lu %12lu ", step[i], usec(m->time), usec(m->time - prev));
		if (br.instret_exact)
			printf("%13lu", m->instret);
		else
			printf("%13s", "-");
		printf(" %5d\n", m->hart);
		prev = m->time;
	}
}

int
main(int argc, char *argv[])
{
	int timeline_only = argc > 1 && strcmp(argv[1], "-t") == 0;

	if (argc > 2 || (argc == 2 && !timeline_only)) {
		fprintf(2, "usage: memmap [-t]\n");
		return 1;
	}
	if (bootreport(&br) < 0) {
		fprintf(2, "memmap: bootreport failed\n");
		return 1;
	}
	br.alloc[sizeof(br.alloc) - 1] = 0;
	if (timeline_only) {
		show_timeline();
		return 0;
	}
	printf("memmap: early allocator %s, %d harts, %d node%s, %d banks, %d reservations\n\n",
	       br.alloc, br.nharts, br.nnodes, br.nnodes == 1 ? "" : "s", br.nbanks, br.nresv);
	show_banks();
	show_resv();
	show_early();
	show_acct();
	show_pictures();
	printf("\n");
	show_timeline();
	return 0;
}
