"""Boot a kernel on a Machine (machine.py) and read its memory from outside.

boot() starts QEMU halted, with its gdb stub on a private address (a unix
socket in workdir, else a free 127.0.0.1 port), and gdb-multiarch running
gdbread.py: that stops at the kernel's entry and at power_off and reads the
buddy allocator's free lists, the early regions and the reservation patterns
from guest physical memory. With a disk and commands, boot() types each
command at the shell instead, and after the first prompt and after each
command stops the guest for a snapshot of the same findings. The checks below compare what was read with the
Machine, never with what the kernel printed.

Self-test: /usr/bin/python3 grading/lib/guest.py ALLOC SEED [WORKDIR]
"""
import bisect
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Optional

if __package__:
    from . import console as console_mod, machine as machine_mod
else:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import console as console_mod
    import machine as machine_mod

QEMU = "qemu-system-riscv64"
GDB = "gdb-multiarch"
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
GDBREAD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gdbread.py")
PAGE = machine_mod.PAGE


@dataclass
class GuestResult:
    status: str = "error"       # halted | panic | timeout | flood | exited | error; workloads: done | failed
    exit_status: Optional[int] = None   # power_off's a0, or QEMU's exit code
    console: str = ""
    panic_line: Optional[str] = None
    free_blocks: list = field(default_factory=list)     # [(pfn, order, nid)]
    alloc_blocks: list = field(default_factory=list)    # handed out after the handoff
    nr_free: Optional[list] = None                      # nr_free[nid][order]
    early_regions: list = field(default_factory=list)   # [(base, size)]
    patterns: list = field(default_factory=list)  # [(name, base, size, intact, first_bad_addr, bytes_changed)]
    wall_seconds: float = 0.0
    error: Optional[str] = None
    free_list_error: Optional[str] = None   # "corrupt free list" details
    append: str = "halt"
    dtb_addr_seen: Optional[int] = None     # a1 at the kernel's entry
    dtb_totalsize: Optional[int] = None     # the header, read at power_off
    handoff_blocks: Optional[list] = None   # free blocks at smp_start (handoff=True)
    handoff_error: Optional[str] = None
    outputs: list = field(default_factory=list)     # what each command printed
    snapshots: list = field(default_factory=list)   # [(after what, gdbread's findings)]
    busy_snapshots: int = 0                         # taken again: kalloc's lock was held

    def last_lines(self, n=20):
        return "\n".join(self.console.splitlines()[-n:])


def _gdb_address(workdir):
    """(gdb's target string, QEMU's options): a unix socket when its path is
    short and plain enough for both tools, else a free local TCP port."""
    path = os.path.join(os.path.abspath(workdir), "gdb.sock")
    if len(path.encode()) < 100 and not any(c in path for c in ":, "):
        if os.path.exists(path):
            os.unlink(path)
        return path, ["-chardev", "socket,id=gdb0,path=%s,server=on,wait=off" % path,
                      "-gdb", "chardev:gdb0"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return "127.0.0.1:%d" % port, ["-gdb", "tcp:127.0.0.1:%d" % port]


def _symbols(elf):
    from elftools.elf.elffile import ELFFile
    with open(elf, "rb") as f:
        e = ELFFile(f)
        tab = e.get_section_by_name(".symtab")
        sym = tab.get_symbol_by_name("power_off") if tab else None
        if not sym or e.header["e_machine"] != "EM_RISCV":
            raise ValueError("%s is not a RISC-V kernel with a power_off symbol" % elf)
        smp = tab.get_symbol_by_name("smp_start")
        return e.header["e_entry"], sym[0]["st_value"], smp[0]["st_value"] if smp else None


def _qemu_said(text):
    """QEMU's own complaints, which come on the console's terminal too."""
    said = [l for l in text.splitlines() if l.startswith(QEMU + ":")]
    return " [QEMU: %s]" % " ".join(said)[-300:] if said else ""


def _kill(proc, wait_first=0):
    """Kill a process group we started (its leader is proc) and reap it;
    wait_first gives it that many seconds to end by itself."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=wait_first)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def _qemu_cmd(workdir, machine, kernel_elf, append, gdb_opts, disk=None, one_thread=False):
    cmd = [QEMU] + machine.write(workdir) + ["-bios", FIRMWARE, "-kernel", kernel_elf]
    if one_thread:                   # every hart on one host thread, hart 0 first
        cmd += ["-accel", "tcg,thread=single"]
    if disk:                         # a private copy: the commands write to it
        copy = os.path.join(workdir, "fs.img")
        with open(disk, "rb") as src, open(copy, "wb") as dst:
            dst.write(src.read())
        cmd += ["-global", "virtio-mmio.force-legacy=false",
                "-drive", "file=%s,if=none,format=raw,id=x0" % copy.replace(",", ",,"),
                "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]
    return cmd + (["-append", append] if append else []) + ["-nographic", "-no-reboot", "-S"] + gdb_opts


def _gdb_config(workdir, machine, kernel_elf, target, handoff=False, snapshots=False):
    """Write gdbread's configuration; return (its path, the findings' path)."""
    entry, power_off, smp_start = _symbols(kernel_elf)
    cfg = {"target": target, "workdir": workdir, "entry": entry, "power_off": power_off,
           "handoff_done": smp_start if handoff else None,
           "dtb_addr": machine.dtb_addr, "ram": (machine_mod.RAM_BASE, machine.ram_end),
           "output": os.path.join(workdir, "gdbread.json"), "snapshots": snapshots,
           "patterns": [(b, s) for b, s, _, _, _ in machine.reservations]}
    path = os.path.join(workdir, "gdbread-config.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    for f in os.listdir(workdir):
        if f == "gdbread.json" or f.startswith("snap-"):
            os.unlink(os.path.join(workdir, f))
    return path, cfg["output"]


def _spawn(cmd, procs, name, **kw):
    """Popen in a new session (its own process group), recorded at once so
    that boot's finally can kill it whatever happens next. setpriv sets the
    parent-death signal before it execs the tool: if the grader itself is
    killed (SIGKILL skips every finally), Linux kills QEMU and gdb too.
    (preexec_fn could do it, but is unsafe in a threaded grader.)"""
    cmd = ["setpriv", "--pdeathsig", "KILL", "--"] + cmd
    procs[name] = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True, **kw)
    return procs[name]


def _wait(gdb, con, deadline):
    """Reads the console until gdb is done: None, or "flood" / "timeout" as
    soon as one happens."""
    while gdb.poll() is None and time.monotonic() < deadline:
        try:
            con.read_for(0.05)
        except console_mod.ConsoleError:
            if con.flooded:
                return "flood"
            time.sleep(0.02)          # QEMU is gone; gdb ends by itself
    return "timeout" if gdb.poll() is None else None


class _ToolError(Exception):
    """gdb or the snapshot protocol failed: the grader's problem."""


class _StepFailed(Exception):
    """A workload command did not do what its step requires."""


def _snapshot(res, gdb, con, workdir, deadline, tries=5):
    """Stops the guest through gdb and returns gdbread's findings there. A
    snapshot that found kalloc's lock held (a hart inside the buddy
    allocator) is taken again a moment later."""
    for _ in range(tries):
        n = len(res.snapshots) + res.busy_snapshots
        path = os.path.join(workdir, "snap-%d.json" % n)
        open(os.path.join(workdir, "snap-request-%d" % n), "w").close()
        os.kill(gdb.pid, signal.SIGINT)
        while not os.path.exists(path):
            if gdb.poll() is not None:
                raise _ToolError("gdb ended before snapshot %d (see gdb.log)" % n)
            if time.monotonic() > deadline:
                raise _ToolError("no snapshot %d in time" % n)
            con.read_for(0.05)
        with open(path) as f:
            snap = json.load(f)
        if not snap["busy"]:
            return snap
        res.busy_snapshots += 1
        time.sleep(0.5)
    raise _ToolError("kalloc's lock was held at each of %d snapshots" % tries)


def _workload(res, gdb, con, workdir, commands, deadline, boot_timeout=None):
    """Types each command once the prompt is back, with a snapshot after
    the first prompt and after each command. None when all ran, else the
    status: panic, flood, exited, timeout or error. boot_timeout bounds the
    wait for the first prompt (else the whole deadline may go to it)."""
    try:
        left = deadline - time.monotonic()
        con.boot(max(1, min(left, boot_timeout) if boot_timeout else left))
        res.snapshots.append(("boot", _snapshot(res, gdb, con, workdir, deadline)))
        for step in commands:
            command, seconds = step[0], max(1, min(step[1], deadline - time.monotonic()))
            if len(step) < 3:
                res.outputs.append(con.run(command, seconds))
                res.snapshots.append((command, _snapshot(res, gdb, con, workdir, deadline)))
                continue
            # (command, seconds, pause): the snapshot is taken once the output
            # matches the regex pause, while the command waits for a line.
            echo = con.type_line(command, seconds)
            paused = con.wait_for(r"(?:%s)|(?P<prompt>^\$ \Z)" % step[2], seconds, start=echo.end())
            if paused.group("prompt") is not None:
                raise _StepFailed("%r ended before it printed what it had to" % command)
            until = time.monotonic() + 0.5         # a command that does not wait ends by then
            while time.monotonic() < until:
                con.read_for(until - time.monotonic())
            if console_mod.PROMPT in con.out[paused.end():]:
                raise _StepFailed("%r did not wait for a line after its output" % command)
            res.snapshots.append((command, _snapshot(res, gdb, con, workdir, deadline)))
            con.send("\n")
            m = con.wait_for(r"\$ \Z", seconds, start=echo.end())
            res.outputs.append(con.out[echo.end():m.start()])
            con.mark = len(con.out)
        return None
    except _ToolError as e:
        res.error = str(e)
        return "error"
    except _StepFailed as e:
        res.error = str(e)
        return "failed"
    except console_mod.ConsoleError as e:
        res.error = str(e).splitlines()[0]
        if "panic:" in con.out:
            return "panic"
        if con.flooded:
            return "flood"
        return "exited" if con.eof else "timeout"


def _after_panic(res, gdb, con, machine, outfile, deadline):
    """A workload's kernel panicked: a panic ends in power_off, where gdbread
    reads memory as at a halt. Waits for that (until deadline) and loads
    what it found into res, so that the patterns, say, are known even after
    a panic; res.status stays "panic"."""
    con.panic_stops = False          # the panic line was seen already
    while gdb.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(console_mod.ConsoleError):
            con.read_for(0.05)
        if con.eof:
            time.sleep(0.02)
    if gdb.poll() is None or not os.path.exists(outfile):
        return
    with open(outfile) as f:
        found = json.load(f)
    if found.get("stopped") == "power_off" and not found.get("error"):
        res.exit_status = found["a0"]
        _load_state(res, machine, found)


def _drain(con, seconds=10):
    """What QEMU still prints until it closes the console."""
    until = time.monotonic() + seconds
    while not con.eof and not con.flooded and time.monotonic() < until:
        with contextlib.suppress(console_mod.ConsoleError):
            con.read_for(0.1)


def _changed(seen, want, chunk=4096):
    """(offset of the first byte that differs or None, how many differ);
    bytes missing from a short dump count as changed."""
    common = min(len(seen), len(want))
    first, n = None, abs(len(seen) - len(want))
    for at in range(0, common, chunk):
        end = min(at + chunk, common)
        a, b = seen[at:end], want[at:end]
        if a != b:                        # only differing chunks byte by byte
            diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
            first = at + diff[0] if first is None else first
            n += len(diff)
    if first is None and n:
        first = common
    return first, n


def _compare(machine, paths):
    """[(name, base, size, intact, first_bad_addr, bytes_changed)] from the
    dumped regions."""
    out = []
    for (base, size, _, name, _), path in zip(machine.reservations, paths):
        with open(path, "rb") as f:
            seen = f.read()
        bad, n = _changed(seen, machine.pattern(base, size))
        out.append((name, base, size, bad is None, None if bad is None else base + bad, n))
    return out


def _finish(res, machine, outfile, qemu_rc):
    """Turn gdbread's JSON and the console into status and findings."""
    if not os.path.exists(outfile):
        res.status, res.error = "error", "gdb wrote no findings (see gdb.log)"
        return
    with open(outfile) as f:
        found = json.load(f)
    if found.get("error"):
        res.status, res.error = "error", "gdbread: " + found["error"].strip().splitlines()[-1]
        return
    bad = [p for p in _compare(machine, found.get("entry_dumps", [])) if not p[3]]
    if bad:                               # the grader's setup failed, not the kernel
        res.status, res.error = "error", "loader pattern not in RAM at kernel entry: %s" % bad
        return
    res.dtb_addr_seen = found.get("dtb_addr_seen")
    if found["stopped"] != "power_off":
        res.exit_status = qemu_rc
        res.status = "panic" if res.panic_line else "exited"
        return
    res.exit_status = found["a0"]
    res.status = "panic" if res.exit_status != 0 or res.panic_line else "halted"
    _load_state(res, machine, found)
    if "handoff_blocks" in found:
        res.handoff_blocks = [tuple(x) for x in found["handoff_blocks"]]
    res.handoff_error = found.get("handoff_error")


def _load_state(res, machine, found):
    """The memory findings gdbread's read_state wrote (at power_off, or in a
    snapshot) into res."""
    for name in ("free_blocks", "alloc_blocks", "early_regions"):
        setattr(res, name, [tuple(x) for x in found[name]])
    res.nr_free, res.dtb_totalsize = found["nr_free"], found["dtb_totalsize"]
    res.free_list_error = found["free_list_error"]
    res.patterns = _compare(machine, found["final_dumps"])


def boot(kernel_elf, machine, workdir, *, append="halt", timeout=60, output_cap=1 << 20,
         handoff=False, disk=None, commands=None, boot_timeout=None, one_thread=False) -> GuestResult:
    """Boot kernel_elf on machine (files go to workdir), stop at power_off and
    read the guest's memory; with handoff=True, also read the free lists at
    smp_start (result.handoff_blocks). With disk (an fs.img, copied) and
    commands [(command, seconds)]: type each at the shell, and snapshot
    memory after the first prompt and after each one (result.snapshots,
    result.outputs); the status is then "done" when every command ran. A
    step (command, seconds, pause) is snapshotted instead when its output
    matches the regex pause, and then given a newline to go on. When the
    kernel panics during the commands, the findings at power_off (where a
    panic ends) are loaded as at a halt, the status staying "panic".
    boot_timeout (with commands): seconds to wait for the first prompt.
    one_thread: run every hart on one host thread; hart 0 then starts first
    and wins OpenSBI's boot-hart lottery (on threads of their own, any hart
    may). Never raises for a guest's fault; QEMU and gdb are always gone
    when it returns."""
    t0 = time.monotonic()
    workdir, kernel_elf = os.path.abspath(workdir), os.path.abspath(kernel_elf)
    os.makedirs(workdir, exist_ok=True)
    res, procs, con = GuestResult(append=append), {}, None
    try:
        target, gdb_opts = _gdb_address(workdir)
        config, outfile = _gdb_config(workdir, machine, kernel_elf, target, handoff, commands is not None)
        # The console through the shared driver; setpriv makes Linux kill
        # QEMU if the grader itself is killed (SIGKILL skips every finally).
        con = console_mod.Console(["setpriv", "--pdeathsig", "KILL", "--"] +
                                  _qemu_cmd(workdir, machine, kernel_elf, append, gdb_opts, disk, one_thread),
                                  cap=output_cap, panic_stops=commands is not None)
        with open(os.path.join(workdir, "gdb.log"), "wb") as log:
            gdb = _spawn([GDB, "-batch", "-nx", "-x", GDBREAD, kernel_elf], procs, "gdb",
                         stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, GDBREAD_CONFIG=config))
        if commands is not None:
            stop = _workload(res, gdb, con, workdir, commands, t0 + timeout, boot_timeout) or "done"
            if stop == "panic":
                _after_panic(res, gdb, con, machine, outfile, min(t0 + timeout, time.monotonic() + 15))
        else:
            stop = _wait(gdb, con, t0 + timeout)
        _kill(gdb)
        if not stop or stop == "panic":
            con.panic_stops = False      # the rest of a panic's line, and what follows
            _drain(con, 2)               # gdbread's "kill" ends QEMU; so may the guest
        con.close()
        res.console = con.out
        res.panic_line = next((l for l in res.console.splitlines() if "panic:" in l), None)
        if stop:
            res.status = stop
        else:
            _finish(res, machine, outfile, con.exit_status())
    except Exception as e:                # the grader's own tooling failed
        res.status, res.error = "error", "%s: %s" % (type(e).__name__, e)
    finally:
        # A second Ctrl-C must not cut the cleanup short: hold SIGINT until done.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        for p in procs.values():
            _kill(p)
        if con:
            con.close()
            res.console = res.console or con.out
        if res.status in ("exited", "error"):
            res.error = (res.error or "") + _qemu_said(res.console)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    res.wall_seconds = time.monotonic() - t0
    return res


# ---- checks: pure functions of a GuestResult and its Machine ----------------
def _pages(base, size):
    """The pfns a byte range touches (rounded outward)."""
    return range(base // PAGE, -(-(base + size) // PAGE))


def _runs(pfns, limit=4):
    """'0x80400-0x80410, 0x9000 ...' for a sorted list of pfns."""
    runs = []
    for p in pfns:
        if runs and runs[-1][1] == p - 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    text = ", ".join("0x%x" % a if a == b else "0x%x-0x%x" % (a, b) for a, b in runs[:limit])
    return text + (" ..." if len(runs) > limit else "")


def _cover(blocks, what, machine, probs):
    """pfn -> how many of the blocks cover it; misplaced blocks go to probs."""
    banks = [(-(-b // PAGE), (b + s) // PAGE, nid) for b, s, nid in machine.banks]
    starts = [b[0] for b in banks]
    count = {}
    for pfn, order, nid in blocks:
        n = 1 << order
        i = bisect.bisect_right(starts, pfn) - 1
        where = "%s block pfn 0x%x order %d node %d" % (what, pfn, order, nid)
        if pfn % n:
            probs.append(where + ": not naturally aligned")
        if i < 0 or pfn + n > banks[i][1]:
            probs.append(where + ": not inside one described bank")
        elif banks[i][2] != nid:
            probs.append(where + ": its bank is on node %d" % banks[i][2])
        for p in range(pfn, pfn + n):
            count[p] = count.get(p, 0) + 1
    return count


def _page_sets(result, machine, elf, probs):
    """(ram pfns, free, allocated, reserved, early, reservation ranges)."""
    free = _cover(result.free_blocks, "free", machine, probs)
    used = _cover(result.alloc_blocks, "allocated", machine, probs)
    resv = machine.reserved_ranges(elf, result.append)
    reserved = {p: name for b, s, name in resv for p in _pages(b, s)}
    early = {p for b, s in result.early_regions for p in _pages(b, s)}
    ram = [p for b, s, _ in machine.banks for p in range(-(-b // PAGE), (b + s) // PAGE)]
    return ram, free, used, reserved, early, resv


def missing_pages(result, machine, elf):
    """Whole RAM pages that are not free, allocated, reserved or early."""
    ram, free, used, reserved, early, _ = _page_sets(result, machine, elf, [])
    return [p for p in ram if not (p in free or p in used or p in reserved or p in early)]


def check_free_set(result, machine, elf, *, allow_gaps=False):
    """Problems with the free set (empty list = good). Every whole page of a
    described bank must be exactly one of: free, handed out by the buddy after
    the handoff, reserved (machine.reserved_pfns) or early-allocated (pages an
    early region touches; an early region may share a page with a
    reservation, but not bytes). Partial pages at bank edges are not RAM.
    allow_gaps tolerates missing pages between the kernel image and the end
    of the last early region: bump keeps the pages its pointer skipped."""
    if result.status not in ("halted", "panic") or result.nr_free is None:
        return ["no memory was read (status %s: %s)" % (result.status, result.error)]
    probs = ["corrupt free list: " + result.free_list_error] if result.free_list_error else []
    ram, free, used, reserved, early, resv = _page_sets(result, machine, elf, probs)
    for what, pages in (("free", free), ("allocated", used)):
        twice = sorted(p for p, c in pages.items() if c > 1)
        if twice:
            probs.append("%d pages are in two %s blocks: %s" % (len(twice), what, _runs(twice)))
        for kind, other in (("reserved", reserved), ("early-allocated", early)):
            hit = sorted(p for p in pages if p in other)
            names = sorted({reserved[p] for p in hit}) if kind == "reserved" else []
            if hit:
                probs.append("%d %s pages are %s: %s %s" % (len(hit), what, kind, _runs(hit), " ".join(names)))
    both = sorted(p for p in free if p in used)
    if both:
        probs.append("%d pages are both free and allocated: %s" % (len(both), _runs(both)))
    for b, s in result.early_regions:
        probs += ["early region [0x%x, +0x%x) overlaps reservation %s" % (b, s, name)
                  for rb, rs, name in resv if b < rb + rs and rb < b + s]
    missing = missing_pages(result, machine, elf)
    if allow_gaps and result.early_regions:
        lo = machine_mod.kernel_image(elf)[0] // PAGE
        hi = max(b + s for b, s in result.early_regions) // PAGE
        missing = [p for p in missing if not lo <= p < hi]
    if missing:
        probs.append("%d RAM pages are missing (not free, allocated, reserved or early): %s"
                     % (len(missing), _runs(missing)))
    doubled = sum(1 for p in ram if free.get(p, 0) + used.get(p, 0) + (p in reserved or p in early) > 1)
    if doubled:
        probs.append("%d RAM pages are counted twice" % doubled)
    return probs + _check_counters(result, machine)


def _check_counters(result, machine):
    """nr_free against the lists, and the DTB against the Machine's prediction."""
    probs, walked = [], {}
    for _, order, nid in result.free_blocks:
        walked[nid, order] = walked.get((nid, order), 0) + 1
    for nid, row in enumerate(result.nr_free):
        for order, n in enumerate(row):
            if n != walked.get((nid, order), 0):
                probs.append("nr_free[%d][%d] = %d, the list holds %d"
                             % (nid, order, n, walked.get((nid, order), 0)))
    if result.dtb_addr_seen not in (None, machine.dtb_addr):
        probs.append("DTB at 0x%x, machine predicts 0x%x" % (result.dtb_addr_seen, machine.dtb_addr))
    if result.dtb_totalsize != machine.dtb_guest_size(result.append):
        probs.append("DTB totalsize %s, machine predicts %d"
                     % (result.dtb_totalsize, machine.dtb_guest_size(result.append)))
    return probs


def snapshot_result(result, machine, i):
    """Snapshot i of a workload run as a GuestResult that the checks above
    take, as if the guest had powered off there."""
    r = GuestResult(status="halted", console=result.console, append=result.append)
    _load_state(r, machine, result.snapshots[i][1])
    return r


def free_pages(result):
    return sum(1 << order for _, order, _ in result.free_blocks)


def check_coalesced(result, machine):
    """A problem for each pair of free buddies that were left unmerged: two
    free blocks of one order, pfn and pfn ^ 2^order, in one bank, below the
    largest order (the length of nr_free's rows, less one)."""
    if result.nr_free is None:
        return ["no memory was read"]
    top = len(result.nr_free[0]) - 1 if result.nr_free else 0
    banks = [(-(-b // PAGE), (b + s) // PAGE) for b, s, _ in machine.banks]
    heads = {(pfn, order) for pfn, order, _ in result.free_blocks}
    probs = []
    for pfn, order, nid in sorted(result.free_blocks):
        b = pfn ^ (1 << order)
        if order < top and b > pfn and (b, order) in heads and \
                any(lo <= pfn and b + (1 << order) <= hi for lo, hi in banks):
            probs.append("free blocks pfn 0x%x and pfn 0x%x (its buddy), both order %d on node %d, "
                         "were not merged" % (pfn, b, order, nid))
    return probs


def check_patterns(result):
    """A problem for each reservation whose pattern is not intact."""
    if result.status not in ("halted", "panic"):
        return ["no memory was read (status %s)" % result.status]
    return ["pattern of %s [0x%x, +0x%x) clobbered, first at 0x%x" % (n, b, s, bad)
            for n, b, s, ok, bad, _ in result.patterns if not ok]


def _selftest(alloc, seed, workdir):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    elf = os.path.join(root, "build", "alloc-" + alloc, "kernel.elf")
    m = machine_mod.generate(seed)
    print("machine:", m.describe())
    res = boot(elf, m, workdir)
    print("status: %s (exit %s) in %.2fs; %d free blocks, %d early regions, %d patterns"
          % (res.status, res.exit_status, res.wall_seconds, len(res.free_blocks),
             len(res.early_regions), len(res.patterns)))
    if res.status != "halted":
        print("error: %s\n%s" % (res.error, res.last_lines(10)))
    # bump keeps the pages its pointer skips (docs/bump.md: "lost"): count them
    # for the record, but do not call them a problem for bump.
    gaps = len(missing_pages(res, m, elf)) if res.nr_free is not None else 0
    probs = check_free_set(res, m, elf, allow_gaps=(alloc == "bump")) + check_patterns(res)
    print("problems: %d%s" % (len(probs), " (bump kept %d skipped pages)" % gaps if gaps else ""))
    print("".join("  %s\n" % p for p in probs), end="")
    return 1 if probs or res.status != "halted" else 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: guest.py ALLOC SEED [WORKDIR]")
    import tempfile
    with tempfile.TemporaryDirectory(prefix="guest-") as tmp:
        sys.exit(_selftest(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else tmp))
