"""The grader's own model of memblock (Linux 6.1, as lab memblock's
README.md describes it): both region arrays, doubling, the search for free
memory in either direction, the allocation fallbacks and the handoff. It
runs a driver script (the commands of driver.c) and says what the driver
must print, line for line, warnings left out. It knows nothing of the C
code: it follows the rules of the handout.

random_script(rng) writes a random script that the model can judge."""
import copy

PAGE = 0x1000
MASK = (1 << 64) - 1
MAX_NUMNODES = 8
NUMA_NO_NODE = -1
ANYWHERE = MASK
HOTPLUG, MIRROR, NOMAP, DRIVER_MANAGED = 0x1, 0x2, 0x4, 0x8
REGION_BYTES = 24                      # sizeof(struct memblock_region)
SMP_CACHE_BYTES = 64
MAX_ORDER = 10
ENOMEM = -12


class ModelAssert(Exception):
    """memblock would fire MM_ASSERT here (the script should avoid it)."""


class Unsupported(Exception):
    """A command the model does not know."""


def page_align(x):
    return (x + PAGE - 1) & ~(PAGE - 1) & MASK


def s64(x):
    """A driver argument read as a C int."""
    x &= MASK
    x &= 0xffffffff
    return x - (1 << 32) if x >> 31 else x


class Array:
    """One memblock_type: regions as [base, size, nid, flags], sorted; an
    empty list stands for the dummy entry."""

    def __init__(self, name, cap):
        self.name, self.max, self.regs = name, cap, []
        self.at = None                 # None: the static array; else its physical address
        self.dummy_nid = 0             # the boot arrays are zeroed; an emptied one says MAX_NUMNODES

    def cnt(self):
        return max(1, len(self.regs))

    def total(self):
        return sum(r[1] for r in self.regs)

    def nbytes(self):
        b = self.max * REGION_BYTES
        return b if self.at is None else page_align(b)

    def line(self):
        regs = self.regs or [[0, 0, self.dummy_nid, 0]]
        at = "static" if self.at is None else "%#x" % self.at
        return "%s cnt=%d max=%d total=%#x at=%s%s" % (
            self.name, self.cnt(), self.max, self.total(), at,
            "".join(" %#x+%#x:%d:%#x" % tuple(r) for r in regs))


def hexs(x):
    return "0x%x" % x


class Model:
    def __init__(self):
        self.reset()

    def reset(self):
        self.memory = Array("memory", 128)
        self.reserved = Array("reserved", 128)
        self.bottom_up = False
        self.limit = ANYWHERE
        self.can_resize = False
        self.has_mirror = False
        self.kernelcore_mirror = False
        self.movable = False
        self.max_low_pfn = 0
        self.resizes = 0

    # ---- the arrays ----------------------------------------------------------
    @staticmethod
    def cap(base, size):
        return min(size, MASK - base)

    @staticmethod
    def merge(t):
        out = []
        for r in t.regs:
            if out and out[-1][0] + out[-1][1] == r[0] and out[-1][2] == r[2] and out[-1][3] == r[3]:
                out[-1][1] += r[1]
            else:
                out.append(r)
        t.regs = out

    @staticmethod
    def uncovered(t, base, end):
        pieces, b = [], base
        for rb, rs, _, _ in t.regs:
            re = rb + rs
            if rb >= end:
                break
            if re <= b:
                continue
            if rb > b:
                pieces.append((b, rb))
            b = min(re, end)
        if b < end:
            pieces.append((b, end))
        return pieces

    def add_range(self, t, base, size, nid, flags):
        size = self.cap(base, size)
        end = base + size
        if size == 0:
            return 0
        if not t.regs:
            t.regs = [[base, size, nid, flags]]
            return 0
        direct = t.cnt() * 2 + 1 < t.max
        pieces = self.uncovered(t, base, end)
        if not pieces:
            return 0
        if not direct:
            while t.cnt() + len(pieces) > t.max:
                if self.double(t, base, size):
                    return ENOMEM
            pieces = self.uncovered(t, base, end)
        if t.cnt() + len(pieces) > t.max:
            raise ModelAssert("%s array overflows" % t.name)
        t.regs = sorted(t.regs + [[a, b - a, nid, flags] for a, b in pieces])
        self.merge(t)
        return 0

    def isolate(self, t, base, size):
        """Splits at base and base+size; returns (error, indices inside)."""
        size = self.cap(base, size)
        end = base + size
        if size == 0:
            return 0, []
        while t.cnt() + 2 > t.max:
            if self.double(t, base, size):
                return ENOMEM, []
        out = []
        for rb, rs, nid, fl in t.regs:
            cuts = [rb] + [c for c in (base, end) if rb < c < rb + rs] + [rb + rs]
            out += [[a, b - a, nid, fl] for a, b in zip(cuts, cuts[1:])]
        if len(out) > t.max:
            raise ModelAssert("%s array overflows in isolation" % t.name)
        t.regs = out
        return 0, [i for i, r in enumerate(out) if base <= r[0] and r[0] + r[1] <= end and r[1]]

    def remove_range(self, t, base, size):
        err, inside = self.isolate(t, base, size)
        if err:
            return err
        if inside:
            t.regs = [r for i, r in enumerate(t.regs) if i not in inside]
            if not t.regs:
                t.dummy_nid = MAX_NUMNODES
        return 0

    def update(self, t, base, size, set_=0, clear=0, nid=None):
        err, inside = self.isolate(t, base, size)
        if err:
            return err
        for i in inside:
            r = t.regs[i]
            r[3] = (r[3] & ~clear) | set_
            if nid is not None:
                r[2] = nid
        self.merge(t)
        return 0

    def reserve(self, base, size):
        return self.add_range(self.reserved, base, size, MAX_NUMNODES, 0)

    def phys_free(self, base, size):
        return self.remove_range(self.reserved, base, size)

    # ---- doubling ------------------------------------------------------------
    def double(self, t, avoid, avoid_size):
        if not self.can_resize:
            return ENOMEM
        nbytes = page_align(2 * t.max * REGION_BYTES)
        if t is not self.reserved:
            avoid = avoid_size = 0
        addr = self.find_for_array(avoid + avoid_size, self.limit, nbytes)
        if not addr and avoid_size:
            addr = self.find_for_array(0, min(avoid, self.limit), nbytes)
        if not addr:
            return ENOMEM
        other = self.memory if t is self.reserved else self.reserved
        if other.at is not None and addr < other.at + other.nbytes() and other.at < addr + nbytes:
            # Only while the other array is being moved (freeing its old
            # place made this one double): it is not reserved yet, so this
            # array would be copied over it. Linux 6.1 has the same order.
            raise ModelAssert("the %s array would land on the %s array" % (t.name, other.name))
        old_at, old_bytes = t.at, t.nbytes()
        t.at = addr
        t.max *= 2
        self.resizes += 1
        if old_at is not None:
            self.phys_free(old_at, old_bytes)
        if self.reserve(addr, t.nbytes()):
            raise ModelAssert("the new %s array cannot be reserved" % t.name)
        return 0

    def find_for_array(self, start, end, size):
        flags = MIRROR if self.has_mirror else 0
        addr = self.find(size, PAGE, start, end, NUMA_NO_NODE, flags)
        if not addr and flags:
            addr = self.find(size, PAGE, start, end, NUMA_NO_NODE, 0)
        return addr

    # ---- free memory -------------------------------------------------------------
    def skip(self, r, nid, flags):
        if nid != NUMA_NO_NODE and nid != r[2]:
            return True
        if self.movable and r[3] & HOTPLUG and not flags & HOTPLUG:
            return True
        if flags & MIRROR and not r[3] & MIRROR:
            return True
        if not flags & NOMAP and r[3] & NOMAP:
            return True
        if not flags & DRIVER_MANAGED and r[3] & DRIVER_MANAGED:
            return True
        return False

    def free_ranges(self, nid, flags):
        """(start, end) of memory minus reserved, lowest first, never across
        two memory regions."""
        if nid == MAX_NUMNODES:
            nid = NUMA_NO_NODE
        out = []
        for r in self.memory.regs:
            if self.skip(r, nid, flags):
                continue
            s, e = r[0], r[0] + r[1]
            for rb, rs, _, _ in self.reserved.regs:
                if rb >= e:
                    break
                if rb > s:
                    out.append((s, rb))
                s = max(s, rb + rs)
                if s >= e:
                    break
            if s < e:
                out.append((s, e))
        return out

    def find(self, size, align, start, end, nid, flags):
        if end in (0, 1):
            end = self.limit
        start = max(start, PAGE)
        end = max(start, end)
        clamp = lambda x: min(max(x, start), end)  # noqa: E731
        ranges = self.free_ranges(nid, flags)
        if self.bottom_up:
            for s, e in ranges:
                s, e = clamp(s), clamp(e)
                cand = (((s - 1) | (align - 1)) + 1) & MASK
                if cand < e and e - cand >= size:
                    return cand
            return 0
        for s, e in reversed(ranges):
            s, e = clamp(s), clamp(e)
            if e < size:
                continue
            cand = (e - size) & ~(align - 1) & MASK
            if cand >= s:
                return cand
        return 0

    # ---- allocation ---------------------------------------------------------------
    def find_and_reserve(self, size, align, start, end, nid, flags):
        found = self.find(size, align, start, end, nid, flags)
        if found and self.reserve(found, size):
            return 0
        return found

    def alloc_range_nid(self, size, align, start, end, nid, exact):
        flags = MIRROR if self.has_mirror else 0
        if size == 0:
            return 0
        if nid == MAX_NUMNODES:
            nid = NUMA_NO_NODE
        if align == 0:
            align = SMP_CACHE_BYTES
        if align & (align - 1):
            return 0
        while True:
            found = self.find_and_reserve(size, align, start, end, nid, flags)
            if found:
                return found
            if nid != NUMA_NO_NODE and not exact:
                found = self.find_and_reserve(size, align, start, end, NUMA_NO_NODE, flags)
                if found:
                    return found
            if not flags & MIRROR:
                return 0
            flags &= ~MIRROR

    def alloc_internal(self, size, align, lo, hi, nid, exact):
        hi = min(hi, self.limit)
        pa = self.alloc_range_nid(size, align, lo, hi, nid, exact)
        if not pa and lo:
            pa = self.alloc_range_nid(size, align, 0, hi, nid, exact)
        return pa

    # ---- the handoff ---------------------------------------------------------------
    def handoff(self):
        self.update(self.memory, 0, MASK, clear=HOTPLUG)
        lines, pages = [], 0
        for s, e in self.free_ranges(NUMA_NO_NODE, 0):
            spfn = (s >> 12) + (1 if s & (PAGE - 1) else 0)
            epfn = min(e >> 12, self.max_low_pfn)
            if spfn < epfn:
                pages += epfn - spfn
                while spfn < epfn:
                    order = 0
                    while order < MAX_ORDER and not (spfn >> order) & 1:
                        order += 1
                    while spfn + (1 << order) > epfn:
                        order -= 1
                    lines.append("give %#x %d" % (spfn, order))
                    spfn += 1 << order
        return lines + ["handoff %d" % pages]

    # ---- the driver's commands ---------------------------------------------------------
    def command(self, line):
        """The lines the driver prints for one command (warnings left out)."""
        words = line.split()
        if not words or words[0].startswith("#"):
            return []
        cmd, a = words[0], [int(w, 0) & MASK for w in words[1:]]
        mem, rsv = self.memory, self.reserved
        if cmd == "arena":
            return []
        if cmd == "reset":
            self.reset()
            return []
        if cmd == "regions":
            return [mem.line(), rsv.line()]
        if cmd == "cap":
            t = rsv if a[0] else mem
            if t.at is not None or a[1] < t.cnt() or a[1] < 1 or a[1] > t.max:
                return ["cap refused"]
            t.max = a[1]
            return []
        if cmd == "resize":
            self.can_resize = True
            return []
        if cmd == "limit":
            self.limit = a[0]
            return []
        if cmd == "bottomup":
            self.bottom_up = a[0] != 0
            return []
        if cmd == "movable":
            self.movable = a[0] != 0
            return []
        if cmd == "kernelcore_mirror":
            self.kernelcore_mirror = a[0] != 0
            return []
        if cmd == "maxlow":
            self.max_low_pfn = a[0]
            return []
        if cmd == "add":
            return ["add %d" % self.add_range(mem, a[0], a[1], MAX_NUMNODES, 0)]
        if cmd == "addn":
            return ["addn %d" % self.add_range(mem, a[0], a[1], s64(a[2]), a[3])]
        if cmd == "reserve":
            return ["reserve %d" % self.reserve(a[0], a[1])]
        if cmd == "remove":
            return ["remove %d" % self.remove_range(mem, a[0], a[1])]
        if cmd == "pfree":
            return ["pfree %d" % self.phys_free(a[0], a[1])]
        if cmd in ("hotplug", "nomap"):
            bit = HOTPLUG if cmd == "hotplug" else NOMAP
            r = self.update(mem, a[0], a[1], set_=bit if a[2] else 0, clear=0 if a[2] else bit)
            return ["%s %d" % (cmd, r)]
        if cmd == "mirror":
            if a[2]:
                if not self.kernelcore_mirror:
                    return ["mirror 0"]
                self.has_mirror = True
                return ["mirror %d" % self.update(mem, a[0], a[1], set_=MIRROR)]
            return ["mirror %d" % self.update(mem, a[0], a[1], clear=MIRROR)]
        if cmd == "setnode":
            return ["setnode %d" % self.update(rsv if a[2] else mem, a[0], a[1], nid=s64(a[3]))]
        if cmd == "find":
            return ["find %s" % hexs(self.find(a[0], a[1], a[2], a[3], s64(a[4]), a[5]))]
        if cmd == "alloc":
            return ["alloc %s" % hexs(self.alloc_range_nid(a[0], a[1], a[2], a[3], s64(a[4]), a[5] != 0))]
        if cmd == "palloc":
            return ["palloc %s" % hexs(self.alloc_range_nid(a[0], a[1], 0, 0, NUMA_NO_NODE, False))]
        if cmd == "prange":
            return ["prange %s" % hexs(self.alloc_range_nid(a[0], a[1], a[2], a[3], NUMA_NO_NODE, False))]
        if cmd == "ptry":
            return ["ptry %s" % hexs(self.alloc_range_nid(a[0], a[1], 0, 0, s64(a[2]), False))]
        if cmd in ("tryn", "tryraw", "exact"):
            pa = self.alloc_internal(a[0], a[1], a[2], a[3], s64(a[4]), cmd == "exact")
            return ["%s %s" % (cmd, hexs(pa))]
        if cmd == "handoff":
            return self.handoff()
        raise Unsupported(cmd)

    def run(self, script):
        """[(command, [lines it prints])] for every command of script."""
        return [(line, self.command(line)) for line in script.splitlines() if line.strip()]


def expected_lines(script):
    """What the driver must print for script, warnings left out, with the
    command each line comes from: [(line, command index, command)]."""
    out = []
    for k, (cmd, lines) in enumerate(Model().run(script)):
        out += [(l, k, cmd) for l in lines]
    return out + [("driver: end", None, None)]


def live_arrays(m):
    return [(t.at, t.nbytes()) for t in (m.memory, m.reserved) if t.at is not None]


def random_script(rng, ops=None, wide=False):
    """A random script of region and allocation commands, every step
    followed by "regions", ending with a handoff. Steps the model says
    would fire MM_ASSERT, or that would free a live array's reservation,
    are left out. wide: also the virtual-address allocators (which write
    to the memory they zero), mirrored memory and movable_node."""
    base = rng.choice([0x80000000, 0x40000000, 0x100000])
    window = rng.choice([0x80000, 0x100000, 0x200000])
    top = base + window
    pg = window // PAGE
    lines = ["arena %#x %#x" % (base, window), "reset"]
    model = Model()
    resize = rng.random() < 0.7
    for t in (0, 1):
        if rng.random() < 0.8:
            lines.append("cap %d %d" % (t, rng.choice([4, 5, 6, 8, 12])))
    if resize:
        lines.append("resize")
    if wide and rng.random() < 0.5:
        lines.append("kernelcore_mirror 1")
    for l in lines:
        model.command(l)

    def rng_range(sub):
        if sub and rng.random() < 0.4:
            a = base + rng.randrange(0, window // 0x100) * 0x100
            size = rng.randrange(1, 0x30) * 0x100
        else:
            a = base + rng.randrange(0, pg) * PAGE
            size = rng.randrange(1, max(2, pg // rng.choice([4, 8, 16]))) * PAGE
        return a, min(size, top - a)

    steps = []
    for _ in range(ops or rng.randrange(30, 60)):
        r = rng.random()
        if r < 0.20:
            a, s = rng_range(True)
            kind = rng.random()
            if kind < 0.3:
                step = "add %#x %#x" % (a, s)
            else:
                step = "addn %#x %#x %d %d" % (a, s, rng.choice([0, 0, 1]), rng.choice([0, 0, 0, HOTPLUG]))
        elif r < 0.38:
            a, s = rng_range(True)
            step = "reserve %#x %#x" % (a, s)
        elif r < 0.45:
            a, s = rng_range(True)
            step = "remove %#x %#x" % (a, s)
        elif r < 0.55:
            a, s = rng_range(True)
            step = "pfree %#x %#x" % (a, s)
        elif r < 0.60:
            a, s = rng_range(False)
            step = "%s %#x %#x %d" % (rng.choice(["hotplug", "nomap"]), a, s, rng.random() < 0.6)
        elif r < 0.64:
            a, s = rng_range(False)
            step = "setnode %#x %#x 0 %d" % (a, s, rng.choice([0, 1]))
        elif r < 0.90:
            size = rng.choice([rng.randrange(1, 0x400), rng.randrange(1, 8) * PAGE, rng.randrange(1, 0x3000)])
            align = rng.choice([8, 64, 0x100, PAGE, 4 * PAGE, 0x10000])
            kind = rng.random()
            if kind < 0.35:
                step = "palloc %#x %#x" % (size, align)
            elif kind < 0.55:
                lo = base + rng.randrange(0, pg) * PAGE
                step = "prange %#x %#x %#x %#x" % (size, align, lo, min(top, lo + rng.randrange(1, pg) * PAGE))
            elif kind < 0.70:
                step = "ptry %#x %#x %d" % (size, align, rng.choice([-1, 0, 1]))
            elif kind < 0.85:
                lo = rng.choice([0, base + rng.randrange(0, pg) * PAGE])
                hi = rng.choice([0, top, base + rng.randrange(1, pg + 1) * PAGE])
                step = "alloc %#x %#x %#x %#x %d %d" % (size, align, lo, hi, rng.choice([-1, 0, 1]),
                                                       rng.random() < 0.3)
            else:
                lo = base + rng.randrange(0, pg) * PAGE
                step = "find %#x %#x %#x %#x %d 0" % (size, align, lo, rng.choice([0, top]),
                                                     rng.choice([-1, 0, 1]))
        elif r < 0.96:
            step = "bottomup %d" % (rng.random() < 0.5)
            if wide and rng.random() < 0.6:
                kind = rng.random()
                if kind < 0.4:
                    a, s = rng_range(False)
                    step = "mirror %#x %#x %d" % (a, s, rng.random() < 0.7)
                elif kind < 0.6:
                    step = "movable %d" % (rng.random() < 0.5)
                else:
                    lo = rng.choice([0, base + rng.randrange(0, pg) * PAGE])
                    hi = rng.choice([0, top, base + rng.randrange(1, pg + 1) * PAGE])
                    step = "%s %#x %#x %#x %#x %d" % (rng.choice(["tryn", "tryraw", "exact"]),
                                                     rng.randrange(1, 0x3000), rng.choice([8, 64, PAGE]),
                                                     lo, hi, rng.choice([-1, 0, 1]))
        else:
            step = "limit %#x" % rng.choice([ANYWHERE, base + rng.randrange(1, pg + 1) * PAGE])
        snap = copy.deepcopy(model)
        words = step.split()
        if words[0] == "pfree":
            a, s = int(words[1], 0), int(words[2], 0)
            if any(a < x + n and x < a + s for x, n in live_arrays(model)):
                continue
        try:
            model.command(step)
        except ModelAssert:
            model = snap
            continue
        steps.append(step)
    body = []
    for s in steps:
        body += [s, "regions"]
    end = ["maxlow %#x" % rng.choice([top >> 12, (top >> 12) - rng.randrange(0, pg // 2)]), "handoff", "regions"]
    return "\n".join(lines + ["regions"] + body + end) + "\n"
