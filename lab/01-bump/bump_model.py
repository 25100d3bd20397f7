"""Lab bump: the grader's own model of the memory_start allocator, and
random scripts for the host driver that it judges.

The model follows the rules of README.md, not anyone's code: it keeps the
map's banks and reservations, one pointer that only moves up, and the
figures, and from them predicts every line the driver must print. When a
line differs, it says which rule the submission broke."""
PG = 4096
MAX_ORDER = 10
EINVAL, ENOMEM, EBUSY, EOPNOTSUPP = -22, -12, -16, -95
KERNEL = 4                         # enum memmap_origin: MEMMAP_KERNEL
MAX_RESV = 320 + 32                # the map's table, plus early_reserve's
M64 = (1 << 64) - 1


def up(x, a):
    return (x + a - 1) // a * a


def blocks(s, e):
    """[(pfn, order)]: pfns [s, e) in maximal naturally aligned blocks, low first."""
    out = []
    while s < e:
        order = MAX_ORDER
        while order and s % (1 << order):
            order -= 1
        while s + (1 << order) > e:
            order -= 1
        out.append((s, order))
        s += 1 << order
    return out


class BumpModel:
    def __init__(self):
        self.banks, self.resv = [], []
        self.kernel_start = self.memory_start = 0
        self.retired = False
        self.stats = dict(nallocs=0, requested=0, consumed=0, lost=0, pages=0, calls=0)
        self.script = []           # the driver's commands
        self.want = []             # the lines it must print, in order
        self.ctx = {}              # index in want -> what an allocation was asked

    def cmd(self, line, *expect):
        self.script.append(line)
        self.want.extend(expect)

    # ---- the map --------------------------------------------------------------
    def init(self, banks, resv):
        """banks [(base, size)], resv [(base, size, origin)], both sorted."""
        self.cmd("reset")
        for b, s in banks:
            self.cmd("bank %#x %#x 0" % (b, s))
        for b, s, o in resv:
            self.cmd("resv %#x %#x %d" % (b, s, o))
        self.banks = [(b, b + s) for b, s in banks]
        self.resv = [(b, b + s) for b, s, _ in resv if s]
        self.retired = False
        self.stats = dict.fromkeys(self.stats, 0)
        kernel = [(b, s) for b, s, o in resv if o == KERNEL]
        if kernel:
            b, s = kernel[0]
            self.kernel_start, self.memory_start = b // PG * PG, up(b + s, PG)
        else:
            self.kernel_start = self.memory_start = up(self.banks[0][0], PG)
        self.cmd("init", "init 0")

    def touched(self, p):
        """Is pfn p touched by a reservation?"""
        return any(b // PG <= p < up(e, PG) // PG for b, e in self.resv)

    def whole_pages(self):
        for b, e in self.banks:
            yield up(b, PG) // PG, e // PG

    # ---- allocation -----------------------------------------------------------
    def fit(self, size, align):
        """The first aligned spot at or above memory_start inside one bank
        and clear of every reservation, or None."""
        pos = self.memory_start
        while True:
            bank = next(((b, e) for b, e in self.banks if e > pos), None)
            if bank is None:
                return None
            pos = max(pos, bank[0])
            a = up(pos, align)
            if a > M64 or a + size > bank[1]:
                pos = bank[1]
                continue
            clash = [e for b, e in self.resv if b < a + size and e > a]
            if clash:
                pos = clash[0]
                continue
            return a

    def lost_between(self, lo, hi):
        """Whole RAM pages in pfns [lo, hi) that no reservation touches."""
        return sum(1 for s, e in self.whole_pages() for p in range(max(s, lo), min(e, hi))
                   if not self.touched(p))

    def alloc(self, size, align, nid=0):
        line = "alloc %d %d %d" % (size, align, nid)
        align = align or 64
        bad = ("the allocator is retired" if self.retired else "size 0" if not size
               else "the alignment is not a power of two" if align & (align - 1) else None)
        self.ctx[len(self.want)] = (line, size, align, self.memory_start, list(self.resv), bad)
        a = None if bad else self.fit(size, align)
        if a is None:
            return self.cmd(line, "alloc 0x0")
        st = self.stats
        st["lost"] += self.lost_between(up(self.memory_start, PG) // PG, a // PG)
        st["consumed"] += a + size - self.memory_start
        st["requested"] += size
        st["nallocs"] += 1
        self.memory_start = a + size
        self.cmd(line, "alloc %#x" % a)

    def reserve(self, base, size):
        line = "reserve %#x %#x" % (base, size)
        if size == 0:
            return self.cmd(line, "reserve 0")
        if self.retired or base + size > M64:
            return self.cmd(line, "reserve %d" % EINVAL)
        if base < self.memory_start and base + size > self.kernel_start:
            covered = any(b <= base and base + size <= e for b, e in self.resv)
            return self.cmd(line, "reserve %d" % (0 if covered else EBUSY))
        if len(self.resv) == MAX_RESV:
            return self.cmd(line, "reserve %d" % ENOMEM)
        self.resv.append((base, base + size))
        self.cmd(line, "reserve 0")

    def free(self, base, size):
        self.cmd("free %#x %#x" % (base, size), "free %d" % EOPNOTSUPP)

    # ---- the handoff ----------------------------------------------------------
    def free_runs(self):
        """Maximal runs [s, e) of free pfns, bank by bank: whole RAM pages
        outside [kernel start, memory_start) and every reservation."""
        used = (self.kernel_start // PG, up(self.memory_start, PG) // PG)
        for s, e in self.whole_pages():
            p = s
            while p < e:
                if self.touched(p) or used[0] <= p < used[1]:
                    p += 1
                    continue
                q = p
                while q < e and not self.touched(q) and not used[0] <= q < used[1]:
                    q += 1
                yield p, q
                p = q

    def handoff(self):
        if self.retired:
            return self.cmd("handoff", "handoff 0")
        self.retired = True
        given = [b for s, e in self.free_runs() for b in blocks(s, e)]
        self.stats["pages"] = sum(1 << o for _, o in given)
        self.stats["calls"] += len(given)
        self.cmd("handoff", *(["give %#x %d" % g for g in given] + ["handoff %d" % self.stats["pages"]]))

    def stats_line(self):
        s = self.stats
        self.cmd("stats", "stats nallocs=%d requested=%d consumed=%d meta=0 lost=%d pages=%d calls=%d"
                 % (s["nallocs"], s["requested"], s["consumed"], s["lost"], s["pages"], s["calls"]))

    # ---- judging --------------------------------------------------------------
    def check(self, out):
        """Problems (strings) with the driver's transcript; empty when fine.
        The first names the first line that differs and, for an
        allocation, the rule it broke."""
        got = [l for l in out.lines if l != "driver: end"]
        diffs = ["line %d: expected %r, got %r" % (j + 1, w, g)
                 for j, (w, g) in enumerate(zip(self.want, got)) if w != g]
        for i, want in enumerate(self.want):
            line = got[i] if i < len(got) else None
            if line != want:
                return [self.explain(i, want, line)] + diffs[:9]
        if len(got) > len(self.want):
            return ["after the expected %d lines the driver printed more: %r" % (len(self.want), got[len(self.want)])]
        return []

    def explain(self, i, want, line):
        where = "result line %d" % (i + 1)
        if line is None:
            return "%s: the transcript ends early; expected %r" % (where, want)
        if line.startswith("assert: "):
            return "%s: MM_ASSERT fired: %s" % (where, line[8:])
        ctx = self.ctx.get(i)
        if ctx is None or not line.startswith("alloc "):
            return "%s: expected %r, got %r" % (where, want, line)
        cmd, size, align, ms, resv, bad = ctx
        try:
            a = int(line.split()[1], 16)
        except (IndexError, ValueError):
            return "%s: %r is not 'alloc ADDRESS'" % (where, line)
        e = int(want.split()[1], 16)
        why = []
        if bad:
            why.append("%s: it must fail" % bad)
        elif a == 0:
            why.append("it failed, yet [%#x, +%d) fits" % (e, size))
        else:
            if a % align:
                why.append("it is not aligned to %d" % align)
            if not any(b <= a and a + size <= end for b, end in self.banks):
                why.append("it is not inside one bank")
            if any(b < a + size and end > a for b, end in resv):
                why.append("it overlaps a reservation")
            if a < ms:
                why.append("it is below memory_start (%#x)" % ms)
            if e == 0:
                why.append("no spot at or above memory_start fits: it must fail")
            elif a > e:
                why.append("a lower spot fits: %#x" % e)
        return "%s, for %r with memory_start at %#x: expected %r, got %r (%s)" % (
            where, cmd, ms, want, line, "; ".join(why) or "README.md §2")


def random_script(rng):
    """A random machine and operations for lab bump's driver; returns
    (script, model). The model already holds the expected transcript."""
    m = BumpModel()
    low = rng.random() < 0.1                              # a bank at address 0
    base = 0 if low else 0x80000000 + rng.choice([0, 0, 0, 0x800])
    banks, pos = [], base
    for _ in range(rng.randrange(1, 4)):
        size = rng.randrange(40, 220) * PG + rng.choice([0, 0, 0, 0x400])
        banks.append((pos, size))
        pos = up(pos + size, PG) + rng.choice([0, 0, 1, 7, 64, 300]) * PG
    first, top = up(banks[0][0], PG), banks[-1][0] + banks[-1][1]
    resv, p = [], first
    if not low or rng.random() < 0.5:                     # firmware, then the kernel
        fw = rng.randrange(1, 9) * PG
        resv.append((p, fw, 0))
        p += fw
    if rng.random() < 0.85:
        p += rng.choice([0, 0, PG, 5 * PG, 0x200])
        ksize = rng.randrange(1, 17) * PG - rng.choice([0, 0x123, 0xfff])
        resv.append((p, ksize, KERNEL))
        p += ksize
    for _ in range(rng.randrange(0, 7)):                  # near the pointer, or anywhere
        b, s = rng.choice(banks)
        near = rng.random() < 0.5
        x = up(p, PG) + rng.randrange(0, 12) * PG + rng.choice([0, 0x80, 0x800]) if near \
            else b + rng.randrange(0, max(1, s - 64))
        size = rng.choice([0, 1, 0x100, PG, PG + 0x10, 3 * PG, rng.randrange(1, 6 * PG)])
        if any(bb <= x and x + size <= bb + ss for bb, ss in banks):       # inside RAM
            resv.append((x, size, rng.choice([1, 2, 5])))
    resv.append((top - 2 * PG + rng.choice([0, 0x100]), 0x1800, 3))   # the DTB, near the top
    resv.sort()
    m.init(banks, resv)

    for _ in range(rng.randrange(15, 45)):
        r = rng.random()
        if r < 0.65:
            size = rng.choice([rng.randrange(1, 300), rng.randrange(1, 300), rng.randrange(1, 4) * PG,
                               rng.randrange(1, 3 * PG), rng.randrange(1, 40) * PG, 0])
            align = rng.choice([0, 0, 1, 8, 64, PG, PG, 4 * PG, 0x10000, 24])
            m.alloc(size, align, rng.choice([-1, 0, 0, 1]))
        elif r < 0.85:
            ms = m.memory_start
            x = rng.choice([ms + rng.randrange(0, 16 * PG), ms + rng.randrange(0, 16 * PG),
                            m.kernel_start + rng.randrange(0, max(1, ms - m.kernel_start)),
                            max(0, ms - rng.randrange(1, 0x200))])
            m.reserve(x, rng.choice([0, 1, 0x40, PG, 2 * PG + 0x10]))
        elif r < 0.9:
            m.free(m.memory_start, PG)
        else:
            m.stats_line()
    m.handoff()
    m.stats_line()
    m.alloc(8, 8, 0)
    m.reserve(top - PG, 8)
    m.handoff()
    return "\n".join(m.script) + "\n", m
