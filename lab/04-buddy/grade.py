"""Lab buddy: the public tests. Each host test runs the grader's driver
(driver.c, built against your mm/buddy.c with ASan and UBSan) on a script,
and the grader's own model of the rules in README.md (buddy_model.py)
predicts every line it must print. The QEMU tests boot your kernel on
machines the grader makes and read its free lists out of guest memory;
nothing your code prints about itself counts."""
import random

from lib import gradelib, bootcheck
import buddy_model

lab = gradelib.current_lab()
BASE = 0x80000


def judge(t, m, what):
    """Runs the model's script and fails on the first line it did not predict."""
    return bootcheck.judge_with_model(t, "\n".join(m.script) + "\n", m, what)


def model(*spans):
    """A model with spans (nid, start pfn, pages) registered."""
    m = buddy_model.BuddyModel()
    m.reset()
    for nid, start, n in spans:
        m.add_span(nid, start, n)
    return m


def why(m, text):
    """Explains the last expected line, for when it is not what comes."""
    m.why[len(m.want) - 1] = text


@lab.test(points=8, name="handoff blocks arrive on the free lists", section=1)
def handoff_arrives(t):
    m = model((0, BASE, 64))
    m.boot(BASE + 8, 3)
    m.show_lists()
    why(m, "one order-3 block at pfn 0x80008 was given: the lists hold exactly it")
    m.counts()
    m.page(BASE + 8)
    why(m, "a free block's head has flags PG_BUDDY (2), refcount 0 and its order")
    m.page(BASE + 9)
    why(m, "a page inside a free block has flags 0")
    m.page(BASE)
    why(m, "a page never given stays PG_RESERVED (1)")
    m.boot(BASE + 32, 5)
    m.boot(BASE, 0)
    m.boot(BASE + 16, 4)
    m.show_lists()
    m.counts()
    why(m, "nr_free counts the blocks on each list, and free pages are their sum")
    judge(t, m, "four handoff blocks")


@lab.test(points=6, name="a bad handoff asserts and changes nothing", section=1)
def bad_handoff(t):
    m = model((0, BASE, 64), (0, BASE + 64, 32))
    m.boot(BASE, 11)
    m.boot(BASE + 1, 1)
    m.boot(0x90000, 0)
    m.boot(BASE + 64, 6)
    m.boot(BASE, 7)
    m.boot(BASE + 12, 0)
    m.boot(BASE + 12, 0)
    m.boot(BASE + 8, 3)
    m.page(BASE + 8)
    why(m, "the failed handoff of [0x80008, +8) met 0x8000c, given before, after passing "
           "0x80008..0x8000b: those must be PG_RESERVED again")
    m.page(BASE + 11)
    why(m, "the failed handoff of [0x80008, +8) must leave 0x8000b PG_RESERVED")
    m.boot(BASE + 8, 2)
    m.boot(BASE + 13, 0)
    m.boot(BASE + 14, 1)
    m.show_lists()
    m.counts()
    judge(t, m, "handoffs of bad blocks")


@lab.test(points=10, name="buddies merge, up to order 10", section=2)
def merging(t):
    m = model((0, BASE, 2048))
    m.give(BASE, 2048, 0)
    m.show_lists()
    why(m, "2048 pages given one at a time must end as two order-10 blocks")
    m.counts()
    m.reset()
    m.add_span(0, BASE, 1024)
    for pfn in range(BASE + 1023, BASE - 1, -1):
        m.boot(pfn, 0)
    m.show_lists()
    why(m, "1024 pages given from the top down must end as one order-10 block")
    m.reset()
    m.add_span(0, BASE, 4096)
    m.give(BASE, 4096, 6)
    m.show_lists()
    why(m, "order-6 blocks, as bootmem hands them over, must merge to order 10")
    m.counts()
    judge(t, m, "merging")


@lab.test(points=8, name="blocks never merge across a span edge or leave a span", section=2)
def span_edges(t):
    m = model((0, BASE, 256), (0, BASE + 256, 256), (1, BASE + 512, 512))
    m.give(BASE, 256, 10)
    m.give(BASE + 256, 256, 10)
    m.give(BASE + 512, 512, 10)
    m.show_lists()
    why(m, "three spans side by side (the third on node 1): each keeps its own blocks, "
           "although pfn 0x80000 and 0x80100 are buddies at order 8")
    m.counts()
    m.reset()
    m.add_span(0, BASE + 3, 13)
    m.add_span(0, BASE + 19, 45)
    m.give(BASE + 3, 13, 10)
    m.give(BASE + 19, 45, 0)
    m.show_lists()
    why(m, "spans [0x80003, +13) and [0x80013, +45): a buddy outside its span (0x80002 for "
           "0x80003) is never looked at")
    m.counts()
    judge(t, m, "span edges")


@lab.test(points=10, name="alloc_pages splits the smallest block that fits, keeping the lower half", section=3)
def splitting(t):
    m = model((0, BASE, 1024))
    m.give(BASE, 1024, 10)
    m.alloc(0, 0)
    why(m, "one order-10 block at 0x80000: order 0 comes from its lowest page")
    m.show_lists()
    why(m, "the split leaves one free upper half of each order 0..9")
    m.alloc(0, 3)
    m.alloc(0, 0)
    m.alloc(0, 9)
    m.alloc(0, 2)
    m.page(BASE + 8)
    why(m, "an allocated block's head has flags 0, refcount 1 and its order")
    m.show_lists()
    m.counts()
    judge(t, m, "splitting")


@lab.test(points=6, name="alloc_pages fails cleanly when nothing fits", section=3)
def no_fit(t):
    m = model((0, BASE, 64))
    m.alloc(0, 0)
    why(m, "nothing was handed off yet: the allocator is empty")
    m.give(BASE, 64, 10)
    m.alloc(0, 11)
    why(m, "order 11 is above BUDDY_MAX_ORDER: NULL, and the lists are unchanged")
    m.alloc(0, 7)
    why(m, "the largest free block has order 6")
    m.show_lists()
    for _ in range(5):
        m.alloc(-1, 4)
    m.show_lists()
    m.counts()
    judge(t, m, "allocations that cannot be met")


@lab.test(points=6, name="each node first, then the others in order", section=4)
def nodes(t):
    m = model((0, BASE, 16), (1, BASE + 64, 16), (2, BASE + 128, 16))
    m.give(BASE, 16, 10)
    m.give(BASE + 64, 16, 10)
    m.give(BASE + 128, 16, 10)
    m.alloc(1, 2)
    why(m, "node 1 has pages: it comes from node 1")
    m.alloc(2, 4)
    m.alloc(2, 2)
    why(m, "node 2 is empty: node 0 is tried first, then node 1")
    m.alloc(-1, 3)
    why(m, "no preference: node 0 first")
    m.alloc(1, 4)
    m.alloc(0, 3)
    m.show_lists()
    m.counts()
    m.reset()
    for nid in range(3):
        m.add_span(nid, BASE + 64 * nid, 8)
        m.give(BASE + 64 * nid, 8, 10)
    m.alloc(1, 3)
    m.alloc(1, 0)
    why(m, "node 1 is empty, nodes 0 and 2 are not: node 0 comes first")
    m.alloc(0, 3)
    why(m, "node 0 has 7 pages left and no order-3 block, node 1 is empty: node 2")
    m.alloc(0, 1)
    why(m, "node 0 still has an order-1 block at 0x80002")
    m.show_lists()
    judge(t, m, "node fallback")


@lab.test(points=8, name="freeing every block brings the lists back", section=5)
def free_back(t):
    rng = random.Random(t.seed)
    m = model((0, BASE + 5, 1000), (0, BASE + 1005, 19))
    m.give(BASE + 5, 1000, 6)
    m.give(BASE + 1005, 19, 0)
    m.show_lists()
    before = list(m.lists_lines())
    live = []
    for _ in range(60):
        p = m.alloc(0, rng.choice([0, 0, 1, 2, 3, 5]))
        if p is not None:
            live.append((p, m.used[p]))
    rng.shuffle(live)
    for p, o in live:
        m.free(p, o)
    m.show_lists()
    why(m, "every block allocated was freed: the lists must hold the blocks they held after the "
           "handoff, each list newest first")
    assert sorted(m.lists_lines()) == sorted(before), "the grader's model lost its way"
    m.counts()
    judge(t, m, "freeing in random order (seed %d)" % t.seed)


@lab.test(points=6, name="double, foreign and wrong-order frees assert and change nothing", section=5)
def bad_free(t):
    m = model((0, BASE, 64))
    m.give(BASE, 64, 10)
    a = m.alloc(0, 2)
    b = m.alloc(0, 0)
    m.free(a, 1)
    m.free(a, 3)
    m.free(a + 1, 0)
    m.free(b, 0)
    m.free(b, 0)
    m.free(BASE + 32, 5)
    m.show_lists()
    m.counts()
    m.free(a, 2)
    m.show_lists()
    judge(t, m, "bad frees")


@lab.test(points=12, name="random scripts match the grader's model", section=6, timeout=40)
def random_scripts(t):
    rng = random.Random(t.seed ^ 0xb0dd)
    for round in range(6):
        _, m = buddy_model.random_script(rng)
        judge(t, m, "seed %d, script %d" % (t.seed, round))


@lab.test(points=10, name="your kernel boots on machines the grader made (ALLOC=bootmem)", section=6,
          timeout=240, kind="qemu")
def boots(t):
    bootcheck.boot_machines(t, count=2, coalesced=True)


@lab.test(points=10, name="usertests -q and memstress run on your allocator and give back every page",
          section=6, timeout=420, kind="qemu")
def workload(t):
    bootcheck.workload(t, [("usertests -q", 300, "ALL TESTS PASSED"), ("memstress", 120, "memstress: ok")])
