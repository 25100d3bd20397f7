"""Lab bootmem: the public tests. Each test runs the grader's host driver
(driver.c, built against your mm/bootmem.c with ASan and UBSan) on a script
of commands, or boots your kernel on machines the grader generates, and
compares what it observed with what the handout (README.md) says must
happen. Expected values are written here, or computed from the machine the
grader made; nothing your code prints about itself counts."""
import random

from lib import gradelib, bootcheck

lab = gradelib.current_lab()
PG = 4096


def node0(npages, base=0):
    """One node of npages pages at base, through early_init: with nothing
    reserved, the bitmap takes the first page."""
    size = npages * PG
    return "arena %#x %#x\nreset\nbank %#x %#x 0\ninit\n" % (base, size, base, size)


def started(t, out):
    t.expect_eq(out.one("init"), "init 0", "early_init on one bank")


def field(line, n):
    words = (line or "").split()
    return words[n] if n < len(words) else None


def bits(out, node=0):
    line = out.one("bits", node) or ""
    return line.split()[2:]


def gives(out):
    """The handoff's blocks as (pfn, order); a malformed line fails the test."""
    try:
        return [(int(p, 16), int(o)) for _, p, o in (l.split() for l in out.all("give"))]
    except ValueError:
        raise gradelib.TestFailure("a handoff block line is not 'give PFN ORDER'")


@lab.test(points=4, name="bitmap size", section=1)
def bitmap_size(t):
    cases = {1: (8, 1), 64: (8, 1), 65: (16, 1), 200: (32, 1), 32768: (4096, 1),
             32769: (4104, 2), (32 << 30) // PG: (1 << 20, 256)}
    out = t.host("".join("bytes %d\n" % n for n in cases))
    t.reject_stubs(out)
    t.expect_seq(out.all("bytes"), ["bytes %d pages %d" % bp for bp in cases.values()],
                 ["bootmap_bytes/bootmem_bootmap_pages(%d)" % n for n in cases])


@lab.test(points=6, name="where the bitmap goes", section=2)
def bitmap_place(t):
    out = t.host("arena 0x80000000 0x100000\nreset\nbank 0x80000000 0x100000 0\n"
                 "resv 0x80000000 0x2000 0\nresv 0x80002000 0x3800 4\ninit\nnodes\nbits\n")
    t.reject_stubs(out)
    started(t, out)
    t.expect_eq(out.one("node"), "node 0 min=0x80000 low=0x80100 map=0x80006 hint=0x0 last_end_off=0x0",
                "the node after early_init (firmware 8 KiB, kernel to 0x80005800)")
    t.expect_eq(bits(out), ["0x80000-0x80006"], "taken pages: firmware, kernel, its partial page, bitmap")
    # Two bitmap pages, and a reservation in the second page they would take.
    out = t.host("arena 0x80000000 0x8002000\nreset\nbank 0x80000000 0x8001000 0\n"
                 "resv 0x80001000 0x800 1\ninit\nnodes\nbits\n")
    t.expect_eq(out.one("node"), "node 0 min=0x80000 low=0x88001 map=0x80002 hint=0x0 last_end_off=0x0",
                "a 2-page bitmap must skip a reserved page")
    t.expect_eq(bits(out), ["0x80001-0x80003"], "taken pages")
    # A bank that starts inside a page: that page is not wholly RAM.
    out = t.host("arena 0x80000000 0x101000\nreset\nbank 0x80000800 0x100000 0\ninit\nnodes\n")
    t.expect_eq(field(out.one("node"), 4), "map=0x80001", "the bitmap of a bank that starts at 0x80000800")
    # The first bank is all reserved: the bitmap goes in the next bank.
    out = t.host("arena 0x80000000 0x20000\nreset\nbank 0x80000000 0x4000 0\nbank 0x80010000 0x10000 0\n"
                 "resv 0x80000000 0x3000 1\ninit\nnodes\n")
    t.expect_eq(field(out.one("node"), 4), "map=0x80003", "the bitmap in the last free page of the first bank")


@lab.test(points=5, name="a double free is caught", section=3)
def double_free(t):
    out = t.host(node0(16) + "alloc 4096 4096 0\nfree 0x1000 0x1000\nfree 0x1000 0x1000\n"
                 "free 0x5000 0x1000\n")
    t.reject_stubs(out)
    started(t, out)
    t.expect_eq(out.one("alloc"), "alloc 0x1000", "first page-sized allocation")
    t.expect_eq(out.one("free"), "free 0", "freeing the allocated page")
    t.expect_eq([l for l in out.lines if l == "free -> assert"], ["free -> assert"] * 2,
                "freeing a free page (twice: the page just freed, and a page never allocated) "
                "must fire MM_ASSERT")


@lab.test(points=5, name="an exclusive reserve fails and undoes itself", section=3)
def exclusive(t):
    out = t.host(node0(16) + "reserve 0x5000 0x1000 0\nreserve 0x3000 0x4000 1\nbits\n"
                 "reserve 0x3000 0x4000 0\nbits\n")
    t.reject_stubs(out)
    started(t, out)
    r = out.all("reserve")
    t.expect_eq(r[0], "reserve 0", "reserve pfn 5")
    t.expect_eq(r[1], "reserve -16", "BOOTMEM_EXCLUSIVE over pfns 3-6 with 5 taken (-EBUSY)")
    t.expect_eq(bits(out, 0), ["0x0-0x0", "0x5-0x5"], "after the failed reserve, pfns 3 and 4 are free again")
    t.expect_eq(r[2], "reserve 0", "a plain reserve over a taken page")
    t.expect_eq(bits(out, 1), ["0x0-0x0", "0x3-0x6"], "taken pages after the plain reserve")
    # A failed exclusive reserve frees what it set, and that lowers the hint.
    out = t.host(node0(16) + "reserve 0x9000 0x1000 0\nalloc 4096 4096 0xc000\nreserve 0x8000 0x2000 1\n"
                 "nodes\nalloc 4096 4096 0\n")
    t.expect_eq(field(out.one("node"), 5), "hint=0x8", "the hint after an exclusive reserve of pfns 8-9 failed at 9")
    t.expect_eq(out.all("alloc")[1], "alloc 0x8000", "the next allocation, from that hint")


@lab.test(points=8, name="reserve rounds out, free rounds in", section=4)
def rounding(t):
    out = t.host(node0(16) + "alloc 0x3000 4096 0\nfree 0x1800 0x1000\nnodes\nbits\n"
                 "reserve 0x8800 0x100 0\nreserve 0x9fff 0x2 0\nreserve 0xc800 0 0\nbits\n"
                 "free 0x8800 0x2000\nbits\nfree 0x8000 0x1000\nfree 0xa000 0x1800\nbits\n")
    t.reject_stubs(out)
    started(t, out)
    t.expect_eq(out.one("alloc"), "alloc 0x1000", "alloc of 3 pages")
    t.expect_eq(out.one("free"), "free 0", "free of [0x1800, 0x2800): no whole page")
    t.expect_eq(out.one("node"), "node 0 min=0x0 low=0x10 map=0x0 hint=0x2 last_end_off=0x4000",
                "a free with no whole page frees nothing but lowers the hint to PFN_UP(0x1800)")
    t.expect_eq(bits(out, 0), ["0x0-0x3"], "taken pages after that free")
    t.expect_eq(bits(out, 1), ["0x0-0x3", "0x8-0xa"],
                "reserve [0x8800,+0x100) takes pfn 8; [0x9fff,+2) takes 9 and 10; size 0 takes none")
    t.expect_eq(bits(out, 2), ["0x0-0x3", "0x8-0x8", "0xa-0xa"], "free [0x8800,+0x2000) frees only pfn 9")
    t.expect_eq(bits(out, 3), ["0x0-0x3"], "free [0x8000,+0x1000) frees pfn 8, [0xa000,+0x1800) pfn 10")


@lab.test(points=5, name="ranges across nodes, and outside every node", section=4)
def across_nodes(t):
    out = t.host("arena 0x80000000 0x80000\nreset\nbank 0x80000000 0x40000 0\n"
                 "bank 0x80040000 0x40000 1\nresv 0x80040000 0x2000 1\ninit\nnodes\n"
                 "reserve 0x8003f000 0x2000 0\nbits\nfree 0x8003f000 0x2000\nbits\n"
                 "reserve 0x90000000 0x1000 0\nfree 0x7ffff000 0x2000\nreserve 0x8007f000 0x2000 0\nbits\n"
                 "reserve 0xfffffffffffff000 0xfff 0\nfree 0xfffffffffffff000 0x2000\n")
    t.reject_stubs(out)
    t.expect_eq(out.one("init"), "init 0", "early_init on two nodes")
    t.expect_eq(out.all("node"), ["node 0 min=0x80000 low=0x80040 map=0x80000 hint=0x0 last_end_off=0x0",
                                  "node 1 min=0x80040 low=0x80080 map=0x80042 hint=0x0 last_end_off=0x0"],
                "two nodes; node 1's bitmap after its reserved first two pages")
    t.expect_eq(out.all("reserve")[0], "reserve 0", "reserve across the node boundary")
    t.expect_eq(bits(out, 0) + bits(out, 1), ["0x80000-0x80000", "0x8003f-0x8003f", "0x80040-0x80042"],
                "taken pages in both nodes")
    t.expect_eq(out.all("free")[0], "free 0", "free across the node boundary")
    t.expect_eq(bits(out, 2) + bits(out, 3), ["0x80000-0x80000", "0x80041-0x80042"],
                "after the free: the bitmaps and the second reserved page")
    t.expect_eq(out.all("reserve")[1], "reserve -22", "reserve outside every node (-EINVAL)")
    t.expect_eq(out.all("free")[1], "free -22", "free that starts below the first node (-EINVAL)")
    t.expect_eq(out.all("reserve")[2], "reserve -22", "reserve that runs past the last node")
    t.expect_eq(bits(out, 4) + bits(out, 5), ["0x80000-0x80000", "0x80041-0x80042"],
                "a failed reserve changes nothing")
    t.expect_eq(out.all("reserve")[3], "reserve -22", "reserve of the last page of the address space (PFN_UP overflows)")
    t.expect_eq(out.all("free")[2], "free -22", "free that wraps around the address space")
    out = t.host("arena 0x80000000 0x80000\nreset\nbank 0x80000000 0x40000 0\nbank 0x80040000 0x40000 1\n"
                 "resv 0x80040000 0x2000 1\ninit\nreserve 0x8003f000 0x2000 1\nbits\n")
    t.expect_eq(out.one("reserve"), "reserve -16", "an exclusive reserve across the boundary, taken in node 1")
    t.expect_eq(bits(out, 0), ["0x80000-0x80000"], "node 0 after it: the failed reserve is undone there too")


@lab.test(points=8, name="first fit, aligned to the absolute pfn", section=5)
def first_fit_align(t):
    out = t.host(node0(64, 0x80001000) + "alloc 4096 0x4000 0\nalloc 100 0x10000 0\n"
                 "alloc 0x2000 4096 0\nalloc 8 8 0\nnodes\n")
    t.reject_stubs(out)
    started(t, out)
    a = out.all("alloc")
    t.expect_eq(a[0], "alloc 0x80004000", "4 KiB aligned to 16 KiB in a node that starts at pfn 0x80001")
    t.expect_eq(a[1], "alloc 0x80010000", "100 bytes aligned to 64 KiB")
    t.expect_eq(a[2], "alloc 0x80011000", "8 KiB: first fit from the hint")
    t.expect_eq(a[3], "alloc 0x80013000", "8 bytes: a fresh page (the last allocation ended on a page boundary)")
    out = t.host(node0(64, 0x80001000) + "alloc 0x1800 8 0\nalloc 4096 0x4000 0\n")
    t.expect_eq(out.all("alloc")[1], "alloc 0x80004000",
                "4 KiB aligned to 16 KiB after 0x1800 bytes: a packed start must be aligned absolutely too")


@lab.test(points=8, name="the search hint, and the fallback below it", section=5)
def hint_fallback(t):
    out = t.host(node0(64) + "alloc 4096 4096 0x8000\nalloc 4096 4096 0\nalloc 0x36000 4096 0\n"
                 "alloc 4096 4096 0\nnodes\nfree 0x20000 0x1000\nnodes\nalloc 4096 4096 0\n"
                 "free 0x1000 0x1000\nnodes\nalloc 4096 4096 0\n")
    t.reject_stubs(out)
    started(t, out)
    want = [("alloc 0x8000", "a page with goal 0x8000"),
            ("alloc 0x9000", "the next page: the search starts at the hint, not at the node start"),
            ("alloc 0xa000", "216 KiB fills the node above the hint"),
            ("alloc 0x1000", "nothing above the hint: the fallback searches from the start"),
            ("alloc 0x2000", "first fit from the hint, which a free above it did not raise"),
            ("alloc 0x1000", "the page freed below the hint")]
    t.expect_seq(out.all("alloc"), [w for w, _ in want], [what for _, what in want])
    out2 = t.host(node0(64) + "alloc 4096 4096 0x3f000\nalloc 4096 4096 0x8000\n")
    t.expect_eq(out2.all("alloc")[1], "alloc 0x8000",
                "goal 0x8000 with the hint at the end: the fallback starts at the goal, not the node start")
    hints = [field(l, 5) for l in out.all("node")]
    t.expect_eq(hints, ["hint=0x2", "hint=0x2", "hint=0x1"],
                "the hint after the fallback, after freeing pfn 0x20 above it, and after freeing pfn 1")


@lab.test(points=4, name="no room returns 0", section=5)
def no_room(t):
    out = t.host(node0(16) + "alloc 0x10000 4096 0\nalloc 0xf000 4096 0\nalloc 1 8 0\n"
                 "ealloc 0 64 -1\nealloc 64 3 -1\nstats\n")
    t.reject_stubs(out)
    started(t, out)
    a = out.all("alloc")
    t.expect_eq(a[0], "alloc 0x0", "16 pages in a node whose page 0 is the bitmap")
    t.expect_eq(a[1], "alloc 0x1000", "the 15 free pages")
    t.expect_eq(a[2], "alloc 0x0", "1 byte in a full node")
    t.expect_eq(out.all("ealloc"), ["ealloc 0x0", "ealloc 0x0"], "size 0, and alignment 3")
    out2 = t.host(node0(16) + "reserve 0x2000 0x1000 0\nalloc 5000 8 0\n")
    t.expect_eq(out2.one("alloc"), "alloc 0x3000", "5000 bytes need 2 free pages: not pfn 1, whose next page is taken")
    t.check("nallocs=1 " in str(out.one("stats")), "only one allocation succeeded, the figures say: %s"
            % out.one("stats"))


@lab.test(points=10, name="sub-page packing: exact addresses", section=6)
def packing(t):
    out = t.host(node0(16) + "alloc 100 8 0\nalloc 200 8 0\nalloc 5000 8 0\nnodes\nbits\nstats\n"
                 "alloc 16 4096 0\nalloc 16 8 0\nnodes\nstats\n")
    t.reject_stubs(out)
    started(t, out)
    want = ["alloc 0x1000", "alloc 0x1068", "alloc 0x1130", "alloc 0x3000", "alloc 0x3010"]
    what = ["100 bytes", "200 bytes packed after them", "5000 bytes packed, running into page 2",
            "16 bytes aligned to a page: a fresh page", "16 bytes packed after them"]
    t.expect_seq(out.all("alloc"), want, what)
    t.expect_eq(out.one("node"), "node 0 min=0x0 low=0x10 map=0x0 hint=0x3 last_end_off=0x24b8",
                "the node after three packed allocations")
    t.expect_eq(bits(out), ["0x0-0x2"], "pages taken by the three allocations")
    s = out.all("stats")
    t.check("consumed=8192 " in str(s[0]) and "merges=2 " in str(s[0]),
            "3 allocations take 2 whole pages with 2 merges; the figures say: %s" % s[0])
    t.expect_eq(out.one("node", 1), "node 0 min=0x0 low=0x10 map=0x0 hint=0x4 last_end_off=0x3020",
                "the node after the last two")
    t.check("merges=3 " in str(s[1]), "3 merges after the last one; the figures say: %s" % s[1])


@lab.test(points=5, name="packing only into the page just before", section=6)
def packing_rules(t):
    out = t.host(node0(16) + "alloc 100 8 0\nalloc 28 8 0\nreserve 0x2000 0x1000 0\nalloc 100 8 0\nnodes\n"
                 + node0(4) + "alloc 0x2f00 8 0\nalloc 50 8 0\n")
    t.reject_stubs(out)
    t.expect_seq(out.all("alloc"), ["alloc 0x1000", "alloc 0x1068", "alloc 0x3000", "alloc 0x1000", "alloc 0x0"],
                 ["100 bytes", "28 bytes packed after them, aligned to 8",
                  "the page after the tail is reserved: no packing, a fresh page",
                  "0x2f00 bytes in a 4-page node",
                  "50 bytes: the tail of page 3 is free, but a merge still needs a free page"])


@lab.test(points=4, name="freeing the packed page ends packing", section=6)
def packed_page_freed(t):
    out = t.host(node0(16) + "alloc 100 8 0\nfree 0x1000 0x1000\nnodes\nalloc 100 8 0x2000\nbits\n")
    t.reject_stubs(out)
    started(t, out)
    t.expect_eq(out.one("node"), "node 0 min=0x0 low=0x10 map=0x0 hint=0x1 last_end_off=0x0",
                "after freeing the page that held the tail, there is nothing to pack into")
    t.expect_eq(out.all("alloc")[1], "alloc 0x2000",
                "100 bytes with goal 0x2000 (packing into the freed page would give 0x1068 and reserve nothing)")
    t.expect_eq(bits(out), ["0x0-0x0", "0x2-0x2"], "that allocation must reserve its page")
    out = t.host(node0(16) + "reserve 0x1000 0x1000 0\nalloc 100 8 0\nfree 0x1000 0x1000\nnodes\n"
                 "alloc 100 8 0x3000\n")
    t.expect_eq(field(out.one("node"), 6), "last_end_off=0x2064",
                "freeing a page other than the packed one keeps the packing state")
    t.expect_eq(out.all("alloc")[1], "alloc 0x2068", "so 100 bytes with goal 0x3000 still pack after the tail")


@lab.test(points=8, name="handoff by 64-page words", section=7)
def handoff_words(t):
    out = t.host("arena 0 0xc9000\nreset\ninitnode 0 200 0 201\nfree 0 0xc8000\n"
                 "reserve 0 0x1000 0\nreserve 0x46000 0x1000 0\nhandoff\nstats\nalloc 8 8 0\n")
    t.reject_stubs(out)
    t.expect_eq(out.one("initnode"), "initnode 32", "init_bootmem_node over 201 pages, the bitmap in the last")
    want = [(p, 0) for p in range(1, 70)] + [(p, 0) for p in range(71, 128)] + [(128, 6)] \
        + [(p, 0) for p in range(192, 200)] + [(200, 0)]
    got = gives(out)
    if got != want:
        t.fail("the handoff gave %d blocks, expected %d: the first difference is %s"
               % (len(got), len(want), first_diff(got, want)))
    t.expect_eq(out.one("handoff"), "handoff 199", "pages given (198 free and the bitmap page)")
    t.check("meta=0 " in str(out.one("stats")), "after the handoff the bitmap is gone: %s" % out.one("stats"))
    t.expect_eq(out.one("alloc"), "alloc 0x0", "an allocation after the handoff")
    out = t.host("arena 0 0xc9000\nreset\ninitnode 0 200 0 201\nfree 0 0xc8000\nreserve 0 0x1000 0\n"
                 "reserve 0xbf000 0x1000 0\nhandoff\n")
    t.check((128, 6) not in gives(out) and (190, 0) in gives(out),
            "with pfn 191 taken, pfns 128..190 go singly, not as an order-6 block")
    t.expect_eq(out.one("handoff"), "handoff 199", "pages given with pfns 0 and 191 taken")


@lab.test(points=6, name="a node that does not start on a 64-page boundary", section=7)
def handoff_unaligned(t):
    out = t.host("arena 0 0x65000\nreset\ninitnode 0 100 1 100\nfree 0x1000 0x63000\nhandoff\n"
                 + "arena 0x80000000 0x200000\nreset\nbank 0x80003000 0x1fd000 0\ninit\nhandoff\n")
    t.reject_stubs(out)
    g = gives(out)
    first = [x for x in g if x[0] <= 100]
    t.expect_eq(first, [(p, 0) for p in range(1, 101)], "blocks given for pfns 1..99 and the bitmap at 100")
    t.expect_eq(out.all("handoff"), ["handoff 100", "handoff 509"], "pages given by the two handoffs")
    out2 = t.host("arena 0 0xc9000\nreset\ninitnode 0 200 1 129\nfree 0x1000 0x80000\nhandoff\n")
    t.check((0x80, 0) in gives(out2) and (0x80, 6) not in gives(out2),
            "a node of pfns 1..128: pfn 128 goes singly (a 64-page block there would leave the node)")
    t.expect_eq(out2.one("handoff"), "handoff 129", "pages given by that node (128 and its bitmap)")
    second = [x for x in g if x[0] > 100]
    big = [p for p, o in second if o == 6]
    t.expect_eq(big, list(range(0x80040, 0x80200, 64)), "order-6 blocks of the 2 MiB node at 0x80003000")


def first_diff(got, want):
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return "block %d: expected pfn %#x order %d, got pfn %#x order %d" % (i, w[0], w[1], g[0], g[1])
    return "after %d blocks the %s list goes on" % (min(len(got), len(want)),
                                                     "your" if len(got) > len(want) else "expected")


@lab.test(points=4, name="random operations keep every page accounted for", section=5, timeout=60)
def random_ops(t):
    rng = random.Random(t.seed)
    for round in range(3):
        script, model = bootcheck.random_bootmem_script(rng)
        bootcheck.judge_with_model(t, script, model, "seed %d, round %d" % (t.seed, round))


@lab.test(points=10, name="your kernel boots on machines the grader made", section=8, timeout=240, kind="qemu")
def boots(t):
    bootcheck.boot_machines(t, count=2)
