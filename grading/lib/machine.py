"""Random QEMU virt machines from a seed: the grader's own truth about memory.

generate(seed) picks RAM, NUMA nodes and harts, starts from the device tree
QEMU dumps for those options, replaces its /memory nodes with banks that
leave holes, and adds /reserved-memory children and /memreserve/ entries;
build() makes the same from a layout the caller gives.
Machine.write() gives the QEMU arguments, with one `-device loader` per
reservation filling it with a pattern derived from seed and address.

Platform facts this module relies on, checked by experiment (QEMU 7.2,
OpenSBI 1.1):
- DTB address: QEMU loads a -dtb file with 10000 bytes of padding (S =
  file size + 10000) and places it at align_down(min(0x80000000 + RAM,
  3 GiB) - S, 2 MiB): 0x8fe00000 for -m 256M, but 0x8c400000 for 197M and
  0x84000000 for 65M (end - 1 MiB when RAM ends on an odd MiB). The blob
  always lies in the top 2 MiB of RAM, which is why that is kept as RAM.
- DTB size: QEMU adds /chosen/rng-seed (53 bytes when absent, as here) and
  /chosen/bootargs, then packs. OpenSBI then grows the header's totalsize by
  a constant OPENSBI_DTB_GROWTH (its fdt_open_into padding, mostly unused)
  for every topology tried; guest.py reads the real totalsize to confirm.
- With 2 NUMA nodes QEMU 7.2 needs contiguous hart ids per node, and node 0
  may not have more harts than node 1 (-smp 3 with cpus=0-1 / cpus=2 aborts:
  "Property 'riscv.sifive.plic.unnamed-gpio-out[2]' not found").
- Loader blobs are in guest RAM at the kernel's first instruction; OpenSBI
  stays inside [0x80000000, +512K).
"""
import json
import os
import random
import re
import struct
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
PAGE = 4096
RAM_BASE = 0x80000000
FW_SIZE = 0x80000                 # OpenSBI's mmode_resv0
PROTECTED_END = 0x80600000        # firmware + kernel image: no grader reservations
FIRST_BANK_MIN = 4 * MiB
TOP_KEEP = 2 * MiB                # the DTB lands in here
QEMU_DTB_PAD = 10000              # load_device_tree's extra room
OPENSBI_DTB_GROWTH = 1056         # measured: totalsize after OpenSBI - before
QEMU = "qemu-system-riscv64"
KINDS = ("no-map", "plain", "reusable")
_M64 = (1 << 64) - 1


def _mix(x):
    """A 64-bit avalanche: each address gets an unrelated-looking word."""
    x = (x ^ (x >> 31)) * 0x7FB5D329728EA185 & _M64
    x = (x ^ (x >> 27)) * 0x81DADEF4BC2DD44D & _M64
    return x ^ (x >> 33)


def _down(x, a):
    return x - x % a


def _up(x, a):
    return _down(x + a - 1, a)


def _size_str(n):
    for unit, name in ((MiB, "M"), (KiB, "K")):
        if n % unit == 0:
            return "%d%s" % (n // unit, name)
    return "0x%x" % n


@dataclass
class Machine:
    seed: int
    node_mib: list            # RAM per QEMU node, MiB
    node_cpus: list           # harts per node (ids are contiguous)
    banks: list               # [(base, size, nid)], sorted
    reservations: list        # [(base, size, kind, name, nomap)], sorted
    dts: str = ""             # the final source; the DTB is compiled from it
    dtb: bytes = field(default=b"", repr=False)

    # ---- the machine as QEMU sees it ------------------------------------
    @property
    def cpus(self):
        return sum(self.node_cpus)

    @property
    def nodes(self):
        return len(self.node_mib)

    @property
    def mem_arg(self):
        return "%dM" % sum(self.node_mib)

    @property
    def ram_end(self):
        return RAM_BASE + sum(self.node_mib) * MiB

    def node_ranges(self):
        """[(nid, start, end)] of the RAM QEMU really has."""
        out, pos = [], RAM_BASE
        for nid, mib in enumerate(self.node_mib):
            out.append((nid, pos, pos + mib * MiB))
            pos += mib * MiB
        return out

    @property
    def dtb_top(self):
        return min(self.ram_end, 3 * GiB)

    @property
    def dtb_addr(self):
        return _down(self.dtb_top - (len(self.dtb) + QEMU_DTB_PAD), 2 * MiB)

    def dtb_guest_size(self, append="halt"):
        """totalsize of the blob the kernel gets: ours + QEMU's + OpenSBI's."""
        extra = 12 + 32 + len("rng-seed") + 1
        if append:
            extra += 12 + _up(len(append) + 1, 4) + len("bootargs") + 1
        return len(self.dtb) + extra + OPENSBI_DTB_GROWTH

    # ---- expected values --------------------------------------------------
    def ram_pages(self):
        """Whole pages of described RAM, per node id."""
        pages = {nid: 0 for nid in range(self.nodes)}
        for base, size, nid in self.banks:
            pages[nid] += max(0, (base + size) // PAGE - _up(base, PAGE) // PAGE)
        return pages

    def reserved_ranges(self, elf, append="halt"):
        """[(base, size, name)]: ours plus firmware, kernel image and DTB."""
        start, end = kernel_image(elf)
        fixed = [(RAM_BASE, FW_SIZE, "mmode_resv0"), (start, end - start, "kernel"),
                 (self.dtb_addr, self.dtb_guest_size(append), "dtb")]
        return sorted(fixed + [(b, s, n) for b, s, _, n, _ in self.reservations])

    def reserved_pfns(self, elf, append="halt"):
        """Every pfn a reservation touches (the kernel rounds them out)."""
        pfns = set()
        for base, size, _ in self.reserved_ranges(elf, append):
            pfns.update(range(base // PAGE, _up(base + size, PAGE) // PAGE))
        return pfns

    def pattern(self, base, size):
        """The bytes the loader puts at [base, base+size): 8-byte words, each
        a function of seed and its own address, so a moved copy shows."""
        lo, hi = _down(base, 8), _up(base + size, 8)
        key = self.seed * 0x9E3779B97F4A7C15
        words = [_mix((key + a) & _M64) for a in range(lo, hi, 8)]
        raw = struct.pack("<%dQ" % len(words), *words)
        return raw[base - lo:base - lo + size]

    def describe(self):
        nodes = "%d node%s" % (self.nodes, "s" if self.nodes > 1 else "")
        banks = " ".join("0x%x+%s/n%d" % (b, _size_str(s), n) for b, s, n in self.banks)
        rm = [r for r in self.reservations if r[2] != "memreserve"]
        nomap = sum(1 for r in rm if r[4])
        harts = "%d harts" % self.cpus
        if self.nodes > 1:
            harts += " (%s)" % "+".join(map(str, self.node_cpus))
        return "%s, %s, %s, banks %s, %d reserved-memory (%d no-map), %d memreserve" % (
            self.mem_arg, nodes, harts, banks,
            len(rm), nomap, len(self.reservations) - len(rm))

    # ---- files and QEMU arguments -------------------------------------------
    def qemu_machine_args(self):
        """-machine, -m, -smp and the NUMA options (no -dtb)."""
        args = ["-machine", "virt", "-m", self.mem_arg, "-smp", str(self.cpus)]
        if self.nodes == 1:
            return args
        for nid, mib in enumerate(self.node_mib):
            args += ["-object", "memory-backend-ram,id=m%d,size=%dM" % (nid, mib)]
        first = 0
        for nid, ncpu in enumerate(self.node_cpus):      # hart ids are contiguous
            cpus = "%d-%d" % (first, first + ncpu - 1) if ncpu > 1 else str(first)
            args += ["-numa", "node,memdev=m%d,cpus=%s,nodeid=%d" % (nid, cpus, nid)]
            first += ncpu
        return args

    def write(self, dirpath):
        """Write the DTB and the pattern files; return QEMU's machine arguments."""
        os.makedirs(dirpath, exist_ok=True)
        dtb = os.path.abspath(os.path.join(dirpath, "machine.dtb"))
        with open(dtb, "wb") as f:
            f.write(self.dtb)
        args = self.qemu_machine_args() + ["-dtb", dtb]
        for i, (base, size, _, _, _) in enumerate(self.reservations):
            path = os.path.abspath(os.path.join(dirpath, "pattern-%d.bin" % i))
            with open(path, "wb") as f:
                f.write(self.pattern(base, size))
            # QEMU's option parser takes ",," for a comma inside a value.
            args += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (path.replace(",", ",,"), base)]
        return args

    def to_json(self):
        d = asdict(self)
        del d["dtb"]                      # rebuilt from dts, byte for byte
        return json.dumps(d, indent=1)

    @classmethod
    def from_json(cls, text):
        d = json.loads(text)
        d["banks"] = [tuple(b) for b in d["banks"]]
        d["reservations"] = [tuple(r) for r in d["reservations"]]
        m = cls(**d)
        m.dtb = _compile(m.dts)
        return m


def kernel_image(elf):
    """[_start_image, _end) from the ELF's symbol table."""
    from elftools.elf.elffile import ELFFile
    with open(elf, "rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        get = lambda name: symtab.get_symbol_by_name(name)[0]["st_value"]
        return get("_start_image"), get("_end")


# ---- drawing ---------------------------------------------------------------
def _draw_topology(rng, max_cpus, allow_numa):
    mem = rng.choice([rng.randrange(64, 513), 64 * rng.randrange(1, 9)])
    if allow_numa and max_cpus >= 2 and rng.random() < 0.4:
        node0 = rng.randrange(32, mem - 31)
        cpus = rng.randint(2, max_cpus)
        first = rng.randint(1, cpus // 2)      # QEMU 7.2: node 0 <= node 1
        return [node0, mem - node0], [first, cpus - first]
    return [mem], [rng.randint(1, max_cpus)]


def _hole(rng):
    return rng.choice([PAGE * rng.randint(1, 64), MiB * rng.randint(1, 24),
                       2 * MiB * rng.randint(1, 8)])


def _draw_banks(rng, ranges):
    banks = []
    for nid, start, end in ranges:
        lo = start if nid == 0 or rng.random() < 0.7 else start + _hole(rng)
        hi = end if nid == len(ranges) - 1 or rng.random() < 0.7 else end - _hole(rng)
        cuts = []
        for _ in range(rng.randint(1, 3) - 1):
            at = _down(rng.randrange(lo, hi), PAGE)
            if nid == 0 and rng.random() < 0.3:    # a small first bank makes
                # the early allocators move on to the next bank
                at = _down(rng.randrange(RAM_BASE + FIRST_BANK_MIN, RAM_BASE + 12 * MiB), PAGE)
            cuts += [at, at + _hole(rng)]
        edges = [lo] + sorted(cuts) + [hi]
        for a, b in zip(edges[0::2], edges[1::2]):
            banks.append((a, b - a, nid))
    return sorted(banks)


def _draw_size(rng):
    size = int(2 ** rng.uniform(12, 20))
    return _up(size, PAGE) if rng.random() < 0.5 else size


def _draw_reservations(rng, banks):
    out = []
    picks = [rng.choice(KINDS) for _ in range(rng.randint(0, 3))]
    picks += ["memreserve"] * rng.randint(0, 2)
    for i, kind in enumerate(picks):
        size = _draw_size(rng)
        base, bsize, _ = rng.choices(banks, weights=[b[1] for b in banks])[0]
        at = base + rng.randrange(0, max(1, bsize - size))
        if rng.random() < 0.3:      # where the early allocators are busy
            at = PROTECTED_END + rng.randrange(0, 4 * MiB)
        at = _down(at, PAGE) if rng.random() < 0.5 else at
        name = "memreserve[%d]" % i if kind == "memreserve" else \
            "grade-%s%d@%x" % (kind, i, at)
        out.append((at, size, kind, name, kind == "no-map"))
    return _named(out)


def _named(resv):
    """resv sorted, each memreserve entry named as the kernel names it: by
    its index in the header, which lists them in address order."""
    mr = sorted(r for r in resv if r[2] == "memreserve")
    mr = [(b, s, k, "memreserve[%d]" % i, n) for i, (b, s, k, _, n) in enumerate(mr)]
    return sorted([r for r in resv if r[2] != "memreserve"] + mr)


def problems(m):
    """Every constraint a generated machine must meet; [] when it is valid."""
    bad, ranges = [], m.node_ranges()
    for (b1, s1, _), (b2, _, _) in zip(m.banks, m.banks[1:]):
        if b1 + s1 > b2:
            bad.append("banks overlap at 0x%x" % b2)
    for base, size, nid in m.banks:
        _, ns, ne = ranges[nid]
        if size < 16 * PAGE or base % PAGE or size % PAGE or not ns <= base < base + size <= ne:
            bad.append("bank 0x%x+0x%x bad for node %d" % (base, size, nid))
    first = m.banks[0]
    if first[0] != RAM_BASE or first[1] < FIRST_BANK_MIN:
        bad.append("first bank does not cover the first 4 MiB")
    if not any(b <= m.dtb_top - TOP_KEEP and m.dtb_top <= b + s for b, s, _ in m.banks):
        bad.append("top 2 MiB below 0x%x not RAM" % m.dtb_top)
    if not m.dtb_top - TOP_KEEP <= m.dtb_addr < m.dtb_top - len(m.dtb) - QEMU_DTB_PAD:
        bad.append("the DTB would land at 0x%x, outside the top 2 MiB" % m.dtb_addr)
    for nid, pages in m.ram_pages().items():
        if pages * PAGE < 16 * MiB:
            bad.append("node %d has only %d pages" % (nid, pages))
    for i, (base, size, _, name, _) in enumerate(m.reservations):
        end = base + size
        if not any(b <= base and end <= b + s for b, s, _ in m.banks):
            bad.append("%s not inside one bank" % name)
        if base < PROTECTED_END or end > m.dtb_top - TOP_KEEP and base < m.dtb_top:
            bad.append("%s in a protected range" % name)
        if i and m.reservations[i - 1][0] + m.reservations[i - 1][1] > base:
            bad.append("%s overlaps the one before" % name)
    return bad


def generate(seed: int, *, max_cpus=4, allow_numa=True, min_mib=0) -> Machine:
    """A valid machine drawn from seed; min_mib: at least that much RAM."""
    rng = random.Random(seed)
    for _ in range(1000):
        node_mib, node_cpus = _draw_topology(rng, max_cpus, allow_numa)
        if sum(node_mib) < min_mib:
            continue
        m = Machine(seed, node_mib, node_cpus, [], [])
        m.banks = _draw_banks(rng, m.node_ranges())
        m.reservations = _draw_reservations(rng, m.banks)
        # dtb_addr needs the blob's size: any size up to 1 MiB gives the
        # same address (see the rule above); problems() checks it again.
        m.dtb = b"\0" * 8192
        if not problems(m):
            m.dts = _build_dts(m)
            m.dtb = _compile(m.dts)
            if problems(m):
                raise RuntimeError("seed %d: DTB moved the layout: %s" % (seed, problems(m)))
            return m
    raise RuntimeError("seed %d: no valid machine in 1000 draws" % seed)


def build(seed: int, node_mib, node_cpus, banks, reservations) -> Machine:
    """A machine laid out by the caller rather than drawn: RAM per node,
    harts per node, banks [(base, size, nid)] and reservations [(base,
    size, kind, name)] with kind one of KINDS or "memreserve" (the names of
    memreserve entries are the kernel's, "memreserve[i]"). seed picks the
    patterns. Raises ValueError when the layout breaks a rule of problems()."""
    resv = _named([(b, s, k, n, k == "no-map") for b, s, k, n in reservations])
    m = Machine(seed, list(node_mib), list(node_cpus), sorted(banks), resv)
    m.dtb = b"\0" * 8192              # as in generate: dtb_addr needs a size
    bad = problems(m)
    if not bad:
        m.dts = _build_dts(m)
        m.dtb = _compile(m.dts)
        bad = problems(m)
    if bad:
        raise ValueError("machine.build: " + "; ".join(bad))
    return m


# ---- the device tree ----------------------------------------------------------
_dump_cache = {}


def _qemu_dts(m):
    """QEMU's own tree for the machine options, as dtc source."""
    key = tuple(m.qemu_machine_args())
    if key not in _dump_cache:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "q.dtb")
            args = [QEMU] + list(key)
            args[2] = "virt,dumpdtb=" + path
            subprocess.run(args + ["-bios", "none", "-nographic"], check=True,
                           capture_output=True, stdin=subprocess.DEVNULL)
            r = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", path],
                               check=True, capture_output=True, text=True)
            _dump_cache[key] = r.stdout
    return _dump_cache[key]


def _cells(x):
    return "0x%x 0x%x" % (x >> 32, x & 0xFFFFFFFF)


def _memory_nodes(m):
    out = []
    for base, size, nid in m.banks:
        numa = "\t\tnuma-node-id = <0x%x>;\n" % nid if m.nodes > 1 else ""
        out.append("\tmemory@%x {\n\t\tdevice_type = \"memory\";\n%s"
                   "\t\treg = <%s %s>;\n\t};\n" % (base, numa, _cells(base), _cells(size)))
    return "".join(out)


def _reserved_memory(m):
    kids = []
    for base, size, kind, name, nomap in m.reservations:
        if kind == "memreserve":
            continue
        flag = {"no-map": "\t\t\tno-map;\n", "reusable": "\t\t\treusable;\n"}.get(kind, "")
        kids.append("\t\t%s {\n\t\t\treg = <%s %s>;\n%s\t\t};\n" % (name, _cells(base), _cells(size), flag))
    if not kids:
        return ""
    return ("\treserved-memory {\n\t\t#address-cells = <0x2>;\n\t\t#size-cells = <0x2>;\n"
            "\t\tranges;\n%s\t};\n" % "".join(kids))


def _build_dts(m):
    src = _qemu_dts(m)
    # QEMU writes a fresh rng-seed at every boot; a fixed one would only mislead.
    src = re.sub(r"\n\t*rng-seed = <[^>]*>;", "", src)
    src = re.sub(r"\n\tmemory@[0-9a-f]+ \{.*?\n\t\};", "", src, flags=re.S)
    root_end = src.rstrip().rfind("};")
    src = src[:root_end] + _memory_nodes(m) + _reserved_memory(m) + "};\n"
    memres = "".join("/memreserve/ 0x%x 0x%x;\n" % (b, s)
                     for b, s, k, _, _ in m.reservations if k == "memreserve")
    return src.replace("/dts-v1/;\n", "/dts-v1/;\n" + memres, 1)


def _compile(dts):
    r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb"], input=dts.encode(),
                       check=True, capture_output=True)
    return r.stdout
