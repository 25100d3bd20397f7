// exec: replace the current process's image with an ELF64 RISC-V
// executable. The new image is built in a fresh page table and swapped in
// only once complete, so a failure leaves the old image running and frees
// everything it allocated. No field of the file is trusted: sizes, offsets
// and addresses are checked for bounds and overflow before use.
//
// Image: the PT_LOAD segments from 0 upward, then a guard page (no PTE_U),
// then USERSTACK pages of stack holding argv; p->sz is the stack's top.
#include "elf.h"
#include "file.h"
#include "kalloc.h"
#include "memlayout.h"
#include "proc.h"
#include "string.h"
#include "sysarg.h"
#include "sysproc.h"
#include "vm.h"

#define EXEC_MAX_PHNUM 64       // far more than any program we build has

static int header_ok(const struct elf64_ehdr *eh, uint64 fsize)
{
	if (eh->magic != ELF_MAGIC || eh->class != ELF_CLASS64 || eh->data != ELF_DATA_LE ||
	    eh->type != ELF_TYPE_EXEC || eh->machine != ELF_MACH_RISCV)
		return 0;
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0 ||
	    eh->phnum > EXEC_MAX_PHNUM)
		return 0;
	// phnum is small, so the product cannot overflow; the sum is checked.
	uint64 table = (uint64)eh->phnum * sizeof(struct elf64_phdr);
	return eh->phoff <= fsize && table <= fsize - eh->phoff;
}

// A PT_LOAD header that can be loaded at or above sz, from a file of fsize bytes.
static int segment_ok(const struct elf64_phdr *ph, uint64 sz, uint64 fsize)
{
	return ph->memsz >= ph->filesz &&
	       ph->vaddr % PGSIZE == 0 &&
	       ph->vaddr >= sz &&                          // in order, no overlap
	       ph->vaddr + ph->memsz >= ph->vaddr &&       // no wrap-around
	       ph->vaddr + ph->memsz <= TRAPFRAME &&
	       ph->off <= fsize && ph->filesz <= fsize - ph->off;
}

static int flags2perm(uint32 flags)
{
	return (flags & ELF_PF_X ? PTE_X : 0) | (flags & ELF_PF_W ? PTE_W : 0);
}

// Read filesz bytes at file offset off into the (mapped) new image at va.
static int loadseg(pagetable_t pt, uint64 va, struct inode *ip, uint off, uint filesz)
{
	for (uint i = 0; i < filesz; i += PGSIZE) {
		uint64 pa = walkaddr(pt, va + i);
		uint n = filesz - i < PGSIZE ? filesz - i : PGSIZE;
		if (!pa || readi(ip, 0, pa, off + i, n) != (int)n)
			return -1;
	}
	return 0;
}

// Load every PT_LOAD segment of ip into pt. *szp follows what is mapped,
// also on failure, so the caller can free it. Returns 0 or -1.
static int load_image(pagetable_t pt, struct inode *ip, uint64 *szp, uint64 *entry)
{
	struct elf64_ehdr eh;
	if (readi(ip, 0, (uint64)&eh, 0, sizeof(eh)) != sizeof(eh) || !header_ok(&eh, ip->size))
		return -1;
	for (int i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		uint off = eh.phoff + i * sizeof(ph);
		if (readi(ip, 0, (uint64)&ph, off, sizeof(ph)) != sizeof(ph))
			return -1;
		if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
			continue;
		if (!segment_ok(&ph, *szp, ip->size))
			return -1;
		uint64 nsz = uvmalloc(pt, *szp, ph.vaddr + ph.memsz, flags2perm(ph.flags));
		if (!nsz)
			return -1;
		*szp = nsz;
		if (loadseg(pt, ph.vaddr, ip, ph.off, ph.filesz) < 0)
			return -1;
	}
	*entry = eh.entry;
	return *szp ? 0 : -1;   // nothing to run
}

// Copy the argument strings and the argv array onto the stack that ends
// at *sp (not below stackbase). Returns argc, or -1 if they do not fit.
static int push_args(pagetable_t pt, uint64 *sp, uint64 stackbase, char **argv)
{
	uint64 ustack[MAXARG + 1];
	uint64 s = *sp;
	int argc;
	for (argc = 0; argv[argc]; argc++) {
		if (argc == MAXARG)
			return -1;
		uint64 len = strlen(argv[argc]) + 1;
		if (len > s - stackbase)
			return -1;
		s = (s - len) & ~15UL;  // the RISC-V ABI wants sp 16-byte aligned
		if (s < stackbase || copyout(pt, s, argv[argc], len) < 0)
			return -1;
		ustack[argc] = s;
	}
	ustack[argc] = 0;
	uint64 vec = (argc + 1) * sizeof(uint64);
	if (vec > s - stackbase)
		return -1;
	s = (s - vec) & ~15UL;
	if (s < stackbase || copyout(pt, s, (char *)ustack, vec) < 0)
		return -1;
	*sp = s;
	return argc;
}

int exec(const char *path, char **argv)
{
	struct proc *p = myproc();
	pagetable_t pt = 0;
	uint64 sz = 0, entry = 0;

	begin_op();
	struct inode *ip = namei(path);
	if (!ip) {
		end_op();
		return -1;
	}
	ilock(ip);
	int loaded = -1;
	if ((pt = proc_pagetable(p)) != 0)
		loaded = load_image(pt, ip, &sz, &entry);
	iunlockput(ip);
	end_op();
	if (!pt)
		return -1;
	if (loaded < 0)
		goto bad;

	// The guard page and the stack, at the next page boundary.
	sz = PGROUNDUP(sz);
	uint64 top = uvmalloc(pt, sz, sz + (USERSTACK + 1) * PGSIZE, PTE_W);
	if (!top)
		goto bad;
	sz = top;
	uvmclear(pt, sz - (USERSTACK + 1) * PGSIZE);
	uint64 sp = sz;
	int argc = push_args(pt, &sp, sz - USERSTACK * PGSIZE, argv);
	if (argc < 0)
		goto bad;

	// Commit: nothing can fail from here on.
	const char *last = path;
	for (const char *s = path; *s; s++)
		if (*s == '/')
			last = s + 1;
	safestrcpy(p->name, last, sizeof(p->name));
	pagetable_t oldpt = p->pagetable;
	uint64 oldsz = p->sz;
	p->pagetable = pt;
	p->sz = sz;
	memset(&p->fp, 0, sizeof(p->fp));       // the new program starts with zeroed FP registers
	p->trapframe->epc = entry;
	p->trapframe->sp = sp;
	p->trapframe->a1 = sp;          // argv; argc goes to a0 as the return value
	proc_freepagetable(oldpt, oldsz);
	return argc;

bad:
	proc_freepagetable(pt, sz);
	return -1;
}

// exec(path, argv): each argument string is copied into its own page.
uint64 sys_exec(void)
{
	char path[MAXPATH];
	char *argv[MAXARG + 1];
	uint64 uargv;
	int ret = -1, n = 0;

	argaddr(1, &uargv);
	if (argstr(0, path, MAXPATH) < 0)
		return -1;
	for (;; n++) {
		uint64 uarg;
		if (fetchaddr(uargv + n * sizeof(uint64), &uarg) < 0)
			goto out;
		if (uarg == 0)
			break;
		if (n == MAXARG || !(argv[n] = kalloc()))
			goto out;
		if (fetchstr(uarg, argv[n], PGSIZE) < 0) {
			n++;            // argv[n] is ours to free too
			goto out;
		}
	}
	argv[n] = 0;
	ret = exec(path, argv);
out:
	for (int i = 0; i < n; i++)
		kfree(argv[i]);
	return ret;
}
