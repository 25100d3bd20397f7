#!/usr/bin/python3
"""Reserved memory, checked from outside the kernel: no reservation is ever
handed out or written, whatever the kernel itself reports.

Usage: resvtest.py [--only ALLOC] [--usertests ALLOC,...]

For every ALLOC (bump bootmem memblock) one boot, with the disk, of a fixed
one-node machine (512M, 2 harts; the reservations sit where each
allocator's own placements fall on it) whose device tree has a
/reserved-memory child of each kind (no-map, plain, reusable) and two
/memreserve/ entries, one of them 128 bytes across a page boundary. QEMU's
`-device loader` fills each with a pattern before the kernel runs; the
shell then runs `memstress` and `usertests -q`. After the first prompt and
after each command, gdb stops the guest and QEMU's monitor (`pmemsave`)
dumps every region, which is compared with the pattern byte by byte; if
the kernel panics, the same is read where the panic powers off.

Every kind is expected untouched: here "reusable" means only "still reserved
at boot" (mm/memmap.h, docs/devicetree.md); nothing in this kernel reuses it.
The kernel image, the DTB and OpenSBI's region are not checked: the kernel
writes the first, reads the second, and PMP guards the third.

The machinery is the grader's (grading/lib: machine.build, guest.boot with
commands, guest.check_free_set). Per ALLOC it prints whether the workloads
ran, the figure (bytes changed, which must be 0) per region, and whether the
buddy's free lists kept clear of every reserved page; it ends with
"N passed, N failed". --usertests limits `usertests -q` to those ALLOCs
(the others run memstress only). Console logs go to build/resv-logs/.
"""
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "grading"))
from lib import guest, machine  # noqa: E402
import boottest  # noqa: E402  (the same folder: build, kernel, disk)

ALLOCS = ["bump", "bootmem", "memblock"]
LOGDIR = os.path.join(ROOT, "build", "resv-logs")
MiB = machine.MiB
SEED = 11                   # picks the patterns only

# (base, size, kind, name). Placed where the allocators are busy at 512M:
# inside the 4 MiB of page descriptors that bump and bootmem place right
# above the kernel image (so they must step over it), with both ends off
# page boundaries in the middle, a sub-page entry across a page boundary
# (rounding inward would free both pages), and just below the top 2 MiB,
# where memblock's top-down descriptors go (they do not fit above the DTB).
RESERVATIONS = [
    (0x80600000, 0x40000, "no-map", "resv-nomap@80600000"),
    (0x83456789, 0x4b3a1, "plain", "resv-plain@83456789"),
    (0x84000fc0, 0x80, "memreserve", ""),
    (0x85001234, 0x23456, "memreserve", ""),
    (0x9fd80000, 0x80000, "reusable", "resv-reusable@9fd80000"),
]

BOOT_DEADLINE = 120          # seconds to the first prompt
MEMSTRESS = ("memstress", 300, "memstress: ok")
USERTESTS = ("usertests -q", 600, "ALL TESTS PASSED")


def test_machine():
    return machine.build(SEED, [512], [2], [(machine.RAM_BASE, 512 * MiB, 0)], RESERVATIONS)


def size_str(n):
    return "%.1f MiB" % (n / MiB) if n >= MiB // 10 else "%d bytes" % n


def readings(result, m):
    """[(when, GuestResult)] for every time memory was read: after the boot
    and after each command, and at power_off when the kernel panicked."""
    out = [("the boot" if after == "boot" else after, guest.snapshot_result(result, m, i))
           for i, (after, _) in enumerate(result.snapshots)]
    if result.status == "panic" and result.patterns:
        out.append(("the panic", result))
    return out


def changes(reads, m):
    """Per reservation (in m.reservations' order): (bytes changed at the
    last reading, the reading where it first changed or None)."""
    out = []
    for k in range(len(m.reservations)):
        first = next((when for when, s in reads if s.patterns[k][5]), None)
        out.append((reads[-1][1].patterns[k][5], first))
    return out


def run_alloc(alloc, m, steps):
    """Boot alloc's kernel on m and run steps; returns [(ok, line)]."""
    label = "resv %s" % alloc
    ok, err = boottest.build(alloc, disk=True)
    if not ok:
        return [(False, "%s: build failed\n%s" % (label, err[-2000:]))]
    kernel, disk = boottest.kernel(alloc), boottest.disk(alloc)
    with tempfile.TemporaryDirectory(prefix="resvtest-") as work:
        r = guest.boot(kernel, m, work, append="", disk=disk,
                       commands=[(c, s) for c, s, _ in steps],
                       timeout=BOOT_DEADLINE + sum(s for _, s, _ in steps), boot_timeout=BOOT_DEADLINE)
        reads = readings(r, m)
        found = changes(reads, m) if reads else []
        free_set = [guest.check_free_set(s, m, kernel, allow_gaps=(alloc == "bump")) for _, s in reads]
    os.makedirs(LOGDIR, exist_ok=True)
    with open(os.path.join(LOGDIR, alloc + ".log"), "w") as f:
        f.write(r.console)
    lines = []
    ran = [p in out for (_, _, p), out in zip(steps, r.outputs)]
    if r.status == "done" and all(ran):
        lines.append((True, "%s: boot, %s (%.1f s)" % (label, ", ".join(c for c, _, _ in steps), r.wall_seconds)))
    else:
        doing = "boot" if not r.snapshots else steps[len(r.outputs)][0] if len(r.outputs) < len(steps) \
            else "the output of " + steps[ran.index(False)][0]
        lines.append((False, "%s: %s: %s (%.1f s)\n%s" % (label, doing, r.panic_line or r.error or r.status,
                                                          r.wall_seconds, r.last_lines(10))))
    if not reads:
        return lines + [(False, "%s: no memory was read" % label)]
    total = sum(s for _, s, _, _, _ in m.reservations)
    changed = sum(n for n, _ in found)
    whens = [w for w, _ in reads]
    after = ", ".join(whens[:-1]) + " and " + whens[-1] if len(whens) > 1 else whens[0]
    detail = "".join("\n     %-10s %-24s [0x%x, +0x%x): %d bytes changed%s" % (
        kind, name, base, size, n, " (first seen after %s)" % first if first else "")
        for (base, size, kind, name, _), (n, first) in zip(m.reservations, found))
    lines.append((changed == 0, "%s: %d regions, %s checked after %s, %d bytes changed%s" % (
        label, len(m.reservations), size_str(total), after, changed, detail)))
    bad = next(((reads[i][0], p) for i, p in enumerate(free_set) if p), None)
    if bad:
        lines.append((False, "%s: free lists after %s: %s" % (label, bad[0], "; ".join(bad[1][:3]))))
    else:
        lines.append((True, "%s: free lists partition RAM, no reserved page in them (%d readings)"
                      % (label, len(reads))))
    return lines


def main(argv):
    allocs = [argv[argv.index("--only") + 1]] if "--only" in argv else ALLOCS
    quick = argv[argv.index("--usertests") + 1].split(",") if "--usertests" in argv else ALLOCS
    m = test_machine()
    print("     machine: %s" % m.describe())
    passed = failed = 0
    for alloc in allocs:
        steps = [MEMSTRESS] + ([USERTESTS] if alloc in quick else [])
        for ok, line in run_alloc(alloc, m, steps):
            print("%s %s" % ("ok  " if ok else "FAIL", line))
            passed, failed = passed + ok, failed + (not ok)
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
