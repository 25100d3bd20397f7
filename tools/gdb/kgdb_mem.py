# gdb commands for the boot memory map, the early allocations and the
# buddy allocator's free lists: the structures every ALLOC= kernel has.
# Each reads the kernel's own variables by symbol (kernel/main.c's
# bootinfo, kernel/bootalloc.c's log, mm/buddy.c's lists).
import gdb

from kgdb_core import (KernelCommand, Unavailable, allocator, array_len, fetched, hexa,
                       must_var, size_str, var)

MEMMAP_F_NOMAP, MEMMAP_F_REUSABLE = 0x1, 0x2     # mm/memmap.h
LIST_WALK_LIMIT = 20000     # free blocks walked to cross-check nr_free


def origin_names():
    """enum memmap_origin value -> the name the kernel prints (MEMMAP_DTB -> dtb)."""
    t = gdb.lookup_type("enum memmap_origin")
    return {f.enumval: f.name[len("MEMMAP_"):].lower().replace("_", "-") for f in t.fields()}


def flag_names(f):
    names = [n for bit, n in ((MEMMAP_F_NOMAP, "nomap"), (MEMMAP_F_REUSABLE, "reusable")) if f & bit]
    return ",".join(names) or "none"


def retired():
    """1 once bootalloc_handoff has retired the early allocator."""
    r = var("retired", "bootalloc.c")
    return r is not None and int(r) != 0


def checked_count(n, limit, what):
    if not 0 <= n <= limit:
        raise gdb.GdbError("%s = %d is outside 0..%d: the structure looks corrupt" % (what, n, limit))
    return n


class MemmapCmd(KernelCommand):
    """Show the boot memory map: RAM banks and reservations.

Reads the kernel's struct memmap (bootinfo.map in kernel/main.c, filled
from the device tree by kernel/fdtmap.c). For each RAM bank: its NUMA
node, base, end and size. For each reservation: its origin (firmware,
reserved-memory, memreserve, dtb, kernel, initrd), range, size, flags
(none, nomap, reusable) and device-tree node name. Before fdtmap_read
has filled the map, the command says so. Sizes are human-readable;
addresses are physical, ranges [base, end)."""
    NAME = "memmap"

    def show(self, arg):
        m = fetched(must_var("bootinfo", "main.c")["map"])
        nb = checked_count(int(m["nbanks"]), array_len(m["bank"]), "nbanks")
        nr = checked_count(int(m["nresv"]), array_len(m["resv"]), "nresv")
        if nb == 0:
            raise Unavailable("not read yet: bootinfo.map is empty until fdtmap_read returns")
        names = origin_names()
        print("Memory map: %d bank(s) on %d node(s), %d reservation(s)"
              % (nb, int(m["nnodes"]), nr))
        print("  bank node  %-10s %-10s %8s" % ("base", "end", "size"))
        ram = 0
        for i in range(nb):
            b = m["bank"][i]
            base, size = int(b["base"]), int(b["size"])
            ram += size
            print("  %-4d %-4d  %-10s %-10s %8s" % (i, int(b["nid"]), hexa(base),
                                                 hexa(base + size), size_str(size)))
        print("  %-3s %-15s %-10s %-10s %8s %-6s name"
              % ("n", "origin", "base", "end", "size", "flags"))
        rsv = 0
        for i in range(nr):
            r = m["resv"][i]
            base, size = int(r["base"]), int(r["size"])
            rsv += size
            origin = names.get(int(r["origin"]), "unknown")
            print("  %-3d %-15s %-10s %-10s %8s %-6s %s"
                  % (i, origin, hexa(base), hexa(base + size), size_str(size),
                     flag_names(int(r["flags"])), r["name"].string() or "-"))
        print("  RAM %s in %d bank(s); reserved %s in %d region(s)"
              % (size_str(ram), nb, size_str(rsv), nr))


class EarlyCmd(KernelCommand):
    """Show the early allocations made so far.

Reads kernel/bootalloc.c's log, which records every allocation the
kernel made through the early allocator (any ALLOC=): its physical
range, size, the NUMA node asked for (-1: any node) and what it is for.
The log stays after the handoff retires the allocator, so the command
works at any time; it also says whether the allocator is still active."""
    NAME = "early"

    def show(self, arg):
        log = must_var("log_", "bootalloc.c")
        n = checked_count(int(must_var("nlog", "bootalloc.c")), array_len(log), "nlog")
        state = "retired at the handoff" if retired() else "active"
        print("Early allocations: %d, through %s (%s)" % (n, allocator(), state))
        if n == 0:
            return
        print("  %3s  %-12s %-12s %10s  %4s  %s" % ("n", "base", "end", "size", "node", "for"))
        total = 0
        for i in range(n):
            e = fetched(log[i])
            base, size = int(e["base"]), int(e["size"])
            what = e["what"].string() if int(e["what"]) else "?"
            total += size
            print("  %3d  %-12s %-12s %10s  %4d  %s" % (i, hexa(base), hexa(base + size),
                                                      size_str(size), int(e["nid"]), what))
        print("  %d allocation(s), %s in all" % (n, size_str(total)))


def list_length(head, limit):
    """Entries on one free list, following next; limit+1 means "too many"."""
    n, ptr = 0, head
    while int(ptr) and n <= limit:
        n += 1
        ptr = ptr.dereference()["next"]
    return n


class BuddyCmd(KernelCommand):
    """Show the buddy allocator's free blocks per order and node.

Like /proc/buddyinfo: one row per NUMA node, one column per order
(order k is a block of 2^k pages), read from mm/buddy.c's nr_free; then
each node's free pages and the total. The free lists themselves are
walked too (up to 20000 blocks), and a list whose length differs from
nr_free is named. Before the handoff has registered the first span, the
buddy allocator does not exist yet and the command says so."""
    NAME = "buddy"

    def show(self, arg):
        nspans = int(must_var("nspans", "buddy.c"))
        if nspans == 0:
            raise Unavailable("not ready yet: no span registered (the handoff has not run)")
        nr = fetched(must_var("nr_free", "buddy.c"))
        heads = fetched(must_var("free_head", "buddy.c"))
        nodes = checked_count(int(must_var("nr_nodes", "buddy.c")), array_len(nr), "nr_nodes")
        norders = array_len(nr[0])
        counts = [[int(nr[n][o]) for o in range(norders)] for n in range(nodes)]
        w = max([5] + [len(str(c)) for row in counts for c in row])
        print("Free blocks per order (like /proc/buddyinfo):")
        print("      " + "".join(" %*d" % (w, o) for o in range(norders)))
        for n in range(nodes):
            print("Node %d" % n + "".join(" %*d" % (w, c) for c in counts[n]))
        total = 0
        for n in range(nodes):
            pages = sum(c << o for o, c in enumerate(counts[n]))
            total += pages
            print("  node %d: %d free pages (%s) in %d blocks"
                  % (n, pages, size_str(pages * 4096), sum(counts[n])))
        print("  total: %d free pages (%s)" % (total, size_str(total * 4096)))
        if not retired():
            print("  note: the handoff is still running; the lists are not complete")
        self.check_lists(heads, counts)

    def check_lists(self, heads, counts):
        if sum(map(sum, counts)) > LIST_WALK_LIMIT:
            print("  (free lists not walked: more than %d blocks)" % LIST_WALK_LIMIT)
            return
        bad = []
        for n, row in enumerate(counts):
            for o, c in enumerate(row):
                k = list_length(heads[n][o], LIST_WALK_LIMIT)
                if k != c:
                    bad.append("free_head[%d][%d] holds %s blocks, nr_free says %d"
                               % (n, o, k if k <= LIST_WALK_LIMIT else "too many", c))
        for b in bad:
            print("  MISMATCH: " + b)
        if not bad:
            print("  free lists walked: they agree with nr_free")
