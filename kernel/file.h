// Open files, in-memory inodes and the device switch (file system side).
// Implemented in file.c, fs.c, pipe.c, consoledev.c.
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include "fs.h"
#include "sleeplock.h"
#include "types.h"

struct pipe;
struct stat;

struct file {
	enum { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE } type;
	int ref;                // reference count
	char readable;
	char writable;
	struct pipe *pipe;      // FD_PIPE
	struct inode *ip;       // FD_INODE and FD_DEVICE
	uint off;               // FD_INODE
	short major;            // FD_DEVICE
};

// A device number: major in the high 16 bits, minor in the low 16.
#define major(dev)  ((dev) >> 16 & 0xFFFF)
#define minor(dev)  ((dev) & 0xFFFF)
#define mkdev(m, n) ((uint)((m) << 16 | (n)))

// In-memory copy of an inode.
struct inode {
	uint dev;               // device number
	uint inum;              // inode number
	int ref;                // reference count
	struct sleeplock lock;  // protects everything below here
	int valid;              // inode has been read from disk?
	short type;             // copy of disk inode
	short major;
	short minor;
	short nlink;
	uint size;
	uint addrs[NDIRECT+1];
};

// Device switch: read/write of a T_DEVICE inode. user_dst/user_src says
// whether the address is a user virtual address (1) or a kernel one (0).
struct devsw {
	int (*read)(int user_dst, uint64 dst, int n);
	int (*write)(int user_src, uint64 src, int n);
};
extern struct devsw devsw[];
#define CONSOLE 1

// file.c
void fileinit(void);
struct file *filealloc(void);           // NULL when the table is full
struct file *filedup(struct file *f);
void fileclose(struct file *f);
int filestat(struct file *f, uint64 addr);      // addr: user struct stat *
int fileread(struct file *f, uint64 addr, int n);
int filewrite(struct file *f, uint64 addr, int n);

// fs.c
void fsinit(int dev);                   // read the superblock, recover the log
void iinit(void);
struct inode *idup(struct inode *ip);
void iput(struct inode *ip);
void ilock(struct inode *ip);
void iunlock(struct inode *ip);
void iunlockput(struct inode *ip);
int readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n);
int writei(struct inode *ip, int user_src, uint64 src, uint off, uint n);
struct inode *namei(const char *path);  // NULL if not found
struct inode *nameiparent(const char *path, char *name);

// log.c: every file-system system call runs between begin_op and end_op.
void begin_op(void);
void end_op(void);

#endif
