// memstress: allocates and frees memory in patterns, through sbrk() and
// fork(), and checks with buddyinfo() that the buddy allocator's free pages
// come back to where they started after each pattern. Every pattern runs in
// a child, so the parent's own address space (and its page tables) never
// changes between two counts.
//
//   memstress          all patterns      memstress -v   also print counts
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/bootreport.h"
#include "user/user.h"

#define MB (1024 * 1024)

static int verbose;

// Free pages over all nodes, or -1.
static long
free_pages(void)
{
	static struct buddyinfo bi;
	long sum = 0;
	int n;

	if (buddyinfo(&bi) < 0 || bi.nnodes < 1 || bi.nnodes > BR_MAX_NODES)
		return -1;
	for (n = 0; n < bi.nnodes; n++)
		sum += bi.free_pages[n];
	return sum;
}

// Grows by n bytes and writes to every page; returns the old break or 0.
static char *
grow_touch(int n)
{
	char *p = sbrk(n);
	int i;

	if (p == (char *)-1)
		return 0;
	for (i = 0; i < n; i += PGSIZE)
		p[i] = (char)i;
	if (n > 0)
		p[n - 1] = 1;
	return p;
}

// Gives back bytes in steps that fit sbrk's int argument. Returns 0 or -1.
static int
shrink(long bytes)
{
	long step;

	for (; bytes > 0; bytes -= step) {
		step = bytes > 512L * MB ? 512L * MB : bytes;
		if (sbrk(-(int)step) == (char *)-1)
			return -1;
	}
	return 0;
}

// Each pattern runs in a child and returns 0, or a nonzero code on failure.

// One page at a time up, then down; then large steps.
static int
pat_steps(void)
{
	char *start = sbrk(0);
	int i;

	for (i = 0; i < 256; i++)
		if (grow_touch(PGSIZE) == 0)
			return 1;
	for (i = 0; i < 256; i++)
		if (sbrk(-PGSIZE) == (char *)-1)
			return 2;
	if (sbrk(0) != start)
		return 3;
	for (i = 1; i <= 8; i++) {
		if (grow_touch(i * MB) == 0)
			return 4;
		sbrk(-(i * MB));
	}
	return sbrk(0) == start ? 0 : 5;
}

// Grow big, give back part, grow again: the break moves like a saw.
static int
pat_sawtooth(void)
{
	int i;

	for (i = 0; i < 16; i++) {
		if (grow_touch(MB + i * 64 * 1024) == 0)
			return 1;
		if (sbrk(-(MB / 2 + 3 * PGSIZE)) == (char *)-1)
			return 2;
	}
	return 0;
}

// A tree of processes, each copying its parent's heap and adding its own.
static int
pat_forktree(void)
{
	int i, pid, st, bad = 0;

	if (grow_touch(2 * MB) == 0)
		return 1;
	for (i = 0; i < 6; i++) {
		pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			char *p = grow_touch(MB / 2 + i * PGSIZE);
			if (p == 0)
				exit(3);
			if (i % 2 == 0 && fork() == 0) {        // grandchildren too
				grow_touch(MB / 4);
				exit(0);
			}
			while (wait(&st) >= 0)
				if (st != 0)
					exit(4);
			exit(0);
		}
	}
	while (wait(&st) >= 0)
		if (st != 0)
			bad = st;
	return bad;
}

// Takes every page it can get, then returns half and takes it again.
static int
pat_exhaust(void)
{
	long before = free_pages(), low;
	int got = 0, step = MB;

	while (step >= PGSIZE) {
		if (grow_touch(step) != 0)
			got += step / PGSIZE;
		else
			step /= 2;
	}
	low = free_pages();
	if (verbose)
		printf("  exhaust: took %d pages; free went from %ld to %ld\n", got, before, low);
	if (got == 0)
		return 1;
	if (low > before / 8)
		return 2;               // sbrk failed while memory was plentiful
	if (shrink((long)(got / 2) * PGSIZE) < 0)
		return 3;
	for (step = got / 2; step > 0; step -= 256)     // and take it again
		if (grow_touch((step < 256 ? step : 256) * PGSIZE) == 0)
			return 4;
	return 0;
}

// Nearly out of memory, fork must fail cleanly or succeed, never crash.
static int
pat_fork_pressure(void)
{
	int step = MB, i, pid, forks = 0;

	while (step >= PGSIZE)
		if (grow_touch(step) == 0)
			step /= 2;
	sbrk(-16 * PGSIZE);             // a little room for the kernel
	for (i = 0; i < 10; i++) {
		pid = fork();
		if (pid == 0)
			exit(0);
		if (pid > 0) {
			forks++;
			wait(0);
		}
	}
	if (verbose)
		printf("  fork-pressure: %d of 10 forks succeeded\n", forks);
	return 0;
}

// Many small processes alive at once, each with a little memory.
static int
pat_crowd(void)
{
	int p[2], i, n = 0, pid;
	char c;

	if (pipe(p) < 0)
		return 1;
	for (i = 0; i < 40; i++) {
		pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(p[1]);
			grow_touch(16 * PGSIZE);
			read(p[0], &c, 1);      // wait until the parent lets go
			exit(0);
		}
		n++;
	}
	close(p[0]);
	close(p[1]);                    // every reader now sees end of file
	while (wait(0) >= 0)
		;
	return n > 0 ? 0 : 2;
}

struct pattern {
	const char *name;
	int (*run)(void);
};

static struct pattern patterns[] = {
	{ "steps", pat_steps },
	{ "sawtooth", pat_sawtooth },
	{ "forktree", pat_forktree },
	{ "exhaust", pat_exhaust },
	{ "fork-pressure", pat_fork_pressure },
	{ "crowd", pat_crowd },
};

// The free count after a pattern; waits a little if it has not settled
// (an orphan may still be on its way out through init).
static long
settled(long want)
{
	long now = free_pages();
	int tries;

	for (tries = 0; now != want && tries < 20; tries++) {
		sleep(1);
		now = free_pages();
	}
	return now;
}

int
main(int argc, char *argv[])
{
	long start, now;
	int i, pid, st, failed = 0;

	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	start = free_pages();
	if (start < 0) {
		printf("memstress: FAIL buddyinfo failed\n");
		return 1;
	}
	printf("memstress: %ld pages free at the start\n", start);
	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		pid = fork();
		if (pid < 0) {
			printf("memstress: FAIL fork failed before %s\n", patterns[i].name);
			return 1;
		}
		if (pid == 0)
			exit(patterns[i].run());
		if (wait(&st) != pid || st != 0) {
			printf("memstress: FAIL pattern %s exited with status %d\n", patterns[i].name, st);
			failed = 1;
		}
		now = settled(start);
		if (now != start) {
			printf("memstress: FAIL after %s: %ld pages free, %ld at the start (%ld %s)\n",
			       patterns[i].name, now, start, now < start ? start - now : now - start,
			       now < start ? "lost" : "gained");
			failed = 1;
			start = now;            // judge the next pattern on its own
		} else if (verbose) {
			printf("  %s: ok, %ld pages free\n", patterns[i].name, now);
		}
	}
	if (failed) {
		printf("memstress: FAIL\n");
		return 1;
	}
	printf("memstress: ok\n");
	return 0;
}
