// init: the first user process. It makes the console its standard input,
// output and error, then keeps a shell running: it starts sh, and when sh
// exits starts another. While it waits it also reaps every orphan the
// kernel hands it, so no process stays a zombie.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/file.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char *sh_argv[] = { "sh", 0 };

// Opens the console as fds 0, 1 and 2, creating the device node if the
// disk has none yet.
static void
open_console(void)
{
	int fd = open("console", O_RDWR);

	if (fd < 0) {
		mknod("console", CONSOLE, 0);
		fd = open("console", O_RDWR);
	}
	if (fd != 0) {
		// Nothing to print to: give up; the kernel reports init's exit.
		exit(1);
	}
	dup(0);
	dup(0);
}

int
main(void)
{
	int pid, got, status;

	open_console();
	for (;;) {
		printf("init: starting sh\n");
		pid = fork();
		if (pid < 0) {
			printf("init: fork failed\n");
			sleep(10);
			continue;
		}
		if (pid == 0) {
			exec("sh", sh_argv);
			exec("/sh", sh_argv);
			printf("init: exec sh failed\n");
			exit(1);
		}
		// Reap until the shell itself is gone; the rest are orphans.
		do {
			got = wait(&status);
		} while (got != pid && got >= 0);
		if (got < 0) {
			printf("init: wait returned an error\n");
			sleep(10);
		}
	}
}
