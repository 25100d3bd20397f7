// File-system system calls (sysfile.c), and the inode and directory
// operations of fs.c that file.c and sysfile.c use beyond file.h.
#ifndef KERNEL_SYSFILE_H
#define KERNEL_SYSFILE_H

#include "types.h"

struct fsinfo;
struct inode;
struct stat;

// Each returns the call's result to the program, -1 on any error (bad
// descriptor, bad address, bad argument, no such file, no space).
uint64 sys_read(void);
uint64 sys_write(void);
uint64 sys_open(void);
uint64 sys_close(void);
uint64 sys_dup(void);
uint64 sys_fstat(void);
uint64 sys_link(void);
uint64 sys_unlink(void);
uint64 sys_mkdir(void);
uint64 sys_mknod(void);
uint64 sys_chdir(void);
uint64 sys_pipe(void);
uint64 sys_fsinfo(void);

// ---- fs.c, beyond file.h ---------------------------------------------------
// iget - the in-memory inode for (dev, inum), referenced but not locked and
// not read from disk. Return: NULL when the inode table (NINODE) is full.
struct inode *iget(uint dev, uint inum);
// ialloc - a free on-disk inode made type, referenced and unlocked.
// Return: NULL when the disk has no free inode or the table is full.
// Inside a transaction.
struct inode *ialloc(uint dev, short type);
void iupdate(struct inode *ip);         // write ip (locked) back; in a transaction
void itrunc(struct inode *ip);          // free ip's data (locked); in a transaction
void stati(struct inode *ip, struct stat *st);  // ip locked
// dirfind - the inode number of name in directory dp (locked), 0 if absent;
// *poff (if poff) gets the entry's byte offset.
uint dirfind(struct inode *dp, const char *name, uint *poff);
// dirlookup - dirfind and iget. Return: NULL if absent or the table is full.
struct inode *dirlookup(struct inode *dp, const char *name, uint *poff);
// dirlink - add the entry (name, inum) to dp (locked), in a transaction.
// Return: 0, or -1 if name exists or the disk is full.
int dirlink(struct inode *dp, const char *name, uint inum);
// fs_count_free - dev's size and its free blocks (bitmap bits clear) and
// free inodes (type 0), read from disk into *fi. Only reads; outside a
// transaction the counts are a snapshot that a concurrent operation may
// be half way through.
void fs_count_free(uint dev, struct fsinfo *fi);

#endif
