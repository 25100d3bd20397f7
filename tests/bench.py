#!/usr/bin/env python3
"""make bench: boot every ALLOC at MEM = 128M, 1G, 4G and 16G under
QEMU -icount shift=0, where rdinstret counts guest instructions exactly, and
print the early-allocation and handoff figures as a table and a CSV file
(build/bench.csv). Figures, not a timed test: it never fails on a number."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "boot"))
import boottest  # noqa: E402

SIZES = os.environ.get("BENCH_MEM", "128M 1G 4G 16G").split()
ALLOCS = os.environ.get("BENCH_ALLOC", "bump bootmem memblock").split()


def boot(alloc, mem):
    cmd = ["qemu-system-riscv64", "-machine", "virt", "-m", mem, "-smp", "1",
           "-icount", "shift=0", "-bios", boottest.FIRMWARE,
           "-kernel", boottest.kernel(alloc), "-nographic", "-no-reboot"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
    recs = boottest.parse(p.stdout)
    get = lambda kind, sub="": next((kv for k, s, kv in recs if k == kind and s == sub), {})
    h, st = get("handoff"), get("early", "stats")
    if p.returncode or not h:
        return None
    pages = int(h["pages"])
    return dict(alloc=alloc, mem=mem, early_instr=int(h["early_instret"]),
                handoff_instr=int(h["handoff_instret"]), pages=pages, calls=int(h["calls"]),
                per_page=int(h["handoff_instret"]) / pages if pages else 0,
                meta=int(st["meta"]), meta_peak=int(st["meta_peak"]), nallocs=int(st["nallocs"]),
                requested=int(st["requested"]), consumed=int(st["consumed"]),
                free=sum(int(kv["free"]) for k, s, kv in recs if k == "buddy"))


def main():
    rows = []
    for a in ALLOCS:
        if not boottest.build(a):
            print("build failed for ALLOC=%s" % a)
            return 1
    cols = ["alloc", "mem", "early_instr", "handoff_instr", "pages", "calls", "per_page",
            "meta", "meta_peak", "nallocs", "requested", "consumed", "free"]
    print("| ALLOC | MEM | early-phase instr | handoff instr | pages handed off | insertions "
          "| instr/page | metadata bytes (peak) | requested / consumed bytes | free pages |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for mem in SIZES:
        for a in ALLOCS:
            r = boot(a, mem)
            if not r:
                print("| %s | %s | boot failed | | | | | | | |" % (a, mem))
                continue
            rows.append(r)
            print("| %s | %s | %d | %d | %d | %d | %.2f | %d (%d) | %d / %d | %d |" % (
                a, mem, r["early_instr"], r["handoff_instr"], r["pages"], r["calls"],
                r["per_page"], r["meta"], r["meta_peak"], r["requested"], r["consumed"], r["free"]))
            sys.stdout.flush()
    os.makedirs(os.path.join(boottest.ROOT, "build"), exist_ok=True)
    with open(os.path.join(boottest.ROOT, "build", "bench.csv"), "w") as f:
        f.write(",".join(cols) + "\n")
        for r in rows:
            f.write(",".join(str(r[c]) if not isinstance(r[c], float) else "%.3f" % r[c] for c in cols) + "\n")
    print("CSV: build/bench.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
