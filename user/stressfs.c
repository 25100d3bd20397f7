// stressfs: several processes write, then read back, their own file at the
// same time, to load the log and the buffer cache from all harts at once.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define NWORKERS 4
#define NBLOCKS  20

int
main(void)
{
	char name[] = "stressfs0", buf[512];
	int w, i, fd, status, bad = 0;

	printf("stressfs starting\n");
	for (w = 0; w < NWORKERS; w++) {
		int pid = fork();
		if (pid < 0) {
			printf("stressfs: fork failed\n");
			break;
		}
		if (pid > 0)
			continue;
		// Worker w: a file of NBLOCKS blocks, each filled with 'a' + w.
		name[8] = '0' + w;
		memset(buf, 'a' + w, sizeof(buf));
		if ((fd = open(name, O_CREATE | O_RDWR | O_TRUNC)) < 0)
			exit(1);
		for (i = 0; i < NBLOCKS; i++)
			if (write(fd, buf, sizeof(buf)) != sizeof(buf))
				exit(2);
		close(fd);
		if ((fd = open(name, O_RDONLY)) < 0)
			exit(3);
		for (i = 0; i < NBLOCKS; i++) {
			if (read(fd, buf, sizeof(buf)) != sizeof(buf))
				exit(4);
			if (buf[0] != 'a' + w || buf[sizeof(buf) - 1] != 'a' + w)
				exit(5);
		}
		close(fd);
		unlink(name);
		exit(0);
	}
	while (wait(&status) >= 0)
		if (status != 0)
			bad++;
	if (bad) {
		printf("stressfs: %d workers failed\n", bad);
		return 1;
	}
	printf("stressfs ok\n");
	return 0;
}
