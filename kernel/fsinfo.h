// What the fsinfo() system call returns: the root file system's size and
// how much of it is free, counted from the disk's free-block bitmap and
// its inode blocks. User programs include this (user/usertests.c), so it
// holds plain fixed-size fields only.
#ifndef KERNEL_FSINFO_H
#define KERNEL_FSINFO_H

struct fsinfo {
	unsigned int size;          // blocks on the disk, metadata included
	unsigned int nblocks;       // of those, data blocks
	unsigned int free_blocks;   // blocks whose bitmap bit is clear
	unsigned int ninodes;       // inodes, the unused inode 0 included
	unsigned int free_inodes;   // inodes 1.. of type 0 (free)
};

#endif
