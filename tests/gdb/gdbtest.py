#!/usr/bin/env python3
"""Tests of the kernel's gdb commands (tools/gdb/, loaded by tools/gdbinit).

For every ALLOC (and bootmem on sifive_u, through tools/gdbinit.sifive_u):
boot QEMU halted with a gdb stub on a unix socket, run
gdb-multiarch in batch mode with tools/gdbinit (its symbol-file and target
lines pointed at this boot), stop before the handoff (bootalloc_handoff)
and after it (smp_start), run every command at both stops, and check each
command's output against the "@" lines the same boot printed on its
console. The commands read the kernel's memory; the "@" lines are the
kernel's own report: they must agree.

Usage: gdbtest.py [--only NAME] [--keep] [--mutants]   (--only: the cases
whose name holds NAME, e.g. bootmem; --keep: leave the logs in
build/gdb-logs; --mutants: instead, run every case against each broken copy
of tools/gdb in MUTANTS, which must each fail some check: about a minute).
Prints one "ok"/"FAIL" line per check (per mutant) and ends with
"N passed, N failed"; exits nonzero on a failure.
"""
import shutil
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "boot"))
from boottest import FIRMWARE, build, parse  # noqa: E402  what the boot tests use

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NUMA = ["-m", "128M", "-smp", "2", "-object", "memory-backend-ram,id=m0,size=64M",
        "-object", "memory-backend-ram,id=m1,size=64M",
        "-numa", "node,memdev=m0,cpus=0,nodeid=0", "-numa", "node,memdev=m1,cpus=1,nodeid=1"]
# One plain boot per ALLOC (two NUMA nodes where the allocator has nodes), a
# bank with a hole for bootmem's runs, and 200 reservations so memblock's
# reserved array doubles.
CASES = [
    dict(name="bump", alloc="bump", args=["-m", "128M", "-smp", "1"]),
    dict(name="bootmem-numa", alloc="bootmem", args=NUMA),
    dict(name="memblock-numa", alloc="memblock", args=NUMA),
    dict(name="bootmem-holes", alloc="bootmem", args=["-m", "256M", "-smp", "2"],
         dts="tests/dts/holes-boot.dts"),
    dict(name="memblock-many-resv", alloc="memblock", args=["-m", "256M", "-smp", "2"],
         gen="tests/dts/gen-many-resv.sh"),
    # sifive_u through its own gdbinit, which attaches to both of QEMU's
    # processes (the E51 and the U54s); harts 1-2, hart 0 skipped.
    dict(name="bootmem-sifive_u", alloc="bootmem", board="sifive_u", gdbinit="gdbinit.sifive_u",
         args=["-m", "128M", "-smp", "3"]),
]
COMMANDS = ["memmap", "early", "memblock", "bootmem", "buddy",
            "pagetable &kmain", "pagetable FIRMWARE"]
TRACEBACK = re.compile(r"Traceback|Python Exception|Error occurred in Python")
HEX = r"(0x[0-9a-f]+)"
PAGE = 4096

# Broken copies of the commands (file, text, replacement, what): with --mutants
# each must make some check fail.
MUTANTS = [
    ("kgdb_mem.py", "counts = [[int(nr[n][o]) for", "counts = [[int(nr[n][o]) + (o == 3) for",
     "buddy: order 3 off by one"),
    ("kgdb_mem.py", "if nspans == 0:", "if nspans < 0:", "buddy: no not-ready check"),
    ("kgdb_mem.py", 'size_str(size), int(e["nid"]), what)', 'size_str(size), int(e["nid"]) + 1, what)',
     "early: node off by one"),
    ("kgdb_mem.py", '(MEMMAP_F_NOMAP, "nomap")', '(MEMMAP_F_REUSABLE, "nomap")',
     "memmap: nomap read from the wrong bit"),
    ("kgdb_early.py", "pos + (rest & -rest).bit_length() - 1)", "pos + (rest & -rest).bit_length())",
     "bootmem: runs one page too long"),
    ("kgdb_early.py", 'hint, last = int(bd["hint_idx"]),', 'hint, last = int(bd["hint_idx"]) + 1,',
     "bootmem: hint_idx off by one"),
    ("kgdb_early.py", "        if m == 0:\n", "        if m == 1:\n", "bootmem: reads a freed bitmap"),
    ("kgdb_early.py", 'cnt, mx = int(t["cnt"]), int(t["max"])', 'cnt, mx = int(t["cnt"]), 2 * int(t["max"])',
     "memblock: max doubled"),
    ("kgdb_vm.py", "% (base | (va & (span - 1)),", "% (base,", "pagetable: offset dropped"),
    ("kgdb_core.py", '"not available in this kernel', '"n/a in this kernel', "not-available message"),
]
SOURCE_DIR = None       # a mutant's copy of tools/gdb, or None for the real one
QUIET = False

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    if QUIET:
        return
    print(("ok   %s" if ok else "FAIL %s") % name + ("" if ok or not detail else ": " + detail))


def union(ranges):
    out = []
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [tuple(r) for r in out]


def clip(ranges, lo, hi):
    return union((max(s, lo), min(e, hi)) for s, e in ranges)


# ---- running one boot ---------------------------------------------------------

def gdbinit_for(elf, sock, name="gdbinit"):
    """tools/gdbinit (or another board's) with its symbol-file and target
    lines aimed at this boot."""
    text = open(os.path.join(ROOT, "tools", name)).read()
    out, found = [], set()
    for line in text.splitlines():
        target = re.search(r"target (extended-remote|remote) ", line)
        if line.startswith("symbol-file "):
            line, _ = "symbol-file " + elf, found.add("symbol-file")
        elif target:                    # a python line: the port from $GDBPORT
            line, _ = "target %s %s" % (target.group(1), sock), found.add("target")
        elif line.startswith("source "):
            found.add(line.split()[1])
            if SOURCE_DIR and line.split()[1] == "tools/gdb/kernel.py":
                line = "source " + os.path.join(SOURCE_DIR, "kernel.py")
        out.append(line)
    return "\n".join(out) + "\n", found


def symbol(elf, name):
    r = subprocess.run(["riscv64-unknown-elf-nm", elf], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    return None


def machine(case, tmp):
    """QEMU's machine options for case, with its device tree built in tmp."""
    args = ["-machine", case.get("board", "virt")] + case["args"]
    if case.get("gen") or case.get("dts"):
        src, dtb = os.path.join(ROOT, case.get("dts", "")), os.path.join(tmp, "case.dtb")
        if case.get("gen"):
            src = os.path.join(tmp, "case.dts")
            subprocess.run([os.path.join(ROOT, case["gen"]), src], check=True, capture_output=True)
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, src], check=True)
        args += ["-dtb", dtb]
    return args


def boot(case, tmp):
    """Run one boot under gdb: (console, {(stop, command): output}, gdb's output, ELF)."""
    elf = os.path.join(ROOT, "build", "alloc-" + case["alloc"], "kernel.elf")
    sock = os.path.join(tmp, "gdb.sock")
    name = case.get("gdbinit", "gdbinit")
    init, found = gdbinit_for(elf, sock, name)
    check("%s: tools/%s loads symbols, sources tools/gdb/kernel.py, connects" % (case["name"], name),
          {"symbol-file", "target", "tools/gdb/kernel.py"} <= found, "has %s" % sorted(found))
    with open(os.path.join(tmp, "gdbinit"), "w") as f:
        f.write(init)
    ex = ["help " + c for c in ("memmap", "early", "memblock", "bootmem", "buddy", "pagetable")]
    ex += ["echo \\n@@@ start buddy\\n", "buddy", "echo \\n@@@ start memmap\\n", "memmap"]
    for stop, where in (("before", "bootalloc_handoff"), ("after", "smp_start")):
        ex += ["break " + where, "continue", "delete"]
        for c in COMMANDS:
            ex += ["echo \\n@@@ %s %s\\n" % (stop, c), c.replace("FIRMWARE", "0x80000000")]
    ex += ["echo \\n@@@ end\\n", "continue"]
    console = open(os.path.join(tmp, "console.txt"), "w")
    qemu = subprocess.Popen(["qemu-system-riscv64"] + machine(case, tmp) +
                            ["-bios", FIRMWARE, "-kernel", elf, "-nographic",
                            "-no-reboot", "-append", "halt", "-S",
                            "-gdb", "unix:%s,server=on,wait=off" % sock],
                            stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):          # QEMU creates the socket shortly after it starts
            if os.path.exists(sock) or qemu.poll() is not None:
                break
            subprocess.run(["sleep", "0.05"])
        args = ["gdb-multiarch", "-batch", "-nx", "-x", os.path.join(tmp, "gdbinit")]
        for e in ex:
            args += ["-ex", e]
        try:
            g = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=90,
                               stdin=subprocess.DEVNULL)
            out = g.stdout + g.stderr
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode() + "\n(gdb timed out)\n"
        try:
            qemu.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
        console.close()
    sections, key = {}, None
    for line in out.splitlines():
        m = re.match(r"^@@@ (\S+) ?(.*)$", line)
        if m:
            key = (m.group(1), m.group(2))
            sections[key] = []
        elif key:
            sections[key].append(line)
    return open(os.path.join(tmp, "console.txt")).read(), \
        {k: "\n".join(v) for k, v in sections.items()}, out, elf


# ---- reading the commands' output ---------------------------------------------

def rows(text, pattern):
    return [m.groups() for m in map(re.compile(pattern).match, text.splitlines()) if m]


def memmap_rows(text):
    banks = rows(text, r"^\s+(\d+)\s+(\d+)\s+%s\s+%s\s+[\d.]+ \w+$" % (HEX, HEX))
    resv = rows(text, r"^\s+(\d+)\s+(\S+)\s+%s\s+%s\s+[\d.]+ \w+\s+(\S+)\s+(\S+)$" % (HEX, HEX))
    return ([(int(b, 16), int(e, 16), int(n)) for _, n, b, e in banks],
            [(int(b, 16), int(e, 16), o, f, nm) for _, o, b, e, f, nm in resv])


def early_rows(text):
    return [(int(b, 16), int(e, 16), int(n), w) for _, b, e, n, w in
            rows(text, r"^\s+(\d+)\s+%s\s+%s\s+[\d.]+ \w+\s+(-?\d+)\s+(.+)$" % (HEX, HEX))]


def memblock_types(text):
    """{name: (cnt, max, total, regions_addr, static, [(base, end, node, flags)])}"""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^(memory|reserved): cnt (\d+) max (\d+) total_size %s " % HEX, line)
        if m:
            cur = out[m.group(1)] = [int(m.group(2)), int(m.group(3)), int(m.group(4), 16),
                                     None, None, []]
            continue
        m = re.match(r"^\s+regions at %s \((static|doubled, in RAM)\)$" % HEX, line)
        if m and cur:
            cur[3], cur[4] = int(m.group(1), 16), m.group(2) == "static"
            continue
        m = re.match(r"^\s+(\d+)\s+%s\s+%s\s+[\d.]+ \w+\s+(\S+)\s+(\S+)$" % (HEX, HEX), line)
        if m and cur:
            cur[5].append((int(m.group(2), 16), int(m.group(3), 16), m.group(4), m.group(5)))
    return out


def bootmem_nodes(text):
    """[{nid, lo, hi, hint, last, runs [(used, s, e)], free, bitmap, more}]"""
    nodes = []
    for line in text.splitlines():
        m = re.match(r"^bootmem node (\d+): pfns %s-%s " % (HEX, HEX), line)
        if m:
            nodes.append({"nid": int(m.group(1)), "lo": int(m.group(2), 16),
                          "hi": int(m.group(3), 16), "runs": [], "more": False})
        elif not nodes:
            continue
        m = re.match(r"^\s+hint_idx (\d+) " , line)
        if m:
            nodes[-1]["hint"] = int(m.group(1))
        m = re.match(r"^\s+last_end_off %s " % HEX, line)
        if m:
            nodes[-1]["last"] = int(m.group(1), 16)
        m = re.match(r"^\s+bitmap at pfn %s( \(%s\), (\d+) bytes)?" % (HEX, HEX), line)
        if m:
            nodes[-1]["map"] = int(m.group(1), 16)
            nodes[-1]["bitmap"] = int(m.group(4)) if m.group(2) else None
        m = re.match(r"^\s+(used|free) idx\s+(\d+)-(\d+)\s+pfn", line)
        if m:
            nodes[-1]["runs"].append((m.group(1) == "used", int(m.group(2)), int(m.group(3)) + 1))
        m = re.match(r"^\s+free (\d+) pages .* in \d+ runs$", line)
        if m:
            nodes[-1]["free"] = int(m.group(1))
        nodes[-1]["more"] |= "more runs" in line
    return nodes


def walk_rows(text):
    steps = rows(text, r"^\s+level (\d) \[\s*(\d+)\] pte at %s = %s (\S{8})(?: -> %s)?"
                 % (HEX, HEX, HEX))
    pa = rows(text, r"^\s+PA %s " % HEX)
    return ([(int(l), int(i), int(a, 16), int(v, 16), f, int(t, 16) if t else None)
             for l, i, a, v, f, t in steps], int(pa[0][0], 16) if pa else None)


# ---- the checks -------------------------------------------------------------------

def guarded(name, fn, *args):
    """Run a group of checks; output it cannot read is a failure, not a crash."""
    try:
        fn(*args)
    except Exception as e:
        check(name, False, "could not read the output: %s: %s" % (type(e).__name__, e))


def at(recs, kind, sub):
    return [kv for k, s, kv in recs if k == kind and s == sub]


def check_memmap(alloc, out, recs):
    banks, resv = memmap_rows(out)
    want_b = [(int(b["base"], 16), int(b["end"], 16), int(b["node"])) for b in at(recs, "map", "bank")]
    want_r = [(int(r["base"], 16), int(r["end"], 16), r["origin"], r["flags"], r["name"])
              for r in at(recs, "map", "resv")]
    check("%s: memmap banks = @map bank (base, end, node)" % alloc, banks == want_b and banks,
          "%s vs %s" % (banks, want_b))
    check("%s: memmap reservations = @map resv (base, end, origin, flags, name)" % alloc,
          resv == want_r and resv, "%s vs %s" % (resv, want_r))


def check_early(alloc, stop, out, recs):
    got = early_rows(out)
    want = [(int(e["base"], 16), int(e["base"], 16) + int(e["size"], 16), int(e["node"]), e["for"])
            for e in at(recs, "early", "alloc")]
    check("%s %s: early = @early alloc (base, end, node, for)" % (alloc, stop),
          got == want and got, "%s vs %s" % (got, want))
    state = "retired at the handoff" if stop == "after" else "active"
    check("%s %s: early says the allocator is %s" % (alloc, stop, state), "(%s)" % state in out)


def check_buddy(alloc, out, recs):
    got = {int(n): [int(x) for x in c.split()] for n, c in rows(out, r"^Node (\d+)((?:\s+\d+)+)$")}
    want = {int(b["node"]): [int(b["o%d" % o]) for o in range(11)] for b in at(recs, "buddy", "")}
    check("%s after: buddy blocks per order and node = @buddy" % alloc, got == want and got,
          "%s vs %s" % (got, want))
    free = {int(n): int(p) for n, p in rows(out, r"^\s+node (\d+): (\d+) free pages")}
    wantf = {int(b["node"]): int(b["free"]) for b in at(recs, "buddy", "")}
    total = rows(out, r"^\s+total: (\d+) free pages")
    check("%s after: buddy free pages per node and total = @buddy free" % alloc,
          free == wantf and total and int(total[0][0]) == sum(wantf.values()),
          "%s, total %s vs %s" % (free, total, wantf))
    check("%s after: buddy's free lists agree with nr_free" % alloc, "agree with nr_free" in out)


def check_pagetable(alloc, stop, out, recs, kmain):
    steps, pa = walk_rows(out)
    tables = [int(e["base"], 16) for e in at(recs, "early", "alloc") if e["for"] == "kernel page table"]
    leaf = steps[-1] if steps else None
    ok = (pa == kmain and leaf and leaf[4] == "VRWX-GAD" and steps[0][2] & ~0xfff == tables[0] and
          all(s[2] & ~0xfff in tables for s in steps) and all(s[5] in tables for s in steps[:-1]))
    check("%s %s: pagetable &kmain -> PA 0x%x, VRWX-GAD, through the kernel page-table pages"
          % (alloc, stop, kmain), ok, "PA %s, steps %s, tables %s" % (pa and hex(pa), steps,
                                                                      [hex(t) for t in tables]))
    how = "satp 0x8" if stop == "after" else "satp 0: paging off"
    check("%s %s: pagetable walks via %s" % (alloc, stop, how), how in out)


def check_unmapped(alloc, stop, out, recs):
    fw = [int(r["base"], 16) for r in at(recs, "map", "resv") if r["origin"] == "firmware"]
    steps, pa = walk_rows(out)
    check("%s %s: pagetable of the no-map firmware region (0x80000000) stops at an invalid PTE"
          % (alloc, stop), fw == [0x80000000] and pa is None and "not mapped" in out and steps
          and steps[-1][4][0] == "-", out[-200:])


def check_memblock(alloc, stop, out, recs):
    t = memblock_types(out)
    if set(t) != {"memory", "reserved"}:
        check("%s %s: memblock shows both arrays" % (alloc, stop), False, out[:300])
        return
    banks = [(int(b["base"], 16), int(b["end"], 16), int(b["node"])) for b in at(recs, "map", "bank")]
    resv = [(int(r["base"], 16), int(r["end"], 16)) for r in at(recs, "map", "resv")]
    nomap = [(int(r["base"], 16), int(r["end"], 16)) for r in at(recs, "map", "resv")
             if "nomap" in r["flags"] or r["origin"] == "firmware"]
    early = [(int(e["base"], 16), int(e["base"], 16) + int(e["size"], 16))
             for e in at(recs, "early", "alloc")]
    ram = int(at(recs, "map", "total")[0]["ram"], 16)
    cnt, mx, total, _, _, regs = t["memory"]
    node_of = lambda a: [n for b, e, n in banks if b <= a < e]
    check("%s %s: memblock memory: regions cover the @map banks, total_size = @map ram, cnt = rows"
          % (alloc, stop), union((b, e) for b, e, _, _ in regs) == union((b, e) for b, e, _ in banks)
          and total == ram and cnt == len(regs), "%s total 0x%x" % (regs, total))
    check("%s %s: memblock memory: nomap regions = @map no-map/firmware reservations, nodes = banks'"
          % (alloc, stop), union((b, e) for b, e, _, f in regs if "nomap" in f) == union(nomap)
          and all(node_of(b) == [int(n)] for b, _, n, _ in regs), str(regs))
    rcnt, rmax, rtotal, raddr, rstatic, rregs = t["reserved"]
    meta = []
    for name in ("memory", "reserved"):
        c, m, _, addr, static, _ = t[name]
        if not static:
            meta.append((addr, addr + (m * 24 + PAGE - 1) // PAGE * PAGE))
    check("%s %s: memblock reserved = @map resv + @early alloc (+ doubled arrays), "
          "total_size = sum, cnt = rows" % (alloc, stop),
          union((b, e) for b, e, _, _ in rregs) == union(resv + early + meta) and
          rtotal == sum(e - b for b, e, _, _ in rregs) and rcnt == len(rregs),
          "%s vs %s" % (rregs, union(resv + early + meta)))
    st = at(recs, "early", "stats")[0]
    meta_bytes = sum(m * 24 if static else (m * 24 + PAGE - 1) // PAGE * PAGE
                     for _, m, _, _, static, _ in t.values())
    doublings = sum((m // 128).bit_length() - 1 for _, m, _, _, _, _ in t.values())
    check("%s %s: memblock max values match @early stats meta=%s resizes=%s"
          % (alloc, stop, st["meta"], st["resizes"]),
          meta_bytes == int(st["meta"]) and doublings == int(st["resizes"]),
          "meta %d, doublings %d" % (meta_bytes, doublings))


def check_bootmem(alloc, out, recs):
    nodes = bootmem_nodes(out)
    banks = [(int(b["base"], 16), int(b["end"], 16), int(b["node"])) for b in at(recs, "map", "bank")]
    acct = {int(a["node"]): int(a["buddy"]) for a in at(recs, "acct", "")}
    check("%s before: bootmem shows one node per @map node" % alloc,
          sorted(n["nid"] for n in nodes) == sorted(acct), str([n["nid"] for n in nodes]))
    pages = lambda b, e: (b // PAGE, (e + PAGE - 1) // PAGE)
    taken = [pages(int(r["base"], 16), int(r["end"], 16)) for r in at(recs, "map", "resv")]
    allocs = [(int(e["base"], 16), int(e["base"], 16) + int(e["size"], 16))
              for e in at(recs, "early", "alloc")]
    for n in nodes:
        lo, hi, name = n["lo"], n["hi"], "%s before: bootmem node %d" % (alloc, n["nid"])
        mine = [a for a in allocs if lo * PAGE <= a[0] < hi * PAGE]
        bitmap_pages = ((n.get("bitmap") or 0) + PAGE - 1) // PAGE
        check(name + ": free pages + bitmap pages = @acct buddy (what the handoff gave)",
              n.get("free", -1) + bitmap_pages == acct.get(n["nid"]),
              "free %s + %d vs %s" % (n.get("free"), bitmap_pages, acct.get(n["nid"])))
        holes = [(lo, hi)]
        for b, e, _ in banks:
            holes = [(s, t) for hs, he in holes for s, t in ((hs, max(hs, b // PAGE)),
                                                            (min(he, e // PAGE), he)) if t > s]
        if n["more"]:
            check(name + ": runs listed in full", False, "more runs than shown")
            continue
        got = union((lo + s, lo + e) for u, s, e in n["runs"] if u)
        want = clip(taken + [pages(*a) for a in mine] + holes +
                    [(n["map"], n["map"] + bitmap_pages)], lo, hi)
        check(name + ": used runs = @map resv + @early alloc pages (+ the bitmap)",
              got == want and sum(e - s for _, s, e in n["runs"]) == hi - lo,
              "%s vs %s" % (got, want))
        last = max(mine, key=lambda a: allocs.index(a)) if mine else None
        check(name + ": last_end_off/hint_idx = end of its last @early alloc",
              last and n["last"] == last[1] - lo * PAGE and n["hint"] == -(-n["last"] // PAGE),
              "last_end_off 0x%x hint %d, last alloc %s" % (n["last"], n["hint"], last))


def check_unavailable(label, alloc, sec):
    for stop in ("before", "after"):
        for cmd in ("memblock", "bootmem"):
            if cmd != alloc:
                check("%s %s: %s says it is not available under ALLOC=%s" % (label, stop, cmd, alloc),
                      sec.get((stop, cmd), "").strip() == "%s: not available in this kernel "
                      "(ALLOC=%s)" % (cmd, alloc), sec.get((stop, cmd)))


def run(case, keep):
    alloc, label = case["alloc"], case["name"]
    ok, log = build(alloc)
    check("%s: build (ALLOC=%s)" % (label, alloc), ok, log[-300:])
    if not ok:
        return
    with tempfile.TemporaryDirectory() as tmp:
        console, sec, out, elf = boot(case, tmp)
        if keep:
            d = os.path.join(ROOT, "build", "gdb-logs")
            os.makedirs(d, exist_ok=True)
            for name, text in (("console", console), ("gdb", out)):
                with open(os.path.join(d, "%s-%s.log" % (label, name)), "w") as f:
                    f.write(text)
    recs = parse(console)
    check("%s: the boot printed its report (@map, @early, @buddy, @acct)" % label,
          all(at(recs, k, s) for k, s in (("map", "bank"), ("early", "alloc"), ("buddy", ""),
                                          ("acct", ""))), console[-300:])
    check("%s: no Python traceback in gdb's output" % label, not TRACEBACK.search(out),
          (TRACEBACK.search(out) or [""])[0])
    helps = out.split("@@@")[0]
    for cmd in ("memmap", "early", "memblock", "bootmem", "buddy", "pagetable"):
        check("%s: help %s is a paragraph" % (label, cmd), re.search(
            r"^%s.*\n\n(.+\n){3,}" % re.escape(dict(memmap="Show the boot memory map",
                early="Show the early allocations", memblock="Show memblock",
                bootmem="Show bootmem", buddy="Show the buddy",
                pagetable="Walk the Sv39")[cmd]), helps, re.M))
    check("%s start: buddy says it is not ready yet" % label,
          sec.get(("start", "buddy"), "").strip().startswith("buddy: not ready yet"),
          sec.get(("start", "buddy")))
    check("%s start: memmap says the map is not read yet" % label,
          sec.get(("start", "memmap"), "").strip().startswith("memmap: not read yet"))
    check("%s before: buddy says it is not ready yet" % label,
          sec.get(("before", "buddy"), "").strip().startswith("buddy: not ready yet"),
          sec.get(("before", "buddy")))
    kmain = symbol(elf, "kmain")
    for stop in ("before", "after"):
        g = lambda c: sec.get((stop, c), "")
        name = "%s %s: " % (label, stop)
        guarded(name + "memmap", check_memmap, label + " " + stop, g("memmap"), recs)
        guarded(name + "early", check_early, label, stop, g("early"), recs)
        guarded(name + "pagetable &kmain", check_pagetable, label, stop, g("pagetable &kmain"),
                recs, kmain)
        guarded(name + "pagetable FIRMWARE", check_unmapped, label, stop,
                g("pagetable FIRMWARE"), recs)
        if alloc == "memblock":
            guarded(name + "memblock", check_memblock, label, stop, g("memblock"), recs)
    guarded(label + " after: buddy", check_buddy, label, sec.get(("after", "buddy"), ""), recs)
    if alloc == "bootmem":
        guarded(label + " before: bootmem", check_bootmem, label,
                sec.get(("before", "bootmem"), ""), recs)
        after = sec.get(("after", "bootmem"), "")
        check(label + " after: bootmem says the bitmaps were freed at the handoff",
              "retired at the handoff" in after and "freed at the handoff (the" in after and
              len(bootmem_nodes(after)) == len(at(recs, "acct", "")), after)
    check_unavailable(label, alloc, sec)


def mutants(only):
    """Each broken copy of tools/gdb must fail at least one check."""
    global SOURCE_DIR, QUIET, results
    verdicts = []
    for f, old, new, what in MUTANTS:
        with tempfile.TemporaryDirectory() as tmp:
            SOURCE_DIR = os.path.join(tmp, "gdb")
            shutil.copytree(os.path.join(ROOT, "tools", "gdb"), SOURCE_DIR)
            path = os.path.join(SOURCE_DIR, f)
            text = open(path).read()
            if text.count(old) != 1:
                verdicts.append((False, "mutant %s: %r is not in %s once" % (what, old, f)))
                continue
            open(path, "w").write(text.replace(old, new))
            QUIET, results = True, []
            for case in CASES:
                if only in case["name"]:
                    run(case, False)
            n = results.count(False)
            verdicts.append((n > 0, "mutant %s: %d checks fail" % (what, n)))
    SOURCE_DIR, QUIET, results = None, False, []
    for ok, name in verdicts:
        check(name, ok)


def main():
    args = sys.argv[1:]
    only = args[args.index("--only") + 1] if "--only" in args else ""
    if "--mutants" in args:
        mutants(only)
    for case in CASES if "--mutants" not in args else []:
        if only in case["name"]:
            run(case, "--keep" in args)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
