"""Lab compare: the tests. Each numeric answer in answers.md is checked
against a figure the grader measures itself, on the code of the tree it
grades (in staff grading, the pristine reference: only answers.md comes
from the submission): the allocator labs' host drivers for what one call
computes, and boots under QEMU's -icount, where instruction counts repeat
exactly, for the rest. The prose answers go to a person (0 automatic
points). Nothing the submission prints, and no number written here, is
the expected value."""
import os
import re
import subprocess

from lib import gradelib

lab = gradelib.current_lab()
ANSWERS = "lab/05-compare/answers.md"
NUMBER = re.compile(r"^[+-]?(\d[\d,_]*)(\.\d+)?$")
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"


def answers(t):
    """{"Q1": "text", ...}: each "## Qn" section's answer, from its
    "answer:" line to the next heading."""
    path = os.path.join(t.session.tree, ANSWERS)
    if not os.path.isfile(path):
        t.fail("%s is missing" % ANSWERS)
    with open(path, errors="replace") as f:
        text = f.read()
    out, name, body = {}, None, None
    for line in text.splitlines():
        m = re.match(r"^##\s+(Q\d+[a-z]?)\b", line)
        if m:
            name, body = m.group(1), None
        elif name and body is None and line.lower().startswith("answer:"):
            body = [line[len("answer:"):].strip()]
            out[name] = body
        elif name and body is not None and not re.match(r"^\s*<!--.*-->\s*$", line):
            body.append(line)
    return {k: "\n".join(v).strip() for k, v in out.items()}


def answer(t, q, section):
    a = answers(t).get(q, "")
    if not a or a.startswith("(yours;"):
        t.fail("lab compare: %s is not written yet; see lab/05-compare/README.md §%d" % (q, section))
    return a


def number(t, q, section):
    a = answer(t, q, section).splitlines()[0].strip()
    m = NUMBER.match(a)
    if not m:
        t.fail("%s: %r is not a plain number (digits, a decimal point, no units); see §%d" % (q, a, section))
    return float(a.replace(",", "").replace("_", ""))


def expect_close(t, q, section, measured, rel, what):
    got = number(t, q, section)
    if abs(got - measured) > rel * abs(measured):
        t.fail("%s: %s is not within %s of what the grader measured for %s; see §%d"
               % (q, answer(t, q, section).splitlines()[0], "%g%%" % (100 * rel) if rel else "0 (exact)",
                  what, section))


_boots = {}


def boot(t, alloc, mem):
    """The @ records of a boot with halt under -icount shift=0, one hart:
    {(kind, sub): {key: value}}."""
    elf = t.session.kernel(alloc)
    key = (elf, mem)
    if key not in _boots:
        # QEMU runs as the grader, as for every boot (guest.py): the kernel
        # is confined to the emulated machine.
        try:
            o = subprocess.run(["qemu-system-riscv64", "-machine", "virt", "-m", mem, "-smp", "1", "-icount",
                                "shift=0", "-bios", FIRMWARE, "-kernel", elf, "-nographic", "-no-reboot",
                                "-append", "halt"], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                               timeout=max(5, min(t.left(), 120 * t.session.scale)))
        except subprocess.TimeoutExpired:
            raise RuntimeError("the measurement boot (ALLOC=%s, -m %s) did not end" % (alloc, mem))
        recs = {}
        for line in o.stdout.splitlines():
            if line.startswith("@"):
                words = line[1:].split()
                sub = words[1] if len(words) > 1 and "=" not in words[1] else ""
                recs.setdefault((words[0], sub), dict(w.split("=", 1) for w in words if "=" in w))
        if o.returncode or ("handoff", "") not in recs or recs.get(("boot", ""), {}).get("instret_exact") != "1":
            raise RuntimeError("the measurement boot (ALLOC=%s, -m %s) failed (exit %d): %s"
                               % (alloc, mem, o.returncode, (o.stdout + o.stderr)[-500:]))
        _boots[key] = recs
    return _boots[key]


@lab.test(points=20, name="Q1: bootmem's bitmap for one node of 32 GiB", section=1)
def q1(t):
    number(t, "Q1", 1)
    out = t.host("bytes %d\n" % ((32 << 30) // 4096), lab="bootmem")
    m = re.match(r"bytes (\d+) pages \d+$", out.one("bytes") or "")
    if not m:
        raise RuntimeError("lab bootmem's driver gave %r" % out.one("bytes"))
    expect_close(t, "Q1", 1, int(m.group(1)), 0, "bootmap_bytes of a 32 GiB node")


def insertions(t, q, alloc):
    expect_close(t, q, 2, int(boot(t, alloc, "16G")["handoff", ""]["calls"]), 0.02,
                 "buddy insertions at 16 GiB, ALLOC=%s" % alloc)


@lab.test(points=10, name="Q2a: buddy insertions at 16 GiB, bootmem", section=2, timeout=60, kind="qemu")
def q2a(t):
    number(t, "Q2a", 2)
    insertions(t, "Q2a", "bootmem")


@lab.test(points=10, name="Q2b: buddy insertions at 16 GiB, memblock", section=2, timeout=60, kind="qemu")
def q2b(t):
    number(t, "Q2b", 2)
    insertions(t, "Q2b", "memblock")


@lab.test(points=20, name="Q3: the reservation that makes memblock double its array", section=3)
def q3(t):
    number(t, "Q3", 3)
    n = 300
    out = t.host("arena 0x100000 0x100000\nreset\nadd 0x100000 0x100000\nresize\n"
                 + "".join("reserve %#x 0x100\nstats\n" % (0x100000 + i * 0x200) for i in range(n)),
                 lab="memblock")
    stats = out.all("stats")
    first = next((i + 1 for i, s in enumerate(stats) if " resizes=1 " in s + " "), None)
    if first is None or len(stats) != n:
        raise RuntimeError("lab memblock's driver did not double in %d reservations: %s" % (n, stats[-1:]))
    expect_close(t, "Q3", 3, first, 0, "the count of separate reservations at which the array doubles")


def per_page(t, q, alloc):
    h = boot(t, alloc, "16G")["handoff", ""]
    expect_close(t, q, 4, int(h["handoff_instret"]) / int(h["pages"]), 0.05,
                 "handoff instructions per page at 16 GiB, ALLOC=%s" % alloc)


@lab.test(points=10, name="Q4a: handoff instructions per page at 16 GiB, bootmem", section=4, timeout=60,
          kind="qemu")
def q4a(t):
    number(t, "Q4a", 4)
    per_page(t, "Q4a", "bootmem")


@lab.test(points=10, name="Q4b: handoff instructions per page at 16 GiB, memblock", section=4, timeout=60,
          kind="qemu")
def q4b(t):
    number(t, "Q4b", 4)
    per_page(t, "Q4b", "memblock")


@lab.test(points=20, name="Q5: memblock's metadata bytes at 16 GiB", section=5, timeout=60, kind="qemu")
def q5(t):
    number(t, "Q5", 5)
    expect_close(t, "Q5", 5, int(boot(t, "memblock", "16G")["early", "stats"]["meta_peak"]), 0,
                 "memblock's peak metadata at 16 GiB")


def prose(t, q, section):
    text = answer(t, q, section)
    if len(text.split()) < 15:
        t.fail("%s: write at least a few sentences (%d words); see §%d" % (q, len(text.split()), section))
    t.review("%s: for a person to grade (0 automatic points)" % q, text)


@lab.test(points=0, name="Q6: why bootmem's handoff costs more per page (graded by a person)", section=6)
def q6(t):
    prose(t, "Q6", 6)


@lab.test(points=0, name="Q7: what grows with RAM, and what with regions (graded by a person)", section=7)
def q7(t):
    prose(t, "Q7", 7)
