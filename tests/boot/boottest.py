#!/usr/bin/env python3
"""QEMU boot tests: boot the kernel, parse its "@" lines and check them
against the device tree that QEMU really used, read independently with
dtc's fdtget (never with the kernel's own reader), and against QEMU's
exit status.

Usage: boottest.py [--only SUBSTRING] [--list]
Prints one "ok"/"FAIL" line per case and ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
TIMEOUT = int(os.environ.get("BOOT_TIMEOUT", "300"))
ALLOCS = ["bump", "bootmem", "memblock"]


def kernel(alloc):
    return os.path.join(ROOT, "build", "alloc-" + alloc, "kernel.elf")


def build(alloc, disk=False):
    """make alloc's kernel (and with disk, its fs.img) in build/alloc-ALLOC;
    returns (ok, make's output). Every test script builds through this."""
    out = "build/alloc-" + alloc
    goals = [out + "/kernel.elf"] + ([out + "/fs.img"] if disk else [])
    r = subprocess.run(["make", "-s", "-C", ROOT, "O=" + out, "ALLOC=" + alloc] + goals,
                       capture_output=True, text=True)
    return r.returncode == 0, r.stdout + r.stderr


def disk(alloc):
    return os.path.join(ROOT, "build", "alloc-" + alloc, "fs.img")


# Harts a board has that run no kernel (QEMU's -smp counts them): sifive_u's
# hart 0, the E51 monitor core.
SPARE_HARTS = {"virt": 0, "sifive_u": 1}


def disk_args(board, image):
    """QEMU's options that attach the disk image on board: a modern
    virtio-blk device on virt; on sifive_u, which has no virtio, the initrd
    (the kernel's RAM disk)."""
    if board == "sifive_u":
        return ["-initrd", image]
    return ["-global", "virtio-mmio.force-legacy=false",
            "-drive", "file=%s,if=none,format=raw,id=x0" % image,
            "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]


def numa_args(mem):
    return ["-object", "memory-backend-ram,id=m0,size=" + mem,
            "-object", "memory-backend-ram,id=m1,size=" + mem,
            "-numa", "node,memdev=m0,nodeid=0", "-numa", "node,memdev=m1,nodeid=1"]


def machine_args(case):
    """QEMU's machine options for a case: its board (virt unless it says
    sifive_u), RAM, harts, NUMA nodes, and for sifive_u the disk image as
    the initrd (the tree then has /chosen/linux,initrd-start and -end)."""
    a = ["-machine", case.get("board", "virt"), "-m", case["m"], "-smp", str(case["smp"])]
    if case.get("numa"):
        a += numa_args(case["numa"])
    if case.get("board") == "sifive_u":     # the tree then has the initrd's addresses
        a += disk_args("sifive_u", case.get("initrd_path") or disk(case["alloc"]))
    return a


def dump_dtb(case, path):
    """The tree QEMU builds for these options (before OpenSBI patches it)."""
    if case.get("gen"):
        src = path + ".dts"
        gen = case["gen"].split()      # the script, then its arguments before OUT.dts
        subprocess.run([os.path.join(ROOT, gen[0])] + gen[1:] + [src], check=True,
                       capture_output=True)
    elif case.get("dts"):
        src = os.path.join(ROOT, case["dts"])
    if case.get("gen") or case.get("dts"):
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, src], check=True)
        return
    args = ["qemu-system-riscv64"] + machine_args(case)
    args[2] += ",dumpdtb=" + path
    # -initrd needs -kernel; the kernel's size does not move the initrd.
    subprocess.run(args + ["-bios", "none", "-nographic", "-kernel", kernel(case["alloc"])],
                   check=True, capture_output=True)


def fdtget(dtb, node, prop, kind="x"):
    r = subprocess.run(["fdtget", "-t", kind, dtb, node, prop], capture_output=True, text=True)
    if r.returncode:
        return None
    return r.stdout.split()


def fdt_nodes(dtb, prefix="/"):
    r = subprocess.run(["fdtget", "-l", dtb, prefix], capture_output=True, text=True)
    return r.stdout.split() if r.returncode == 0 else []


def expected_banks(dtb):
    """Every /memory node's (base, size, node), read with fdtget."""
    banks = []
    for name in fdt_nodes(dtb):
        path = "/" + name
        if (fdtget(dtb, path, "device_type", "s") or [""])[0] != "memory":
            continue
        ac = int(fdtget(dtb, "/", "#address-cells")[0], 16)
        sc = int(fdtget(dtb, "/", "#size-cells")[0], 16)
        cells = [int(c, 16) for c in fdtget(dtb, path, "reg")]
        nid = fdtget(dtb, path, "numa-node-id")
        nid = int(nid[0], 16) if nid else 0
        for i in range(0, len(cells), ac + sc):
            base = size = 0
            for c in cells[i:i + ac]:
                base = (base << 32) | c
            for c in cells[i + ac:i + ac + sc]:
                size = (size << 32) | c
            if size:
                banks.append((base, size, nid))
    return sorted(banks)


def expected_dev(dtb, compat):
    for name in fdt_nodes(dtb, "/soc"):
        path = "/soc/" + name
        c = subprocess.run(["fdtget", dtb, path, "compatible"], capture_output=True, text=True)
        if compat in c.stdout.split():
            reg = [int(x, 16) for x in fdtget(dtb, path, "reg")]
            return (reg[0] << 32) | reg[1]
    return None


def expected_uart(dtb):
    """The node /chosen/stdout-path names (a path on virt and sifive_u):
    its base and compatible strings."""
    path = (fdtget(dtb, "/chosen", "stdout-path", "s") or [""])[0].split(":")[0]
    reg = fdtget(dtb, path, "reg")
    if not reg:
        return None, []
    compat = subprocess.run(["fdtget", dtb, path, "compatible"], capture_output=True, text=True)
    return (int(reg[0], 16) << 32) | int(reg[1], 16), compat.stdout.split()


def expected_initrd(dtb):
    """(start, end) from /chosen, or None."""
    cells = [fdtget(dtb, "/chosen", "linux,initrd-" + p) for p in ("start", "end")]
    if not all(cells):
        return None
    return tuple(int("".join("%08x" % int(c, 16) for c in v), 16) for v in cells)


def hart_ids(dtb, with_mmu):
    """The ids of the cpu nodes (those with an mmu-type, if with_mmu)."""
    ids = []
    for name in fdt_nodes(dtb, "/cpus"):
        path = "/cpus/" + name
        if (fdtget(dtb, path, "device_type", "s") or [""])[0] != "cpu":
            continue
        if with_mmu and not fdtget(dtb, path, "mmu-type", "s"):
            continue
        ids.append(int(fdtget(dtb, path, "reg")[0], 16))
    return ids


def count_compat(dtb, compat):
    n = 0
    for name in fdt_nodes(dtb, "/soc"):
        c = subprocess.run(["fdtget", dtb, "/soc/" + name, "compatible"], capture_output=True, text=True)
        n += compat in c.stdout.split()
    return n


def kernel_end(alloc):
    r = subprocess.run(["riscv64-unknown-elf-nm", kernel(alloc)], capture_output=True, text=True)
    syms = dict((l.split()[2], int(l.split()[0], 16)) for l in r.stdout.splitlines() if len(l.split()) == 3)
    return syms["_start_image"], syms["_end"]


def parse(out):
    """@kind [sub] k=v ... lines -> list of (kind, sub, dict). A "for=" (a
    purpose, which may hold spaces) is always last and runs to the end of
    the line."""
    recs = []
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith("@"):
            continue
        line, _, what = line.partition(" for=")
        parts = line[1:].split() + (["for=" + what] if what else [])
        kind = parts[0]
        sub = parts[1] if len(parts) > 1 and "=" not in parts[1] else ""
        kv = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
        recs.append((kind, sub, kv))
    return recs


def run_case(case):
    alloc = case["alloc"]
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        dtb = os.path.join(tmp, "q.dtb")
        if case.get("initrd"):          # bytes made from the ALLOC's fs.img
            case = dict(case, initrd_path=os.path.join(tmp, "initrd"))
            with open(disk(alloc), "rb") as f, open(case["initrd_path"], "wb") as g:
                g.write(case["initrd"](f.read()))
        dump_dtb(case, dtb)
        cmd = ["qemu-system-riscv64"] + machine_args(case) + [
            "-bios", FIRMWARE, "-kernel", kernel(alloc), "-nographic", "-no-reboot"]
        if case.get("dts") or case.get("gen"):
            cmd += ["-dtb", dtb]
        if case.get("append"):
            cmd += ["-append", case["append"]]
        timeout = case.get("timeout", TIMEOUT)
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            return ["QEMU did not exit within %ds" % timeout], (e.stdout or b"")
        out = p.stdout
        log = os.path.join(ROOT, "build", "boot-logs")
        os.makedirs(log, exist_ok=True)
        with open(os.path.join(log, case["name"] + ".log"), "w") as f:
            f.write(out + p.stderr)
        expect_status = case.get("status", 0)
        if p.returncode != expect_status:
            errors.append("QEMU exit status %d, expected %d" % (p.returncode, expect_status))
        if case.get("panics"):
            # A machine without a test finisher (sifive_u) exits 0 after a
            # panic too: the console tells it from a clean halt.
            if "panic:" not in out or POWER_NO_STATUS not in out:
                errors.append("no panic, or no line %r" % POWER_NO_STATUS)
        elif "panic:" in out and expect_status == 0:
            errors.append("kernel panicked: " + out[out.index("panic:"):].splitlines()[0])
        elif POWER_NO_STATUS in out:
            errors.append("a clean halt says %r" % POWER_NO_STATUS)
        want_text = case.get("expect_text")
        if callable(want_text):         # it depends on the kernel (its image's end)
            want_text = want_text(alloc)
        if want_text and want_text not in out:
            errors.append("output lacks %r" % want_text)
        if expect_status != 0 or case.get("panics"):
            return errors, out
        if case.get("quiet"):
            # make qemu's boot: the people's tables, and not one "@" line.
            at = [l for l in out.splitlines() if l.startswith("@")]
            if at:
                errors.append("%d @ lines under quiet, first %r" % (len(at), at[0]))
            for table in ("Memory map from the device tree", "Early allocations (", "Accounting"):
                if table not in out:
                    errors.append("quiet boot lacks the table %r" % table)
            return errors, out
        recs = parse(out)

        # Banks: exactly the DT's memory nodes.
        banks = sorted((int(kv["base"], 16), int(kv["size"], 16), int(kv["node"]))
                       for k, s, kv in recs if k == "map" and s == "bank")
        want = expected_banks(dtb)
        if banks != want:
            errors.append("banks %s, device tree says %s" % (
                [(hex(b), hex(s), n) for b, s, n in banks], [(hex(b), hex(s), n) for b, s, n in want]))

        resv = [kv for k, s, kv in recs if k == "map" and s == "resv"]
        by_origin = {}
        for r in resv:
            by_origin.setdefault(r["origin"], []).append(r)
        fw = by_origin.get("firmware", [])
        if not any(int(r["base"], 16) == 0x80000000 and int(r["size"], 16) == 0x80000 and "nomap" in r["flags"]
                   for r in fw):
            errors.append("no firmware no-map reservation [0x80000000, +0x80000) (OpenSBI's mmode_resv0)")
        kstart, kend = kernel_end(alloc)
        if not any(int(r["base"], 16) == kstart and int(r["end"], 16) == kend for r in by_origin.get("kernel", [])):
            errors.append("no kernel reservation [0x%x, 0x%x)" % (kstart, kend))
        m = re.search(r"device tree at 0x([0-9a-f]+)", out)
        if not m or not any(int(r["base"], 16) == int(m.group(1), 16) for r in by_origin.get("dtb", [])):
            errors.append("no reservation of the DTB at the address OpenSBI passed")
        for r in resv:
            b, e = int(r["base"], 16), int(r["end"], 16)
            if not any(bb <= b and e <= bb + bs for bb, bs, _ in want):
                errors.append("reservation %s outside RAM" % r)

        initrd = expected_initrd(dtb)
        got = [(int(r["base"], 16), int(r["end"], 16)) for r in by_origin.get("initrd", [])]
        if got != ([initrd] if initrd else []):
            errors.append("initrd reservations %s, device tree's /chosen says %s" % (
                [(hex(b), hex(e)) for b, e in got], initrd and (hex(initrd[0]), hex(initrd[1]))))

        # Devices, read from the DT independently: the UART is the one
        # stdout-path names, and a machine without a finisher (sifive_u)
        # must get base 0 for it.
        devs = dict((kv["name"], kv) for k, s, kv in recs if k == "dev")
        ubase, ucompat = expected_uart(dtb)
        if "uart" not in devs or int(devs["uart"]["base"], 16) != ubase or \
                devs["uart"].get("compatible") not in ucompat:
            errors.append("uart: kernel says %s, device tree's stdout-path says %s %s" % (
                devs.get("uart"), ubase and hex(ubase), ucompat))
        for name, compat in (("test", "sifive,test0"), ("plic", "riscv,plic0")):
            base = expected_dev(dtb, compat)
            if name not in devs or int(devs[name]["base"], 16) != (base or 0):
                errors.append("%s: kernel says %s, device tree says %s" % (
                    name, devs.get(name, {}).get("base"), hex(base) if base else None))
        nvirtio = sum(1 for n in devs if n.startswith("virtio"))
        if nvirtio != count_compat(dtb, "virtio,mmio"):
            errors.append("%d virtio-mmio devices, device tree has %d" % (nvirtio, count_compat(dtb, "virtio,mmio")))

        # Allocator, harts, accounting, handoff.
        boot = [kv for k, s, kv in recs if k == "boot"]
        if not boot or boot[0].get("alloc") != alloc:
            errors.append("banner does not name allocator %s" % alloc)
        elif boot[0].get("instret_exact") != "0":
            # Without -icount QEMU's instret follows the host clock; make
            # bench checks the other direction (1 under -icount).
            errors.append("@boot instret_exact=%s without -icount, expected 0"
                          % boot[0].get("instret_exact"))
        harts = [kv for k, s, kv in recs if k == "harts"]
        # The boot hart is one the tree gives an MMU (never sifive_u's E51);
        # a case whose harts depend on OpenSBI's lottery checks them itself.
        lottery = "harts" in case and case["harts"] is None
        if lottery:
            pass
        elif boot and int(boot[0].get("boothart", -1)) not in hart_ids(dtb, True):
            errors.append("boot hart %s is not one of the device tree's harts with an MMU %s" % (
                boot[0].get("boothart"), hart_ids(dtb, True)))
        for h in [] if lottery else sorted(set(hart_ids(dtb, False)) - set(hart_ids(dtb, True))):
            if "smp: skipping hart %d of the device tree: " % h not in out:
                errors.append("hart %d has no mmu-type in the device tree, and no skipping line" % h)
        nharts = case.get("harts", case["smp"])
        if nharts is None:              # the case's own check counts them
            pass
        elif not harts or int(harts[0]["online"]) != nharts or int(harts[0]["listed"]) != nharts:
            errors.append("harts %s, expected %d online" % (harts, nharts))
        acct = [kv for k, s, kv in recs if k == "acct"]
        nodes = len(set(n for _, _, n in want))
        if len(acct) != nodes:
            errors.append("%d accounting lines, expected one per node (%d)" % (len(acct), nodes))
        for a in acct:
            terms = [int(a[k]) for k in ("buddy", "reserved", "early", "lost")]
            ram = sum((s >> 12) for b, s, n in want if n == int(a["node"]))
            if a["ok"] != "1" or sum(terms) != int(a["ram"]) or int(a["ram"]) != ram:
                errors.append("accounting fails on node %s: %s (DT RAM pages %d)" % (a["node"], a, ram))
        buddy = dict((int(kv["node"]), int(kv["free"])) for k, s, kv in recs if k == "buddy")
        for a in acct:
            if buddy.get(int(a["node"])) != int(a["buddy"]):
                errors.append("node %s: buddyinfo says %s free, accounting %s" % (
                    a["node"], buddy.get(int(a["node"])), a["buddy"]))
        hand = [kv for k, s, kv in recs if k == "handoff"]
        if not hand or int(hand[0]["pages"]) != sum(buddy.values()):
            errors.append("handoff pages %s != free pages %d" % (hand, sum(buddy.values())))
        if case.get("append"):
            b = [kv for k, s, kv in recs if k == "boot"]
            if not b or int(b[0]["bootargs_len"]) != len(case["append"]):
                errors.append("bootargs not read")
        for check in case.get("checks", []):
            msg = check(recs, out)
            if msg:
                errors.append(msg)
    return errors, out


def resized(recs, out):
    st = [kv for k, s, kv in recs if k == "early" and s == "stats"]
    if not st or int(st[0]["resizes"]) < 1:
        return "memblock did not double its arrays: %s" % st
    return None


def first_alloc(recs):
    a = [kv for k, s, kv in recs if k == "early" and s == "alloc" and kv.get("n") == "0"]
    return int(a[0]["base"], 16) if a else None


def top_down(recs, out):
    """memblock's default: the first allocation sits in the top 16 MiB of RAM."""
    base = first_alloc(recs)
    if base is None or base < 0x80000000 + (128 << 20) - (16 << 20):
        return "memblock's first allocation at %s is not at the top of RAM" % (hex(base) if base else None)
    return None


def bottom_up(recs, out):
    """With bottom-up, the first allocation is the first free page above OpenSBI."""
    base = first_alloc(recs)
    if base != 0x80080000 or "mm: memblock allocates bottom-up" not in out:
        return "bottom-up memblock's first allocation at %s, expected 0x80080000" % (hex(base) if base else None)
    return None


def trace_state(events):
    """The allocator's state as the @trace events left it: {name: "0x..."}
    (each event lists, as s.NAME=..., what it may have changed)."""
    state = {}
    for kv in events:
        state.update((k[2:], v) for k, v in kv.items() if k.startswith("s."))
    return state


def trace_check(alloc):
    """APPEND=trace: the @trace lines retell the boot that the other @ lines
    report. Events are numbered 0, 1, ...; add and reserve events are the
    @map; alloc events are the @early allocs in order; the blocks are the
    handoff (count, pages) and never touch a reservation or an early
    allocation; and the allocator's last state, as the trace shows it, is
    its final one: bump's memory_start ends the last allocation, bootmem's
    bitmap (rebuilt from the words the trace gives) frees exactly the pages
    the handoff gives, memblock's arrays hold the map and the allocations
    and double as often as @early stats says."""
    def check(recs, out):
        tr = [kv for k, s, kv in recs if k == "trace"]
        if not tr:
            return "no @trace lines"
        if [int(kv["n"]) for kv in tr] != list(range(len(tr))):
            return "@trace events are not numbered 0, 1, ..."
        hx = lambda v: int(v, 16)
        ev = lambda e: [kv for kv in tr if kv["ev"] == e]
        banks = [(hx(kv["base"]), hx(kv["size"]), int(kv["node"])) for k, s, kv in recs
                 if k == "map" and s == "bank"]
        if [(hx(kv["base"]), hx(kv["size"]), int(kv["node"])) for kv in ev("add")] != banks:
            return "trace add events are not the @map banks"
        resv = [(hx(kv["base"]), hx(kv["size"]), kv["origin"]) for k, s, kv in recs
                if k == "map" and s == "resv"]
        if [(hx(kv["base"]), hx(kv["size"]), kv["origin"]) for kv in ev("reserve")] != resv:
            return "trace reserve events are not the @map reservations"
        allocs = [(hx(kv["base"]), hx(kv["size"]), int(kv["node"])) for k, s, kv in recs
                  if k == "early" and s == "alloc"]
        if [(hx(kv["base"]), hx(kv["size"]), int(kv["node"])) for kv in ev("alloc")] != allocs:
            return "trace alloc events are not the @early allocations"
        hand = [kv for k, s, kv in recs if k == "handoff"][0]
        stats = [kv for k, s, kv in recs if k == "early" and s == "stats"][0]
        blocks = [(hx(kv["pfn"]) << 12, 4096 << int(kv["order"])) for kv in ev("block")]
        if len(blocks) != int(hand["calls"]) or sum(sz for _, sz in blocks) >> 12 != int(hand["pages"]):
            return "%d trace blocks of %d pages, @handoff says %s calls, %s pages" % (
                len(blocks), sum(sz for _, sz in blocks) >> 12, hand["calls"], hand["pages"])
        if [int(kv["pages"]) for kv in ev("handoff")] != [int(hand["pages"])]:
            return "the trace's handoff event does not give @handoff's pages"
        taken = [(b, sz) for b, sz, _ in resv] + [(b, sz) for b, sz, _ in allocs]
        for b, sz in blocks:
            if not any(kb <= b and b + sz <= kb + ks for kb, ks, _ in banks):
                return "trace block 0x%x +0x%x is outside RAM" % (b, sz)
            hit = [(t, ts) for t, ts in taken if ts and t < b + sz and b < t + ts]
            if hit:
                return "trace block 0x%x +0x%x overlaps 0x%x +0x%x" % (b, sz, hit[0][0], hit[0][1])
        state = trace_state(tr)
        if alloc == "bump":
            last = allocs[-1][0] + allocs[-1][1]
            if hx(state["memory_start"]) != last:
                return "the trace's last memory_start %s, the last allocation ends at 0x%x" % (
                    state["memory_start"], last)
        elif alloc == "bootmem":
            if len(ev("merge")) != int(stats["merges"]):
                return "%d merge events, @early stats merges=%s" % (len(ev("merge")), stats["merges"])
            words = dict((k, hx(v)) for k, v in state.items() if k.startswith("map."))
            free = sum(64 - bin(w).count("1") for w in words.values())
            # The bitmap ends inside its last word: bits past the node are set.
            bitmap_pages = int(stats["meta_peak"]) // 4096
            if free + bitmap_pages != int(hand["pages"]):
                return "the trace's bitmap has %d free pages (+%d of bitmap), the handoff gives %s" % (
                    free, bitmap_pages, hand["pages"])
        else:
            if len(ev("double")) != int(stats["resizes"]):
                return "%d double events, @early stats resizes=%s" % (len(ev("double")), stats["resizes"])
            ram = sum(sz for _, sz, _ in banks)
            if hx(state["memory.total_size"]) != ram:
                return "the trace's memory.total_size %s, RAM is 0x%x" % (state["memory.total_size"], ram)
            n = hx(state["reserved.cnt"])
            regions = sorted((hx(state["reserved.base[%d]" % i]), hx(state["reserved.size[%d]" % i]))
                             for i in range(n))
            pages = set()
            for b, sz in taken:
                pages.update(range(b >> 12, (b + sz + 4095) >> 12))
            covered = set()
            for b, sz in regions:
                covered.update(range(b >> 12, (b + sz + 4095) >> 12))
            if not pages <= covered:
                return "the trace's reserved regions miss pages of the reservations and allocations"
            if sum(sz for _, sz in regions) != hx(state["reserved.total_size"]):
                return "the trace's reserved regions do not add up to its total_size"
        return None
    return check


def text_check(want, unwanted=None):
    """A check that the output has the line want (and not unwanted)."""
    def check(recs, out):
        if want not in out:
            return "output lacks %r" % want
        if unwanted and unwanted in out:
            return "output has %r" % unwanted
        return None
    return check


POWER_NO_STATUS = "power: this machine cannot give QEMU a failure status"


def sifive_u_cases():
    """QEMU's HiFive Unleashed: five harts, hart 0 the E51 without an MMU,
    the SiFive UART, no virtio (fs.img is the initrd) and no finisher.
    Every ALLOC boots and halts, checked against the tree QEMU dumps for
    the same options; a panic must be told from the clean halt."""
    c = []
    for a in ALLOCS:
        c.append(dict(name="%s-sifive_u" % a, alloc=a, board="sifive_u", m="128M", smp=5,
                      harts=4, append="halt", timeout=60,
                      checks=[text_check("ramdisk: the initrd [")]))
    # The trace shows no block given to the buddy allocator touching a
    # reservation, the initrd (the RAM disk's memory) included.
    for a in ALLOCS:
        c.append(dict(name="%s-sifive_u-trace" % a, alloc=a, board="sifive_u", m="128M", smp=2,
                      harts=1, append="trace halt", timeout=60, checks=[trace_check(a)]))
    # A bad initrd costs the disk, with a line that says why; the boot ends
    # cleanly ("no disk").
    c.append(dict(name="bootmem-sifive_u-initrd-not-fs", alloc="bootmem", board="sifive_u",
                  m="128M", smp=2, harts=1, timeout=60, initrd=lambda img: b"not a file system\n" * 200,
                  checks=[text_check("holds no file system (its superblock's magic is 0x"),
                          text_check("boot: no disk; nothing to run, shutting down\n")]))
    c.append(dict(name="bump-sifive_u-initrd-cut", alloc="bump", board="sifive_u", m="128M",
                  smp=2, harts=1, timeout=60, initrd=lambda img: img[:len(img) // 2],
                  checks=[lambda recs, out: text_check(
                              "ramdisk: the initrd's file system has %d blocks, but the initrd [0x"
                              % (os.path.getsize(disk("bump")) // 1024))(recs, out),
                          lambda recs, out: text_check(") holds only %d\n" % (
                              os.path.getsize(disk("bump")) // 2048))(recs, out),
                          text_check("boot: no disk; nothing to run, shutting down\n")]))
    c.append(dict(name="memblock-sifive_u-panic", alloc="memblock", board="sifive_u", m="128M",
                  smp=5, append="demo=kstack-overflow", timeout=60, panics=True,
                  expect_text="panic: trap: kernel stack overflow: pid 1 (init)"))
    return c


def unfit_hart_check(reason):
    """cpu@1 of a 2-hart virt is one the kernel cannot run on, for reason.
    OpenSBI picks the boot hart by lottery: when it is hart 0, hart 1 is
    skipped with the reason and 1 hart comes online; when it is hart 1,
    the kernel says the tree is wrong about it, and both come online."""
    def check(recs, out):
        boot = [kv for k, s, kv in recs if k == "boot"]
        harts = [kv for k, s, kv in recs if k == "harts"]
        if not boot or not harts:
            return "no @boot or @harts line"
        if boot[0]["boothart"] == "0":
            want, online = "smp: skipping hart 1 of the device tree: %s\n" % reason, 1
        else:
            want, online = ("smp: the device tree says the boot hart 1 cannot run this kernel "
                            "(%s); it has, so it stays\n" % reason), 2
        if want not in out:
            return "boot hart %s: output lacks %r" % (boot[0]["boothart"], want)
        if int(harts[0]["online"]) != online or int(harts[0]["listed"]) != online:
            return "boot hart %s: harts %s, expected %d online" % (boot[0]["boothart"], harts[0], online)
        return None
    return check


def nomap_kernel_panic(alloc):
    start, end = kernel_end(alloc)
    return ("panic: devicetree: no-map reservation overlaps the kernel image [0x%x, 0x%x): "
            "/reserved-memory/kernel-overlap@80200000 [0x80200000, 0x80210000)\n" % (start, end))


def bad_dt_cases(a):
    """Issue 11: a device tree that lies about the machine gets a named error
    (status 1) or a boot that copes and says so; never a hang or a bare trap.
    Each tree is QEMU's own for -m 128M, broken by gen-bad-boot.sh. Each boot
    takes about a second; the old failure was a hang, hence the short limit."""
    gen = "tests/dts/gen-bad-boot.sh "
    missing_ram = ("panic: trap: RAM at %s is not there, though the device tree's memory bank "
                   "[0x80000000, %s) claims it (load access fault, sepc 0x")
    return [
        dict(name="%s-dt-nomap-kernel" % a, alloc=a, m="128M", smp=1, gen=gen + "nomap-kernel",
             append="halt", timeout=60, status=1, expect_text=nomap_kernel_panic),
        # Copes: the reader has read the blob before paging, and mm keeps a copy for plic.c.
        dict(name="%s-dt-nomap-dtb" % a, alloc=a, m="128M", smp=1, gen=gen + "nomap-dtb",
             append="halt", timeout=60, checks=[text_check(
                 "mm: the device tree at 0x87e00000 lies under the no-map reservation "
                 "dtb-overlap@87e00000 [0x87e00000, 0x87e10000); it is read from a copy at 0x")]),
        # Copes: the hart QEMU lacks is skipped at once, not waited for.
        dict(name="%s-dt-cpu-reg8" % a, alloc=a, m="128M", smp=3, harts=2, gen=gen + "cpu-reg8",
             append="halt", timeout=60, checks=[text_check(
                 "smp: skipping hart 8 of the device tree: hart ids must be below NCPU = 8\n",
                 "did not come online")]),
        # Harts the kernel cannot run on, by mmu-type and riscv,isa. OpenSBI
        # 1.1 itself sets status = "disabled" on a cpu node without mmu-type
        # (as on sifive_u's hart 0), so that is what the kernel sees first;
        # its own mmu-type rule is tested on the host (test_fdtmap).
        dict(name="%s-dt-cpu-nommu" % a, alloc=a, m="128M", smp=2, harts=None, gen=gen + "cpu-nommu",
             append="halt", timeout=60, checks=[unfit_hart_check('status is not "okay"')]),
        dict(name="%s-dt-cpu-isa" % a, alloc=a, m="128M", smp=2, harts=None, gen=gen + "cpu-isa",
             append="halt", timeout=60, checks=[unfit_hart_check(
                 "its riscv,isa lacks rv64imafdc (the kernel is rv64imac, user programs rv64gc)")]),
        dict(name="%s-dt-ram-beyond" % a, alloc=a, m="128M", smp=1, gen=gen + "ram-beyond",
             append="halt", timeout=60, status=1, expect_text=missing_ram % ("0x8ffff000", "0x90000000")),
        dict(name="%s-dt-ram-1t" % a, alloc=a, m="128M", smp=1, gen=gen + "ram-1t",
             append="halt", timeout=60, status=1,
             expect_text=missing_ram % ("0x1007ffff000", "0x10080000000")),
        dict(name="%s-dt-virtio-in-ram" % a, alloc=a, m="128M", smp=1, gen=gen + "virtio-in-ram",
             append="halt", timeout=60, status=1,
             expect_text="panic: devicetree: device inside RAM: /soc/virtio_mmio@10001000 "
                         "[0x80500000, 0x80501000) overlaps /memory@80000000 "
                         "[0x80000000, 0x88000000)\n"),
    ]


def cases():
    c = []
    for a in ALLOCS:
        c.append(dict(name="%s-128M-smp1" % a, alloc=a, m="128M", smp=1,
                      checks=[top_down] if a == "memblock" else []))
        c.append(dict(name="%s-2G-smp4" % a, alloc=a, m="2G", smp=4, append="console=ttyS0 hello"))
        c.append(dict(name="%s-numa2" % a, alloc=a, m="512M", smp=2, numa="256M"))
        c.append(dict(name="%s-holes" % a, alloc=a, m="256M", smp=2, dts="tests/dts/holes-boot.dts"))
        c.append(dict(name="%s-many-resv" % a, alloc=a, m="256M", smp=2, gen="tests/dts/gen-many-resv.sh",
                      checks=[resized] if a == "memblock" else []))
        # The smallest RAM QEMU 7.2 accepts for virt with OpenSBI (4.5M fails:
        # "Some ROM regions are overlapping").
        c.append(dict(name="%s-5M" % a, alloc=a, m="5M", smp=1))
    c.append(dict(name="memblock-bottom-up", alloc="memblock", m="128M", smp=1, append="bottom-up",
                  checks=[bottom_up]))
    # Failures must be named, and QEMU must exit with status 1.
    c.append(dict(name="memblock-bad-dtb-reg", alloc="memblock", m="128M", smp=1,
                  gen="tests/dts/gen-bad-reg-boot.sh", status=1,
                  expect_text="panic: devicetree: reg length 12 is not a multiple of 16 "
                              "(#address-cells + #size-cells): /memory@80000000"))
    c.append(dict(name="bootmem-demo-oom", alloc="bootmem", m="128M", smp=1, append="demo=oom",
                  status=1, expect_text="panic: bootalloc: out of memory: mm_init could not get "
                                        "1099511627776 bytes"))
    c.append(dict(name="bump-demo-late-alloc", alloc="bump", m="128M", smp=1, append="demo=late-alloc",
                  status=1, expect_text="panic: bootalloc: kmain called the bump allocator after it "
                                        "was retired at handoff"))
    c.append(dict(name="memblock-demo-kstack-overflow", alloc="memblock", m="128M", smp=1,
                  append="demo=kstack-overflow", status=1,
                  expect_text="panic: trap: kernel stack overflow: pid 1 (init) ran past its "
                              "4096-byte kernel stack into the guard page"))
    # No allocator may hand out no-map memory, and the kernel does not map
    # it: a read of OpenSBI's (the first no-map reservation) must name it.
    c.append(dict(name="bump-demo-nomap", alloc="bump", m="128M", smp=1, append="demo=nomap",
                  status=1, expect_text="panic: trap: load page fault at 0x80000000, inside the no-map "
                                        "reservation mmode_resv0@80000000 [0x80000000, 0x80080000), which "
                                        "no allocator may hand out and the kernel does not map"))
    # OpenSBI 1.1's start race, on purpose: the last hart but the boot hart
    # (OpenSBI picks that) enters at _start with the DTB in a1 and must
    # still come online (docs/quirks.md).
    c.append(dict(name="memblock-hsm-race", alloc="memblock", m="128M", smp=3,
                  append="demo=hsm-race halt", timeout=60,
                  expect_text=" starts at _start with a1 = the DTB, as in OpenSBI 1.1's start race"))
    # The boot trace retells the boot; memblock's with 203 reservations doubles.
    for a in ALLOCS:
        c.append(dict(name="%s-trace" % a, alloc=a, m="128M", smp=1, append="trace halt",
                      timeout=60, checks=[trace_check(a)]))
    c.append(dict(name="memblock-trace-many-resv", alloc="memblock", m="256M", smp=2,
                  gen="tests/dts/gen-many-resv.sh", append="trace halt", timeout=120,
                  checks=[trace_check("memblock"), resized]))
    # What make qemu boots with: no @ lines, only the tables.
    for a in ALLOCS:
        c.append(dict(name="%s-quiet" % a, alloc=a, m="128M", smp=1, append="quiet halt",
                      timeout=60, quiet=True))
    for a in ALLOCS:
        c += bad_dt_cases(a)
    return c + sifive_u_cases()


def main():
    only = None
    if "--only" in sys.argv:
        only = sys.argv[sys.argv.index("--only") + 1]
    todo = [c for c in cases() if not only or only in c["name"]]
    if "--list" in sys.argv:
        print("\n".join(c["name"] for c in todo))
        return 0
    built = {}
    passed = failed = 0
    for case in todo:
        a = case["alloc"]
        if a not in built:
            built[a] = build(a, disk=True)
        if not built[a][0]:
            errs = ["kernel build failed for ALLOC=%s:" % a] + built[a][1].splitlines()[-15:]
        elif case.get("dts") and not os.path.exists(os.path.join(ROOT, case["dts"])):
            errs = ["missing %s" % case["dts"]]
        else:
            errs, _ = run_case(case)
        if errs:
            failed += 1
            print("FAIL boot %s" % case["name"])
            for e in errs:
                print("     " + e)
        else:
            passed += 1
            print("ok   boot %s" % case["name"])
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
