// usertests: the kernel's system-call test suite, run from the shell.
//
//   usertests          every test          usertests -q     the quick subset
//   usertests NAME...  the named tests     usertests -l     list the tests
//
// Each test runs in its own child process and passes if that child exits
// with status 0. The groups live in ut_proc.inc (processes), ut_mem.inc
// (sbrk and memory protection), ut_addr.inc (bad addresses passed to system
// calls), ut_fs.inc (files, directories) and ut_pipe.inc (pipes, descriptor
// limits, devices). At the end the free page count must be what it was at
// the start (a leak check); the last line is "ALL TESTS PASSED" or
// "SOME TESTS FAILED".
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/syscall.h"
#include "kernel/memlayout.h"
#include "kernel/bootreport.h"
#include "kernel/fsinfo.h"
#include "user/user.h"

#define MB (1024 * 1024)

static const char *testname;    // the test this process is running
static int quick_run;           // usertests -q: a test may do fewer rounds
static char buf[BSIZE * 8];     // scratch space shared by the tests (per process)

// ---- helpers for the tests ----------------------------------------------

// Reports a failure of the current test and ends its process.
#define fail(...) do { \
		printf("\n  %s: ", testname); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		exit(1); \
	} while (0)

#define check(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

// fork() that fails the test instead of returning -1.
static int
xfork(void)
{
	int pid = fork();

	check(pid >= 0, "fork failed");
	return pid;
}

// The exit status of child pid (which must be the next one to finish).
static int
xwait(int pid)
{
	int st = 12345, got = wait(&st);

	check(got == pid, "wait returned %d, expected child %d", got, pid);
	return st;
}

static int
xopen(const char *path, int mode)
{
	int fd = open(path, mode);

	check(fd >= 0, "open %s (mode 0x%x) failed", path, mode);
	return fd;
}

// Runs fn(arg) in a child; returns its exit status (fn's child exits 0
// if fn returns).
static int
in_child(void (*fn)(uint64), uint64 arg)
{
	int pid = xfork();

	if (pid == 0) {
		fn(arg);
		exit(0);
	}
	return xwait(pid);
}

static void
load_byte(uint64 addr)
{
	volatile char c = *(volatile char *)addr;
	(void)c;
}

static void
store_byte(uint64 addr)
{
	*(volatile char *)addr = 42;
}

// The kernel must kill a process that touches addr: status -1, as xv6.
static void
expect_fault(uint64 addr, int write)
{
	int st = in_child(write ? store_byte : load_byte, addr);

	check(st == -1, "%s at %p: child exited with %d, it should have been killed",
	      write ? "store" : "load", (void *)addr, st);
}

// Free pages over all nodes, or -1 if buddyinfo fails.
static long
free_pages(void)
{
	static struct buddyinfo bi;
	long sum = 0;
	int n;

	if (buddyinfo(&bi) < 0)
		return -1;
	for (n = 0; n < bi.nnodes && n < BR_MAX_NODES; n++)
		sum += bi.free_pages[n];
	return sum;
}

// Fills a buffer with a pattern that depends on seed, to check it later.
static void
pattern(char *p, int n, int seed)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (char)(i * 7 + seed * 13 + (i >> 8));
}

static int
pattern_ok(const char *p, int n, int seed)
{
	int i;

	for (i = 0; i < n; i++)
		if (p[i] != (char)(i * 7 + seed * 13 + (i >> 8)))
			return 0;
	return 1;
}

// Writes prefix and then n in decimal into out (for file names).
static char *
numbered(char *out, const char *prefix, int n)
{
	char digits[12], *p;
	int k = 0;

	strcpy(out, prefix);
	p = out + strlen(out);
	do {
		digits[k++] = '0' + n % 10;
		n /= 10;
	} while (n);
	while (k > 0)
		*p++ = digits[--k];
	*p = 0;
	return out;
}

// Addresses a program may never read or write through the kernel or itself.
static const uint64 bad_addrs[] = {
	KERNBASE,
	KERNBASE + 0x200000,            // the kernel image
	KERNBASE + 0x1000000,
	0x87fff000,
	TRAPFRAME,
	TRAMPOLINE,
	MAXVA - 1,
	MAXVA,
	MAXVA + PGSIZE,
	1UL << 39,
	1UL << 63,
	0xffffffffffff0000UL,
	0xffffffffffffffffUL,
};
#define NBAD (sizeof(bad_addrs) / sizeof(bad_addrs[0]))

#include "user/ut_proc.inc"
#include "user/ut_mem.inc"
#include "user/ut_addr.inc"
#include "user/ut_fs.inc"
#include "user/ut_pipe.inc"

// ---- the list and the runner ---------------------------------------------

struct test {
	void (*fn)(void);
	const char *name;
	int quick;              // part of usertests -q
};

#define T(name, quick) { test_##name, #name, quick }

static struct test tests[] = {
	// processes
	T(exitwait, 1), T(exitstatus, 1), T(waitnochild, 1), T(forkfork, 1),
	T(reparent, 1), T(manychildren, 1), T(forklimit, 1), T(killspin, 1),
	T(killsleep, 1), T(killpipe, 1), T(killbadpid, 1), T(killinit, 1), T(killself, 1),
	T(killrace, 1), T(execbasic, 1), T(execargs, 1), T(execbad, 1),
	T(execbigargs, 1), T(sleepneg, 1), T(uptimeticks, 1), T(forkfds, 1),
	T(preempt, 1), T(fpregs, 1), T(exitrace, 0),
	// memory
	T(sbrkbasic, 1), T(sbrkbig, 1), T(sbrkshrink, 1), T(sbrkpast, 1),
	T(sbrkhuge, 1), T(sbrknegative, 1), T(sbrkargs, 1), T(sbrkfreed, 1),
	T(stackguard, 1), T(kernmem, 1), T(highaddr, 1), T(textwrite, 1),
	T(memout, 1), T(forkmem, 1), T(execmem, 1), T(mallocfree, 1), T(memoutrepeat, 0),
	// bad addresses and arguments
	T(copyin, 1), T(copyout, 1), T(badpaths, 1), T(copyinstr, 1),
	T(pipebad, 1), T(fstatbad, 1), T(waitbad, 1), T(execbadargs, 1),
	T(sysinfo, 1), T(badfd, 1), T(badsyscall, 1),
	// files, directories and pipes
	T(smallfile, 1), T(bigfile, 1), T(offsets, 1), T(truncate, 1),
	T(unlinkopen, 1), T(deepdir, 1), T(dirrules, 1), T(linktest, 1),
	T(manyfiles, 1), T(concreate, 1), T(fourfiles, 1), T(sharedfd, 1),
	T(dirfile, 1), T(fdlimit, 1), T(pipebasic, 1), T(pipeeof, 1),
	T(pipenoreader, 1), T(pipebig, 1), T(pipemany, 1), T(bigwrite, 1),
	T(devices, 1), T(cwdremoved, 1), T(cwdleak, 1),
	T(fsfull, 0), T(inodefull, 0), T(irefs, 0), T(bigdir, 0),
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

// Runs one test in a child. Returns 1 if it passed.
static int
run_test(struct test *t)
{
	int pid, st = 0;

	printf("test %s: ", t->name);
	pid = fork();
	if (pid < 0) {
		printf("FAILED (fork failed)\n");
		return 0;
	}
	if (pid == 0) {
		testname = t->name;
		t->fn();
		exit(0);
	}
	while (wait(&st) != pid)
		;
	if (st != 0) {
		printf("\ntest %s: FAILED (status %d)\n", t->name, st);
		return 0;
	}
	printf("OK\n");
	return 1;
}

// Removes what an earlier, interrupted run may have left in /.
static void
clean_root(void)
{
	struct dirent de;
	char name[DIRSIZ + 1];
	int fd = open("/", O_RDONLY);

	if (fd < 0)
		return;
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		memmove(name, de.name, DIRSIZ);
		name[DIRSIZ] = 0;
		if (name[0] == 'u' && name[1] == 't' && name[2] == '_')
			ut_remove_tree(name);
	}
	close(fd);
}

int
main(int argc, char *argv[])
{
	int quick = 0, i, j, ran = 0, failed = 0, named = 0, tries;
	long before, after;

	if (argc == 2 && strcmp(argv[1], "-fpzero") == 0)
		exit(fp_all_zero() ? 0 : 1);    // exec'd by test_fpregs
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0)
			quick = quick_run = 1;
		else if (strcmp(argv[i], "-l") == 0) {
			for (j = 0; j < NTESTS; j++)
				printf("%s%s\n", tests[j].name, tests[j].quick ? "" : " (full only)");
			return 0;
		} else
			named++;
	}
	chdir("/");
	clean_root();
	printf("usertests starting\n");
	before = free_pages();
	for (j = 0; j < NTESTS; j++) {
		int want = !named && (!quick || tests[j].quick);
		for (i = 1; i < argc && !want; i++)
			want = strcmp(argv[i], tests[j].name) == 0;
		if (!want)
			continue;
		ran++;
		if (!run_test(&tests[j]))
			failed++;
	}
	if (ran == 0) {
		printf("usertests: no test of that name (usertests -l lists them)\n");
		return 1;
	}
	// Orphans of the tests are reaped by init; give them a moment.
	after = free_pages();
	for (tries = 0; after < before && tries < 30; tries++) {
		sleep(2);
		after = free_pages();
	}
	if (after < before) {
		printf("usertests: %ld free pages before the tests, %ld after: %ld lost\n",
		       before, after, before - after);
		failed++;
	}
	if (failed) {
		printf("SOME TESTS FAILED (%d of %d)\n", failed, ran);
		return 1;
	}
	printf("ALL TESTS PASSED\n");
	return 0;
}
