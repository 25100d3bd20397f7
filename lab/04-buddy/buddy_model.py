"""Lab buddy: the grader's own model of the buddy allocator, and random
scripts for the host driver that it judges.

The model follows the rules of README.md, not anyone's code: spans of
pages, one list per node and order with the newest block at its head, a
block's buddy at pfn ^ 2^order, merging only inside a span and up to
MAX_ORDER, splitting that keeps the lower half. From those rules it
predicts every line the driver must print."""
MAX_ORDER = 10
MAX_NODES = 4                      # MEMMAP_MAX_NODES
ASSERT = object()                  # "an MM_ASSERT fired here": any message


class BuddyModel:
    def __init__(self):
        self.script, self.want, self.why = [], [], {}
        self.reset(record=False)

    def cmd(self, line, *expect, why=None):
        self.script.append(line)
        if why:
            self.why[len(self.want)] = why
        self.want.extend(expect)

    # ---- state --------------------------------------------------------------
    def reset(self, record=True):
        self.spans = []            # [(start, end, nid)]
        self.reserved = set()      # pfns still PG_RESERVED
        self.heads = {}            # free head pfn -> order
        self.used = {}             # allocated head pfn -> order
        self.lists = {}            # (nid, order) -> [pfn], head first
        self.nr_nodes = 0
        if record:
            self.cmd("reset")

    def span_of(self, pfn):
        return next((s for s in self.spans if s[0] <= pfn < s[1]), None)

    def push(self, pfn, order, nid):
        self.lists.setdefault((nid, order), []).insert(0, pfn)
        self.heads[pfn] = order

    def unlink(self, pfn, nid):
        order = self.heads.pop(pfn)
        self.lists[nid, order].remove(pfn)

    def free_block(self, span, pfn, order):
        start, end, nid = span
        while order < MAX_ORDER:
            b = pfn ^ (1 << order)
            if not start <= b < end or self.heads.get(b) != order:
                break
            self.unlink(b, nid)
            pfn &= b
            order += 1
        self.push(pfn, order, nid)

    # ---- the commands ---------------------------------------------------------
    def add_span(self, nid, start, npages):
        end = start + npages
        bad = nid < 0 or nid >= MAX_NODES or npages == 0 or \
            any(start < e and s < end for s, e, _ in self.spans)
        if bad:
            self.cmd("span %d %#x %d" % (nid, start, npages), "span -22")
            return
        self.spans.append((start, end, nid))
        self.reserved.update(range(start, end))
        self.nr_nodes = max(self.nr_nodes, nid + 1)
        self.cmd("span %d %#x %d" % (nid, start, npages), "span 0")

    def boot_ok(self, pfn, order):
        """None if buddy_free_boot(pfn, order) must succeed, else why not."""
        if order > MAX_ORDER:
            return "order %d is above %d" % (order, MAX_ORDER)
        if pfn % (1 << order):
            return "pfn %#x is not aligned to order %d" % (pfn, order)
        s = self.span_of(pfn)
        if not s or pfn + (1 << order) > s[1]:
            return "[%#x, +%d) is not inside one span" % (pfn, 1 << order)
        bad = next((p for p in range(pfn, pfn + (1 << order)) if p not in self.reserved), None)
        if bad is not None:
            return "page %#x is not reserved (given before, or allocated)" % bad
        return None

    def boot(self, pfn, order):
        bad = self.boot_ok(pfn, order)
        line = "boot %#x %d" % (pfn, order)
        if bad:
            self.cmd(line, ASSERT, "boot -> assert", why="buddy_free_boot(%#x, %d) must assert: %s "
                     "(and change nothing)" % (pfn, order, bad))
            return
        self.reserved.difference_update(range(pfn, pfn + (1 << order)))
        self.free_block(self.span_of(pfn), pfn, order)
        self.cmd(line, "boot ok")

    def give(self, start, npages, max_order):
        """The driver's give: maximal aligned blocks of at most max_order."""
        pfn, end = start, start + npages
        while pfn < end:
            k = max_order
            while k and (pfn % (1 << k) or pfn + (1 << k) > end):
                k -= 1
            assert self.boot_ok(pfn, k) is None, "a bad give in a script"
            self.reserved.difference_update(range(pfn, pfn + (1 << k)))
            self.free_block(self.span_of(pfn), pfn, k)
            pfn += 1 << k
        self.cmd("give %#x %d %d" % (start, npages, max_order), "give ok")

    def alloc_from(self, nid, order):
        k = order
        while k <= MAX_ORDER and not self.lists.get((nid, k)):
            k += 1
        if k > MAX_ORDER:
            return None
        pfn = self.lists[nid, k][0]
        self.unlink(pfn, nid)
        while k > order:
            k -= 1
            self.push(pfn + (1 << k), k, nid)
        self.used[pfn] = order
        return pfn

    def alloc(self, nid, order):
        before, pfn = self.describe_before(), None
        if order <= MAX_ORDER:
            if nid >= 0:
                pfn = self.alloc_from(nid, order)
            for n in range(self.nr_nodes):
                if pfn is None and n != nid:
                    pfn = self.alloc_from(n, order)
        want = "alloc none" if pfn is None else "alloc %#x" % pfn
        self.cmd("alloc %d %d" % (nid, order), want,
                 why="alloc_pages(%d, %d) with free lists %s" % (nid, order, before))
        return pfn

    def free(self, pfn, order):
        line = "free %#x %d" % (pfn, order)
        if self.span_of(pfn) is None:
            self.cmd(line, "free: pfn %#x is not in any span" % pfn)
        elif self.used.get(pfn) != order:
            what = ("a free block" if pfn in self.heads or any(h < pfn < h + (1 << o) for h, o in self.heads.items())
                    else "an allocated block of order %d" % self.used[pfn] if pfn in self.used
                    else "not the head of an allocated block")
            self.cmd(line, ASSERT, "free -> assert",
                     why="free_pages(%#x, %d) must assert: it is %s (and change nothing)" % (pfn, order, what))
        else:
            del self.used[pfn]
            self.free_block(self.span_of(pfn), pfn, order)
            self.cmd(line, "free ok")

    def lists_lines(self):
        return ["block %#x %d %d" % (pfn, k, nid) for nid in range(self.nr_nodes)
                for k in range(MAX_ORDER + 1) for pfn in self.lists.get((nid, k), [])]

    def show_lists(self):
        self.cmd("lists", *self.lists_lines(), "lists end")

    def counts_lines(self):
        out, total = [], 0
        for nid in range(self.nr_nodes):
            pages = 0
            for k in range(MAX_ORDER + 1):
                n = len(self.lists.get((nid, k), []))
                if n:
                    out.append("nr %d %d %d" % (nid, k, n))
                pages += n << k
            out.append("free %d %d" % (nid, pages))
            total += pages
        return out + ["free all %d" % total]

    def counts(self):
        self.cmd("counts", *self.counts_lines())

    def page(self, pfn):
        if self.span_of(pfn) is None:
            want = "page %#x none" % pfn
        elif pfn in self.reserved:
            want = "page %#x flags=1 ref=0 order=0" % pfn
        elif pfn in self.heads:
            want = "page %#x flags=2 ref=0 order=%d" % (pfn, self.heads[pfn])
        elif pfn in self.used:
            want = "page %#x flags=0 ref=1 order=%d" % (pfn, self.used[pfn])
        else:
            want = None            # inside a block: only flags 0 is a rule
        self.cmd("page %#x" % pfn, want or "page %#x flags=0" % pfn)

    def describe_before(self):
        short = ["o%d:%s" % (k, ",".join("%#x" % p for p in self.lists[nid, k][:4]) +
                             ("..." if len(self.lists[nid, k]) > 4 else ""))
                 for (nid, k) in sorted(self.lists) if self.lists[nid, k]]
        return "{%s}" % " ".join(short[:8]) if short else "{empty}"

    # ---- judging ----------------------------------------------------------------
    def check(self, out):
        """Problems with the driver's transcript; empty when it is right. The
        first says which rule the first differing line broke."""
        got = [l for l in out.lines if l != "driver: end"]
        for i, want in enumerate(self.want):
            line = got[i] if i < len(got) else None
            if match(want, line):
                continue
            where = "result line %d" % (i + 1)
            if line is None:
                return ["%s: the transcript ends early; expected %s" % (where, show(want))]
            if line.startswith("assert: ") and want is not ASSERT:
                return ["%s: MM_ASSERT fired: %s" % (where, line[8:])]
            why = self.why.get(i)
            if isinstance(want, str) and (want.startswith("block ") or want == "lists end"):
                why = "; ".join(filter(None, [lists_differ(self.want, got, i), why]))
            return ["%s: expected %s, got %r%s" % (where, show(want), line, "; " + why if why else ""),
                    "the lines around it:\n  " + "\n  ".join(
                        "%s %-28s | %s" % ("->" if j == i else "  ", show(self.want[j]),
                                           got[j] if j < len(got) else "(nothing)")
                        for j in range(max(0, i - 6), min(len(self.want), i + 4)))]
        if len(got) > len(self.want):
            return ["after the expected %d lines the driver printed more: %r" % (len(self.want), got[len(self.want)])]
        return []


def lists_differ(want, got, i):
    """What differs between the two free-list listings that line i is in."""
    start = max(j for j in range(i + 1) if j == 0 or not str(want[j - 1]).startswith("block "))

    def listing(lines):
        out = set()
        for l in lines[start:]:
            if l is None or not str(l).startswith("block "):
                break
            out.add(tuple(l.split()[1:]))
        return out
    w, g = listing(want), listing(got)
    fmt = lambda bs: ", ".join("%s order %s node %s" % b for b in sorted(bs)[:4]) + (" ..." if len(bs) > 4 else "")
    parts = (["only in yours: " + fmt(g - w)] if g - w else []) + (["missing: " + fmt(w - g)] if w - g else [])
    return "the free lists differ: " + "; ".join(parts) if parts else "the same blocks, in another order"


def match(want, line):
    if line is None:
        return False
    if want is ASSERT:
        return line.startswith("assert: ")
    if want.startswith("page ") and want.endswith(" flags=0"):
        return line.startswith(want + " ")
    return line == want


def show(want):
    return "an MM_ASSERT" if want is ASSERT else repr(want)


def random_script(rng):
    """A random machine and a random sequence of operations; returns
    (script, model) with the expected transcript in the model."""
    m = BuddyModel()
    m.reset()
    spans, pfn = [], 0x80000 + rng.choice([0, 0, 3, 0x40, 0x1ff])
    nodes = rng.choice([1, 1, 2])
    for i in range(rng.randint(1, 3)):
        n = rng.choice([rng.randrange(1, 64), rng.randrange(64, 1500), 1024, 2048 + rng.randrange(0, 9)])
        nid = 0 if nodes == 1 else min(1, i)
        spans.append((pfn, n, nid))
        m.add_span(nid, pfn, n)
        pfn += n + rng.choice([0, 0, 1, 5, 0x100])          # adjacent, or a hole
    held = []                                            # ranges kept back at handoff
    for start, n, nid in spans:
        s = start
        while s < start + n:
            run = min(start + n - s, rng.choice([n, n, rng.randrange(1, n + 1)]))
            if rng.random() < 0.2:
                held.append((s, run))
            else:
                m.give(s, run, rng.choice([0, 3, 6, 6, 10, 10]))
            s += run
    if rng.random() < 0.5:
        m.show_lists()
    live = []
    for _ in range(rng.randrange(30, 90)):
        r = rng.random()
        if r < 0.45:
            order = rng.choice([0, 0, 0, 1, 2, 3, rng.randrange(0, 11), 11])
            pfn = m.alloc(rng.choice([-1, 0, 0, nodes - 1]), order)
            if pfn is not None:
                live.append((pfn, order))
        elif r < 0.8 and live:
            m.free(*live.pop(rng.randrange(len(live))))
        elif r < 0.86 and held:
            s, n = held.pop(rng.randrange(len(held)))
            m.give(s, n, rng.choice([0, 6, 10]))
        elif r < 0.9:
            if live and rng.random() < 0.5:
                pfn, order = rng.choice(live)
                m.free(pfn, order + rng.choice([-1, 1]) if order else 1)   # the wrong order
            else:
                head = rng.choice(sorted(m.heads)) if m.heads else spans[0][0]
                m.free(head, m.heads.get(head, 0))           # a free block, freed again
        elif r < 0.93:
            given = [p for s0, n, _ in spans for p in range(s0, s0 + n) if p not in m.reserved]
            if given:                                   # a page given before: must assert
                p = rng.choice(given)
                m.boot(p - p % 2 if rng.random() < 0.5 else p, rng.choice([0, 1]))
        elif r < 0.96:
            s = rng.choice(spans)
            m.page(s[0] + rng.randrange(s[1]))
        else:
            m.counts()
    m.show_lists()
    m.counts()
    return "\n".join(m.script) + "\n", m
