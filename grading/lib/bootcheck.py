"""Checks that several labs share: a random script for the bootmem host
driver with the grader's own page model to judge it by, and booting a
submission's kernel on generated machines with the verdict taken from
guest memory (guest.py), not from the console; judging a script with a
model; and the hidden tests every allocator lab has."""
import random

PG = 4096


def pages_of(base, size):
    """The pfns [first, end) that bytes [base, base+size) touch."""
    return base // PG, (base + size + PG - 1) // PG


class PageModel:
    """Which pages are taken, as the grader tracks them from the script it
    wrote and the addresses the allocator returned. It does not know where
    an allocator must put things; it knows what must never happen."""

    def __init__(self, banks, resv):
        self.banks = banks                     # [(base, size, nid)]
        self.nodes = {}                        # nid -> [min pfn, end pfn)
        for base, size, nid in banks:
            lo, hi = base // PG, (base + size + PG - 1) // PG
            a, b = self.nodes.get(nid, (lo, hi))
            self.nodes[nid] = (min(a, lo), max(b, hi))
        self.taken = set()
        for lo, hi in self.nodes.values():     # holes inside a node stay taken
            self.taken.update(range(lo, hi))
        for base, size, _ in banks:                # whole pages of RAM only
            self.taken.difference_update(range((base + PG - 1) // PG, (base + size) // PG))
        for base, size in resv:
            self.taken.update(range(*pages_of(base, size)))
        self.ops = []                          # (kind, args) in script order
        self.live = []                         # byte ranges [a, b) handed out

    def free_run_exists(self, size, align):
        n = (size + PG - 1) // PG
        step = max(align // PG, 1)
        for lo, hi in self.nodes.values():
            p = -(-lo // step) * step
            while p + n <= hi:
                if not any(q in self.taken for q in range(p, p + n)):
                    return True
                p += step
        return False

    def check(self, out):
        """Problems (strings) with the driver's transcript; empty when fine."""
        try:
            return self._check(out)
        except (ValueError, KeyError, IndexError) as e:
            return ["a result line is not in the driver's format (%s: %s)" % (type(e).__name__, e)]

    def _check(self, out):
        problems = []
        results = [l for l in out.lines if l.split(" ", 1)[0] in ("alloc", "ealloc", "node", "init",
                                                                  "give", "handoff", "reserve", "free")]
        it = iter(results)
        if next(it, None) != "init 0":
            return ["early_init did not return 0"]
        bitmap = set()
        for line in out.all("node"):
            f = dict(kv.split("=") for kv in line.split()[2:])
            nid = int(line.split()[1])
            lo, hi = self.nodes.get(nid, (0, 0))
            words = (hi - lo + 63) // 64
            npages = (words * 8 + PG - 1) // PG
            mp = int(f["map"], 16)
            if int(f["min"], 16) != lo or int(f["low"], 16) != hi:
                problems.append("node %d spans [%s, %s), expected [%#x, %#x)" % (nid, f["min"], f["low"], lo, hi))
            for p in range(mp, mp + npages):
                if p in self.taken or not lo <= p < hi:
                    problems.append("node %d's bitmap at pfn %#x is on a page that is not free RAM" % (nid, p))
                    break
            bitmap.update(range(mp, mp + npages))
        self.taken |= bitmap
        for kind, args in self.ops:
            line = next((l for l in it if l.split(" ", 1)[0] not in ("node",)), None)
            if line is None:
                problems.append("the transcript ends early")
                break
            if kind in ("alloc", "ealloc"):
                problems += self._alloc(line, *args)
            elif kind == "reserve" and line == "reserve 0":
                self.taken.update(range(*pages_of(*args)))
            elif kind == "free" and line == "free 0":
                base, size = args
                self.taken.difference_update(range(base // PG, (base + size) // PG))
            elif kind in ("reserve", "free") and not line.startswith(kind):
                problems.append("expected the result of %s, got %r" % (kind, line))
        given = {}
        for line in out.all("give"):
            _, p, o = line.split()
            p, o = int(p, 16), int(o)
            if p % (1 << o) or o > 6:
                problems.append("handoff block pfn %#x order %d is not aligned or too large" % (p, o))
            for q in range(p, p + (1 << o)):
                given[q] = given.get(q, 0) + 1
        free = {p for lo, hi in self.nodes.values() for p in range(lo, hi) if p not in self.taken} | bitmap
        twice = [p for p, n in given.items() if n > 1]
        wrong = sorted(set(given) - free)
        missed = sorted(free - set(given))
        if twice:
            problems.append("the handoff gave pfn %#x more than once" % twice[0])
        if wrong:
            problems.append("the handoff gave pfn %#x, which is reserved or allocated" % wrong[0])
        if missed:
            problems.append("the handoff never gave free pfn %#x (%d pages missed)" % (missed[0], len(missed)))
        if out.one("handoff") != "handoff %d" % sum(given.values()):
            problems.append("handoff returned %s, but gave %d pages" % (out.one("handoff"), sum(given.values())))
        return problems

    def _alloc(self, line, size, align):
        a = int(line.split()[1], 16)
        if a == 0:
            if self.free_run_exists(size, align):
                return ["%s for %d bytes aligned %d failed, though aligned free pages were there" % (line, size, align)]
            return []
        b = a + size
        if a % align:
            return ["%s: %d bytes were asked for with alignment %d" % (line, size, align)]
        if not any(base <= a and b <= base + sz for base, sz, _ in self.banks):
            return ["%s + %d bytes is not inside one RAM bank" % (line, size)]
        for x, y in self.live:
            if a < y and x < b:
                return ["%s + %d overlaps an earlier allocation [%#x, %#x)" % (line, size, x, y)]
        shared = {q for x, y in self.live for q in range(*pages_of(x, y - x))}
        lo, hi = pages_of(a, size)
        bad = [q for q in range(lo, hi) if q in self.taken and q not in shared]
        if bad:
            return ["%s + %d uses pfn %#x, which was reserved or not RAM" % (line, size, bad[0])]
        self.live.append((a, b))
        self.taken.update(range(lo, hi))
        return []


def random_bootmem_script(rng):
    """A random machine and sequence of operations for the bootmem driver,
    and the PageModel that judges the transcript."""
    base = 0x80000000
    banks, resv = [], []
    n0 = rng.randrange(40, 300)
    banks.append((base, n0 * PG, 0))
    if rng.random() < 0.5:                                   # a hole, then a second bank
        gap = rng.randrange(1, 40)
        banks.append((base + (n0 + gap) * PG, rng.randrange(20, 200) * PG, 0))
    if rng.random() < 0.4:                                   # a second node above
        top = banks[-1][0] + banks[-1][1]
        banks.append((top + rng.randrange(0, 3) * 64 * PG, rng.randrange(64, 300) * PG, 1))
    for _ in range(rng.randrange(0, 5)):
        b = rng.choice(banks)
        x = b[0] + rng.randrange(0, b[1] - PG)
        resv.append((x, min(rng.randrange(1, 3 * PG), b[0] + b[1] - x)))
    top = max(b[0] + b[1] for b in banks)
    lines = ["arena %#x %#x" % (base, top - base), "reset"]
    lines += ["bank %#x %#x %d" % b for b in banks]
    lines += ["resv %#x %#x 1" % r for r in resv]
    lines += ["init", "nodes"]
    model = PageModel(banks, resv)
    # Ranges to free later: whole free pages in the top half of a bank (the
    # bitmaps sit at the bottom), reserved before any allocation, so that
    # nothing else can own them when they are freed.
    later = []
    for _ in range(rng.randrange(0, 4)):
        b = rng.choice(banks)
        n = b[1] // PG
        pfn, k = b[0] // PG + rng.randrange(n // 2, n - 3), rng.randrange(1, 4)
        pages = range(pfn, pfn + k)
        if not any(q in model.taken for q in pages) and not any(q in r for r in later for q in pages):
            later.append(pages)
            lines.append("reserve %#x %#x 0" % (pfn * PG, k * PG))
            model.ops.append(("reserve", (pfn * PG, k * PG)))
    for _ in range(rng.randrange(20, 50)):
        r = rng.random()
        if r < 0.5:
            size = rng.choice([rng.randrange(1, 400), rng.randrange(1, 8) * PG, rng.randrange(1, 3 * PG)])
            align = rng.choice([8, 64, PG, 4 * PG])
            goal = rng.choice([0, 0, base + rng.randrange(0, top - base)])
            lines.append("alloc %d %d %#x" % (size, align, goal))
            model.ops.append(("alloc", (size, align)))
        elif r < 0.8:
            size, align = rng.randrange(1, 2 * PG), rng.choice([0, 16, PG])
            lines.append("ealloc %d %d %d" % (size, align, rng.choice([-1, 0, 1])))
            model.ops.append(("ealloc", (size, align or 64)))
        elif r < 0.9 or not later:
            b = rng.choice(banks)
            x = b[0] + rng.randrange(0, b[1] - PG)
            size = rng.randrange(1, 3 * PG)
            lines.append("reserve %#x %#x 0" % (x, size))
            model.ops.append(("reserve", (x, size)))
        else:
            pages = later.pop(rng.randrange(len(later)))
            lines.append("free %#x %#x" % (pages[0] * PG, len(pages) * PG))
            model.ops.append(("free", (pages[0] * PG, len(pages) * PG)))
    lines += ["handoff"]
    return "\n".join(lines) + "\n", model


def _comparable(out):
    # An assert's file:line differs between any two files; its message and
    # the fact that it fired must not.
    return [l.rsplit(" (", 1)[0] if l.startswith("assert: ") else l for l in out.lines]


def same_transcripts_as_reference(t, scripts):
    """Runs each script on the submission's driver and on the reference's
    (staff tree only); the transcripts must be equal line for line."""
    for n, script in enumerate(scripts):
        out = t.host(script)
        t.reject_stubs(out)
        mine, ref = _comparable(out), _comparable(t.host(script, which="reference"))
        for i, (a, b) in enumerate(zip(mine, ref)):
            if a != b:
                t.fail("script %d (seed %d), line %d: the reference gives %r, yours %r"
                       % (n, t.seed, i + 1, b[:200], a[:200]), script)
        t.expect_eq(len(mine), len(ref), "script %d: lines of results" % n)


def judge_with_model(t, script, model, what):
    """Runs script on the submission's driver; model.check(transcript) names
    the problems (none: right). Fails on the first, with the rest and the
    script in the detail. Returns the transcript."""
    out = t.host(script)
    t.reject_stubs(out)
    problems = model.check(out)
    if problems:
        t.fail("%s: %s" % (what, problems[0]), "\n".join(problems[1:10]) + "\n\nthe script:\n" + script)
    return out


def reference_tests(lab, salt, scripts, script_section, boot_section, script_timeout=90):
    """Registers the two hidden tests of an allocator lab: the random
    scripts that scripts(rng) draws (rng seeded with the run's seed ^ salt)
    must give the reference's transcripts line for line, and one machine
    the reference's free lists after the handoff."""
    @lab.test(points=10, name="random scripts give exactly the reference's results", section=script_section,
              timeout=script_timeout)
    def same_as_reference(t):
        same_transcripts_as_reference(t, scripts(random.Random(t.seed ^ salt)))

    @lab.test(points=5, name="the buddy free lists after boot equal the reference's", section=boot_section,
              timeout=240, kind="qemu")
    def same_free_lists(t):
        compare_with_reference(t, count=1)


def boot_machines(t, count, alloc=None, append="halt", allow_gaps=False, coalesced=False):
    """Boots the submission's kernel on count machines made from the test's
    seed; fails on the first that does not boot, hands out a reserved
    page, loses a page or clobbers a reservation. allow_gaps: pages between
    the kernel and the last early allocation may be kept (bump loses the
    gaps it skips to pass a reservation). coalesced: also fail on two free
    buddies left unmerged."""
    from . import guest, machine       # QEMU tests only
    elf = t.session.kernel(alloc)
    for i in range(count):
        m = machine.generate(t.seed * 7919 + i)
        r = guest.boot(elf, m, t.session.workdir, append=append,
                       timeout=max(5, min(t.left(), 20 * t.session.scale)))
        where = "on machine %d (%s; make grade LAB=%s SEED=%d)" % (i, m.describe(),
                                                                   t.session.lab.info.name, t.seed)
        if r.status != "halted":
            why = r.panic_line or r.error or r.status
            t.fail("the kernel did not finish booting %s: %s" % (where, why), r.last_lines(15))
        problems = guest.check_free_set(r, m, elf, allow_gaps=allow_gaps) + guest.check_patterns(r)
        problems += guest.check_coalesced(r, m) if coalesced else []
        if problems:
            t.fail("%s: %s" % (where, problems[0]), "\n".join(problems[:10]))
        t.note("machine %d: %s, %d free blocks, %.1f s" % (i, m.describe(), len(r.free_blocks), r.wall_seconds))


def workload(t, commands, alloc=None, min_mib=128):
    """Boots the submission's kernel with the file system on a machine made
    from the test's seed and runs commands [(command, seconds, what it
    prints when it passed)] at the shell. Guest memory, read after the
    first prompt and after each command, must be right each time: the free
    lists partition RAM with the allocated, reserved and early pages, no
    two free buddies are left unmerged, no reservation is written, and
    every command gives back every page it took. The console's word alone
    passes nothing."""
    from . import guest, machine
    elf, disk = t.session.kernel(alloc), t.session.fs_image()
    m = machine.generate(t.seed * 15485863 + 1, min_mib=min_mib)
    where = "on %s (make grade LAB=%s SEED=%d)" % (m.describe(), t.session.lab.info.name, t.seed)
    r = guest.boot(elf, m, t.session.workdir, append="", disk=disk, timeout=t.left(),
                   commands=[(c, s * t.session.scale) for c, s, _ in commands])
    if r.status != "done":
        ran = len(r.outputs)
        doing = "booting" if not r.snapshots else "running %r" % commands[ran][0] if ran < len(commands) \
            else "reading memory after %r" % commands[-1][0]
        t.fail("%s %s: %s" % (doing, where, r.panic_line or r.error or r.status), r.last_lines(15))
    start = None
    for i, (after, _) in enumerate(r.snapshots):
        s = guest.snapshot_result(r, m, i)
        problems = guest.check_free_set(s, m, elf) + guest.check_coalesced(s, m) + guest.check_patterns(s)
        if problems:
            t.fail("after %s %s: %s" % ("the boot" if i == 0 else repr(after), where, problems[0]),
                   "\n".join(problems[:10]))
        if i == 0:
            start = guest.free_pages(s)
            continue
        command, _, passed = commands[i - 1]
        if passed not in r.outputs[i - 1]:
            t.fail("%r did not print %r %s" % (command, passed, where), r.outputs[i - 1][-1500:])
        if guest.free_pages(s) != start:
            t.fail("%r %s: %d pages were free before it and %d after" % (command, where, start, guest.free_pages(s)))
        t.note("%s: %d pages free before and after" % (command, start))
    t.note("%s, %.1f s" % (m.describe(), r.wall_seconds))


def _boot_hart(result):
    """The boot hart a run reported (@boot boothart=N), or None."""
    for line in (result.console or "").splitlines():
        if line.startswith("@boot "):
            for word in line.split()[1:]:
                if word.startswith("boothart="):
                    return word[len("boothart="):]
    return None


def compare_with_reference(t, count, alloc=None, append="halt", tries=4):
    """Boots the submission's kernel and the reference kernel on the same
    machines; their buddy free lists right after the handoff (read from
    guest memory before any other hart runs) must match. Both kernels must
    have booted on the same hart: OpenSBI lets whichever hart gets there
    first boot, and with the boot hart changes which node each hart's early
    allocations come from. So both run every hart on one host thread, where
    hart 0 starts first and wins (24 of 24 boots under load; with a thread
    a hart, 2 of 12 boots went to another hart, beside another grading
    run). Runs whose boot harts still differ are booted again (up to tries
    times); if they never agree, that is the grader's problem, not the
    submission's. Both images end on the same 1 MiB boundary (the
    Makefile's kernel-end-aligned.elf): otherwise a few more bytes of the
    student's code can move _end by a page, and with it the free lists."""
    from . import guest, machine
    elf, ref = t.session.kernel(alloc, end_aligned=True), t.session.reference_kernel(alloc, end_aligned=True)
    mine, theirs = machine.kernel_image(elf), machine.kernel_image(ref)
    if mine != theirs:
        t.fail("your kernel image is [0x%x, 0x%x) and the reference's [0x%x, 0x%x), each rounded up to 1 MiB, "
               "so their free lists cannot be compared: does your code add a large static array?"
               % (mine + theirs))
    for i in range(count):
        m = machine.generate(t.seed * 104729 + i)
        for attempt in range(tries):
            runs = [guest.boot(k, m, t.session.workdir, append=append, handoff=True, one_thread=True,
                               timeout=max(5, min(t.left(), 20 * t.session.scale))) for k in (ref, elf)]
            want, got = runs
            if want.status != "halted":
                raise RuntimeError("the reference did not boot on %s: %s" % (m.describe(), want.error or want.status))
            if got.status != "halted":
                t.fail("the kernel did not finish booting on %s: %s" % (m.describe(), got.panic_line or got.status),
                       got.last_lines(15))
            if _boot_hart(want) == _boot_hart(got):
                break
        else:
            raise RuntimeError("on %s the two kernels kept booting on different harts (%d tries)"
                               % (m.describe(), tries))
        if got.handoff_blocks is None:
            t.fail("the free lists at the end of the handoff could not be read: %s"
                   % (got.handoff_error or "the kernel never got there"))
        a, b = set(want.handoff_blocks or ()), set(got.handoff_blocks)
        if a != b:
            extra, missing = sorted(b - a), sorted(a - b)
            t.fail("on %s (boot hart %s) the free lists differ from the reference's: %d blocks only in yours "
                   "(first %s), %d only in the reference's (first %s)"
                   % (m.describe(), _boot_hart(got), len(extra), extra[:1], len(missing), missing[:1]))

