// rm: removes each named file (or empty directory).
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(2, "usage: rm file...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (unlink(argv[i]) < 0) {
			fprintf(2, "rm: %s failed to delete\n", argv[i]);
			status = 1;
		}
	}
	return status;
}
