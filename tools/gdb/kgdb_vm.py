# The `pagetable VA` gdb command: an Sv39 walk done the way the MMU does
# it (RISC-V privileged spec, 4.3.2), reading each PTE from guest physical
# memory, so it shows exactly where a translation ends or why it fails.
import gdb

from kgdb_core import KernelCommand, Unavailable, hexa, must_var, read_u64s

SATP_MODE_SV39 = 8
PTE_BITS = "VRWXUGAD"       # bit 0 .. bit 7
LEVEL_NAMES = {2: "1 GiB", 1: "2 MiB", 0: "4 KiB"}


def pte_flags(pte):
    return "".join(c if pte >> i & 1 else "-" for i, c in enumerate(PTE_BITS))


def root_table(kernel_only):
    """(root PA, description) of the table to walk."""
    kpt = int(must_var("kernel_pagetable"))
    try:
        satp = int(gdb.parse_and_eval("(unsigned long)$satp"))
    except gdb.error:
        satp = None                     # the stub does not show satp
    mode = satp >> 60 if satp is not None else 0
    if kernel_only or mode == 0:
        if kpt == 0:
            raise Unavailable("the kernel's page table is not built yet (kvm_build has not run)")
        why = ("" if kernel_only else
               " (satp 0: paging off)" if satp is not None else " (satp unknown)")
        return kpt, "the kernel's table: kernel_pagetable %s%s" % (hexa(kpt), why)
    if mode != SATP_MODE_SV39:
        raise gdb.GdbError("satp 0x%x: mode %d is not Sv39 (8)" % (satp, mode))
    root = (satp & ((1 << 44) - 1)) << 12
    whose = "the kernel's table" if root == kpt else "a process's table"
    return root, "%s: satp 0x%x, Sv39, root %s" % (whose, satp, hexa(root))


class PagetableCmd(KernelCommand):
    """Walk the Sv39 page table for a virtual address: pagetable [-k] VA

VA is any gdb expression (0x80200000, &kmain, $sp). The walk starts at
the table satp points to; with -k, or while satp is 0 (paging off), at
the kernel's own table (kernel_pagetable in kernel/kvm.c). For each level
it shows the VPN index, the PTE's physical address and value and its
flags (V R W X U G A D, - when clear), then the final physical address
and page size, or where and why the walk stops (an invalid PTE, a
reserved W-without-R, a misaligned superpage, a non-canonical VA)."""
    NAME = "pagetable"

    def show(self, arg):
        words = arg.split(None, 1)
        kernel_only = bool(words) and words[0] in ("-k", "-kernel")
        expr = words[1] if kernel_only and len(words) > 1 else "" if kernel_only else arg
        if not expr:
            raise gdb.GdbError("usage: pagetable [-k] VA")
        va = int(gdb.parse_and_eval(expr).cast(gdb.lookup_type("unsigned long")))
        table, where = root_table(kernel_only)
        print("Walking " + where)
        top = va >> 38
        if top not in (0, (1 << 26) - 1):
            print("VA 0x%x: not canonical for Sv39 (bits 63..39 must equal bit 38): "
                  "the walk stops, a page fault" % va)
            return
        print("VA 0x%x: VPN[2]=%d VPN[1]=%d VPN[0]=%d offset 0x%x"
              % (va, va >> 30 & 511, va >> 21 & 511, va >> 12 & 511, va & 4095))
        for level in (2, 1, 0):
            idx = va >> (12 + 9 * level) & 511
            at = table + 8 * idx
            pte = read_u64s(at, 1)[0]
            ppn = pte >> 10 & ((1 << 44) - 1)
            head = "  level %d [%3d] pte at %s = 0x%016x %s" % (level, idx, hexa(at), pte,
                                                               pte_flags(pte))
            if not pte & 1:
                print(head)
                print("  stops: PTE not valid (V=0) at level %d: the VA is not mapped" % level)
                return
            if pte & 0x6 == 0x4:
                print(head)
                print("  stops: W without R is reserved: a page fault")
                return
            if not pte & 0xe:
                print(head + " -> " + hexa(ppn << 12))
                table = ppn << 12
                continue
            span = 1 << (12 + 9 * level)
            if ppn & ((span >> 12) - 1):
                print(head)
                print("  stops: misaligned %s superpage (low PPN bits set): a page fault"
                      % LEVEL_NAMES[level])
                return
            base = ppn << 12
            print(head + " leaf " + LEVEL_NAMES[level])
            print("  PA 0x%x (%s page at %s + 0x%x)" % (base | (va & (span - 1)),
                                                     LEVEL_NAMES[level], hexa(base), va & (span - 1)))
            return
        print("  stops: the level-0 PTE points to another table: a page fault")
