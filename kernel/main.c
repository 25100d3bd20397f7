// The boot path: firmware -> kernel -> device tree -> memory map -> early
// allocator -> buddy allocator -> traps, devices, file system -> the first
// process and a scheduler on every hart. OpenSBI enters _start (entry.S) in
// S-mode on one hart with a0 = hart id and a1 = the DTB; that hart runs
// kmain. Without a disk (or with "halt") the boot ends after the report.
#include <stdint.h>
#include "bootalloc.h"
#include "bootargs.h"
#include "bootreport.h"
#include "buf.h"
#include "console.h"
#include "consoledev.h"
#include "disk.h"
#include "fdtmap.h"
#include "file.h"
#include "kvm.h"
#include "libfdt.h"
#include "memlayout.h"
#include "mminit.h"
#include "plic.h"
#include "proc.h"
#include "report.h"
#include "riscv.h"
#include "sbi.h"
#include "smp.h"
#include "string.h"
#include "trap.h"

extern char _start_image[], _end[];
extern char trampoline[];

static struct bootinfo bootinfo;

// Every SBI extension the kernel relies on must be there: say which is not.
static void sbi_check(void)
{
	static const struct { long eid; const char *name, *why; } need[] = {
		{ SBI_EXT_TIME, "TIME", "timer interrupts" },
		{ SBI_EXT_HSM,  "HSM",  "starting the other harts" },
		{ SBI_EXT_SRST, "SRST", "shutting down" },
	};
	long v = sbi_spec_version();
	printf("sbi: spec %ld.%ld;", (v >> 24) & 0x7f, v & 0xffffff);
	for (unsigned i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (!sbi_probe(need[i].eid))
			panic("sbi: the firmware lacks the %s extension (0x%lx), needed for %s",
			      need[i].name, need[i].eid, need[i].why);
		printf(" %s", need[i].name);
	}
	printf("\n");
}

// Find the sifive,test finisher before reading the rest of the tree, so that
// a panic about a malformed tree still exits QEMU with a failure status.
// Only libfdt's checked accessors are used; on any doubt, keep SBI SRST.
static void find_finisher(const void *fdt)
{
	if (fdt_check_header(fdt) != 0 || fdt_totalsize(fdt) > FDTMAP_MAX_TOTALSIZE)
		return;
	int node = fdt_node_offset_by_compatible(fdt, -1, "sifive,test0");
	int parent = node >= 0 ? fdt_parent_offset(fdt, node) : -1;
	int len, ac = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &len) : 0;
	if (!reg || ac < 1 || ac > 2 || len < ac * 4)
		return;
	uint64_t base = fdt32_to_cpu(reg[0]);
	if (ac == 2)
		base = base << 32 | fdt32_to_cpu(reg[1]);
	power_init(base);
}

// demo=nomap: read the first no-map reservation. The kernel's page table
// leaves no-map memory out (PMP guards OpenSBI's own), so the read traps,
// and the trap names the reservation.
static void demo_nomap(const struct memmap *map)
{
	for (int i = 0; i < map->nresv; i++) {
		const struct memmap_resv *r = &map->resv[i];
		if (r->flags & MEMMAP_F_NOMAP) {
			printf("demo: reading 0x%lx, the start of the no-map reservation %s\n",
			       r->base, memmap_resv_label(r));
			(void)*(volatile char *)(uintptr_t)r->base;
		}
	}
	printf("demo: no read of a no-map reservation trapped (there may be none)\n");
}

void kmain(uint64_t hartid, uint64_t dtb)
{
	char err[160];

	w_tp(hartid);
	trap_init_early();
	boot_mark(BR_MARK_ENTRY);
	printf("\nboot: hart %lu entered the kernel at %p, device tree at 0x%lx\n",
	       hartid, _start_image, dtb);
	sbi_check();
	find_finisher((const void *)(uintptr_t)dtb);

	if (fdtmap_read((const void *)(uintptr_t)dtb, dtb, (uint64_t)(uintptr_t)_start_image,
			(uint64_t)(uintptr_t)_end, &bootinfo, err, sizeof(err)) < 0)
		panic("devicetree: %s", err);
	if (bootinfo.test.present)
		power_init(bootinfo.test.base);
	if (bootinfo.uart.present)
		uart_init(bootinfo.uart_kind, bootinfo.uart.base);

	report_banner(&bootinfo, hartid);
	report_memmap(&bootinfo.map);

	mm_init(&bootinfo, hartid);
	boot_mark(BR_MARK_BUDDY);
	smp_start(&bootinfo, hartid);
	report_harts(&bootinfo);
	if (bootarg(kbootargs, "demo=late-alloc")) {
		printf("demo: asking the retired early allocator for 64 bytes\n");
		bootalloc(64, 8, EARLY_NO_NODE, "a late allocation");
	}
	if (bootarg(kbootargs, "demo=nomap"))
		demo_nomap(&bootinfo.map);

	// The kernel proper: traps, interrupts, devices, the file system.
	// kalloc works from here on (the buddy allocator has every free page).
	kvm_map_page(TRAMPOLINE, (uint64_t)(uintptr_t)trampoline, PTE_R | PTE_X);
	sfence_vma();
	trap_init(&bootinfo);
	trapinithart();
	plic_init(&bootinfo);
	plicinithart();
	binit();
	iinit();
	fileinit();
	int disk = disk_init(&bootinfo);

	if (bootarg(kbootargs, "halt")) {
		printf("boot: halt requested; shutting down\n");
		power_off(0);
	}
	procinit();
	// After procinit: the console takes what was typed during the boot at
	// once, and a whole line wakes its readers (none yet).
	console_init(&bootinfo);
	proc_userinit(disk == 0);       // its first run mounts the disk and execs /init
	boot_mark(BR_MARK_SCHED);
	smp_release();
	scheduler();
}
