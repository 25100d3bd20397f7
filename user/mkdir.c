// mkdir: creates each named directory.
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(2, "usage: mkdir dir...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (mkdir(argv[i]) < 0) {
			fprintf(2, "mkdir: %s failed to create\n", argv[i]);
			status = 1;
		}
	}
	return status;
}
