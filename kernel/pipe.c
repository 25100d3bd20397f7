// Pipes. The buffer is a ring indexed by free-running counters: nread and
// nwrite only grow, nwrite - nread bytes are waiting, and the ring is full
// when that is PIPESIZE. Readers sleep on &nread, writers on &nwrite.
// Copies to and from user memory are made with the spinlock held; they
// only walk page tables and never sleep.
#include "file.h"
#include "kalloc.h"
#include "pipe.h"
#include "proc.h"
#include "spinlock.h"
#include "vm.h"

#define PIPESIZE 512

struct pipe {
	struct spinlock lock;
	uint nread;             // bytes read so far
	uint nwrite;            // bytes written so far
	int readopen;           // read end still open
	int writeopen;          // write end still open
	char data[PIPESIZE];
};
_Static_assert(sizeof(struct pipe) <= 4096, "struct pipe must fit a kalloc page");

static void end_init(struct file *f, struct pipe *pi, int readable)
{
	f->type = FD_PIPE;
	f->readable = readable;
	f->writable = !readable;
	f->pipe = pi;
}

int pipealloc(struct file **rf, struct file **wf)
{
	struct pipe *pi = kalloc();

	*rf = filealloc();
	*wf = filealloc();
	if (!pi || !*rf || !*wf) {
		// A file fresh from filealloc is FD_NONE: closing it only
		// gives the table slot back.
		if (pi)
			kfree(pi);
		if (*rf)
			fileclose(*rf);
		if (*wf)
			fileclose(*wf);
		*rf = *wf = 0;
		return -1;
	}
	initlock(&pi->lock, "pipe");
	pi->nread = pi->nwrite = 0;
	pi->readopen = pi->writeopen = 1;
	end_init(*rf, pi, 1);
	end_init(*wf, pi, 0);
	return 0;
}

void pipeclose(struct pipe *pi, int writable)
{
	acquire(&pi->lock);
	if (writable) {
		pi->writeopen = 0;
		wakeup(&pi->nread);     // readers see end of file
	} else {
		pi->readopen = 0;
		wakeup(&pi->nwrite);    // writers see the broken pipe
	}
	if (pi->readopen || pi->writeopen) {
		release(&pi->lock);
		return;
	}
	release(&pi->lock);
	kfree(pi);
}

static uint min_u(uint a, uint b)
{
	return a < b ? a : b;
}

int pipewrite(struct pipe *pi, uint64 addr, int n)
{
	struct proc *p = myproc();
	int done = 0;

	acquire(&pi->lock);
	while (done < n) {
		if (!pi->readopen || killed(p)) {
			release(&pi->lock);
			return -1;
		}
		uint room = PIPESIZE - (pi->nwrite - pi->nread);
		if (room == 0) {
			wakeup(&pi->nread);
			sleep(&pi->nwrite, &pi->lock);
			continue;
		}
		// As much as fits before the ring wraps.
		uint at = pi->nwrite % PIPESIZE;
		uint m = min_u(min_u(n - done, room), PIPESIZE - at);
		if (copyin(p->pagetable, pi->data + at, addr + done, m) < 0) {
			if (done == 0)
				done = -1;
			break;
		}
		pi->nwrite += m;
		done += m;
	}
	wakeup(&pi->nread);
	release(&pi->lock);
	return done;
}

int piperead(struct pipe *pi, uint64 addr, int n)
{
	struct proc *p = myproc();
	int done = 0;

	acquire(&pi->lock);
	while (pi->nread == pi->nwrite && pi->writeopen) {
		if (killed(p)) {
			release(&pi->lock);
			return -1;
		}
		sleep(&pi->nread, &pi->lock);
	}
	while (done < n && pi->nread != pi->nwrite) {
		uint at = pi->nread % PIPESIZE;
		uint m = min_u(min_u(n - done, pi->nwrite - pi->nread), PIPESIZE - at);
		if (copyout(p->pagetable, addr + done, pi->data + at, m) < 0) {
			if (done == 0)
				done = -1;
			break;
		}
		pi->nread += m;
		done += m;
	}
	wakeup(&pi->nwrite);
	release(&pi->lock);
	return done;
}
