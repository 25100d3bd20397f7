# gdb commands for the two early allocators that keep state worth seeing:
# memblock's region arrays and bootmem's per-node bitmaps. Which allocator
# the ELF links is told from its symbols; under another ALLOC= the command
# says it is not available.
import gdb

from kgdb_core import (KernelCommand, Unavailable, array_len, fetched, hexa, must_var,
                       only_under, size_str, var)
from kgdb_mem import retired

PAGE_SHIFT = 12
RUNS_SHOWN = 48     # runs listed per bootmem node; the rest are counted


def memblock_flag_names(f):
    t = gdb.lookup_type("enum memblock_flags")
    names = [x.name[len("MEMBLOCK_"):].lower() for x in t.fields() if x.enumval and f & x.enumval]
    return ",".join(names) or "none"


class MemblockCmd(KernelCommand):
    """Show memblock's two region arrays: memory and reserved.

Only under ALLOC=memblock. For each array (struct memblock_type in
mm/memblock.h): cnt (entries in use; 1 with an empty dummy entry), max
(capacity; doubled past 128 entries), total_size, and where the array
lives (the static initial array, or a doubled one in RAM); then each
region's range, size, node (- for none) and flags. Also the search
direction and current_limit. `memblock memory` or `memblock reserved`
shows one array. The arrays outlive the handoff, so this works after it."""
    NAME = "memblock"

    def show(self, arg):
        only_under("memblock")
        if arg not in ("", "memory", "reserved"):
            raise gdb.GdbError("usage: memblock [memory|reserved]")
        mb = fetched(must_var("memblock"))
        limit = int(mb["current_limit"])
        print("memblock: %s, current_limit %s%s" % (
            "bottom-up" if bool(mb["bottom_up"]) else "top-down",
            "anywhere" if limit == (1 << 64) - 1 else hexa(limit),
            "; retired at the handoff" if retired() else ""))
        maxnodes = array_len(must_var("free_head", "buddy.c"))   # MAX_NUMNODES
        for name in ("memory", "reserved"):
            if arg in ("", name):
                self.show_type(mb[name], name, maxnodes)

    def show_type(self, t, name, maxnodes):
        cnt, mx = int(t["cnt"]), int(t["max"])
        regs = t["regions"]
        static = must_var("memblock_%s_init_regions" % name)
        where = "static" if int(regs) == int(static.address) else "doubled, in RAM"
        print("%s: cnt %d max %d total_size 0x%x (%s)"
              % (name, cnt, mx, int(t["total_size"]), size_str(int(t["total_size"]))))
        print("  regions at %s (%s)" % (hexa(int(regs)), where))
        if not 1 <= cnt <= mx or mx > 1 << 20:
            raise gdb.GdbError("%s: cnt %d, max %d: the array looks corrupt" % (name, cnt, mx))
        rtype = regs.type.target()
        arr = fetched(regs.cast(rtype.array(cnt - 1).pointer()).dereference())
        if cnt == 1 and int(arr[0]["size"]) == 0:
            print("  (empty: only the dummy entry)")
            return
        print("  %4s  %-12s %-12s %10s  %4s  %s" % ("i", "base", "end", "size", "node", "flags"))
        for i in range(cnt):
            r = arr[i]
            base, size, nid = int(r["base"]), int(r["size"]), int(r["nid"])
            print("  %4d  %-12s %-12s %10s  %4s  %s"
                  % (i, hexa(base), hexa(base + size), size_str(size),
                     "-" if nid == maxnodes else str(nid), memblock_flag_names(int(r["flags"]))))


def bootmem_nodes():
    """(nodes, on_list): the nodes on bootmem's list, lowest first; once the
    handoff has emptied the list, the nodes left in bootmem_node_data."""
    nodes, ptr = [], var("bootmem_list", "bootmem.c")
    while ptr is not None and int(ptr) and len(nodes) < 64:
        nodes.append(fetched(ptr.dereference()))
        ptr = nodes[-1]["next"]
    if nodes:
        return nodes, True
    data = fetched(must_var("bootmem_node_data"))
    return [data[i] for i in range(array_len(data))
            if int(data[i]["node_low_pfn"]) > int(data[i]["node_min_pfn"])], False


def bit_runs(bits, n):
    """[(used, start, end)] over bit indexes [0, n) of the integer bits."""
    runs, pos = [], 0
    while pos < n:
        used = (bits >> pos) & 1
        rest = (~bits if used else bits) >> pos    # lowest set bit: where the run ends
        end = n if rest == 0 else min(n, pos + (rest & -rest).bit_length() - 1)
        runs.append((used, pos, end))
        pos = end
    return runs


class BootmemCmd(KernelCommand):
    """Show bootmem's per-node bitmaps as runs of used and free pages.

Only under ALLOC=bootmem. For each node (struct bootmem_data in
mm/bootmem.h): its pfn range, where its bitmap lives, hint_idx (where the
next search starts) and last_end_off (where the last allocation ended,
for sub-page merging); then the bitmap as runs of used (allocated,
reserved, a hole, the bitmap itself) and free pages, and the node's
free-page count. The handoff frees the bitmaps; after it the command says
so and shows only the per-node fields."""
    NAME = "bootmem"

    def show(self, arg):
        only_under("bootmem")
        nodes, on_list = bootmem_nodes()
        if not nodes:
            raise Unavailable("not set up yet: no node on bootmem's list (early_init has not run)")
        if not on_list:
            print("bootmem: retired at the handoff; the bitmaps were freed")
        for bd in nodes:
            self.show_node(bd)

    def show_node(self, bd):
        lo, hi = int(bd["node_min_pfn"]), int(bd["node_low_pfn"])
        n, m = hi - lo, int(bd["node_bootmem_map"])
        hint, last = int(bd["hint_idx"]), int(bd["last_end_off"])
        print("bootmem node %d: pfns 0x%x-0x%x (%d pages, %s)"
              % (int(bd["nid"]), lo, hi, n, size_str(n << PAGE_SHIFT)))
        merge = ("page-aligned: nothing to merge into" if last % 4096 == 0 else
                 "page idx %d, 0x%x bytes into it" % (last >> PAGE_SHIFT, last % 4096))
        print("  hint_idx %d (pfn 0x%x)" % (hint, lo + hint))
        print("  last_end_off 0x%x (%s)" % (last, merge))
        words = (n + 63) // 64
        if m == 0:
            print("  bitmap at pfn 0x%x: freed at the handoff (the allocator is retired)"
                  % int(bd["map_pfn"]))
            return
        print("  bitmap at pfn 0x%x (%s), %d bytes" % (int(bd["map_pfn"]), hexa(m), words * 8))
        if n <= 0 or n > 1 << 28:
            raise gdb.GdbError("node spans %d pages: bootmem_data looks corrupt" % n)
        raw = bytes(gdb.selected_inferior().read_memory(m, words * 8))
        bits = int.from_bytes(raw, "little") & ((1 << n) - 1)
        runs = bit_runs(bits, n)
        for used, s, e in runs[:RUNS_SHOWN]:
            print("  %-4s idx %6d-%-6d pfn 0x%x-0x%x  %7d pages (%s)"
                  % ("used" if used else "free", s, e - 1, lo + s, lo + e - 1, e - s,
                     size_str((e - s) << PAGE_SHIFT)))
        if len(runs) > RUNS_SHOWN:
            print("  ... %d more runs" % (len(runs) - RUNS_SHOWN))
        used = bin(bits).count("1")
        print("  free %d pages (%s), used %d pages, in %d runs"
              % (n - used, size_str((n - used) << PAGE_SHIFT), used, len(runs)))
