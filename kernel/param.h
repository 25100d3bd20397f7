// Kernel limits: xv6-riscv's names, with values equal or larger. User
// programs include this file too. Plain #defines only (entry.S includes it).
#ifndef KERNEL_PARAM_H
#define KERNEL_PARAM_H

#define NPROC        64         // maximum number of processes
#define NCPU          8         // maximum number of harts (CPUS=1..8)
#define NOFILE       16         // open files per process
#define NFILE       100         // open files per system
#define NINODE       50         // maximum number of active i-nodes
#define NDEV         10         // maximum major device number
#define ROOTDEV       1         // device number of file system root disk
#define MAXARG       32         // max exec arguments
#define MAXOPBLOCKS  10         // max # of blocks any FS op writes
#define LOGSIZE      (MAXOPBLOCKS*3)  // max data blocks in on-disk log
#define LOGBLOCKS    LOGSIZE    // the same; xv6-riscv's newer name for it
#define NBUF         (MAXOPBLOCKS*3)  // size of disk block cache
#define FSSIZE       4000       // size of file system in blocks
#define MAXPATH      128        // maximum file path name
#define USERSTACK    1          // user stack pages

#define KSTACK_SIZE  16384      // bytes of stack per hart at boot

#endif
