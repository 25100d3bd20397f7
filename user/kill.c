// kill: asks the kernel to kill each listed process id. The kernel refuses
// a pid that does not exist, and init (pid 1).
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(2, "usage: kill pid...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (kill(atoi(argv[i])) < 0) {
			fprintf(2, "kill: cannot kill %s\n", argv[i]);
			status = 1;
		}
	}
	return status;
}
