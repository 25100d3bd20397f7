"""Runs inside gdb-multiarch (gdb -batch -nx -x gdbread.py KERNEL.elf), started
by guest.py. It reads the guest's memory from outside and writes JSON:

- at the kernel's entry: a1 (the DTB address) and a dump of every pattern
  region, to prove the loader content is in RAM before the kernel runs;
- where the handoff is done (smp_start, before the other harts run), when
  asked: the free lists, which are then a function of kernel and machine;
- with snapshots on, each time guest.py asks (it writes snap-request-N in
  the workdir and sends gdb SIGINT, which stops the guest): the same
  findings as at power_off, to snap-N.json, and the guest goes on. A
  snapshot taken while kalloc's lock is held says only "busy";
- at power_off (a breakpoint on its first instruction): a0, the buddy
  allocator's free lists, nr_free, the blocks it has handed out since the
  handoff (allocated heads in the descriptor arrays), the early-allocation
  regions, the DTB's totalsize, and a dump of every pattern region.

All memory is read as guest *physical* memory: gdb reads go through
QEMU's `Qqemu.PhyMemMode:1`, and bulk regions go through the monitor's
`pmemsave` (about 40x faster than gdb reads). No-map regions are absent
from the kernel page table, so virtual reads of them would fail. The kernel
identity-maps RAM, so its pointers (span maps, free-list links) are also
physical addresses. The configuration comes as JSON in $GDBREAD_CONFIG.
"""
import json
import os
import struct
import time
import traceback

import gdb

MAX_ENTRIES = 1 << 20
PG_BUDDY = 0x2


class Corrupt(Exception):
    """The kernel's own structures are broken (a finding, not a tool failure)."""


def run(cmd):
    return gdb.execute(cmd, to_string=True)


def connect(target):
    # QEMU may not have created its socket yet: retry for a few seconds.
    for _ in range(100):
        try:
            run("target remote " + target)
            return
        except gdb.error:
            time.sleep(0.1)
    run("target remote " + target)


def pmemsave(addr, size, path):
    """Guest physical [addr, addr+size), written to path by QEMU itself."""
    if size <= 0:
        return b""
    if os.path.exists(path):               # a stale dump must not pass for a fresh one
        os.unlink(path)
    said = run('monitor pmemsave 0x%x 0x%x "%s"' % (addr, size, path))
    if not os.path.exists(path):
        raise RuntimeError("pmemsave 0x%x+0x%x failed: %s" % (addr, size, said.strip()))
    with open(path, "rb") as f:
        return f.read()


def alive():
    try:
        return bool(gdb.selected_inferior().threads())
    except gdb.error:
        return False


def stop_at(addr, asked=None):
    """Continue until the pc is addr; False when the guest went away.
    asked(): whether a stop elsewhere was asked for (a snapshot); then
    returns "asked" there."""
    bp = gdb.Breakpoint("*0x%x" % addr, internal=True)
    try:
        for _ in range(8):             # stray stops (signals) are skipped
            try:
                run("continue")
                pc = int(gdb.parse_and_eval("$pc"))
            except gdb.error:
                if alive():
                    raise
                return False           # QEMU exited or closed the stub
            if pc == addr:
                return True
            if asked and asked():
                return "asked"
        raise RuntimeError("gdb stopped at 0x%x, not at 0x%x" % (pc, addr))
    finally:
        if alive():
            bp.delete()


def reg(name):
    return int(gdb.parse_and_eval("(unsigned long)$" + name))


def array_len(value):
    lo, hi = value.type.range()
    return hi - lo + 1


def dump_patterns(cfg, stage):
    out = []
    for i, (base, size) in enumerate(cfg["patterns"]):
        path = os.path.join(cfg["workdir"], "seen-%s-%d.bin" % (stage, i))
        pmemsave(base, size, path)
        out.append(path)
    return out


class Spans:
    """The buddy's spans and a local copy of each span's descriptor array."""

    def __init__(self, cfg):
        spans = gdb.parse_and_eval("'buddy.c'::spans")
        n = int(gdb.parse_and_eval("'buddy.c'::nspans"))
        if not 0 <= n <= array_len(spans):
            raise Corrupt("nspans = %d is outside 0..%d" % (n, array_len(spans)))
        ptype = gdb.lookup_type("struct page")
        self.psize = ptype.sizeof
        self.off = {f.name: f.bitpos // 8 for f in ptype.fields()}
        self.list = []
        lo, hi = cfg["ram"]
        for i in range(n):
            s = spans[i]
            start, end, va = int(s["start"]), int(s["end"]), int(s["map"])
            if not (start <= end and lo <= va and va + (end - start) * self.psize <= hi):
                raise Corrupt("spans[%d] = pfns [0x%x, 0x%x), map 0x%x: not inside RAM" % (i, start, end, va))
            path = os.path.join(cfg["workdir"], "span-%d.bin" % i)
            data = pmemsave(va, (end - start) * self.psize, path) if end > start else b""
            self.list.append((va, start, end, int(s["nid"]), data))

    def locate(self, ptr):
        """(pfn, descriptor bytes) for a descriptor pointer, or None."""
        for va, start, end, _, data in self.list:
            idx, rem = divmod(ptr - va, self.psize)
            if 0 <= idx < end - start and rem == 0:
                return start + idx, data[idx * self.psize:(idx + 1) * self.psize]
        return None

    def field(self, desc, name, fmt, at=0):
        return struct.unpack_from(fmt, desc, at + self.off[name])[0]

    def allocated(self):
        """[(pfn, order, nid)] for every allocated head (flags 0, refcount > 0):
        blocks the buddy handed out after the handoff."""
        out = []
        for _, start, end, nid, data in self.list:
            for at in range(0, (end - start) * self.psize, self.psize):
                if self.field(data, "flags", "<I", at) == 0 and self.field(data, "refcount", "<i", at) > 0:
                    out.append((start + at // self.psize, self.field(data, "order", "<B", at), nid))
        return out


def walk_list(spans, ptr, nid, order, seen, blocks):
    """Follow one list's next pointers; None, or what is wrong with it."""
    k = 0
    while ptr:
        where = "free_head[%d][%d] entry %d (0x%x)" % (nid, order, k, ptr)
        hit = spans.locate(ptr)
        if hit is None:
            return where + ": pointer outside every span's descriptors"
        if ptr in seen:
            return where + ": seen before (a cycle or a cross-linked list)"
        if len(seen) >= MAX_ENTRIES:
            return where + ": more than 2^20 free blocks"
        pfn, desc = hit
        flags, dorder = spans.field(desc, "flags", "<I"), spans.field(desc, "order", "<B")
        if not flags & PG_BUDDY or dorder != order:
            return where + ": pfn 0x%x has flags 0x%x order %d" % (pfn, flags, dorder)
        seen.add(ptr)
        blocks.append((pfn, order, nid))
        ptr, k = spans.field(desc, "next", "<Q"), k + 1
    return None


def walk_free_lists(spans):
    """Every list is walked, even after a bad one, so the damage is bounded."""
    heads = gdb.parse_and_eval("'buddy.c'::free_head")
    blocks, seen, errors = [], set(), []
    for nid in range(array_len(heads)):
        for order in range(array_len(heads[nid])):
            err = walk_list(spans, int(heads[nid][order]), nid, order, seen, blocks)
            errors += [err] if err else []
    return blocks, "; ".join(errors) or None


def read_state(cfg, out, stage="final"):
    out["a0"] = reg("a0")
    nr = gdb.parse_and_eval("'buddy.c'::nr_free")
    out["nr_free"] = [[int(nr[n][o]) for o in range(array_len(nr[n]))] for n in range(array_len(nr))]
    regions = gdb.parse_and_eval("'bootalloc.c'::regions")
    n = min(int(gdb.parse_and_eval("'bootalloc.c'::nregions")), array_len(regions))
    out["early_regions"] = [(int(regions[i]["base"]), int(regions[i]["size"])) for i in range(n)]
    raw = bytes(gdb.selected_inferior().read_memory(cfg["dtb_addr"], 8))
    out["dtb_totalsize"] = struct.unpack(">II", raw)[1] if raw[:4] == b"\xd0\x0d\xfe\xed" else None
    out["free_blocks"], out["alloc_blocks"] = [], []
    try:
        spans = Spans(cfg)
        out["free_blocks"], out["free_list_error"] = walk_free_lists(spans)
        out["alloc_blocks"] = spans.allocated()
    except Corrupt as e:
        out["free_list_error"] = str(e)
    out["final_dumps"] = dump_patterns(cfg, stage)


def write_json(path, data):
    with open(path + ".tmp", "w") as f:
        json.dump(data, f)
    os.replace(path + ".tmp", path)


def snapshots(cfg):
    """Serve snapshot requests until the guest reaches power_off (True) or
    goes away (False)."""
    n = 0
    request = lambda: os.path.exists(os.path.join(cfg["workdir"], "snap-request-%d" % n))
    while True:
        hit = stop_at(cfg["power_off"], asked=request)
        if hit != "asked":
            return hit
        snap = {"busy": int(gdb.parse_and_eval("'kalloc.c'::kmem_lock.locked")) != 0}
        if not snap["busy"]:
            read_state(cfg, snap, "snap%d" % n)
        write_json(os.path.join(cfg["workdir"], "snap-%d.json" % n), snap)
        n += 1


def main():
    cfg = json.load(open(os.environ["GDBREAD_CONFIG"]))
    out = {"stopped": None, "error": None, "times": {}}
    t0 = time.monotonic()
    try:
        for setting in ("pagination off", "confirm off", "remotetimeout 30"):
            run("set " + setting)
        connect(cfg["target"])
        run("maintenance packet Qqemu.PhyMemMode:1")
        if not stop_at(cfg["entry"]):
            out["stopped"] = "exited"
            return
        out["dtb_addr_seen"] = reg("a1")
        out["entry_dumps"] = dump_patterns(cfg, "entry")
        out["times"]["entry"] = time.monotonic() - t0
        if cfg.get("handoff_done"):
            # Right after the handoff, before any other hart runs: the free
            # lists here depend only on the kernel and the machine.
            if not stop_at(cfg["handoff_done"]):
                out["stopped"] = "exited"
                return
            try:
                out["handoff_blocks"], _ = walk_free_lists(Spans(cfg))
            except Corrupt as e:
                out["handoff_error"] = str(e)
        if not (snapshots(cfg) if cfg.get("snapshots") else stop_at(cfg["power_off"])):
            out["stopped"] = "exited"
            return
        out["stopped"] = "power_off"
        out["times"]["power_off"] = time.monotonic() - t0
        read_state(cfg, out)
        out["times"]["read"] = time.monotonic() - t0
        try:
            run("kill")            # end QEMU now; guest.py kills it anyway
        except gdb.error:
            pass                   # QEMU may close the stub first: harmless
    except Exception:
        out["error"] = traceback.format_exc()
    finally:
        write_json(cfg["output"], out)


main()
