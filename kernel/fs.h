// The on-disk file system format, shared by the kernel, mkfs and user
// programs (ls reads struct dirent). Same layout and values as xv6-riscv:
// [ boot block | super block | log | inode blocks | free bit map | data blocks ]
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#define ROOTINO  1   // root i-number
#define BSIZE 1024   // block size
#define FSMAGIC 0x10203040

struct superblock {
	unsigned int magic;      // must be FSMAGIC
	unsigned int size;       // size of file system image (blocks)
	unsigned int nblocks;    // number of data blocks
	unsigned int ninodes;    // number of inodes
	unsigned int nlog;       // number of log blocks
	unsigned int logstart;   // block number of first log block
	unsigned int inodestart; // block number of first inode block
	unsigned int bmapstart;  // block number of first free map block
};

#define NDIRECT 12
#define NINDIRECT (BSIZE / sizeof(unsigned int))
#define MAXFILE (NDIRECT + NINDIRECT)

// On-disk inode.
struct dinode {
	short type;              // file type (0: free)
	short major;             // major device number (T_DEVICE only)
	short minor;             // minor device number (T_DEVICE only)
	short nlink;             // number of links to inode in file system
	unsigned int size;       // size of file (bytes)
	unsigned int addrs[NDIRECT+1];   // data block addresses
};

#define IPB           (BSIZE / sizeof(struct dinode))     // inodes per block
#define IBLOCK(i, sb) ((i) / IPB + (sb).inodestart)       // block holding inode i
#define BPB           (BSIZE*8)                           // bitmap bits per block
#define BBLOCK(b, sb) ((b)/BPB + (sb).bmapstart)          // bitmap block of block b

#define DIRSIZ 14
struct dirent {
	unsigned short inum;
	char name[DIRSIZ];
};

#endif
