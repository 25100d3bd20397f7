"""Lab bump: the public tests. Each test runs the grader's host driver
(driver.c, built against your mm/bump.c with ASan and UBSan) on a script of
commands, or boots your kernel on machines the grader generates, and
compares what it observed with what the handout (README.md) says must
happen. Expected values are written here, or computed by the grader's own
model (bump_model.py); nothing your code prints about itself counts."""
import random

from lib import gradelib, bootcheck
import bump_model

lab = gradelib.current_lab()

FIRMWARE, RESERVED, MEMRESERVE, DTB, KERNEL, INITRD = range(6)


def machine(banks, resv=()):
    """The commands that describe a map and call early_init: banks as
    (base, size), reservations as (base, size, origin)."""
    lines = ["reset"] + ["bank %#x %#x 0" % b for b in banks]
    lines += ["resv %#x %#x %d" % r for r in resv]
    return "\n".join(lines + ["init"]) + "\n"


# The map most tests start from: 2 MiB of RAM, 256 KiB of firmware, then a
# kernel image that ends part-way into pfn 0x80052.
#   0x80000000   0x80040000          0x80052345  0x80053000
#   | firmware   | kernel             |(tail)    | memory_start ...
KERNEL_MAP = machine([(0x80000000, 0x200000)], [(0x80000000, 0x40000, FIRMWARE),
                                                (0x80040000, 0x12345, KERNEL)])


def no_asserts(t, out):
    t.reject_stubs(out)
    for line in out.asserts():
        t.fail("MM_ASSERT fired: " + line[len("assert: "):])


def started(t, out, n=0):
    t.expect_eq(out.one("init", n), "init 0", "early_init")


def stats(out, n=0):
    """The n-th stats line as a dict of its figures."""
    line = out.one("stats", n) or ""
    try:
        return {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    except ValueError:
        raise gradelib.TestFailure("a stats line is not 'stats key=value ...': %r" % line)


def expect_figures(t, out, n, what, **want):
    got = stats(out, n)
    for k, v in want.items():
        t.expect_eq(got.get(k), v, "%s: %s" % (what, k))


def expect_gives(t, out, want, what, n=0):
    """The blocks of the n-th handoff (the give lines before its handoff
    line) equal want, a list of (pfn, order), in that order."""
    runs, cur = [], []
    for line in out.lines:
        if line.startswith("give "):
            cur.append(line)
        elif line.startswith("handoff "):
            runs.append(cur)
            cur = []
    got = runs[n] if n < len(runs) else []
    lines = ["give %#x %d" % b for b in want]
    both = "expected:\n  %s\ngot:\n  %s" % ("\n  ".join(lines), "\n  ".join(got))
    for i, (g, w) in enumerate(zip(got, lines)):
        if g != w:
            t.fail("%s: block %d: expected %r, got %r" % (what, i + 1, w, g), both)
    if len(got) > len(lines):
        t.fail("%s: expected %d blocks, got %d; the first extra one is %r" % (what, len(lines), len(got),
                                                                           got[len(lines)]), both)
    if len(got) < len(lines):
        t.fail("%s: expected %d blocks, got %d; the first missing one is %r" % (what, len(lines), len(got),
                                                                             lines[len(got)]), both)


@lab.test(points=8, name="memory_start starts past the kernel", section=1)
def starts_past_kernel(t):
    out = t.host(KERNEL_MAP + "alloc 100 8 0\nalloc 10 8 -1\nalloc 1 1 0\nstats\n"
                 + machine([(0x80000800, 0xf800)]) + "alloc 8 8 0\n"
                 + machine([(0x80000000, 0x100000)], [(0x80000000, 0x40000, FIRMWARE),
                                                      (0x80040800, 0x1000, KERNEL)])
                 + "alloc 8 8 0\nreserve 0x80040000 0x100\n")
    t.reject_stubs(out)
    started(t, out)
    t.expect_seq(out.all("alloc")[:3], ["alloc 0x80053000", "alloc 0x80053068", "alloc 0x80053072"],
                 ["100 bytes: the first page after a kernel that ends at 0x80052345",
                  "10 bytes aligned to 8, after them", "1 byte aligned to 1, after them"])
    expect_figures(t, out, 0, "after three allocations", nallocs=3, requested=111, consumed=115, lost=0)
    started(t, out, 1)
    t.expect_eq(out.all("alloc")[3], "alloc 0x80001000",
                "no kernel in the map: the first whole page of the first bank (0x80000800)")
    started(t, out, 2)
    t.expect_eq(out.all("alloc")[4], "alloc 0x80042000", "a kernel at [0x80040800, 0x80041800)")
    t.expect_eq(out.one("reserve"), "reserve -16",
                "early_reserve(0x80040000, 0x100): below memory_start and above the kernel's start, "
                "rounded down to a page, so it is refused")


@lab.test(points=4, name="empty reservations, and early_init starting over", section=1)
def init_again(t):
    out = t.host(machine([(0x80000000, 0x100000)], [(0x80000000, 0x3000, KERNEL), (0x80003800, 0, RESERVED),
                                                   (0x80010800, 0, MEMRESERVE)])
                 + "alloc 0x1000 8 0\nhandoff\ninit\nstats\nalloc 0x1000 8 0\nstats\nreset\ninit\n")
    t.reject_stubs(out)
    started(t, out)
    t.expect_eq(out.all("alloc")[0], "alloc 0x80003000",
                "4 KiB over a reservation of size 0 at 0x80003800 (it reserves nothing)")
    expect_gives(t, out, [(0x80004, 2), (0x80008, 3), (0x80010, 4), (0x80020, 5), (0x80040, 6), (0x80080, 7)],
                 "the handoff, with a reservation of size 0 at 0x80010800")
    t.expect_eq(out.one("handoff"), "handoff 252", "pages handed off")
    started(t, out, 1)
    expect_figures(t, out, 0, "early_init again", nallocs=0, requested=0, consumed=0, lost=0, pages=0, calls=0)
    t.expect_eq(out.all("alloc")[1], "alloc 0x80003000", "the first allocation after early_init again")
    expect_figures(t, out, 1, "after it", nallocs=1, requested=4096, consumed=4096)
    t.expect_eq(out.one("init", 2), "init -22", "early_init on a map with no bank")


@lab.test(points=10, name="alignment", section=2)
def alignment(t):
    out = t.host(KERNEL_MAP + "alloc 1 0 0\nalloc 1 0 0\nalloc 1 4096 0\nalloc 16 0x10000 0\nalloc 8 8 0\n"
                 "alloc 3 1 0\nalloc 8 8 -1\nalloc 1 0x100000 0\nalloc 1 0x200000 0\nalloc 8 0 0\n")
    t.reject_stubs(out)
    started(t, out)
    want = [("alloc 0x80053000", "1 byte, alignment 0 (64)"),
            ("alloc 0x80053040", "1 byte, alignment 0: the next multiple of 64"),
            ("alloc 0x80054000", "1 byte aligned to a page"),
            ("alloc 0x80060000", "16 bytes aligned to 64 KiB"),
            ("alloc 0x80060010", "8 bytes aligned to 8"),
            ("alloc 0x80060018", "3 bytes aligned to 1"),
            ("alloc 0x80060020", "8 bytes aligned to 8, after 3 bytes at 0x80060018"),
            ("alloc 0x80100000", "1 byte aligned to 1 MiB"),
            ("alloc 0x0", "1 byte aligned to 2 MiB: 0x80200000 is the end of the only bank"),
            ("alloc 0x80100040", "8 bytes, alignment 0 (64), after the failure")]
    t.expect_seq(out.all("alloc"), [w for w, _ in want], [what for _, what in want])


@lab.test(points=12, name="stepping over reservations", section=2)
def over_reservations(t):
    #   0x80003000 0x80004000  0x80006000 (dtb at +0x100) 0x80007000  0x80009000
    #   | 4 KiB    | initrd    | page touched by the dtb  | 8 KiB      | 12 KiB
    #   0x8000c000  0x8000d800 (256 B reserved)  0x8000e000
    #   | 8 KiB would overlap it                  | 12 KiB
    out = t.host(machine([(0x80000000, 0x200000)],
                         [(0x80000000, 0x3000, KERNEL), (0x80004000, 0x2000, INITRD), (0x80006100, 0x100, DTB),
                          (0x8000d800, 0x100, RESERVED), (0x80018000, 0x1000, RESERVED),
                          (0x80020000, 0x2000, MEMRESERVE), (0x80021000, 0xf000, RESERVED)])
                 + "alloc 0x1000 4096 0\nalloc 0x2000 4096 0\nalloc 0x3000 4096 0\nalloc 0x3000 4096 0\n"
                 "reserve 0x80013000 0x10\nalloc 0x6000 8 0\nreserve 0x8001f000 0x10\nalloc 0x10 8 0\n"
                 "alloc 0x1000 4096 0\n")
    t.reject_stubs(out)
    started(t, out)
    want = [("alloc 0x80003000", "4 KiB that end where the initrd starts (touching is not overlapping)"),
            ("alloc 0x80007000", "8 KiB: over the initrd, then over the DTB, then aligned to a page"),
            ("alloc 0x80009000", "12 KiB right after them"),
            ("alloc 0x8000e000", "12 KiB over 256 reserved bytes at 0x8000d800, aligned to a page"),
            ("alloc 0x80019000", "24 KiB from 0x80011000: over a reservation early_reserve made at 0x80013000, "
                                 "then over the map's at 0x80018000, which the first jump ran into"),
            ("alloc 0x8001f010", "16 bytes after 16 reserved at memory_start"),
            ("alloc 0x80030000", "4 KiB: over [0x80020000, +8 KiB), which ends inside [0x80021000, +60 KiB), "
                                 "then over that one")]
    t.expect_eq(out.all("reserve"), ["reserve 0", "reserve 0"], "early_reserve above memory_start")
    t.expect_seq(out.all("alloc"), [w for w, _ in want], [what for _, what in want])


@lab.test(points=12, name="chaining banks", section=2)
def chaining(t):
    #   bank 0 0x80000000: kernel 32 KiB | 4 KiB | 7 pages left behind |
    #   bank 1 0x90000800: 36 KiB from 0x90001000 | 16 B | the rest, exactly |
    #   bank 2 0xa0000000: 1 B | 0xffff B, exactly |
    out = t.host(machine([(0x80000000, 0x10000), (0x90000800, 0xf800), (0xa0000000, 0x10000)],
                         [(0x80000000, 0x8000, KERNEL)])
                 + "alloc 0x1000 4096 0\nalloc 0x9000 4096 0\nalloc 0x20000 8 0\nalloc 0xfffffffffffff000 1 0\n"
                 "alloc 16 8 0\nalloc 0x5ff0 1 0\nalloc 1 1 0\nalloc 0x10000 1 0\nalloc 0xffff 1 0\nalloc 1 1 0\n"
                 + machine([(0x80000000, 0x10000), (0x80010000, 0x10000)], [(0x80000000, 0x2000, KERNEL)])
                 + "alloc 0xd800 8 0\nalloc 0x1000 8 0\nalloc 0x800 0x10000 0\nalloc 8 8 0\n"
                 + machine([(0xfffffffffff00000, 0xff000)]) + "alloc 8 0x8000000000000000 0\nalloc 8 8 0\nstats\n")
    t.reject_stubs(out)
    started(t, out)
    want = [("alloc 0x80008000", "4 KiB after the kernel"),
            ("alloc 0x90001000", "36 KiB: no room in bank 0, so the first page of bank 1 (at 0x90000800)"),
            ("alloc 0x0", "128 KiB: larger than any bank"),
            ("alloc 0x0", "0xfffffffffffff000 bytes (a bound check that computes address + size wraps)"),
            ("alloc 0x9000a000", "16 bytes: the failures did not move memory_start"),
            ("alloc 0x9000a010", "0x5ff0 bytes: exactly the rest of bank 1"),
            ("alloc 0xa0000000", "1 byte: bank 1 is full"),
            ("alloc 0x0", "64 KiB: only 0xffff bytes are left, and no bank follows"),
            ("alloc 0xa0000001", "0xffff bytes: exactly the rest of bank 2"),
            ("alloc 0x0", "1 byte in full RAM"),
            ("alloc 0x80002000", "0xd800 bytes after an 8 KiB kernel; banks 0 and 1 touch at 0x80010000"),
            ("alloc 0x80010000", "4 KiB with 2 KiB left in bank 0: in bank 1, not across the boundary"),
            ("alloc 0x0", "2 KiB aligned to 64 KiB: that is 0x80020000, the end of the last bank"),
            ("alloc 0x80011000", "8 bytes: still from where the 4 KiB ended"),
            ("alloc 0x0", "8 bytes aligned to 2^63 in a bank at 0xfffffffffff00000 (rounding up wraps to 0)"),
            ("alloc 0xfffffffffff00000", "8 bytes aligned to 8 there")]
    t.expect_seq(out.all("alloc"), [w for w, _ in want], [what for _, what in want])
    expect_figures(t, out, 0, "after the allocation that wrapped failed", nallocs=1, requested=8, consumed=8)


@lab.test(points=8, name="a failed request changes nothing", section=3)
def failures(t):
    out = t.host(KERNEL_MAP + "alloc 0 8 0\nalloc 8 24 0\nalloc 8 3 0\nalloc 0x200000 8 0\nalloc 16 0x400000 0\n"
                 "stats\nalloc 8 8 0\nstats\nhandoff\nalloc 8 8 0\nstats\n")
    t.reject_stubs(out)
    started(t, out)
    a = out.all("alloc")
    want = [("alloc 0x0", "size 0"), ("alloc 0x0", "alignment 24 (not a power of two)"),
            ("alloc 0x0", "alignment 3"), ("alloc 0x0", "2 MiB: more than is left"),
            ("alloc 0x0", "alignment 4 MiB: past the bank"),
            ("alloc 0x80053000", "8 bytes after the failures: memory_start did not move"),
            ("alloc 0x0", "8 bytes after the handoff (the allocator is retired)")]
    t.expect_seq(a, [w for w, _ in want], [what for _, what in want])
    expect_figures(t, out, 0, "after five failed requests", nallocs=0, requested=0, consumed=0, lost=0)
    expect_figures(t, out, 1, "after one that succeeded", nallocs=1, requested=8, consumed=8, lost=0)
    expect_figures(t, out, 2, "after the handoff and a refused request", nallocs=1, requested=8, consumed=8)


@lab.test(points=10, name="requested, consumed, and lost pages", section=3)
def figures(t):
    #  bank 0 0x80000000, 256 KiB: kernel 12 KiB | 4 KiB | 4 pages skipped by 32 KiB alignment,
    #     one of them touched by the DTB | 8 B | 8 KiB over a reservation | 51 pages left behind
    #  a hole (not RAM), then bank 1 0x80100000, 256 KiB: 252 KiB | 4 KiB
    out = t.host(machine([(0x80000000, 0x40000), (0x80100000, 0x40000)],
                         [(0x80000000, 0x3000, KERNEL), (0x80006100, 0x100, DTB), (0x80009800, 0x1000, RESERVED)])
                 + "alloc 0x1000 4096 0\nstats\nalloc 8 0x8000 0\nstats\nalloc 0x2000 8 0\nstats\n"
                 "alloc 0x3f000 4096 0\nstats\nalloc 0x1000 4096 0\nalloc 1 1 0\nstats\n")
    t.reject_stubs(out)
    started(t, out)
    want = ["alloc 0x80003000", "alloc 0x80008000", "alloc 0x8000a800", "alloc 0x80100000",
            "alloc 0x8013f000", "alloc 0x0"]
    t.expect_seq(out.all("alloc"), want, "the allocations")
    expect_figures(t, out, 0, "after 4 KiB", nallocs=1, requested=0x1000, consumed=0x1000, lost=0)
    expect_figures(t, out, 1, "after 8 bytes aligned to 32 KiB (pages 0x80004, 0x80005 and 0x80007 are lost; "
                   "0x80006 holds the DTB)", nallocs=2, requested=0x1008, consumed=0x5008, lost=3)
    expect_figures(t, out, 2, "after 8 KiB that jump over [0x80009800, +4 KiB) (pfn 0x80009 is reserved, "
                   "not lost)", nallocs=3, requested=0x3008, consumed=0x9800, lost=3)
    expect_figures(t, out, 3, "after 252 KiB in bank 1 (bank 0's 51 pages from 0x8000d are lost; "
                   "the hole is not RAM)", nallocs=4, requested=0x42008, consumed=0x13c000, lost=54)
    expect_figures(t, out, 4, "after the last page of bank 1, and a failure", nallocs=5, requested=0x43008,
                   consumed=0x13d000, lost=54)


@lab.test(points=10, name="the handoff in maximal naturally aligned blocks", section=4)
def handoff_blocks(t):
    out = t.host(machine([(0, 0x180000)]) + "handoff\n"
                 + machine([(0x80000000, 0x1000000)], [(0x80000000, 0x80000, FIRMWARE),
                                                       (0x80200000, 0x1000, KERNEL)]) + "handoff\nstats\n"
                 + machine([(0x80000000, 0x40800)], [(0x80000000, 0x1000, KERNEL),
                                                     (0x80010800, 0x1000, RESERVED)]) + "handoff\n")
    t.reject_stubs(out)
    started(t, out)
    expect_gives(t, out, [(0, 8), (0x100, 7)], "a bank of 384 pages at pfn 0, nothing reserved")
    t.expect_eq(out.all("handoff")[0], "handoff 384", "pages handed off from the bank at 0")
    #   0x80000 firmware | 0x80080 o7 | 0x80100 o8 | 0x80200 kernel |
    #   0x80201 o0, o1, o2 ... 0x80300 o8 | 0x80400 o10 | 0x80800 o10 | 0x80c00 o10 | 0x81000 end
    expect_gives(t, out, [(0x80080, 7), (0x80100, 8), (0x80201, 0), (0x80202, 1), (0x80204, 2), (0x80208, 3),
                          (0x80210, 4), (0x80220, 5), (0x80240, 6), (0x80280, 7), (0x80300, 8),
                          (0x80400, 10), (0x80800, 10), (0x80c00, 10)],
                 "16 MiB with firmware and a one-page kernel (pfn 0x80800 is aligned to 2^11: the order stops at 10)",
                 n=1)
    t.expect_eq(out.all("handoff")[1], "handoff 3967", "pages handed off from 16 MiB")
    expect_figures(t, out, 0, "after that handoff", pages=3967, calls=14)
    #   0x80000 kernel | 0x80001 .. 0x80010 | 0x80010, 0x80011 reserved | 0x80012 .. 0x80040 | half a page
    expect_gives(t, out, [(0x80001, 0), (0x80002, 1), (0x80004, 2), (0x80008, 3),
                          (0x80012, 1), (0x80014, 2), (0x80018, 3), (0x80020, 5)],
                 "a bank ending at 0x80040800, with [0x80010800, +4 KiB) reserved", n=2)
    t.expect_eq(out.all("handoff")[2], "handoff 61", "pages handed off from the last bank")


@lab.test(points=8, name="what the handoff keeps", section=4)
def handoff_keeps(t):
    #   0x80000 firmware (2 pages) | given | 0x80010 kernel, 0x80014 4 KiB + 2 KiB, lost gap, 8 B at 0x80018000 |
    #   given | 0x80020 reserved by early_reserve | given | 0x80030 reserved [0x80030800, +2 KiB) | given
    out = t.host(machine([(0x80000000, 0x100000)], [(0x80000000, 0x2000, FIRMWARE), (0x80010000, 0x4000, KERNEL),
                                                   (0x80030800, 0x800, RESERVED)])
                 + "alloc 0x1800 8 0\nalloc 8 0x4000 0\nreserve 0x80020000 0x10\nhandoff\nstats\n"
                 "handoff\nalloc 8 8 0\nreserve 0x80050000 0x10\nstats\n")
    t.reject_stubs(out)
    started(t, out)
    t.expect_eq(out.all("alloc")[:2], ["alloc 0x80014000", "alloc 0x80018000"], "the two allocations")
    t.expect_eq(out.one("reserve"), "reserve 0", "early_reserve(0x80020000, 16)")
    expect_gives(t, out, [(0x80002, 1), (0x80004, 2), (0x80008, 3), (0x80019, 0), (0x8001a, 1), (0x8001c, 2),
                          (0x80021, 0), (0x80022, 1), (0x80024, 2), (0x80028, 3), (0x80031, 0), (0x80032, 1),
                          (0x80034, 2), (0x80038, 3), (0x80040, 6), (0x80080, 7)],
                 "below the kernel, above memory_start, around the reservations")
    t.expect_eq(out.all("handoff"), ["handoff 243", "handoff 0"],
                "the handoff's pages, and a second handoff (retired: it gives nothing)")
    expect_figures(t, out, 0, "after the handoff", nallocs=2, lost=2, pages=243, calls=16)
    t.expect_eq(out.all("alloc")[2], "alloc 0x0", "early_alloc after the handoff")
    t.expect_eq(out.all("reserve")[1], "reserve -22", "early_reserve after the handoff")
    expect_figures(t, out, 1, "at the end", nallocs=2, pages=243, calls=16)


@lab.test(points=8, name="random operations, judged by the grader's model", section=3, timeout=60)
def random_ops(t):
    rng = random.Random(t.seed)
    for round in range(4):
        script, model = bump_model.random_script(rng)
        bootcheck.judge_with_model(t, script, model, "seed %d, script %d" % (t.seed, round))


@lab.test(points=10, name="your kernel boots on machines the grader made", section=5, timeout=240, kind="qemu")
def boots(t):
    bootcheck.boot_machines(t, count=2, allow_gaps=True)
