"""Lab tour: the tests. The machine of the task (README.md §2) is written
down below as the grader's own description; the student's device tree
must make the pristine kernel find exactly that machine, and guest memory,
read through gdb, must agree. The student's orders program is judged
against the free lists the grader reads from guest memory while the
program waits. The numbers of answers.md are checked against the grader's
own boots and gdb session."""
import os
import re
import subprocess
import time

from lib import gradelib, guest, machine, sandbox
from lib.answers import boot_records, expect_close, number
from lib.gradelib import TestFailure

lab = gradelib.current_lab()
MiB = 1 << 20
DTS = "lab/00-tour/machine.dts"
# The machine of the task: QEMU virt -m 256M -smp 2, two banks with a
# 32 MiB hole, a plain reservation and a no-map one.
BANKS = [(0x80000000, 96 * MiB, 0), (0x88000000, 128 * MiB, 0)]
RESERVED = [(0x84000000, 64 << 10, "plain", "the plain reservation", False),
            (0x8c000000, 1 * MiB, "no-map", "the no-map reservation", True)]


@lab.test(points=10, name="Q1a: pages bootmem hands over at 128M, one hart", section=1, kind="qemu", timeout=60)
def q1a(t):
    number(t, "Q1a", 1)
    expect_close(t, "Q1a", 1, int(boot_records(t, "bootmem", "128M", icount=False)["handoff", ""]["pages"]), 0,
                 "the pages bootmem hands to the buddy allocator (MEM=128M CPUS=1)")


@lab.test(points=10, name="Q1b: memblock's early allocations at 128M, one hart", section=1, kind="qemu",
          timeout=60)
def q1b(t):
    number(t, "Q1b", 1)
    expect_close(t, "Q1b", 1, int(boot_records(t, "memblock", "128M", icount=False)["early", "stats"]["nallocs"]),
                 0, "memblock's early allocations (MEM=128M CPUS=1)")


_dts_boot = {}


def dts_boot(t):
    """(result, machine, kernel) of the pristine memblock kernel booted with
    halt on the student's device tree, compiled here (in the sandbox)."""
    if "r" in _dts_boot:
        return _dts_boot["r"]
    path = os.path.join(t.session.tree, DTS)
    if not os.path.isfile(path):
        t.fail("%s is missing" % DTS)
    with open(path, errors="replace") as f:
        if "this part is not written yet" in f.read():
            t.fail("lab tour: %s is not written yet; see lab/00-tour/README.md §2" % DTS)
    out = os.path.join(t.session.workdir, "dtc")
    os.makedirs(out, exist_ok=True)
    if t.session.untrusted:
        sandbox.give_to_sandbox(out)
    dtb = os.path.join(out, "machine.dtb")
    o = t.session.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, path], cwd=out,
                      timeout=30 * t.session.scale)
    if o.status != "ok" or not os.path.isfile(dtb):
        t.fail("dtc cannot compile %s: %s" % (DTS, gradelib.first_error(o.output)), o.tail(10))
    m = machine.Machine(seed=0, node_mib=[256], node_cpus=[2], banks=list(BANKS), reservations=list(RESERVED))
    with open(dtb, "rb") as f:
        m.dtb = f.read()
    elf = t.session.kernel("memblock")
    r = guest.boot(elf, m, os.path.join(t.session.workdir, "tour-boot"), append="halt",
                   timeout=max(5, min(t.left(), 30 * t.session.scale)))
    _dts_boot["r"] = (r, m, elf)
    return _dts_boot["r"]


def records(console, kind):
    out = []
    for line in console.splitlines():
        if line.startswith("@map %s " % kind):
            out.append(dict(w.split("=", 1) for w in line.split()[2:] if "=" in w))
    return out


@lab.test(points=20, name="your device tree boots, and the kernel finds the machine of the task", section=2,
          kind="qemu", timeout=90)
def dts_map(t):
    r, m, elf = dts_boot(t)
    if r.status != "halted":
        t.fail("the kernel did not boot on your device tree: %s" % (r.panic_line or r.error or r.status),
               r.last_lines(15))
    banks = [(int(b["base"], 16), int(b["size"], 16)) for b in records(r.console, "bank")]
    want = [(b, s) for b, s, _ in BANKS]
    if banks != want:
        show = lambda bs: ", ".join("[0x%x, +%d MiB)" % (b, s // MiB) if s % MiB == 0 else "[0x%x, +0x%x)" % (b, s)
                                    for b, s in bs) or "none"
        t.fail("the kernel found RAM banks %s; the task's machine has %s" % (show(banks), show(want)))
    resv = [(int(x["base"], 16), int(x["size"], 16), x.get("flags")) for x in records(r.console, "resv")
            if x.get("origin") in ("reserved-memory", "memreserve")]
    for base, size, kind, what, nomap in RESERVED:
        hit = [x for x in resv if x[0] == base and x[1] == size]
        if not hit:
            t.fail("the kernel found no reservation [0x%x, +0x%x) (%s)" % (base, size, what))
        if (hit[0][2] == "nomap") != nomap:
            t.fail("[0x%x, +0x%x) is %s, but it is %s" % (base, size, "no-map" if hit[0][2] == "nomap" else "mapped",
                                                         what))
    extra = [x for x in resv if (x[0], x[1]) not in [(b, s) for b, s, _, _, _ in RESERVED]]
    if extra:
        t.fail("the kernel found a reservation the task does not have: [0x%x, +0x%x)" % extra[0][:2])


@lab.test(points=20, name="guest memory agrees: free lists cover that machine's free RAM, reservations untouched",
          section=2, kind="qemu", timeout=90)
def dts_memory(t):
    r, m, elf = dts_boot(t)
    if r.status != "halted":
        t.fail("the kernel did not boot on your device tree: %s" % (r.panic_line or r.error or r.status),
               r.last_lines(15))
    # The DTB's size is the student's, not one the grader's model predicts.
    problems = [p for p in guest.check_free_set(r, m, elf) if not p.startswith("DTB ")] + guest.check_patterns(r)
    if problems:
        t.fail("on your device tree: %s" % problems[0], "\n".join(problems[:10]))


@lab.test(points=30, name="orders prints the free blocks the grader reads in guest memory", section=3,
          kind="qemu", timeout=120)
def orders(t):
    elf, disk = t.session.kernel("memblock"), t.session.fs_image()
    m = machine.generate(t.seed * 7 + 3, min_mib=128, allow_numa=False)
    last = m.nodes - 1
    r = guest.boot(elf, m, t.session.workdir, append="", disk=disk, timeout=t.left(),
                   commands=[("orders -w", 30 * t.session.scale, r"^node %d free \d+\n" % last)])
    where = "on %s (make grade LAB=tour SEED=%d)" % (m.describe(), t.seed)
    stub = next((l.strip() for l in r.console.splitlines() if "is not written yet" in l), None)
    if stub:
        t.fail(stub)
    if r.status != "done":
        t.fail("orders -w %s: %s" % (where, r.panic_line or r.error or r.status), r.last_lines(15))
    out = r.outputs[0]
    snap = guest.snapshot_result(r, m, 1)
    for nid in range(m.nodes):
        for order, n in enumerate(snap.nr_free[nid]):
            want = "node %d order %d blocks %d pages %d" % (nid, order, n, n << order)
            if not re.search("^%s$" % want, out, re.M):
                line = re.search(r"^node %d order %d .*$" % (nid, order), out, re.M)
                t.fail("%s: expected %r, as guest memory holds while orders waits; got %s"
                       % (where, want, repr(line.group(0)) if line else "no such line"), out[-1500:])
        want = "node %d free %d" % (nid, sum(n << k for k, n in enumerate(snap.nr_free[nid])))
        if not re.search("^%s$" % want, out, re.M):
            t.fail("%s: expected %r" % (where, want), out[-1500:])


def gdb_memory_start(t):
    """bump's memory_start when early_handoff is entered (MEM=128M CPUS=1),
    read by gdb from the graded tree's kernel."""
    elf = t.session.kernel("bump")
    work = os.path.join(t.session.workdir, "tour-gdb")
    os.makedirs(work, exist_ok=True)
    sock = os.path.join(work, "gdb.sock")
    qemu = subprocess.Popen(["qemu-system-riscv64", "-machine", "virt", "-m", "128M", "-smp", "1", "-bios",
                             guest.FIRMWARE, "-kernel", elf, "-nographic", "-no-reboot", "-append", "halt", "-S",
                             "-chardev", "socket,id=g,path=%s,server=on,wait=off" % sock, "-gdb", "chardev:g"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):                 # QEMU makes the socket at once
            if os.path.exists(sock) or qemu.poll() is not None:
                break
            time.sleep(0.1)
        g = subprocess.run(["gdb-multiarch", "-batch", "-nx", "-ex", "target remote " + sock, "-ex",
                            "break early_handoff", "-ex", "continue", "-ex", "p/x 'bump.c'::memory_start", elf],
                           capture_output=True, text=True, timeout=max(5, min(t.left(), 60)))
    finally:
        qemu.kill()
        qemu.wait()
    m = re.search(r"^\$1 = (0x[0-9a-f]+)$", g.stdout, re.M)
    if not m:
        raise RuntimeError("gdb did not print memory_start: %s" % (g.stdout + g.stderr)[-600:])
    return int(m.group(1), 16)


@lab.test(points=10, name="Q4: bump's memory_start at the handoff, read in gdb", section=4, kind="qemu", timeout=60)
def q4(t):
    number(t, "Q4", 4)
    expect_close(t, "Q4", 4, gdb_memory_start(t), 0, "memory_start when early_handoff is entered (ALLOC=bump "
                 "MEM=128M CPUS=1)")
