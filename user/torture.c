// torture: random system calls with random, mostly invalid, arguments.
//
//   torture [-v] [iterations [seed]]   (default 2000 iterations, seed 1;
//                                       -v logs each call to /torture.log)
//
// A supervisor runs the calls in a series of worker processes, 250 calls
// each, inside the scratch directory /torturedir, and removes it at the end.
// Workers close fds 0-2 first (so no call can block on the console or write
// to it), never kill or exec anything they do not own, and never shrink the
// heap below what they grew; with a correct kernel every worker therefore
// finishes with status 42. Any other status (a worker killed for passing a
// bad pointer, say), a free-page leak, or a kernel panic is a failure.
// The output ends with "torture: ok", or "torture: FAIL ..." and the seed.
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

#define SCRATCH    "/torturedir"
#define PER_WORKER 250
#define DONE       42           // a worker's status after all its calls

// ---- random values -----------------------------------------------------

static uint64 rng;

static uint64
rnd(void)                       // xorshift64*
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static uint64
below(uint64 n)
{
	return n ? rnd() % n : 0;
}

// Memory handed to the kernel as valid: the arena, for buffers that fit in
// it, and the heap the worker grows, which it can afford to have scribbled
// on (calls with absurd lengths only ever get heap or invalid addresses).
static char arena[8192];
static uint64 heap0;            // the break when the worker started
static uint64 grown;            // bytes this worker has added with sbrk
static int depth;               // directories below SCRATCH we have entered

// Addresses no system call may touch.
static uint64
bad_addr(void)
{
	uint64 brk = (uint64)sbrk(0);

	switch (below(12)) {
	case 0:  return KERNBASE;
	case 1:  return KERNBASE + below(128 * 1024 * 1024);
	case 2:  return 0x80200000;
	case 3:  return MAXVA - 1 - below(16);
	case 4:  return MAXVA + below(1UL << 30);
	case 5:  return TRAPFRAME + below(PGSIZE);
	case 6:  return TRAMPOLINE + below(PGSIZE);
	case 7:  return ~0UL - below(4096);
	case 8:  return (1UL << 63) | rnd();
	case 9:  return PGROUNDUP(brk) + below(64 * 1024);     // just past the heap
	case 10: return rnd();
	default: return PGROUNDDOWN((uint64)&brk) - 1 - below(PGSIZE);     // stack guard
	}
}

// A buffer of len bytes: valid, partly valid, or not at all.
static uint64
buf_addr(uint64 len)
{
	uint64 brk = (uint64)sbrk(0);

	switch (below(10)) {
	case 0: case 1: case 2: case 3: case 4:
		if (len <= sizeof(arena))
			return (uint64)arena + below(sizeof(arena) - len + 1);
		if (len <= grown)
			return heap0 + below(grown - len + 1);
		return bad_addr();
	case 5:                 // runs off the end of the heap
		if (grown >= PGSIZE && len > 0)
			return PGROUNDUP(brk) - 1 - below(len < PGSIZE ? len : PGSIZE);
		return bad_addr();
	default:
		return bad_addr();
	}
}

// A buffer for a read or write of n bytes, n perhaps negative or absurd.
static uint64
rw_addr(int n)
{
	if (n >= 0 && n <= sizeof(arena))
		return buf_addr(n);
	if (grown > 0 && below(2))
		return heap0 + below(grown);    // the kernel may fill it to the end
	return bad_addr();
}

static int
rnd_int(void)
{
	static const int special[] = { 0, 1, 2, 3, -1, -2, 15, 16, 17, 4096,
	                               0x7fffffff, (int)0x80000000, 100000 };

	switch (below(4)) {
	case 0:  return (int)rnd();
	case 1:  return below(20);
	default: return special[below(sizeof(special) / sizeof(special[0]))];
	}
}

static int logfd = -1;          // torture -v: the call log, kept out of reach

// A file descriptor: mostly one that may be open, sometimes anything.
static int
rnd_fd(void)
{
	int fd = below(3) ? below(NOFILE + 2) : rnd_int();

	return fd == logfd ? -1 : fd;
}

// A length for read/write: small, big, negative or absurd.
static int
rnd_len(void)
{
	switch (below(6)) {
	case 0:  return below(16);
	case 1:  return below(sizeof(arena) + 1);
	case 2:  return -1 - below(100);
	case 3:  return (int)rnd();
	default: return below(1024);
	}
}

static const char *names[] = {
	"a", "b", "c", "d1", "d2", "d1/a", "d1/d3", "d1/d3/b", "d2/x", ".",
	"a_name_longer_than_dirsiz", "", "d1//a", "elf",
};

// A path argument: a known name, a string with no end, or a bad pointer.
static uint64
path_addr(void)
{
	char *s;
	int i, n;

	switch (below(8)) {
	case 0:                 // random letters, no '/' and no '.'
		n = 1 + below(20);
		s = arena + below(sizeof(arena) - n - 1);
		for (i = 0; i < n; i++)
			s[i] = 'a' + below(26);
		s[n] = 0;
		return (uint64)s;
	case 1:                 // runs into the end of the heap without a NUL
		if (grown >= PGSIZE) {
			s = sbrk(0);
			memset(s - 64, 'q', 64);
			return (uint64)(s - 1 - below(64));
		}
		return bad_addr();
	case 2:
		return bad_addr();
	default:
		s = arena + below(sizeof(arena) - 64);
		strcpy(s, names[below(sizeof(names) / sizeof(names[0]))]);
		return (uint64)s;
	}
}

// ---- the calls ---------------------------------------------------------

// Any system call, with all six argument registers.
static long
syscall6(long num, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r0 asm("a0") = a0;
	register long r1 asm("a1") = a1;
	register long r2 asm("a2") = a2;
	register long r3 asm("a3") = a3;
	register long r4 asm("a4") = a4;
	register long r5 asm("a5") = a5;
	register long r7 asm("a7") = num;

	asm volatile("ecall" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7)
	             : "memory");
	return r0;
}

// A pipe, used and closed within the call, so nothing can block later.
static void
op_pipe(void)
{
	int *fds = (int *)buf_addr(2 * sizeof(int)), rfd, wfd, n;

	if (pipe(fds) < 0)
		return;
	rfd = fds[0];           // the kernel wrote them, so fds is readable
	wfd = fds[1];
	n = below(400);         // with 16 more, still less than a pipe holds
	write(wfd, (void *)buf_addr(n), n);
	if (below(2))
		close(rfd);     // a writer with no reader must get an error
	write(wfd, (void *)buf_addr(16), 16);
	close(wfd);         // from here on a read cannot block
	n = rnd_len();
	read(rfd, (void *)rw_addr(n), n);
	n = rnd_len();
	read(rfd, (void *)rw_addr(n), n);
	close(rfd);
}

// A file that looks like an ELF binary but always has something wrong.
static void
op_bad_elf(void)
{
	uint32 *w = (uint32 *)arena;
	int fd, i;

	for (i = 0; i < 64; i++)
		w[i] = rnd();
	w[0] = 0x464c457f;              // "\177ELF"
	arena[4] = 2;                   // 64-bit
	*(uint16 *)(arena + 16) = 2;    // ET_EXEC
	*(uint16 *)(arena + 56) = below(4) ? 1 + below(3) : rnd();     // phnum
	*(uint64 *)(arena + 32) = below(3) ? 64 : rnd();               // phoff
	for (i = 0; i < 3; i++) {
		uint8 *ph = (uint8 *)arena + 64 + i * 56;
		*(uint32 *)ph = 1;      // PT_LOAD
		switch (below(4)) {     // the flaw
		case 0: *(uint64 *)(ph + 16) = PGSIZE * below(8) + 1 + below(PGSIZE - 1); break;
		case 1: *(uint64 *)(ph + 16) = 0;
		        *(uint64 *)(ph + 32) = 100 + below(100);       // filesz
		        *(uint64 *)(ph + 40) = below(100);             // memsz < filesz
		        break;
		case 2: *(uint64 *)(ph + 16) = ~0UL & ~(uint64)(PGSIZE - 1);
		        *(uint64 *)(ph + 40) = 2 * PGSIZE;             // wraps around
		        break;
		default: *(uint64 *)(ph + 16) = PGROUNDDOWN(MAXVA) - PGSIZE;
		        *(uint64 *)(ph + 40) = 8 * PGSIZE;             // crosses MAXVA
		        *(uint64 *)(ph + 32) = 0;
		        break;
		}
	}
	if ((fd = open("elf", O_CREATE | O_WRONLY | O_TRUNC)) >= 0) {
		write(fd, arena, 256);
		close(fd);
	}
	exec("elf", (char **)buf_addr(16));
}

// exec that must fail: a bad path, a bad argv, or too many arguments.
static void
op_exec(void)
{
	char **argv = (char **)(arena + 4096);
	int i, n;

	switch (below(4)) {
	case 0:
		exec((char *)path_addr(), (char **)buf_addr(8 * (MAXARG + 1)));
		break;
	case 1:         // a real program, but argv is bad
		exec("/echo", (char **)bad_addr());
		break;
	case 2:         // a real program, some bad arguments
		n = 2 + below(4);
		for (i = 0; i < n; i++)
			argv[i] = (char *)bad_addr();
		argv[n] = 0;
		argv[0] = "echo";
		exec("/echo", argv);
		break;
	default:        // too many arguments
		for (i = 0; i < MAXARG + 5; i++)
			argv[i] = "x";
		argv[MAXARG + 5] = 0;
		exec("/echo", argv);
		break;
	}
}

static void
op_fork(void)
{
	int pid = fork(), i;

	if (pid == 0) {
		for (i = below(3); i > 0; i--)
			syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
		if (below(2))
			sleep(below(2));
		exit(rnd_int());
	}
	if (pid > 0 && below(2))
		kill(pid);
	wait((int *)buf_addr(sizeof(int)));
	while (wait(0) >= 0)    // reap it if the bad pointer left it a zombie
		;
}

static void
op_sbrk(void)
{
	int n;
	char *p;

	switch (below(6)) {
	case 0:         // never less than what we added ourselves
		n = grown ? -(int)below(grown + 1) : 0;
		break;
	case 1:  n = 0x7fffffff; break;
	case 2:  n = (int)0x80000000; break;            // must not shrink us to nothing
	case 3:  n = -(int)((uint64)sbrk(0) + PGSIZE); break;
	default: n = below(3 * PGSIZE); break;
	}
	if (grown + (n > 0 ? n : 0) > 2 * 1024 * 1024)
		n = 0;          // keep the worker small
	p = sbrk(n);
	if (p == (char *)-1)
		return;
	if (n < 0 && -(uint64)n > grown) {
		// Refusing is right; accepting and doing nothing is tolerated.
		if (sbrk(0) != p)
			exit(3);        // the kernel shrank the heap below its start
		return;
	}
	grown += n;
}

// One random call. Path operations only ever see SCRATCH-relative names.
static void
one_call(void)
{
	static const short majors[] = { 0, 2, 5, 9, NDEV, NDEV + 1, -1, 32767, -32768 };
	static const int flags[] = { O_RDONLY, O_WRONLY, O_RDWR, O_CREATE | O_RDWR,
	                             O_CREATE | O_TRUNC | O_WRONLY, O_TRUNC | O_RDONLY };
	static const long raw[] = { SYS_read, SYS_write, SYS_close, SYS_dup, SYS_fstat,
	                            SYS_pipe, SYS_wait, SYS_getpid, SYS_uptime,
	                            SYS_bootreport, SYS_buddyinfo, SYS_fsinfo };
	int r, n, op = below(24);
	uint64 p;

	if (logfd >= 0)
		fprintf(logfd, "%d: op %d\n", getpid(), op);
	switch (op) {
	case 0: case 1:
		r = open((char *)path_addr(), below(4) ? flags[below(6)] : rnd_int());
		break;
	case 2: case 3:
		n = rnd_len();
		read(rnd_fd(), (void *)rw_addr(n), n);
		break;
	case 4: case 5:
		n = rnd_len();
		write(rnd_fd(), (void *)rw_addr(n), n);
		break;
	case 6:
		close(rnd_fd());
		break;
	case 7:
		dup(rnd_fd());
		break;
	case 8:
		fstat(rnd_fd(), (struct stat *)buf_addr(sizeof(struct stat)));
		break;
	case 9:
		op_pipe();
		break;
	case 10:
		link((char *)path_addr(), (char *)path_addr());
		break;
	case 11:
		unlink((char *)path_addr());
		break;
	case 12:
		mkdir((char *)path_addr());
		break;
	case 13:
		if (depth > 4 || below(3) == 0) {
			if (chdir(SCRATCH) == 0)
				depth = 0;
			break;
		}
		p = path_addr();
		if (chdir((char *)p) == 0 && p >= (uint64)arena && p < (uint64)arena + sizeof(arena))
			depth += 1 + (strchr((char *)p, '/') != 0);
		break;
	case 14:
		mknod((char *)path_addr(), majors[below(9)], rnd_int());
		break;
	case 15:
		op_sbrk();
		break;
	case 16:
		op_fork();
		break;
	case 17:
		kill(below(2) ? -1 - (int)below(5) : 0x7fff0000 + (int)below(0xffff));
		break;
	case 18:
		if (below(4))
			op_exec();
		else
			op_bad_elf();
		break;
	case 19:
		wait((int *)buf_addr(sizeof(int)));
		sleep(below(2) ? 0 : -(int)below(3) - 1);       // must not hang
		break;
	case 20:
		bootreport((struct bootreport *)buf_addr(sizeof(struct bootreport)));
		buddyinfo((struct buddyinfo *)buf_addr(sizeof(struct buddyinfo)));
		fsinfo((struct fsinfo *)buf_addr(sizeof(struct fsinfo)));
		break;
	case 21:        // an unknown system call number
		if (below(4) == 0)
			syscall6(below(2) ? SYS_fsinfo + 1 + below(1000) : -(long)below(10), rnd(), rnd(), 0, 0, 0, 0);
		break;
	default:        // a safe call, the registers it ignores random too
		n = below(sizeof(raw) / sizeof(raw[0]));
		if (raw[n] == SYS_pipe || raw[n] == SYS_wait || raw[n] == SYS_bootreport ||
		    raw[n] == SYS_buddyinfo || raw[n] == SYS_fsinfo)
			syscall6(raw[n], bad_addr(), rnd(), rnd(), rnd(), rnd(), rnd());
		else {
			int len = below(2) ? 64 : rnd_int();
			syscall6(raw[n], rnd_fd(), rw_addr(len),
			         len, rnd(), rnd(), rnd());
		}
		break;
	}
	(void)r;
}

static void __attribute__((noreturn))
worker(uint64 seed, int calls)
{
	int i;

	rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	close(0);
	close(1);
	close(2);
	if (chdir(SCRATCH) < 0)
		exit(2);
	// A heap of our own: room for struct bootreport, and a break to run past.
	heap0 = (uint64)sbrk(0);
	if (sbrk(8 * PGSIZE) != (char *)-1)
		grown = 8 * PGSIZE;
	for (i = 0; i < calls; i++)
		one_call();
	while (wait(0) >= 0)
		;
	exit(DONE);
}

// ---- the supervisor ----------------------------------------------------

// Copies the name of some entry of the current directory other than "."
// and ".." into name; returns 0, or -1 if there is none. The directory is
// closed again at once, so a deep tree does not use up descriptors.
static int
first_entry(char *name)
{
	static struct dirent de;
	int fd = open(".", O_RDONLY), found = -1;

	if (fd < 0)
		return -1;
	while (found < 0 && read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		memmove(name, de.name, DIRSIZ);
		name[DIRSIZ] = 0;
		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
			found = 0;
	}
	close(fd);
	return found;
}

// Empties the current directory, without recursion (trees can be deeper
// than the one-page stack allows): unlink whatever can be unlinked, step
// into a directory that is not empty yet, step out of one that is.
// Returns 0, or -1 if something cannot be removed.
static int
empty_here(void)
{
	static struct stat st;
	char name[DIRSIZ + 1];
	int depth = 0, steps;

	for (steps = 0; steps < 100000; steps++) {
		if (first_entry(name) < 0) {
			if (depth == 0)
				return 0;
			chdir("..");
			depth--;
		} else if (unlink(name) < 0) {
			if (stat(name, &st) < 0 || st.type != T_DIR || chdir(name) < 0)
				break;
			depth++;
		}
	}
	while (depth-- > 0)
		chdir("..");
	return -1;
}

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

// torture -v: log every call to /torture.log through descriptor NOFILE-1,
// which the workers never pick.
static void
open_log(void)
{
	int fd = open("/torture.log", O_CREATE | O_WRONLY | O_TRUNC), low[NOFILE], n = 0;

	while (fd >= 0 && fd < NOFILE - 1 && n < NOFILE) {
		low[n++] = fd;
		fd = dup(fd);
	}
	logfd = fd == NOFILE - 1 ? fd : -1;
	while (n > 0)
		close(low[--n]);
	if (logfd < 0)
		printf("torture: cannot open /torture.log\n");
}

int
main(int argc, char *argv[])
{
	int iterations, seed, w, nworkers, pid, st, bad = 0, calls, tries;
	long before, after;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		open_log();
		argc--;
		argv++;
	}
	iterations = argc > 1 ? atoi(argv[1]) : 2000;
	seed = argc > 2 ? atoi(argv[2]) : 1;
	if (iterations <= 0) {
		fprintf(2, "usage: torture [-v] [iterations [seed]]\n");
		return 1;
	}
	if (mkdir(SCRATCH) < 0 && chdir(SCRATCH) < 0) {
		printf("torture: FAIL cannot make %s\n", SCRATCH);
		return 1;
	}
	chdir("/");
	before = free_pages();
	nworkers = (iterations + PER_WORKER - 1) / PER_WORKER;
	printf("torture: %d calls in %d workers, seed %d\n", iterations, nworkers, seed);
	for (w = 0; w < nworkers; w++) {
		calls = w == nworkers - 1 ? iterations - w * PER_WORKER : PER_WORKER;
		pid = fork();
		if (pid < 0) {
			printf("torture: fork failed\n");
			bad++;
			break;
		}
		if (pid == 0)
			worker((uint64)seed * 100003 + w, calls);
		while (wait(&st) != pid)
			;
		if (st != DONE) {
			printf("torture: worker %d (seed %d) ended with status %d, not %d\n",
			       w, seed, st, DONE);
			bad++;
		}
		if (chdir(SCRATCH) == 0) {
			if (empty_here() < 0) {
				printf("torture: cannot empty %s\n", SCRATCH);
				bad++;
			}
			chdir("/");
		}
	}
	unlink(SCRATCH);
	after = free_pages();
	for (tries = 0; after < before && tries < 20; tries++) {
		sleep(1);       // orphans may still be on their way out
		after = free_pages();
	}
	if (after != before) {
		printf("torture: free pages %ld before, %ld after\n", before, after);
		if (after < before)
			bad++;
	}
	if (bad) {
		printf("torture: FAIL (%d problems; rerun: torture %d %d)\n", bad, iterations, seed);
		return 1;
	}
	printf("torture: ok\n");
	return 0;
}
