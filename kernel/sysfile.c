// File-system system calls. Each checks every argument (through sysarg.h,
// which checks user addresses) and returns -1 to the program on any error;
// nothing a program passes can panic the kernel. Every call that may
// change the disk runs inside begin_op/end_op.
#include "console.h"
#include "fcntl.h"
#include "file.h"
#include "fsinfo.h"
#include "param.h"
#include "pipe.h"
#include "proc.h"
#include "stat.h"
#include "string.h"
#include "sysarg.h"
#include "sysfile.h"
#include "vm.h"

#define NLINK_MAX 32767         // dinode.nlink is a short

// Argument n as an open descriptor of this process: its number in *pfd
// and its file in *pf (either may be NULL). Return: 0, or -1 if it is not one.
static int argfd(int n, int *pfd, struct file **pf)
{
	int fd;
	struct file *f;

	if (argint(n, &fd) < 0 || fd < 0 || fd >= NOFILE || !(f = myproc()->ofile[fd]))
		return -1;
	if (pfd)
		*pfd = fd;
	if (pf)
		*pf = f;
	return 0;
}

// Install f in the lowest free descriptor. Return: it, or -1 if all are taken.
static int fdalloc(struct file *f)
{
	struct proc *p = myproc();

	for (int fd = 0; fd < NOFILE; fd++) {
		if (!p->ofile[fd]) {
			p->ofile[fd] = f;
			return fd;
		}
	}
	return -1;
}

uint64 sys_dup(void)
{
	struct file *f;
	int fd;

	if (argfd(0, 0, &f) < 0 || (fd = fdalloc(f)) < 0)
		return -1;
	filedup(f);
	return fd;
}

// The arguments of read and write: (fd, buffer, length >= 0).
static int arg_io(struct file **pf, uint64 *addr, int *n)
{
	if (argfd(0, 0, pf) < 0 || argaddr(1, addr) < 0 || argint(2, n) < 0 || *n < 0)
		return -1;
	return 0;
}

uint64 sys_read(void)
{
	struct file *f;
	uint64 addr;
	int n;

	if (arg_io(&f, &addr, &n) < 0)
		return -1;
	return fileread(f, addr, n);
}

uint64 sys_write(void)
{
	struct file *f;
	uint64 addr;
	int n;

	if (arg_io(&f, &addr, &n) < 0)
		return -1;
	return filewrite(f, addr, n);
}

uint64 sys_close(void)
{
	struct file *f;
	int fd;

	if (argfd(0, &fd, &f) < 0)
		return -1;
	myproc()->ofile[fd] = 0;
	fileclose(f);
	return 0;
}

uint64 sys_fstat(void)
{
	struct file *f;
	uint64 st;

	if (argfd(0, 0, &f) < 0 || argaddr(1, &st) < 0)
		return -1;
	return filestat(f, st);
}

// Directory dp (locked) has been removed: no links are left, and it lives
// on only as a current directory or an open descriptor until its last
// iput frees it. Nothing may be added to it (Linux says ENOENT): the new
// entry would have no path, and its inode would never be freed.
static int dir_removed(struct inode *dp)
{
	return dp->nlink < 1;
}

// A new inode of the given type at path, locked and referenced; in a
// transaction. For T_FILE an existing file or device is returned instead,
// which is what open(O_CREATE) wants. Return: NULL on any failure (no
// parent, parent removed, name taken, no inodes or blocks left), with
// nothing left behind.
static struct inode *create(const char *path, short type, short major, short minor)
{
	char name[DIRSIZ];
	struct inode *dp, *ip;
	uint inum;

	if (!(dp = nameiparent(path, name)))
		return 0;
	ilock(dp);
	if (dir_removed(dp)) {
		iunlockput(dp);
		return 0;
	}
	if ((inum = dirfind(dp, name, 0)) != 0) {
		ip = iget(dp->dev, inum);
		iunlockput(dp);
		if (!ip)
			return 0;
		ilock(ip);
		if (type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE))
			return ip;
		iunlockput(ip);
		return 0;
	}
	if (!(ip = ialloc(dp->dev, type))) {
		iunlockput(dp);
		return 0;
	}
	ilock(ip);
	ip->major = major;
	ip->minor = minor;
	ip->nlink = 1;
	iupdate(ip);
	// A directory's "." is not counted in its nlink (it would keep
	// itself alive); its ".." is counted in the parent's.
	if (type == T_DIR &&
	    (dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0))
		goto undo;
	if (dirlink(dp, name, ip->inum) < 0)
		goto undo;
	if (type == T_DIR) {
		dp->nlink++;
		iupdate(dp);
	}
	iunlockput(dp);
	return ip;

undo:
	// With no links, the last iput frees the inode and its blocks.
	ip->nlink = 0;
	iupdate(ip);
	iunlockput(ip);
	iunlockput(dp);
	return 0;
}

// Open the inode at path (for O_CREATE, create it) and return it locked.
static struct inode *open_inode(const char *path, int omode)
{
	struct inode *ip;

	if (omode & O_CREATE)
		return create(path, T_FILE, 0, 0);
	if (!(ip = namei(path)))
		return 0;
	ilock(ip);
	if (ip->type == T_DIR && omode != O_RDONLY) {
		iunlockput(ip);
		return 0;
	}
	return ip;
}

uint64 sys_open(void)
{
	char path[MAXPATH];
	struct inode *ip;
	struct file *f;
	int omode, fd;

	if (argstr(0, path, MAXPATH) < 0 || argint(1, &omode) < 0)
		return -1;
	begin_op();
	if (!(ip = open_inode(path, omode))) {
		end_op();
		return -1;
	}
	if (ip->type == T_DEVICE && (ip->major < 0 || ip->major >= NDEV))
		goto fail;
	if (!(f = filealloc()))
		goto fail;
	if ((fd = fdalloc(f)) < 0) {
		fileclose(f);           // still FD_NONE: this only frees the slot
		goto fail;
	}
	if (ip->type == T_DEVICE) {
		f->type = FD_DEVICE;
		f->major = ip->major;
	} else {
		f->type = FD_INODE;
		f->off = 0;
	}
	f->ip = ip;
	f->readable = !(omode & O_WRONLY);
	f->writable = (omode & O_WRONLY) || (omode & O_RDWR);
	if ((omode & O_TRUNC) && ip->type == T_FILE)
		itrunc(ip);
	iunlock(ip);
	end_op();
	return fd;

fail:
	iunlockput(ip);
	end_op();
	return -1;
}

uint64 sys_mkdir(void)
{
	char path[MAXPATH];
	struct inode *ip;

	if (argstr(0, path, MAXPATH) < 0)
		return -1;
	begin_op();
	if (!(ip = create(path, T_DIR, 0, 0))) {
		end_op();
		return -1;
	}
	iunlockput(ip);
	end_op();
	return 0;
}

uint64 sys_mknod(void)
{
	char path[MAXPATH];
	struct inode *ip;
	int major, minor;

	if (argstr(0, path, MAXPATH) < 0 || argint(1, &major) < 0 || argint(2, &minor) < 0)
		return -1;
	if (major < 0 || major >= NDEV || minor < 0 || minor > 32767)
		return -1;
	begin_op();
	if (!(ip = create(path, T_DEVICE, (short)major, (short)minor))) {
		end_op();
		return -1;
	}
	iunlockput(ip);
	end_op();
	return 0;
}

uint64 sys_chdir(void)
{
	char path[MAXPATH];
	struct proc *p = myproc();
	struct inode *ip;

	if (argstr(0, path, MAXPATH) < 0)
		return -1;
	begin_op();
	if (!(ip = namei(path))) {
		end_op();
		return -1;
	}
	ilock(ip);
	if (ip->type != T_DIR) {
		iunlockput(ip);
		end_op();
		return -1;
	}
	iunlock(ip);
	iput(p->cwd);
	end_op();
	p->cwd = ip;
	return 0;
}

// link(old, new): a second name for a file (not a directory), on the
// same device, in a directory that has not been removed.
uint64 sys_link(void)
{
	char old[MAXPATH], new[MAXPATH], name[DIRSIZ];
	struct inode *ip, *dp;

	if (argstr(0, old, MAXPATH) < 0 || argstr(1, new, MAXPATH) < 0)
		return -1;
	begin_op();
	if (!(ip = namei(old))) {
		end_op();
		return -1;
	}
	ilock(ip);
	if (ip->type == T_DIR || ip->nlink >= NLINK_MAX) {
		iunlockput(ip);
		end_op();
		return -1;
	}
	// Count the link first: a crash then leaves a count too high, which
	// wastes an inode, rather than too low, which would free a used one.
	ip->nlink++;
	iupdate(ip);
	iunlock(ip);

	if (!(dp = nameiparent(new, name)))
		goto undo;
	ilock(dp);
	if (dp->dev != ip->dev || dir_removed(dp) || dirlink(dp, name, ip->inum) < 0) {
		iunlockput(dp);
		goto undo;
	}
	iunlockput(dp);
	iput(ip);
	end_op();
	return 0;

undo:
	ilock(ip);
	ip->nlink--;
	iupdate(ip);
	iunlockput(ip);
	end_op();
	return -1;
}

// Directory dp (locked) has nothing but "." and "..".
static int isdirempty(struct inode *dp)
{
	struct dirent de;

	for (uint off = 2 * sizeof(de); off + sizeof(de) <= dp->size; off += sizeof(de)) {
		if (readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
			panic("sysfile: cannot read directory %u at %u", dp->inum, off);
		if (de.inum != 0)
			return 0;
	}
	return 1;
}

uint64 sys_unlink(void)
{
	char path[MAXPATH], name[DIRSIZ];
	struct inode *dp, *ip;
	struct dirent de;
	uint inum, off;

	if (argstr(0, path, MAXPATH) < 0)
		return -1;
	begin_op();
	if (!(dp = nameiparent(path, name))) {
		end_op();
		return -1;
	}
	ilock(dp);
	if (strncmp(name, ".", DIRSIZ) == 0 || strncmp(name, "..", DIRSIZ) == 0 ||
	    !(inum = dirfind(dp, name, &off)) || !(ip = iget(dp->dev, inum)))
		goto fail;
	ilock(ip);
	if (ip->nlink < 1 || (ip->type == T_DIR && !isdirempty(ip))) {
		iunlockput(ip);
		goto fail;
	}
	memset(&de, 0, sizeof(de));
	if (writei(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
		panic("sysfile: cannot clear entry %u of directory %u", off, dp->inum);
	if (ip->type == T_DIR) {
		dp->nlink--;            // the child's ".." is gone
		iupdate(dp);
	}
	iunlockput(dp);
	ip->nlink--;
	iupdate(ip);
	iunlockput(ip);         // frees it if that was the last link and reference
	end_op();
	return 0;

fail:
	iunlockput(dp);
	end_op();
	return -1;
}

uint64 sys_pipe(void)
{
	struct proc *p = myproc();
	struct file *rf, *wf;
	uint64 fdarray;
	int fd[2];

	if (argaddr(0, &fdarray) < 0 || pipealloc(&rf, &wf) < 0)
		return -1;
	fd[0] = fdalloc(rf);
	fd[1] = fd[0] < 0 ? -1 : fdalloc(wf);
	if (fd[1] < 0 || copyout(p->pagetable, fdarray, (char *)fd, sizeof(fd)) < 0) {
		if (fd[0] >= 0)
			p->ofile[fd[0]] = 0;
		if (fd[1] >= 0)
			p->ofile[fd[1]] = 0;
		fileclose(rf);
		fileclose(wf);
		return -1;
	}
	return 0;
}

// fsinfo(struct fsinfo *fi): the root disk's size and free blocks and
// inodes (fsinfo.h). Return: 0, or -1 for a bad pointer.
uint64 sys_fsinfo(void)
{
	struct fsinfo fi;
	uint64 addr;

	argaddr(0, &addr);
	fs_count_free(ROOTDEV, &fi);
	return copyout(myproc()->pagetable, addr, (char *)&fi, sizeof(fi));
}
