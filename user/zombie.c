// zombie: leaves a child that has exited but is not waited for, then exits
// itself a little later; init must then reap the orphaned zombie.
#include "kernel/types.h"
#include "user/user.h"

int
main(void)
{
	int pid = fork();

	if (pid < 0) {
		fprintf(2, "zombie: fork failed\n");
		return 1;
	}
	if (pid == 0)
		exit(0);        // the child: becomes a zombie at once
	sleep(5);               // the parent: never waits
	return 0;
}
