"""Lab compare: the tests. Each numeric answer in answers.md is checked
against a figure the grader measures itself, on the code of the tree it
grades (in staff grading, the pristine reference: only answers.md comes
from the submission): the allocator labs' host drivers for what one call
computes, and boots under QEMU's -icount, where instruction counts repeat
exactly, for the rest. The prose answers go to a person (0 automatic
points). Nothing the submission prints, and no number written here, is
the expected value."""
import re

from lib import gradelib
from lib.answers import boot_records, expect_close, number, prose

lab = gradelib.current_lab()


@lab.test(points=20, name="Q1: bootmem's bitmap for one node of 32 GiB", section=1)
def q1(t):
    number(t, "Q1", 1)
    out = t.host("bytes %d\n" % ((32 << 30) // 4096), lab="bootmem")
    m = re.match(r"bytes (\d+) pages \d+$", out.one("bytes") or "")
    if not m:
        raise RuntimeError("lab bootmem's driver gave %r" % out.one("bytes"))
    expect_close(t, "Q1", 1, int(m.group(1)), 0, "bootmap_bytes of a 32 GiB node")


def insertions(t, q, alloc):
    expect_close(t, q, 2, int(boot_records(t, alloc, "16G")["handoff", ""]["calls"]), 0.02,
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
    h = boot_records(t, alloc, "16G")["handoff", ""]
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
    expect_close(t, "Q5", 5, int(boot_records(t, "memblock", "16G")["early", "stats"]["meta_peak"]), 0,
                 "memblock's peak metadata at 16 GiB")


@lab.test(points=0, name="Q6: why bootmem's handoff costs more per page (graded by a person)", section=6)
def q6(t):
    prose(t, "Q6", 6)


@lab.test(points=0, name="Q7: what grows with RAM, and what with regions (graded by a person)", section=7)
def q7(t):
    prose(t, "Q7", 7)
