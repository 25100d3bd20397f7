// orders: the buddy allocator's free blocks per order, from buddyinfo(),
// in a form a script can read (lab/00-tour/README.md §3):
//   node N order K blocks B pages P     for every node and order 0..10
//   node N free P                       the node's free pages
// With -w it then waits for a line on standard input, so that whoever runs
// it can look at memory while nothing changes.
#include "kernel/types.h"
#include "kernel/bootreport.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
	// lab tour §3
	struct buddyinfo bi;        // about 900 bytes: the stack has room
	char c;
	int n, o;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "-w") != 0)) {
		fprintf(2, "usage: orders [-w]\n");
		exit(1);
	}
	if (buddyinfo(&bi) < 0) {
		fprintf(2, "orders: buddyinfo failed\n");
		exit(1);
	}
	for (n = 0; n < bi.nnodes; n++) {
		for (o = 0; o < BR_ORDERS; o++)
			printf("node %d order %d blocks %lu pages %lu\n", n, o, bi.nr_free[n][o],
			       bi.nr_free[n][o] << o);
		printf("node %d free %lu\n", n, bi.free_pages[n]);
	}
	if (argc == 2)
		read(0, &c, 1);
	exit(0);
	// lab end
}
