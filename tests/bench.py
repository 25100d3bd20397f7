#!/usr/bin/python3
"""make bench: figures for every ALLOC (BENCH_ALLOC), in four parts
(BENCH_PARTS, default all four):

  handoff    boot at MEM = 128M, 256M, ... 16G (BENCH_MEM) under QEMU
             -icount shift=0, where rdinstret counts guest instructions
             exactly: the early-allocation and handoff figures, as a table,
             as build/bench.csv and as plots beside it (tests/benchplot.py:
             build/bench-{instructions,metadata,insertions}.{svg,png});
  prompt     boot with the disk at 128M on one hart under -icount shift=0
             to the shell's "$ " and read the boot timeline (`memmap -t`):
             guest time to each step and to the prompt, and the host's
             wall time to the prompt; BENCH_RUNS boots (default 3), median
             and range. Under -icount QEMU's instret is its virtual clock,
             which also runs while the guest idles (waiting for the disk
             or for output to drain), so steps with I/O vary by a few ms;
  usertests  `usertests -q` at 128M with 3 harts, no -icount: host wall
             time, which varies with the machine and its load;
  grade      the grader (grading/bench): one `make grade LAB=bootmem` on
             the reference, and a class of 20 with grade-class -j 2,
             extrapolated to 100 submissions.

BOARD=sifive_u runs the first three on QEMU's HiFive Unleashed with as
many harts the kernel can use (one more for -smp: hart 0, the E51, runs
no kernel), the disk as an initrd; its CSV and plots go to
build/sifive_u/. The grader's part is virt's only.

Figures, not a timed test: it never fails on a number."""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "boot"))
import boottest  # noqa: E402
import benchplot  # noqa: E402
import shelltest  # noqa: E402

SIZES = os.environ.get("BENCH_MEM", "128M 256M 512M 1G 2G 4G 8G 16G").split()
ALLOCS = os.environ.get("BENCH_ALLOC", "bump bootmem memblock").split()
PARTS = os.environ.get("BENCH_PARTS", "handoff prompt usertests grade").split()
BOARD = os.environ.get("BOARD", "virt")
SMP_EXTRA = boottest.SPARE_HARTS[BOARD]     # -smp counts harts that run no kernel
OUTDIR = os.path.join(boottest.ROOT, "build", *([] if BOARD == "virt" else [BOARD]))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
# The rows of `memmap -t`, in order (kernel/bootreport.h, BR_MARK_*).
STEPS = ["kernel entered", "buddy allocator ready", "schedulers started", "/init loaded",
         "shell prompt"]


def boot(alloc, mem):
    cmd = ["qemu-system-riscv64", "-machine", BOARD, "-m", mem, "-smp", str(1 + SMP_EXTRA),
           "-icount", "shift=0", "-bios", boottest.FIRMWARE,
           "-kernel", boottest.kernel(alloc), "-nographic", "-no-reboot"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
    recs = boottest.parse(p.stdout)
    get = lambda kind, sub="": next((kv for k, s, kv in recs if k == kind and s == sub), {})
    h, st = get("handoff"), get("early", "stats")
    if p.returncode or not h or get("boot").get("instret_exact") != "1":
        return None             # a failed boot, or instret not counting instructions
    pages = int(h["pages"])
    return dict(alloc=alloc, mem=mem, early_instr=int(h["early_instret"]),
                handoff_instr=int(h["handoff_instret"]), pages=pages, calls=int(h["calls"]),
                per_page=int(h["handoff_instret"]) / pages if pages else 0,
                meta=int(st["meta"]), meta_peak=int(st["meta_peak"]), nallocs=int(st["nallocs"]),
                requested=int(st["requested"]), consumed=int(st["consumed"]),
                free=sum(int(kv["free"]) for k, s, kv in recs if k == "buddy"))


def handoff_table():
    rows = []
    for a in ALLOCS:
        if not boottest.build(a)[0]:
            print("build failed for ALLOC=%s" % a)
            return 1
    cols = ["alloc", "mem", "early_instr", "handoff_instr", "pages", "calls", "per_page",
            "meta", "meta_peak", "nallocs", "requested", "consumed", "free"]
    print("Early allocation and handoff (%s, 1 hart, -icount shift=0)\n" % BOARD)
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
    os.makedirs(OUTDIR, exist_ok=True)
    with open(os.path.join(OUTDIR, "bench.csv"), "w") as f:
        f.write(",".join(cols) + "\n")
        for r in rows:
            f.write(",".join(str(r[c]) if not isinstance(r[c], float) else "%.3f" % r[c] for c in cols) + "\n")
    print("CSV: " + os.path.relpath(os.path.join(OUTDIR, "bench.csv"), boottest.ROOT))
    for p in benchplot.plot(os.path.join(OUTDIR, "bench.csv"), OUTDIR):
        print("plot: " + os.path.relpath(p, boottest.ROOT))
    return 0


def timeline(alloc):
    """Boots alloc with the disk under -icount to the prompt; returns
    (wall seconds to the prompt, {step: (time us, instructions)})."""
    m = shelltest.Machine(alloc, cpus=1 + SMP_EXTRA, log_name="bench-prompt-" + alloc,
                          extra=["-icount", "shift=0"], board=BOARD)
    try:
        t0 = time.monotonic()
        m.boot()
        wall = time.monotonic() - t0
        out = m.run("memmap -t")
    finally:
        m.close()
    steps = {}
    for step in STEPS:
        r = re.search(r"^  %s.*?\s(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$" % re.escape(step), out, re.M)
        if not r:
            raise shelltest.Failure("memmap -t has no figures for %r:\n%s" % (step, out))
        steps[step] = (int(r.group(1)), int(r.group(3)))
    return wall, steps


def spread(values, fmt):
    """"median (min-max)" of values."""
    v = sorted(values)
    med = fmt % v[len(v) // 2]
    return med if v[0] == v[-1] or len(v) == 1 else "%s (%s-%s)" % (med, fmt % v[0], fmt % v[-1])


def prompt_table():
    print("\nBoot to the shell prompt: guest ms from reset to each step (%s, 128M, 1 hart, disk," % BOARD)
    print("-icount shift=0, 1 ns of guest time per instruction); median (range) of %d boots\n"
          % RUNS)
    print("| ALLOC | " + " | ".join(STEPS) + " | guest instructions to prompt "
          "| host wall s to prompt |")
    print("|---" * (len(STEPS) + 3) + "|")
    for a in ALLOCS:
        runs = []
        try:
            for _ in range(RUNS):
                runs.append(timeline(a))
        except shelltest.Failure as e:
            print("| %s | failed: %s |" % (a, str(e).splitlines()[0]))
            continue
        cells = [spread([st[step][0] / 1000 for _, st in runs], "%.1f") for step in STEPS]
        cells.append(spread([st[STEPS[-1]][1] / 1e6 for _, st in runs], "%.1fM"))
        print("| %s | %s | %s |" % (a, " | ".join(cells), spread([w for w, _ in runs], "%.1f")))
        sys.stdout.flush()
    return 0


def usertests_table():
    print("\n`usertests -q` (%s, 128M, 3 harts, no -icount; host wall time varies)\n" % BOARD)
    print("| ALLOC | result | host wall s |")
    print("|---|---|---|")
    for a in ALLOCS:
        m = shelltest.Machine(a, cpus=3 + SMP_EXTRA, log_name="bench-usertests-" + a, board=BOARD)
        try:
            m.boot()
            t0 = time.monotonic()
            out = m.run("usertests -q", seconds=shelltest.QUICK_DEADLINE)
            wall = time.monotonic() - t0
            result = "ALL TESTS PASSED" if "ALL TESTS PASSED" in out else "FAILED"
            print("| %s | %s | %.1f |" % (a, result, wall))
        except shelltest.Failure as e:
            print("| %s | failed: %s | |" % (a, str(e).splitlines()[0]))
        finally:
            m.close()
        sys.stdout.flush()
    return 0


def main():
    st = 0
    if "handoff" in PARTS:
        st |= handoff_table()
    if "prompt" in PARTS or "usertests" in PARTS:
        for a in ALLOCS:
            ok, out = boottest.build(a, disk=True)
            if not ok:
                print("build failed for ALLOC=%s:\n%s" % (a, out))
                return 1
    if "prompt" in PARTS:
        st |= prompt_table()
    if "usertests" in PARTS:
        st |= usertests_table()
    if "grade" in PARTS and BOARD != "virt":
        print("\nThe grader's figures are virt's (make bench without BOARD).")
    elif "grade" in PARTS:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        st |= subprocess.run(["/usr/bin/python3", os.path.join(root, "grading", "bench")], cwd=root).returncode
    return st


if __name__ == "__main__":
    sys.exit(main())
