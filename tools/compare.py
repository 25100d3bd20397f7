#!/usr/bin/python3
"""make compare: boot bump, bootmem and memblock on the same machine and
write one self-contained page, build/compare.html (inline SVG and
JavaScript, nothing fetched), that shows them side by side.

The machine: MEM (default 256M) of RAM, CPUS harts (default 2), NUMA=2 for
two nodes of MEM each, and by default two reservations the grader's
machine library lays out (a no-map and a plain /reserved-memory child).
DTB=file boots that device tree instead. --board sifive_u boots QEMU's
HiFive Unleashed instead (CPUS harts as in make qemu, at least 2: hart 0,
the E51, runs no kernel), with fs.img as the initrd, so the page shows
the RAM disk's reservation. Each kernel boots with
`APPEND=trace halt` under -icount shift=0, so the page has every
early-allocator event (README "Boot output", @trace) and exact
instruction counts.

Usage: compare.py [--mem 256M] [--cpus 2] [--numa 2] [--dtb FILE] [--board sifive_u]
                  [--out FILE]"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
sys.path.insert(0, os.path.join(ROOT, "grading"))
import boottest  # noqa: E402
from lib import machine  # noqa: E402

ALLOCS = boottest.ALLOCS
PAGE_JS = os.path.join(ROOT, "tools", "compare.js")
PAGE_CSS = os.path.join(ROOT, "tools", "compare.css")


def mib(text):
    """'256M' or '1G' in MiB."""
    n = int(text[:-1])
    return n * 1024 if text.upper().endswith("G") else n


def machine_args(opts, tmp, cpus=None):
    """QEMU's machine options and a one-line description (cpus: another
    number of harts than --cpus, for the instruction-count boot)."""
    cpus_total = cpus or opts.cpus
    if opts.board == "sifive_u":
        # The initrd is the same for the three: any ALLOC's fs.img.
        smp = max(1 + boottest.SPARE_HARTS["sifive_u"], cpus_total)
        args = ["-machine", "sifive_u", "-m", opts.mem, "-smp", str(smp)] + \
            boottest.disk_args("sifive_u", boottest.disk("memblock"))
        args += ["-dtb", os.path.abspath(opts.dtb)] if opts.dtb else []
        return args, "sifive_u, %s, %d harts (hart 0, the E51, runs no kernel), fs.img as the " \
            "initrd%s" % (opts.mem, max(2, opts.cpus), ", device tree " + opts.dtb if opts.dtb else "")
    if opts.dtb:
        args = ["-machine", "virt", "-m", opts.mem, "-smp", str(cpus_total)]
        if opts.numa == 2:
            args[3] = "%dM" % (2 * mib(opts.mem))
            args += boottest.numa_args(opts.mem)
        return args + ["-dtb", os.path.abspath(opts.dtb)], "%s, %d harts, device tree %s" % (
            opts.mem, opts.cpus, opts.dtb)
    per = mib(opts.mem)
    nodes = 2 if opts.numa == 2 else 1
    cpus = [cpus_total] if nodes == 1 else [max(1, cpus_total // 2), max(1, cpus_total - cpus_total // 2)]
    banks = [(machine.RAM_BASE + n * per * machine.MiB, per * machine.MiB, n) for n in range(nodes)]
    # Two reservations away from the kernel and the top 2 MiB (the DTB):
    # a no-map one at a quarter of RAM and a plain one at a half.
    total = nodes * per * machine.MiB
    resv = [(machine.RAM_BASE + total // 4, 2 * machine.MiB, "no-map", "nomap-demo@%x"),
            (machine.RAM_BASE + total // 2 + 0x3000, 0x25000, "plain", "plain-demo@%x")]
    resv = [(b, s, k, n % b) for b, s, k, n in resv]
    m = machine.build(1, [per] * nodes, cpus, banks, resv)
    return m.write(tmp), m.describe()


def boot(alloc, args, icount=False):
    cmd = ["qemu-system-riscv64", "-bios", boottest.FIRMWARE, "-kernel", boottest.kernel(alloc),
           "-nographic", "-no-reboot", "-append", "trace halt"] + args
    if icount:
        cmd += ["-icount", "shift=0"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    if p.returncode:
        tail = "\n".join((p.stdout + p.stderr).splitlines()[-15:])
        raise SystemExit("compare: the %s kernel did not boot (QEMU exit %d):\n%s" % (
            alloc, p.returncode, tail))
    return p.stdout


def records(out):
    """What the page needs from one boot's @ lines."""
    recs = boottest.parse(out)
    one = lambda kind, sub="": next((kv for k, s, kv in recs if k == kind and s == sub), {})
    hx = lambda v: int(v, 16)
    allocs = [dict(base=hx(kv["base"]), size=hx(kv["size"]), node=int(kv["node"]), what=kv["for"])
              for k, s, kv in recs if k == "early" and s == "alloc"]
    trace = []
    for k, s, kv in recs:
        if k == "trace":
            ev = dict((key, v) for key, v in kv.items() if not key.startswith("s."))
            ev["state"] = boottest.trace_state([kv])
            trace.append(ev)
    return dict(
        banks=[dict(base=hx(kv["base"]), size=hx(kv["size"]), node=int(kv["node"]))
               for k, s, kv in recs if k == "map" and s == "bank"],
        resv=[dict(base=hx(kv["base"]), size=hx(kv["size"]), origin=kv["origin"], flags=kv["flags"],
                   name=kv.get("name", "")) for k, s, kv in recs if k == "map" and s == "resv"],
        allocs=allocs,
        blocks=[dict(pfn=hx(ev["pfn"]), order=int(ev["order"])) for ev in trace if ev["ev"] == "block"],
        trace=[ev for ev in trace if ev["ev"] != "block"],
        stats=one("early", "stats"), handoff=one("handoff"), boot=one("boot"),
        acct=[kv for k, s, kv in recs if k == "acct"],
        buddy=[kv for k, s, kv in recs if k == "buddy"])


def page(data):
    with open(PAGE_JS) as f:
        js = f.read()
    with open(PAGE_CSS) as f:
        css = f.read()
    # </script> cannot appear inside the data: JSON escapes "/" only if asked.
    blob = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<title>Three early allocators, side by side</title>\n<style>\n%s</style></head>\n"
            "<body>\n<h1>Three early allocators on one machine</h1>\n<p id=\"machine\"></p>\n"
            "<div id=\"controls\"></div>\n<div id=\"columns\"></div>\n<div id=\"tip\"></div>\n"
            "<script>const DATA = %s;</script>\n<script>\n%s</script>\n</body></html>\n"
            % (css, blob, js))


def main(argv):
    ap = argparse.ArgumentParser(description="Boot the three allocators and compare them in a page.")
    ap.add_argument("--mem", default="256M")
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--numa", type=int, default=1, choices=(1, 2))
    ap.add_argument("--dtb")
    ap.add_argument("--board", default="virt", choices=("virt", "sifive_u"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "compare.html"))
    ap.add_argument("--logs", default=os.path.join(ROOT, "build", "compare-logs"),
                    help="where each boot's console goes (ALLOC.log)")
    opts = ap.parse_args(argv[1:])
    data = dict(allocs={})
    with tempfile.TemporaryDirectory() as tmp:
        args, data["machine"] = machine_args(opts, tmp)
        # Instructions are counted under -icount on one hart (with more,
        # QEMU 7.2's -icount takes half a minute to start the others).
        counted = args if opts.dtb or opts.cpus == 1 else machine_args(opts, tmp + "/one", 1)[0]
        for a in ALLOCS:
            if not boottest.build(a, disk=opts.board == "sifive_u")[0]:
                return "compare: the %s kernel does not build" % a
            print("compare: booting ALLOC=%s (%s)" % (a, data["machine"]))
            out = boot(a, args)
            os.makedirs(opts.logs, exist_ok=True)
            with open(os.path.join(opts.logs, a + ".log"), "w") as f:
                f.write(out)
            data["allocs"][a] = records(out)
            rec = records(boot(a, counted, icount=True))
            data["allocs"][a]["instructions"] = dict(
                early=rec["handoff"].get("early_instret"), handoff=rec["handoff"].get("handoff_instret"),
                exact=rec["boot"].get("instret_exact") == "1", harts=1 if counted is not args else
                opts.cpus - boottest.SPARE_HARTS[opts.board])
    os.makedirs(os.path.dirname(os.path.abspath(opts.out)), exist_ok=True)
    with open(opts.out, "w") as f:
        f.write(page(data))
    print("compare: wrote %s; open it with: chromium %s" % (
        os.path.relpath(opts.out), os.path.abspath(opts.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
