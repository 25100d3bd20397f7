# What every kernel gdb command shares: finding the kernel's variables by
# symbol, reading guest memory as physical addresses, naming the early
# allocator the ELF was built with, and the one-line error rule (a user
# sees "cmd: what is wrong", never a Python traceback).
#
# The kernel identity-maps RAM, so its pointers and the addresses of its
# variables are also physical addresses. Each command reads with QEMU's
# physical-memory mode on (Qqemu.PhyMemMode:1) and puts the mode back
# afterwards, so it works whatever satp holds (a user page table, or 0).
import gdb


class Unavailable(Exception):
    """The structure a command shows does not exist (yet, or in this build)."""


def need_target():
    try:
        live = bool(gdb.selected_inferior().threads())
    except gdb.error:
        live = False
    if not live:
        raise gdb.GdbError("no running target: start `make qemu-gdb` and connect "
                           "(gdb-multiarch -x tools/gdbinit, or the port make qemu-gdb printed)")


def var(name, file=None):
    """The kernel variable name (static in file, e.g. 'buddy.c'), or None."""
    try:
        return gdb.parse_and_eval("'%s'::%s" % (file, name) if file else name)
    except gdb.error:
        return None


def must_var(name, file=None):
    v = var(name, file)
    if v is None:
        where = "%s in %s" % (name, file) if file else name
        raise gdb.GdbError("the kernel symbol %s is missing: is build/kernel.elf loaded "
                           "(symbol-file)?" % where)
    return v


def fetched(value):
    """value with its contents read now, in one go (not field by field)."""
    value.fetch_lazy()
    return value


def array_len(value):
    lo, hi = value.type.strip_typedefs().range()
    return hi - lo + 1


def allocator():
    """Which early allocator the loaded ELF links: from its symbols."""
    if gdb.lookup_global_symbol("memblock") is not None:
        return "memblock"
    if gdb.lookup_global_symbol("bootmem_node_data") is not None:
        return "bootmem"
    if var("memory_start", "bump.c") is not None:
        return "bump"
    raise gdb.GdbError("cannot tell which early allocator this ELF has "
                       "(no memblock, bootmem_node_data or bump.c symbols)")


def only_under(name):
    have = allocator()
    if have != name:
        raise Unavailable("not available in this kernel (ALLOC=%s)" % have)


class PhysReads:
    """Context: guest reads are physical; the previous mode comes back."""

    def __enter__(self):
        self.old = None
        try:
            said = gdb.execute("maintenance packet qqemu.PhyMemMode", to_string=True)
            self.old = "1" if '"1"' in said else "0"
            if self.old != "1":
                gdb.execute("maintenance packet Qqemu.PhyMemMode:1", to_string=True)
        except gdb.error:
            self.old = None     # not QEMU's stub: read virtually, as gdb does
        return self

    def __exit__(self, *exc):
        if self.old == "0":
            try:
                gdb.execute("maintenance packet Qqemu.PhyMemMode:0", to_string=True)
            except gdb.error:
                pass
        return False


def read_u64s(addr, n):
    raw = bytes(gdb.selected_inferior().read_memory(addr, 8 * n))
    return [int.from_bytes(raw[i:i + 8], "little") for i in range(0, len(raw), 8)]


def size_str(n):
    """Bytes, human-readable as the kernel's fmt_size writes them."""
    units = ("B", "KiB", "MiB", "GiB", "TiB")
    u, scale = 0, 1
    while u < 4 and n >= scale * 1024:
        scale, u = scale * 1024, u + 1
    whole, tenth = n // scale, (n % scale) * 10 // scale
    return "%d.%d %s" % (whole, tenth, units[u]) if tenth else "%d %s" % (whole, units[u])


def hexa(x):
    return "0x%08x" % x


class KernelCommand(gdb.Command):
    """Base: subclasses set NAME and define show(arg)."""
    NAME = None

    def __init__(self):
        super().__init__(self.NAME, gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        try:
            need_target()
            with PhysReads():
                self.show(arg.strip())
        except Unavailable as e:
            print("%s: %s" % (self.NAME, e))
        except gdb.GdbError as e:
            raise gdb.GdbError("%s: %s" % (self.NAME, e))
        except gdb.MemoryError as e:
            raise gdb.GdbError("%s: cannot read guest memory (%s)" % (self.NAME, e))
        except gdb.error as e:
            raise gdb.GdbError("%s: %s" % (self.NAME, e))
        except Exception as e:     # a bug here: still one line for the user
            raise gdb.GdbError("%s: internal error: %s: %s" % (self.NAME, type(e).__name__, e))
