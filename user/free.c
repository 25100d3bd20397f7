// free: the buddy allocator's free memory, from buddyinfo(): per node, how
// many free blocks of each order there are and how many pages they hold,
// with a bar for each order's share of the free pages. 80 columns.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/bootreport.h"
#include "user/user.h"
#include "user/sizefmt.h"

#define BARWIDTH 28

static struct buddyinfo bi;

static void
bar(unsigned long part, unsigned long whole)
{
	char b[BARWIDTH + 1];
	int n = whole ? (int)(part * BARWIDTH / whole) : 0, i;

	if (n == 0 && part > 0)
		n = 1;                  // a non-empty order is always visible
	for (i = 0; i < n; i++)
		b[i] = '#';
	b[n] = 0;
	printf("%s", b);
}

// One node's table. Returns its free pages as summed from the orders.
static unsigned long
show_node(int nid)
{
	unsigned long total = bi.total_pages[nid], freep = bi.free_pages[nid];
	unsigned long sum = 0, pages;
	char s1[24], s2[24];
	int o;

	for (o = 0; o < BR_ORDERS; o++)
		sum += bi.nr_free[nid][o] << o;
	printf("node %d: %s free of %s (%lu of %lu pages, %lu%%)\n", nid,
	       size_str(s1, freep * PGSIZE, 0), size_str(s2, total * PGSIZE, 0),
	       freep, total, total ? freep * 100 / total : 0);
	printf("  order  block     blocks     pages   share of free pages\n");
	for (o = 0; o < BR_ORDERS; o++) {
		pages = bi.nr_free[nid][o] << o;
		printf("  %5d  %-8s %7lu %9lu   ", o, size_str(s1, (unsigned long)PGSIZE << o, 0),
		       bi.nr_free[nid][o], pages);
		bar(pages, sum);
		printf("\n");
	}
	if (sum != freep)
		printf("  warning: the orders hold %lu pages, the node says %lu free\n", sum, freep);
	return sum;
}

int
main(void)
{
	unsigned long all_free = 0, all_total = 0;
	char s1[24], s2[24];
	int n;

	if (buddyinfo(&bi) < 0) {
		fprintf(2, "free: buddyinfo failed\n");
		return 1;
	}
	if (bi.nnodes < 1 || bi.nnodes > BR_MAX_NODES) {
		fprintf(2, "free: buddyinfo reports %d nodes\n", bi.nnodes);
		return 1;
	}
	for (n = 0; n < bi.nnodes; n++) {
		if (n > 0)
			printf("\n");
		all_free += show_node(n);
		all_total += bi.total_pages[n];
	}
	printf("\ntotal: %s free of %s in %d node%s\n", size_str(s1, all_free * PGSIZE, 0),
	       size_str(s2, all_total * PGSIZE, 0), bi.nnodes, bi.nnodes == 1 ? "" : "s");
	return 0;
}
