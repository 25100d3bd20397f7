"""Lab memblock: the public tests. Each test runs the grader's host driver
(driver.c, built against your mm/memblock.c and mm/memblock_alloc.c with
ASan and UBSan) on a script of commands, or boots your kernel on machines
the grader generates, and compares what it observed (return values, both
region arrays, the blocks of a handoff) with what the handout (README.md)
says must happen. Expected values are written here, or come from the
grader's own model of memblock (memblock_model.py); nothing your code
prints about itself counts."""
import random

from lib import gradelib, bootcheck
import memblock_model

lab = gradelib.current_lab()
PG = 0x1000
MAXN = 8                # MAX_NUMNODES: "no node"
HOTPLUG, MIRROR, NOMAP = 0x1, 0x2, 0x4
ENOMEM = -12


# ---- reading the transcript -----------------------------------------------------

def no_asserts(t, out):
    """An MM_ASSERT that fired where none should."""
    for line in out.asserts():
        t.fail("MM_ASSERT fired: " + line[len("assert: "):])


def results(out, cmd):
    return list(out.all(cmd))


def arrays(out):
    """The (memory, reserved) line pairs of every "regions" command."""
    mem, rsv = out.all("memory"), out.all("reserved")
    return list(zip(mem, rsv))


def R(base, size, nid=MAXN, flags=0):
    return (base, size, nid, flags)


def array_line(name, regs, max=128, at=None, dummy=0):
    """The driver's line for an array holding regs ([] is the dummy entry,
    whose nid is 0 at boot and MAX_NUMNODES once emptied)."""
    regs = list(regs) or [(0, 0, dummy, 0)]
    total = sum(r[1] for r in regs)
    return "%s cnt=%d max=%d total=%#x at=%s%s" % (
        name, len(regs), max, total, "static" if at is None else "%#x" % at,
        "".join(" %#x+%#x:%d:%#x" % r for r in regs))


def MEMORY(*regs, **kw):
    return array_line("memory", regs, **kw)


def RESERVED(*regs, **kw):
    return array_line("reserved", regs, **kw)


def first_difference(got, want):
    """Where two array lines first differ, in words."""
    if got is None:
        return "the driver printed no such array"
    g, w = got.split(), want.split()
    for i, (a, b) in enumerate(zip(g, w)):
        if a != b:
            if i < 5:
                return "expected %s, got %s" % (b, a)
            return "entry %d: expected %s, got %s (BASE+SIZE:NID:FLAGS)" % (i - 5, b, a)
    return "expected %d entries, got %d" % (len(w) - 5, len(g) - 5)


def expect_arrays(t, out, n, memory, reserved, what):
    """The n-th "regions" of the script shows these two lines."""
    got = arrays(out)
    pair = got[n] if n < len(got) else (None, None)
    for g, w, name in ((pair[0], memory, "memory"), (pair[1], reserved, "reserved")):
        if w is not None and g != w:
            t.fail("%s: the %s array: %s" % (what, name, first_difference(g, w)),
                   "expected: %s\ngot:      %s" % (w, g))


def gives(out):
    try:
        return [(int(p, 16), int(o)) for _, p, o in (l.split() for l in out.all("give"))]
    except ValueError:
        raise gradelib.TestFailure("a handoff block line is not 'give PFN ORDER'")


def blocks(spfn, epfn):
    """Naturally aligned blocks of at most order 10 over pfns [spfn, epfn)."""
    out = []
    while spfn < epfn:
        order = 0
        while order < 10 and not (spfn >> order) & 1:
            order += 1
        while spfn + (1 << order) > epfn:
            order -= 1
        out.append((spfn, order))
        spfn += 1 << order
    return out


def expect_gives(t, got, want, what):
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            t.fail("%s: block %d: expected pfn %#x order %d, got pfn %#x order %d"
                   % (what, i, w[0], w[1], g[0], g[1]))
    if len(got) != len(want):
        t.fail("%s: expected %d blocks, got %d" % (what, len(want), len(got)))


# ---- §1 adding ----------------------------------------------------------------------

@lab.test(points=8, name="adding fills the gaps and merges", section=1)
def add_merge(t):
    out = t.host("reset\nadd 0x10000 0x1000\nadd 0x13000 0x1000\nregions\nadd 0x10800 0x3000\nregions\n"
                 "add 0x20000 0x1000\nadd 0x1e000 0x1000\nregions\nadd 0x1f000 0x1000\nregions\n"
                 "add 0x8000 0x30000\nregions\nadd 0x50000 0\nreserve 0x50000 0\n"
                 "add 0xfffffffffffff000 0x10000\nregions\n"
                 "reserve 0x1800 0x100\nreserve 0x1900 0x100\nreserve 0x1700 0x80\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_seq(results(out, "add"), ["add 0"] * 9, "memblock_add")
    t.expect_seq(results(out, "reserve"), ["reserve 0"] * 4, "memblock_reserve")
    dummy = RESERVED()
    expect_arrays(t, out, 0, MEMORY(R(0x10000, PG), R(0x13000, PG)), dummy,
                  "the first region fills the dummy entry, the second goes after it")
    expect_arrays(t, out, 1, MEMORY(R(0x10000, 0x4000)), dummy,
                  "add [0x10800, +0x3000) bridges [0x10000, +0x1000) and [0x13000, +0x1000)")
    expect_arrays(t, out, 2, MEMORY(R(0x10000, 0x4000), R(0x1e000, PG), R(0x20000, PG)), dummy,
                  "0x20000 then 0x1e000: the array stays sorted")
    expect_arrays(t, out, 3, MEMORY(R(0x10000, 0x4000), R(0x1e000, 0x3000)), dummy,
                  "[0x1f000, +0x1000) touches both neighbours: all three merge")
    expect_arrays(t, out, 4, MEMORY(R(0x8000, 0x30000)), dummy,
                  "one range over two regions and the gaps below, between and above them")
    expect_arrays(t, out, 5, MEMORY(R(0x8000, 0x30000), R(0xfffffffffffff000, 0xfff)), dummy,
                  "size 0 changes nothing; a range past the top of the address space is cut there")
    expect_arrays(t, out, 6, None, RESERVED(R(0x1700, 0x80), R(0x1800, 0x200)),
                  "three reservations (reserved regions have nid MAX_NUMNODES = 8, flags 0)")


@lab.test(points=4, name="pieces keep their own nid and flags", section=1)
def add_nid_flags(t):
    out = t.host("reset\naddn 0x2000 0x1000 0 1\naddn 0x1000 0x3000 0 0\nregions\n"
                 "addn 0x4000 0x1000 1 0\naddn 0x5000 0x1000 1 1\nadd 0x6000 0x1000\n"
                 "addn 0x7000 0x1000 1 1\nregions\naddn 0x6800 0x2800 2 0\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_seq(results(out, "addn") + results(out, "add"), ["addn 0"] * 6 + ["add 0"], "memblock_add_node")
    expect_arrays(t, out, 0, MEMORY(R(0x1000, PG, 0, 0), R(0x2000, PG, 0, HOTPLUG), R(0x3000, PG, 0, 0)),
                  RESERVED(), "a NONE range added over a HOTPLUG region fills around it (§5.9)")
    first = out.lines.index(out.all("memory")[0])
    t.check(any(l.startswith("warn: ") for l in out.lines[:first]),
            "adding a piece below a region of another nid or flags must MM_WARN (none seen)")
    expect_arrays(t, out, 1, MEMORY(R(0x1000, PG, 0, 0), R(0x2000, PG, 0, HOTPLUG), R(0x3000, PG, 0, 0),
                                    R(0x4000, PG, 1, 0), R(0x5000, PG, 1, HOTPLUG), R(0x6000, PG, MAXN, 0),
                                    R(0x7000, PG, 1, HOTPLUG)), None,
                  "touching regions that differ in nid or flags never merge (§5.8)")
    expect_arrays(t, out, 2, MEMORY(R(0x1000, PG, 0, 0), R(0x2000, PG, 0, HOTPLUG), R(0x3000, PG, 0, 0),
                                    R(0x4000, PG, 1, 0), R(0x5000, PG, 1, HOTPLUG), R(0x6000, PG, MAXN, 0),
                                    R(0x7000, PG, 1, HOTPLUG), R(0x8000, PG, 2, 0)), None,
                  "add_node [0x6800, +0x2800) on node 2: only [0x8000, 0x9000) is new")


# ---- §2 isolating and removing ----------------------------------------------------------

@lab.test(points=7, name="remove and free split what straddles their ends", section=2)
def remove_split(t):
    out = t.host("reset\naddn 0x10000 0x10000 2 1\nadd 0x30000 0x4000\nremove 0x12000 0x1000\nregions\n"
                 "remove 0x1c000 0x15000\nregions\nremove 0x50000 0x1000\nremove 0x0 0x11000\nregions\n"
                 "reserve 0x11000 0x4000\nreserve 0x18000 0x1000\npfree 0x12000 0x1000\nregions\n"
                 "pfree 0x14800 0x4000\nregions\npfree 0x10000 0x8000\nregions\n"
                 "remove 0x13000 0xffffffffffffffff\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_seq(results(out, "remove") + results(out, "pfree"), ["remove 0"] * 5 + ["pfree 0"] * 3,
                 "memblock_remove and memblock_phys_free")
    expect_arrays(t, out, 0, MEMORY(R(0x10000, 0x2000, 2, HOTPLUG), R(0x13000, 0xd000, 2, HOTPLUG),
                                    R(0x30000, 0x4000)), None,
                  "remove [0x12000, +0x1000) from the middle of a node-2 HOTPLUG region")
    expect_arrays(t, out, 1, MEMORY(R(0x10000, 0x2000, 2, HOTPLUG), R(0x13000, 0x9000, 2, HOTPLUG),
                                    R(0x31000, 0x3000)), None,
                  "remove [0x1c000, 0x31000): the end of one region, all of a gap, the start of the next")
    expect_arrays(t, out, 2, MEMORY(R(0x11000, 0x1000, 2, HOTPLUG), R(0x13000, 0x9000, 2, HOTPLUG),
                                    R(0x31000, 0x3000)), None,
                  "remove [0x50000, +0x1000) (nothing there), then [0, 0x11000)")
    expect_arrays(t, out, 3, None, RESERVED(R(0x11000, PG), R(0x13000, 0x2000), R(0x18000, PG)),
                  "phys_free [0x12000, +0x1000) out of the reservation [0x11000, +0x4000)")
    expect_arrays(t, out, 4, None, RESERVED(R(0x11000, PG), R(0x13000, 0x1800), R(0x18800, 0x800)),
                  "phys_free [0x14800, 0x18800): across a gap, sub-page ends")
    expect_arrays(t, out, 5, None, RESERVED(R(0x18800, 0x800)), "phys_free [0x10000, 0x18000)")
    expect_arrays(t, out, 6, MEMORY(R(0x11000, 0x1000, 2, HOTPLUG)), None,
                  "remove from 0x13000 with a size that runs past the top of the address space (cut there)")


@lab.test(points=3, name="the last region out brings back the dummy", section=2)
def dummy(t):
    out = t.host("reset\nregions\naddn 0x10000 0x4000 1 0\nreserve 0x10000 0x1000\nremove 0x10000 0x4000\n"
                 "pfree 0x10000 0x1000\nregions\naddn 0x20000 0x1000 3 2\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_seq(results(out, "remove") + results(out, "pfree"), ["remove 0", "pfree 0"], "the removals")
    expect_arrays(t, out, 0, MEMORY(), RESERVED(), "the boot state: one zeroed dummy entry per array")
    expect_arrays(t, out, 1, MEMORY(dummy=MAXN), RESERVED(dummy=MAXN),
                  "removing the only region brings back the dummy {0, 0}, flags 0, nid MAX_NUMNODES (§5.15)")
    expect_arrays(t, out, 2, MEMORY(R(0x20000, PG, 3, MIRROR)), None,
                  "the next add fills the dummy with its own nid and flags")


@lab.test(points=4, name="flags and nodes: isolate, change, merge again", section=2)
def flags_nodes(t):
    out = t.host("reset\nadd 0x10000 0x10000\nnomap 0x14000 0x1000 1\nregions\nnomap 0x10000 0x10000 0\n"
                 "regions\nhotplug 0x1f000 0x5000 1\nregions\nsetnode 0x14000 0x2000 0 1\nregions\n"
                 "setnode 0x13000 0x1000 0 1\nregions\nsetnode 0x10000 0x10000 0 0\nregions\n"
                 "hotplug 0 0xffffffffffffffff 0\nregions\nreserve 0x11000 0x1000\nreserve 0x13000 0x1000\n"
                 "setnode 0x11800 0x2000 1 2\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_seq(results(out, "nomap") + results(out, "hotplug") + results(out, "setnode"),
                 ["nomap 0"] * 2 + ["hotplug 0"] * 2 + ["setnode 0"] * 4, "the flag and node calls")
    steps = [
        (MEMORY(R(0x10000, 0x4000), R(0x14000, PG, MAXN, NOMAP), R(0x15000, 0xb000)),
         "mark_nomap [0x14000, +0x1000) splits the region in three"),
        (MEMORY(R(0x10000, 0x10000)), "clear_nomap over all of it merges them again"),
        (MEMORY(R(0x10000, 0xf000), R(0x1f000, PG, MAXN, HOTPLUG)), "mark_hotplug [0x1f000, +0x5000) past the end"),
        (MEMORY(R(0x10000, 0x4000), R(0x14000, 0x2000, 1), R(0x16000, 0x9000), R(0x1f000, PG, MAXN, HOTPLUG)),
         "set_node [0x14000, +0x2000) to node 1"),
        (MEMORY(R(0x10000, 0x3000), R(0x13000, 0x3000, 1), R(0x16000, 0x9000), R(0x1f000, PG, MAXN, HOTPLUG)),
         "set_node [0x13000, +0x1000) to node 1 merges it with its node-1 neighbour"),
        (MEMORY(R(0x10000, 0xf000, 0), R(0x1f000, PG, 0, HOTPLUG)), "set_node of everything to node 0"),
        (MEMORY(R(0x10000, 0x10000, 0)), "clear_hotplug over the whole address space"),
    ]
    for i, (mem, what) in enumerate(steps):
        expect_arrays(t, out, i, mem, None, what)
    expect_arrays(t, out, 7, None, RESERVED(R(0x11000, 0x800), R(0x11800, 0x800, 2), R(0x13000, 0x800, 2),
                                            R(0x13800, 0x800)),
                  "set_node on the reserved array, [0x11800, +0x2000) to node 2")


# ---- §3 full arrays and doubling -----------------------------------------------------

def many(cmd, base, step, size, n, first=0):
    return "".join("%s %#x %#x\n" % (cmd, base + i * step, size) for i in range(first, n))


def spaced(base, step, size, n, first=0, **kw):
    return [R(base + i * step, size, **kw) for i in range(first, n)]


@lab.test(points=6, name="a full array without resizing: -ENOMEM, nothing changed", section=3)
def full_arrays(t):
    out = t.host("reset\n" + many("reserve", 0x10000, 0x2000, PG, 128) + "regions\n"
                 "reserve 0x11000 0x1000\nreserve 0x1000000 0x1000\nreserve 0x10800 0x100\n"
                 "pfree 0x1a000 0x1000\nregions\n" + many("add", 0x10000, 0x2000, PG, 128)
                 + "add 0x300000 0x1000\nremove 0x10000 0x1000\nregions\n"
                 "reset\n" + many("reserve", 0x10000, 0x2000, PG, 127)
                 + "pfree 0x1a000 0x1000\npfree 0x10000 0x100000\nreserve 0x200000 0x1000\nregions\n"
                 "reset\n" + many("reserve", 0x10000, 0x2000, PG, 126) + "pfree 0x1a000 0x1000\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    full = RESERVED(*spaced(0x10000, 0x2000, PG, 128))
    expect_arrays(t, out, 0, None, full, "128 reservations fill the static array")
    r = results(out, "reserve")
    t.expect_seq(r[128:131], ["reserve -12", "reserve -12", "reserve 0"],
                 ["the 129th reservation, which would merge two regions (§5.10)",
                  "the 129th reservation, on its own", "a reservation inside a reserved region (nothing new)"])
    t.expect_eq(results(out, "pfree")[0], "pfree -12",
                "phys_free of a whole region at 128 of 128: isolation needs two free slots (§5.11)")
    expect_arrays(t, out, 1, None, full, "after the failed calls nothing changed")
    t.expect_seq(results(out, "add")[128:], ["add -12"], "the 129th memory region")
    t.expect_eq(results(out, "remove"), ["remove -12"], "memblock_remove at 128 of 128")
    expect_arrays(t, out, 2, MEMORY(*spaced(0x10000, 0x2000, PG, 128)), full, "both arrays full")
    t.expect_seq(results(out, "pfree")[1:3], ["pfree -12", "pfree -12"],
                 "phys_free at 127 of 128 (of one region, and of all of them)")
    t.expect_eq(r[-127], "reserve 0", "reserve of a 128th region at 127 of 128")
    expect_arrays(t, out, 3, None, RESERVED(*spaced(0x10000, 0x2000, PG, 127) + [R(0x200000, PG)]),
                  "127 reservations, two failed frees, then the 128th")
    expect_arrays(t, out, 4, None, RESERVED(*[x for i, x in enumerate(spaced(0x10000, 0x2000, PG, 126)) if i != 5]),
                  "at 126 of 128, phys_free of region 5 works")
    t.expect_eq(results(out, "pfree")[-1], "pfree 0", "phys_free at 126 of 128")


@lab.test(points=8, name="the 129th region doubles the array", section=3)
def doubling(t):
    out = t.host("arena 0x100000 0x100000\nreset\nadd 0x100000 0x100000\n"
                 + many("reserve", 0x100000, 0x200, 0x100, 128) + "resize\nreserve 0x110000 0x100\nregions\nstats\n"
                 + many("reserve", 0x100000, 0x200, 0x100, 255, first=129) + "regions\n"
                 "reserve %#x 0x100\nregions\nstats\n" % (0x100000 + 255 * 0x200)
                 + "reset\n" + many("add", 0x100000, 0x2000, PG, 127)
                 + "add 0x1fe000 0x2000\nadd 0x300000 0x1000\nresize\nadd 0x300000 0x1000\nregions\n"
                 + "reset\nadd 0x100000 0x100000\n" + many("reserve", 0x100000, 0x200, 0x100, 127)
                 + "resize\npfree 0x100a00 0x100\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.check(all(r == "reserve 0" for r in results(out, "reserve")),
            "every reservation succeeds once resizing is allowed: %s"
            % next((r for r in results(out, "reserve") if r != "reserve 0"), ""))
    small = spaced(0x100000, 0x200, 0x100, 128)
    expect_arrays(t, out, 0, MEMORY(R(0x100000, 0x100000)),
                  RESERVED(*small + [R(0x110000, 0x100), R(0x1fe000, 0x2000)], max=256, at=0x1fe000),
                  "the 129th reservation: an 8 KiB array at the top of free memory, reserved itself, cnt 130 (§5.12)")
    s = out.all("stats")
    t.check(" meta=11264 " in str(s[0]) and " resizes=1 " in str(s[0]),
            "after one doubling the arrays take 3 KiB + 8 KiB and resizes=1: %s" % s[0])
    expect_arrays(t, out, 1, None,
                  RESERVED(*spaced(0x100000, 0x200, 0x100, 255) + [R(0x1fe000, 0x2000)], max=256, at=0x1fe000),
                  "256 entries fill the doubled array")
    expect_arrays(t, out, 2, None,
                  RESERVED(*spaced(0x100000, 0x200, 0x100, 256) + [R(0x1fb000, 0x3000)], max=512, at=0x1fb000),
                  "the 257th: a 12 KiB array below the old one, which is freed")
    t.check(" meta=15360 " in str(s[1]) and " peak=15360 " in str(s[1]) and " resizes=2 " in str(s[1]),
            "after two doublings the arrays take 3 KiB + 12 KiB and resizes=2: %s" % s[1])
    t.expect_seq(results(out, "add")[-3:-1], ["add -12", "add 0"],
                 ["the 129th memory region before memblock_allow_resize", "the same after it"])
    expect_arrays(t, out, 3, MEMORY(*spaced(0x100000, 0x2000, PG, 127) + [R(0x1fe000, 0x2000), R(0x300000, PG)],
                                    max=256, at=0x1fe000),
                  RESERVED(R(0x1fe000, 0x2000)), "the memory array doubles into free memory, which is reserved")
    t.expect_eq(out.one("pfree"), "pfree 0", "phys_free of one region at 127 of 128, with resizing allowed")
    expect_arrays(t, out, 4, None, RESERVED(*[r for i, r in enumerate(small[:127]) if i != 5] + [R(0x1fe000, 0x2000)],
                                            max=256, at=0x1fe000),
                  "isolation found no two free slots, so it doubled the array first")


@lab.test(points=5, name="where a new array may not go", section=3)
def doubling_room(t):
    out = t.host("arena 0x100000 0x100000\nreset\nadd 0x100000 0x100000\n"
                 + many("reserve", 0x100000, 0x200, 0x100, 126)
                 + "reserve 0x110000 0x70000\nreserve 0x190000 0x70000\nresize\nregions\n"
                 "reserve 0x180000 0x10000\nregions\npalloc 16 16\nregions\n"
                 "arena 0x100000 0x200000\nreset\nadd 0x100000 0x10000\n"
                 + many("add", 0x111000, 0x2000, PG, 127)
                 + "reserve 0x100000 0x200000\nresize\nregions\nadd 0x400000 0x10000\nregions\n"
                 "pfree 0x100000 0x10000\nadd 0x100000 0x20000\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    base = spaced(0x100000, 0x200, 0x100, 126)
    full = RESERVED(*base + [R(0x110000, 0x70000), R(0x190000, 0x70000)])
    expect_arrays(t, out, 0, None, full, "126 small reservations and two big ones fill the reserved array")
    t.expect_eq(results(out, "reserve")[128], "reserve -12",
                "reserve [0x180000, +0x10000), the only free memory big enough for the new array (§5.13)")
    expect_arrays(t, out, 1, None, full, "after that failure nothing changed")
    t.expect_eq(out.one("palloc"), "palloc 0x18fff0", "16 bytes at the top of that window")
    expect_arrays(t, out, 2, None, RESERVED(*base + [R(0x110000, 0x70000), R(0x18d000, 0x2000),
                                                     R(0x18fff0, 0x70010)], max=256, at=0x18d000),
                  "the new array goes below the 16 bytes being reserved")
    mem = MEMORY(*[R(0x100000, 0x10000)] + spaced(0x111000, 0x2000, PG, 127))
    expect_arrays(t, out, 3, mem, RESERVED(R(0x100000, 0x200000)), "128 memory regions, all reserved")
    t.expect_eq(results(out, "add")[-2], "add -12",
                "a 129th memory region when every byte of memory is reserved: it cannot hold its own array")
    expect_arrays(t, out, 4, mem, RESERVED(R(0x100000, 0x200000)), "after that failure nothing changed")
    t.expect_eq(results(out, "add")[-1], "add 0", "add [0x100000, +0x20000) once [0x100000, +0x10000) is free")
    expect_arrays(t, out, 5, MEMORY(*[R(0x100000, 0x20000)] + spaced(0x111000, 0x2000, PG, 127, first=8),
                                    max=256, at=0x10e000),
                  RESERVED(R(0x10e000, 0x1f2000)), "the memory array may go inside the range being added")


# ---- §4 finding free memory -------------------------------------------------------------

@lab.test(points=7, name="top-down: the highest fit, aligned down", section=4)
def top_down(t):
    out = t.host("reset\nadd 0x100000 0x100000\npalloc 0x3000 0x40\npalloc 0x100 0x40\npalloc 100 8\n"
                 "palloc 0x20 0x1000\nregions\nreset\nadd 0x100000 0x100000\nreserve 0x1ff000 0x1000\n"
                 "reserve 0x1fc000 0x2000\npalloc 0x2000 0x1000\npalloc 0x800 0x1000\npalloc 0x800 0x4000\n"
                 "find 0x1000 0x10000 0x100000 0x1f0000 -1 0\nfind 0x1000 0x10000 0x100000 0x1f8000 -1 0\n"
                 "regions\nreset\naddn 0x10000 0x1000 0 0\naddn 0x11000 0x1000 1 0\naddn 0x12000 0x1000 1 1\n"
                 "palloc 0x2000 0x1000\npalloc 0x1800 0x800\npalloc 0x1000 0x1000\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    want = [("palloc 0x1fd000", "0x3000 bytes: the very top of memory"),
            ("palloc 0x1fcf00", "0x100 bytes right below"),
            ("palloc 0x1fce98", "100 bytes aligned to 8: 0x1fcf00 - 100 rounded down"),
            ("palloc 0x1fc000", "0x20 bytes aligned to 4 KiB"),
            ("palloc 0x1fa000", "0x2000 bytes: the free page [0x1fe000, 0x1ff000) is too small"),
            ("palloc 0x1fe000", "0x800 bytes aligned to 4 KiB fit that page"),
            ("palloc 0x1f8000", "0x800 bytes aligned to 16 KiB: rounded down from the top of the range below"),
            ("palloc 0x0", "0x2000 bytes across two regions of different nodes"),
            ("palloc 0x0", "0x1800 bytes across two regions of different flags"),
            ("palloc 0x12000", "one page: the top region (HOTPLUG, usable without movable_node)")]
    t.expect_seq(results(out, "palloc"), [w for w, _ in want], [what for _, what in want])
    t.expect_seq(results(out, "find"), ["find 0x1e0000", "find 0x1f0000"],
                 ["find_in_range_node of a page aligned to 64 KiB below 0x1f0000",
                  "the same below 0x1f8000"])
    expect_arrays(t, out, 0, None, RESERVED(R(0x1fc000, 0x20), R(0x1fce98, 100), R(0x1fcf00, 0x3100)),
                  "the first four allocations (the first two merge)")
    expect_arrays(t, out, 1, None, RESERVED(R(0x1f8000, 0x800), R(0x1fa000, 0x4800), R(0x1ff000, PG)),
                  "after the allocations around two reservations")
    expect_arrays(t, out, 2, None, RESERVED(R(0x12000, PG)), "a free range never spans two memory regions")


@lab.test(points=4, name="bottom-up: the lowest fit, aligned up", section=4)
def bottom_up(t):
    out = t.host("reset\nadd 0x100000 0x100000\nbottomup 1\npalloc 0x800 0x1000\npalloc 0x100 0x1000\n"
                 "palloc 0x100 0x40\nfind 0x2000 0x4000 0x100000 0 -1 0\nregions\nbottomup 0\n"
                 "palloc 0x100 0x40\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_seq(results(out, "palloc"), ["palloc 0x100000", "palloc 0x101000", "palloc 0x100800", "palloc 0x1fff00"],
                 ["0x800 bytes: the bottom of memory", "0x100 bytes aligned to 4 KiB: the next page",
                  "0x100 bytes aligned to 64: right after the first", "top-down again: the top"])
    t.expect_eq(out.one("find"), "find 0x104000", "8 KiB aligned to 16 KiB, bottom-up")
    expect_arrays(t, out, 0, None, RESERVED(R(0x100000, 0x900), R(0x101000, 0x100)), "after three bottom-up allocations")
    expect_arrays(t, out, 1, None, RESERVED(R(0x100000, 0x900), R(0x101000, 0x100), R(0x1fff00, 0x100)),
                  "after one more, top-down")


@lab.test(points=4, name="limits: the first page, current_limit, start and end", section=4)
def limits(t):
    out = t.host("reset\nadd 0 0x10000\nbottomup 1\npalloc 0x100 0x100\nprange 0x100 0x100 0 0x800\n"
                 "find 0x100 0x100 0 0x1000 -1 0\nreset\nadd 0 0x3000\nreserve 0x1000 16\npalloc 0x2000 0x1000\n"
                 "palloc 0x2000 16\nbottomup 1\npalloc 0x2000 0x1000\npalloc 0x2000 16\n"
                 "arena 0x100000 0x100000\nreset\nadd 0x100000 0x100000\nlimit 0x180000\npalloc 0x1000 0x1000\n"
                 "prange 0x1000 0x1000 0 0xffffffffffffffff\nprange 0x1000 0x1000 0x190000 0x1a0000\n"
                 "alloc 0x1000 0x1000 0 1 -1 0\ntryn 0x1000 0x1000 0 0x1f0000 -1\n"
                 "palloc 0x7e000 0x1000\npalloc 0x7d000 0x1000\n"
                 "prange 0x1000 0x1000 0x1c0000 0x180000\nfind 0x1000 0x1000 0x1c0000 0x180000 -1 0\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    p = results(out, "palloc")
    t.expect_eq(p[0], "palloc 0x1000", "bottom-up from address 0: the first page is never returned (§5.7)")
    t.expect_eq(results(out, "prange")[0], "prange 0x0", "[0, 0x800) lies in the first page")
    t.expect_eq(out.one("find"), "find 0x0", "find_in_range_node in [0, 0x1000)")
    t.expect_seq(p[1:5], ["palloc 0x0"] * 4,
                 "0x2000 bytes in [0, 0x3000) with 16 bytes reserved at 0x1000, top-down and bottom-up")
    t.expect_seq(p[5:], ["palloc 0x17f000", "palloc 0x0", "palloc 0x100000"],
                 ["a page below current_limit 0x180000 (§5.6)", "0x7e000 bytes: more than is free below the limit",
                  "0x7d000 bytes: all that is free below it"])
    t.expect_seq(results(out, "prange")[1:], ["prange 0x1ff000", "prange 0x19f000", "prange 0x0"],
                 ["phys_alloc_range up to MEMBLOCK_ALLOC_ANYWHERE passes the limit",
                  "an explicit [0x190000, 0x1a0000) is not cut to the limit", "start above end (§5.18)"])
    t.expect_eq(out.one("alloc"), "alloc 0x17e000", "end MEMBLOCK_ALLOC_NOLEAKTRACE (1) means current_limit")
    t.expect_eq(out.one("tryn"), "tryn 0x17d000", "memblock_alloc_try_nid cuts max_addr 0x1f0000 to current_limit")
    t.expect_eq(out.all("find")[1], "find 0x0", "find_in_range_node with start above end")
    expect_arrays(t, out, 0, None, RESERVED(R(0x100000, 0x80000), R(0x19f000, PG), R(0x1ff000, PG)),
                  "the reservations at the end")


# ---- §5 allocation and fallbacks ---------------------------------------------------------

@lab.test(points=6, name="node fallback: the node, then any node; exact_nid never leaves", section=5)
def fallback(t):
    two = "reset\naddn 0x100000 0x40000 0 0\naddn 0x140000 0xc0000 1 0\n"
    out = t.host("arena 0x100000 0x100000\n" + two + "tryn 0x1000 0x1000 0x110000 0x180000 0\n"
                 "tryn 0x1000 0x1000 0x140000 0x180000 0\nreserve 0x140000 0xc0000\n"
                 "tryn 0x1000 0x1000 0x140000 0x180000 0\nreserve 0x100000 0x40000\npfree 0x160000 0x10000\n"
                 "tryn 0x1000 0x1000 0x170000 0x180000 0\nptry 0x1000 0x1000 0\n"
                 "tryn 0x20000 0x1000 0x170000 0x180000 0\nalloc 0x1000 0x1000 0 0 0 1\n"
                 "alloc 0x1000 0x1000 0 0 0 0\nexact 0x1000 0x1000 0x1c0000 0x168000 1\nexact 0x1000 0x1000 0 0 0\n"
                 "regions\n" + two + "scribble 0x100000 0x100000 0xaa\ntryraw 0x1000 0x1000 0 0 0\n"
                 "bytes 0x13f000 0x1000 0xaa\ntryn 0x1000 0x1000 0 0 0\nbytes 0x13e000 0x1000 0\n"
                 "tryn 0x1000 0x1000 0x1c0000 0x180000 -1\nalloc 0x1000 0x1000 0x1c0000 0x180000 -1 0\n"
                 "ptry 0x1000 0x1000 8\nbottomup 1\nptry 0x1000 0x1000 1\nalloc 0x1000 0x1000 0x180000 0 0 0\n"
                 "regions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    want = [("tryn 0x13f000", "try_nid [0x110000, 0x180000) on node 0: node 0's top"),
            ("tryn 0x17f000", "node 0 has nothing in [0x140000, 0x180000): any node"),
            ("tryn 0x13e000", "nothing free in [0x140000, 0x180000): min dropped, node 0"),
            ("tryn 0x16f000", "node 0 full too: min dropped, any node"),
            ("tryn 0x0", "128 KiB: nowhere"),
            ("tryn 0x13e000", "zeroed, node 0 (after a raw one at 0x13f000)"),
            ("tryn 0x17f000", "min 0x1c0000 above max 0x180000: min dropped, placed below max")]
    t.expect_seq(results(out, "tryn"), [w for w, _ in want], [what for _, what in want])
    t.expect_seq(results(out, "ptry"), ["ptry 0x16e000", "ptry 0x1ff000", "ptry 0x140000"],
                 ["phys_alloc_try_nid on full node 0 falls back to node 1",
                  "nid MAX_NUMNODES means any node", "bottom-up on node 1"])
    t.expect_seq(results(out, "alloc"), ["alloc 0x0", "alloc 0x16d000", "alloc 0x0", "alloc 0x180000"],
                 ["alloc_range_nid on full node 0 with exact_nid", "the same without exact_nid",
                  "alloc_range_nid with start above end does not drop start",
                  "bottom-up from 0x180000 on node 0 (all below): any node"])
    t.expect_seq(results(out, "exact"), ["exact 0x167000", "exact 0x0"],
                 ["exact_nid_raw on node 1, min above max dropped", "exact_nid_raw on full node 0"])
    t.expect_seq(results(out, "bytes"), ["bytes same", "bytes same"],
                 ["a raw allocation leaves memory as it was", "memblock_alloc_try_nid zeroes"])
    expect_arrays(t, out, 0, None, RESERVED(R(0x100000, 0x60000), R(0x167000, PG), R(0x16d000, 0x93000)),
                  "the reservations after the fallbacks")


@lab.test(points=4, name="refusals: size 0, bad alignments, no room to record", section=5)
def refusals(t):
    out = t.host("reset\nadd 0x100000 0x100000\npalloc 0 16\nalloc 0 0x1000 0 0 -1 0\npalloc 0x40 24\n"
                 "prange 0x1000 0x3000 0x100000 0x200000\npalloc 0x30 0\nregions\ncap 1 4\n"
                 "reserve 0x100000 0x100\nreserve 0x100200 0x100\nreserve 0x100400 0x100\npalloc 0x1000 0x1000\n"
                 "ptry 0x1000 0x1000 0\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_seq(results(out, "palloc")[:2], ["palloc 0x0", "palloc 0x0"],
                 ["size 0 fails (a deviation from Linux, §5.3)", "alignment 24 is refused (a deviation, §5.4)"])
    t.expect_eq(out.one("alloc"), "alloc 0x0", "alloc_range_nid of size 0")
    t.expect_eq(out.one("prange"), "prange 0x0", "alignment 0x3000 is refused")
    t.expect_eq(out.all("palloc")[2], "palloc 0x1fffc0", "alignment 0 means SMP_CACHE_BYTES, 64 (§5.5)")
    warns = [l for l in out.lines[:out.lines.index("palloc 0x1fffc0")] if l.startswith("warn: ")]
    t.check(len(warns) >= 3, "alignments 24, 0x3000 and 0 must each MM_WARN; %d warnings seen" % len(warns))
    expect_arrays(t, out, 0, None, RESERVED(R(0x1fffc0, 0x30)), "only the aligned-0 allocation reserved anything")
    t.expect_seq(results(out, "palloc")[3:] + results(out, "ptry"), ["palloc 0x0", "ptry 0x0"],
                 "an allocation whose reservation does not fit the full reserved array (no resizing)")
    expect_arrays(t, out, 1, None, RESERVED(R(0x100000, 0x100), R(0x100200, 0x100), R(0x100400, 0x100),
                                            R(0x1fffc0, 0x30), max=4),
                  "a failed reservation leaves nothing behind")


@lab.test(points=3, name="mirrored memory first, then any", section=5)
def mirror(t):
    out = t.host("reset\nadd 0x100000 0x100000\nkernelcore_mirror 1\nmirror 0x100000 0x10000 1\n"
                 "palloc 0x1000 0x1000\npalloc 0xf000 0x1000\npalloc 0x1000 0x1000\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_seq(results(out, "palloc"), ["palloc 0x10f000", "palloc 0x100000", "palloc 0x1ff000"],
                 ["the top of the mirrored region", "the rest of it", "no mirrored memory left: any memory"])
    i = out.lines.index("palloc 0x1ff000") if "palloc 0x1ff000" in out.lines else 0
    t.check(any(l.startswith("warn: ") for l in out.lines[out.lines.index("palloc 0x100000") + 1:i]),
            "falling back from mirrored memory must MM_WARN")
    expect_arrays(t, out, 0, MEMORY(R(0x100000, 0x10000, MAXN, MIRROR), R(0x110000, 0xf0000)),
                  RESERVED(R(0x100000, 0x10000), R(0x1ff000, PG)), "the arrays at the end")


# ---- §6 the handoff ---------------------------------------------------------------------------

@lab.test(points=5, name="the handoff gives naturally aligned blocks", section=6)
def handoff_chunks(t):
    out = t.host("reset\nadd 0x3000 0x402000\nmaxlow 0x100000\nhandoff\nstats\nhook 1\nfreeall\n"
                 "reset\nadd 0x2800 0x4000\nmaxlow 100\nhandoff\nmaxlow 5\nhandoff\nmaxlow 0\nhandoff\n"
                 "reset\nadd 0 0x800000\nmaxlow 0x100000\nhandoff\nhook 0\nfreeall\n")
    t.reject_stubs(out)
    chunks = [(3, 0), (4, 2), (8, 3), (16, 4), (32, 5), (64, 6), (128, 7), (256, 8), (512, 9), (1024, 2), (1028, 0)]
    g = gives(out)
    expect_gives(t, g[:11], chunks, "pfns [3, 1029) (§3.8)")
    t.expect_eq(out.one("handoff"), "handoff 1026", "pages given for [0x3000, 0x405000)")
    t.check(" pages=1026 calls=11" in str(out.one("stats")),
            "the figures after that handoff must count 1026 pages in 11 calls: %s" % out.one("stats"))
    expect_gives(t, g[11:22], chunks, "memblock_free_all through memblock_free_pages_hook")
    t.expect_eq(out.one("freeall"), "freeall", "memblock_free_all with the hook set")
    expect_gives(t, g[22:], [(3, 0), (4, 1), (3, 0), (4, 0), (0, 10), (0x400, 10)],
                 "[0x2800, 0x6800) with max_low_pfn 100, 5 and 0, then [0, 8 MiB)")
    t.expect_seq(results(out, "handoff")[1:], ["handoff 3", "handoff 2", "handoff 0", "handoff 2048"],
                 ["partial pages stay behind", "nothing at or above max_low_pfn", "max_low_pfn 0: nothing",
                  "8 MiB from pfn 0: two order-10 blocks"])
    t.check("freeall -> assert" in out.lines, "memblock_free_all without a hook must fire MM_ASSERT")


@lab.test(points=4, name="the handoff gives exactly the free whole pages", section=6)
def handoff_exact(t):
    out = t.host("arena 0x100000 0x100000\nreset\nadd 0x100000 0x100000\nreserve 0x100800 0x1000\n"
                 "reserve 0x150000 1\nnomap 0x1e0000 0x10000 1\nhotplug 0x120000 0x8000 1\nmovable 1\n"
                 "palloc 100 8\npalloc 0x3000 0x1000\nmaxlow 0x200\nhandoff\nregions\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_seq(results(out, "palloc"), ["palloc 0x1fff98", "palloc 0x1fc000"], "the two allocations")
    # Free whole pages: 0x100-0x101 touched by [0x100800, +0x1000), 0x150 by one
    # byte, 0x1e0-0x1ef NOMAP, 0x1fc-0x1fe and 0x1ff allocated. The HOTPLUG
    # range is given: the handoff clears HOTPLUG first.
    want = blocks(0x102, 0x150) + blocks(0x151, 0x1e0) + blocks(0x1f0, 0x1fc)
    expect_gives(t, gives(out), want, "the handoff")
    t.expect_eq(out.one("handoff"), "handoff 233", "pages given")
    expect_arrays(t, out, 0, MEMORY(R(0x100000, 0xe0000), R(0x1e0000, 0x10000, MAXN, NOMAP), R(0x1f0000, 0x10000)),
                  None, "after the handoff HOTPLUG is cleared everywhere")


@lab.test(points=3, name="no handoff block crosses a bank boundary", section=6)
def handoff_banks(t):
    out = t.host("arena 0x80000000 0x200000\nreset\nbank 0x80000000 0x100800 0\nbank 0x80100800 0xff800 0\n"
                 "init\nregions\nhandoff\n")
    t.reject_stubs(out)
    no_asserts(t, out)
    t.expect_eq(out.one("init"), "init 0", "early_init on two touching banks of node 0")
    expect_arrays(t, out, 0, MEMORY(R(0x80000000, 0x200000, 0)), RESERVED(), "the two banks merge in memblock")
    expect_gives(t, gives(out), blocks(0x80000, 0x80100) + blocks(0x80101, 0x80200),
                 "banks [0x80000000, 0x80100800) and [0x80100800, 0x80200000): pfn 0x80100 is split between them")
    t.expect_eq(out.one("handoff"), "handoff 511", "pages given")


# ---- random operations, and booting ----------------------------------------------------------

def compare_with_model(t, script, label):
    want = memblock_model.expected_lines(script)
    out = t.host(script)
    t.reject_stubs(out)
    got = [l for l in out.lines if not l.startswith("warn: ")]
    cmds = [l for l in script.splitlines() if l.strip()]
    for g, (w, k, cmd) in zip(got, want):
        if g == w:
            continue
        kind = w.split()[0]
        if kind in ("memory", "reserved") and g.split()[:1] == [kind]:
            what = "the %s array: %s" % (kind, first_difference(g, w))
        else:
            what = "expected %r, got %r" % (w, g)
        # The step whose effect shows: "regions" only prints it.
        steps = [c for c in cmds[:k + 1] if c != "regions"] if k is not None else []
        where = "after `%s` (step %d)" % (steps[-1], len(steps)) if steps else "at the end of the script"
        before = steps[-7:-1]
        t.fail("%s: %s, %s" % (label, where, what),
               "the steps before it: %s\nexpected: %s\ngot:      %s" % ("; ".join(before), w, g))
    if len(got) != len(want):
        t.fail("%s: expected %d lines of results, got %d" % (label, len(want), len(got)))


@lab.test(points=5, name="random operations match the grader's model", section=3, timeout=60)
def random_ops(t):
    rng = random.Random(t.seed)
    for n in range(3):
        script = memblock_model.random_script(rng)
        compare_with_model(t, script, "random script %d (seed %d)" % (n, t.seed))


@lab.test(points=10, name="your kernel boots on machines the grader made", section=7, timeout=240, kind="qemu")
def boots(t):
    bootcheck.boot_machines(t, count=2)
