// forktest: forks until the process table is full, checks that fork then
// fails cleanly, waits for every child, and checks that no child is left.
// Uses only write() for output, so it also runs without printf.
#include "kernel/types.h"
#include "kernel/param.h"
#include "user/user.h"

static void
say(const char *s)
{
	write(1, s, strlen(s));
}

static void
fail(const char *s)
{
	say("forktest: ");
	say(s);
	say("\n");
	exit(1);
}

int
main(void)
{
	int n, pid, limit = NPROC * 2;

	say("fork test\n");
	for (n = 0; n < limit; n++) {
		pid = fork();
		if (pid < 0)
			break;
		if (pid == 0)
			exit(0);
	}
	if (n == limit)
		fail("fork never failed: the process table has no limit?");
	if (n == 0)
		fail("not a single fork succeeded");
	for (; n > 0; n--)
		if (wait(0) < 0)
			fail("wait stopped early");
	if (wait(0) != -1)
		fail("wait found a child that was never forked");
	say("fork test OK\n");
	return 0;
}
