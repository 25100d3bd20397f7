// What the bootreport() and buddyinfo() system calls return: the boot
// memory map and the early allocator's final figures, and the buddy
// allocator's free pages per order and node. User programs include this
// (user/memmap.c, user/free.c); fixed-size, so one copyout does it.
#ifndef KERNEL_BOOTREPORT_H
#define KERNEL_BOOTREPORT_H

#define BR_MAX_BANKS  32
#define BR_MAX_RESV   320
#define BR_MAX_NODES  8
#define BR_ORDERS     11        // orders 0..10

// Boot milestones, in order: when each step was first reached.
#define BR_MARK_ENTRY   0       // the kernel's first C code (kmain)
#define BR_MARK_BUDDY   1       // handoff done: the buddy allocator has the pages
#define BR_MARK_SCHED   2       // harts released into their schedulers
#define BR_MARK_INIT    3       // the root file system mounted and /init loaded
#define BR_MARK_PROMPT  4       // the first console read: the shell waits at "$ "
#define BR_MARKS        5

struct br_bank {
	unsigned long base, size;
	int nid, pad;
};

struct br_resv {
	unsigned long base, size;
	int origin;             // 0 firmware, 1 reserved-memory, 2 memreserve, 3 dtb, 4 kernel, 5 initrd
	int flags;              // 1 nomap, 2 reusable
	char name[32];
};

// time is the shared timer since reset, in timebase ticks; instret is
// what the hart that got there had retired since reset (firmware included),
// which counts every guest instruction only on a one-hart machine.
struct br_mark {
	unsigned long time, instret;
	int hart, reached;
};

struct br_acct {            // pages, per node: ram = buddy + reserved + early + lost
	unsigned long ram, buddy, reserved, early, lost;
};

// A device as the device tree describes it: the first reg pair and the
// first interrupt; present 0 when the tree has none.
struct br_dev {
	unsigned long base, size;
	int irq, present;
};

struct bootreport {
	char alloc[16];         // "bump", "bootmem" or "memblock"
	int nbanks, nresv, nnodes, nharts;
	struct br_bank bank[BR_MAX_BANKS];
	struct br_resv resv[BR_MAX_RESV];
	unsigned long nallocs, bytes_requested, bytes_consumed;
	unsigned long meta_bytes, meta_peak_bytes, resizes, merges;
	unsigned long handoff_pages, handoff_calls, lost_pages;
	unsigned long early_instret, early_time, handoff_instret, handoff_time; // time: timebase ticks
	unsigned long timebase_hz;
	struct br_acct acct[BR_MAX_NODES];
	struct br_mark mark[BR_MARKS];
	int instret_exact;      // 0: the instret figures follow the host clock (QEMU without -icount)
	int pad;
	struct br_dev uart;     // the console's ns16550a
	struct br_dev plic;     // the first PLIC
	struct br_dev virtio0;  // the virtio-mmio slot with the lowest address
};

struct buddyinfo {
	int nnodes, pad;
	unsigned long nr_free[BR_MAX_NODES][BR_ORDERS];  // free blocks per order
	unsigned long free_pages[BR_MAX_NODES];
	unsigned long total_pages[BR_MAX_NODES];         // pages the buddy manages
};

#endif
