#!/usr/bin/python3
"""Shell tests: boot the kernel with a fresh copy of the disk image, talk
to the shell on the console, and check what the user programs print.

Usage: shelltest.py [--board virt|sifive_u] [--full] [--numa] [--matrix]
                    [--only SUBSTRING] [--list]

  (default)  for every ALLOC (bump bootmem memblock), at -smp 3 -m 128M:
             lines typed during the boot, shell features, the xv6-dialect
             program, free, memmap, forktest, stressfs, zombie reaping,
             torture, a removed current directory, kill 1, memstress and
             `usertests -q`; then one boot at -m 2G; one without Sstc (the
             ticks through SBI set_timer) and the timer's usertests; then,
             for every ALLOC and -smp 1, 2 and 4, a boot to the prompt and
             a pipeline; and one boot with 8 harts.
  --full     also the full `usertests`: memblock at -smp 3, bump at 1 and
             bootmem at 4 (CI).
  --numa     also two boots with two NUMA nodes of 128M (2 and 3 harts).
  --matrix   also the full `usertests` for every ALLOC at -smp 1, 2, 3
             and 4 (twelve boots, about twenty minutes).
  --board sifive_u  instead, QEMU's HiFive Unleashed (-smp 5 -m 128M, the
             disk image as an initrd): for every ALLOC, typed-ahead lines,
             the boot report, a pipeline and memmap; memstress and
             `usertests -q` on memblock; with --full, the full
             `usertests` on bootmem. (--numa and --matrix are virt's.)

Prints one "ok"/"FAIL" line per case and ends with "N passed, N failed".
Console logs go to build/shell-logs/. Runs on Debian's /usr/bin/python3:
QEMU is driven through the console driver the grader uses
(grading/lib/console.py, pexpect).
"""
import os
import re
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "grading"))
from lib import console  # noqa: E402
import boottest  # noqa: E402  (the same folder: build, the @ line reader)
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
ALLOCS = ["bump", "bootmem", "memblock"]
LOGDIR = os.path.join(ROOT, "build", "shell-logs")
PROMPT = console.PROMPT

BOOT_DEADLINE = 120         # seconds until the first prompt
COMMAND_DEADLINE = 120      # an ordinary command
QUICK_DEADLINE = 900        # usertests -q
FULL_DEADLINE = 3600        # usertests


Failure = console.ConsoleError


class Machine(console.Console):
    """One QEMU boot of an ALLOC's kernel with a fresh copy of its disk,
    driven through the shared console driver (grading/lib/console.py)."""

    def __init__(self, alloc, mem="128M", cpus=3, log_name=None, extra=(), typeahead=None,
                 board="virt"):
        numa = []
        if isinstance(mem, tuple):          # ("numa", per-node size, cpus)
            _, node, cpus = mem
            numa = ["-object", "memory-backend-ram,id=m0,size=" + node,
                    "-object", "memory-backend-ram,id=m1,size=" + node,
                    "-numa", "node,memdev=m0,nodeid=0", "-numa", "node,memdev=m1,nodeid=1"]
            mem = "%dM" % (2 * int(node.rstrip("M")))
        self.tmp = tempfile.mkdtemp(prefix="shelltest-")
        build_dir = os.path.join(ROOT, "build", "alloc-" + alloc)
        # Private copies: the disk is written to, and a rebuild running
        # meanwhile must not change the kernel under a booting QEMU.
        disk = os.path.join(self.tmp, "fs.img")
        kernel = os.path.join(self.tmp, "kernel.elf")
        shutil.copyfile(os.path.join(build_dir, "fs.img"), disk)
        shutil.copyfile(os.path.join(build_dir, "kernel.elf"), kernel)
        cmd = ["qemu-system-riscv64", "-machine", board, "-bios", FIRMWARE,
               "-kernel", kernel,
               "-m", mem, "-smp", str(cpus)] + numa + ["-nographic", "-no-reboot"] + \
            boottest.disk_args(board, disk) + list(extra)
        super().__init__(cmd)
        self.log_name = log_name
        self.typeahead = typeahead

    def boot(self):
        if self.typeahead:
            # Typed while the machine boots: once the firmware has set up
            # the UART (it drops what came before) and long before the
            # kernel takes console interrupts.
            self.wait_for(r"OpenSBI v", BOOT_DEADLINE, start=0)
            self.send(self.typeahead)
        super().boot(BOOT_DEADLINE)

    def type_line(self, command, seconds=COMMAND_DEADLINE):
        return super().type_line(command, seconds)

    def run(self, command, seconds=COMMAND_DEADLINE):
        return super().run(command, seconds)

    def close(self):
        super().close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.log_name:
            os.makedirs(LOGDIR, exist_ok=True)
            with open(os.path.join(LOGDIR, self.log_name + ".log"), "w") as f:
                f.write(self.out)


tail = console.tail


def expect_equal(got, want, what):
    if got != want:
        raise Failure("%s: expected %r, got %r" % (what, want, got))


def expect_in(needle, got, what):
    if needle not in got:
        raise Failure("%s: %r not in output:\n%s" % (what, needle, tail(got)))


# ---- the checks; each takes a booted Machine ------------------------------

def check_echo(m):
    expect_equal(m.run("echo hello world"), "hello world\n", "echo")
    expect_equal(m.run("echo"), "\n", "echo without arguments")


def check_pipes(m):
    expect_equal(m.run("echo hello | grep hell | wc"), "1 1 6 \n", "echo | grep | wc")
    expect_equal(m.run("echo hello | grep nothing | wc"), "0 0 0 \n", "grep with no match")
    expect_equal(m.run("cat README.md | wc"), m.run("wc < README.md"), "cat | wc vs wc <")
    # grep and wc against the same file read here (the image holds README.md)
    with open(os.path.join(ROOT, "README.md"), "rb") as f:
        lines = [l + b"\n" for l in f.read().split(b"\n")[:-1] if b"ALLOC" in l]
    # xv6's grep reads lines into a 1024-byte buffer (user/grep.c), as
    # xv6-riscv's does; a longer line is not the kernel's fault.
    long = [len(l) for l in lines if len(l) > 1023]
    if long:
        raise Failure("README.md has a line of %d bytes with ALLOC in it, longer than grep's "
                      "1024-byte buffer: split it" % long[0])
    want = "%d %d %d \n" % (len(lines), len(b"".join(lines).split()), len(b"".join(lines)))
    expect_equal(m.run("grep ALLOC README.md | wc"), want, "grep ALLOC README.md | wc")


def check_redirection(m):
    expect_equal(m.run("echo abc > f1"), "", "echo > f1")
    expect_equal(m.run("cat < f1"), "abc\n", "cat < f1")
    expect_equal(m.run("echo def >> f1"), "", "echo >> f1")
    expect_equal(m.run("cat f1"), "abc\ndef\n", "append")
    expect_equal(m.run("grep ^d.f$ < f1 > f2; cat f2"), "def\n", "< and > together")
    m.run("rm f1 f2")


def check_sequence(m):
    expect_equal(m.run("echo one; echo two ; echo three"), "one\ntwo\nthree\n", ";")


def check_background(m):
    # The job runs on another hart, so its line may come before or after
    # the prompt; but the console puts each write() out whole, so it never
    # lands inside the shell's one write of "$ ".
    echo = m.type_line("echo bgjob-done &")
    m.wait_for(r"\$ ", COMMAND_DEADLINE, start=echo.end())
    m.wait_for(r"^(?:\$ )?bgjob-done\n", COMMAND_DEADLINE, start=echo.end())
    got = m.out[echo.end():]
    if got not in ("$ bgjob-done\n", "bgjob-done\n$ "):
        raise Failure("a background job's line and the prompt: expected one after the other, got %r" % got)
    m.mark = len(m.out)
    out = m.run("(echo p1; echo p2) > fbg & ; echo fg")
    expect_in("fg\n", out, "foreground command after &")
    # the background job has surely finished once a later command ran
    for _ in range(20):
        if m.run("cat fbg") == "p1\np2\n":
            break
    else:
        raise Failure("background job did not write fbg")
    m.run("rm fbg")


def check_whole_writes(m, rounds=4):
    # Four echoes at once, three in the background, on three harts. echo
    # makes its line one write(), and the console puts each write() out
    # whole: every line must come out unmixed, whatever the order. (A
    # console that wrote byte by byte mixed them in about one round of
    # three. The command stays under the console's 128-byte line.)
    lines = [c * 22 for c in "ABCD"]
    for _ in range(rounds):
        echo = m.type_line(" & ".join("echo " + l for l in lines))
        until = time.monotonic() + COMMAND_DEADLINE
        while sum(m.out[echo.end():].count(c) for c in "ABCD") < 88 or "$ " not in m.out[echo.end():]:
            if time.monotonic() > until:
                raise Failure("four echoes at once: not all of their output came: %r" % m.out[echo.end():])
            m.read_for(1)
        got = m.out[echo.end():].replace("$ ", "").splitlines()
        if sorted(got) != lines:
            raise Failure("four echoes at once: their lines mixed: %r" % got)
        m.mark = len(m.out)


def check_parentheses(m):
    expect_equal(m.run("(echo a; echo b) | wc"), "2 2 4 \n", "( ; ) | wc")
    expect_equal(m.run("(echo x; (echo y; echo z))"), "x\ny\nz\n", "nested ( )")
    expect_equal(m.run("(echo x; (echo y; echo z) | grep z) > fp; cat fp; rm fp"), "x\nz\n",
                 "( ) with a pipe inside and a redirection outside")


def check_directories(m):
    expect_equal(m.run("mkdir tdir"), "", "mkdir")
    out = m.run("cd tdir; echo inside > file; ls")
    names = sorted(l.split()[0] for l in out.splitlines() if l.strip())
    expect_equal(names, [".", "..", "file"], "ls in a new directory")
    expect_equal(m.run("cat file"), "inside\n", "the shell stayed in tdir")
    expect_equal(m.run("cd ..; cat tdir/file"), "inside\n", "cd ..")
    out = m.run("ls tdir/file")
    if not re.match(r"^file +2 \d+ 7\n$", out):
        raise Failure("ls of one file: %r" % out)
    m.run("rm tdir/file; rm tdir")
    expect_in("cannot open", m.run("ls tdir"), "rm of the directory")


def check_script(m):
    # A script on standard input: run line by line, and no prompts.
    m.run("echo echo from-script > s1; echo '(echo two; echo three) | wc' >> s1")
    m.run("echo 'cd /; echo last' >> s1")
    expect_equal(m.run("sh < s1"), "from-script\n2 2 10 \nlast\n", "sh < script")
    expect_equal(m.run("sh s1 | grep ^l"), "last\n", "sh script")
    m.run("rm s1")


def check_xv6check(m):
    want = ("r_sp: inside the stack\n"
            "mkdev: major and minor round trip\n"
            "memlayout: UART0 VIRTIO0 PLIC KERNBASE as in the device tree\n"
            "fstat: file type 2 nlink 1 size 100\n"
            "fstat: dir type 1\n"
            "sbrk: grew 8192 bytes, checksum 1016720\n"
            "sbrk: shrank back\n"
            "sbrklazy: grew and shrank back\n"
            "pipe: read 16 bytes: ping from child\n"
            "wait: child exit status 7\n"
            "pause: slept 2 ticks\n"
            "xv6check: ok\n")
    expect_equal(m.run("xv6check"), want, "xv6check")


def check_free(m, nodes=1):
    out = m.run("free")
    for n in range(nodes):
        if not re.search(r"^node %d: .* free of .*pages" % n, out, re.M):
            raise Failure("free: no node %d summary:\n%s" % (n, tail(out)))
    if not re.search(r"^total: ", out, re.M):
        raise Failure("free: no total:\n" + tail(out))
    if "warning" in out:
        raise Failure("free: " + out)
    check_width(out, "free")


def check_memmap(m, alloc):
    out = m.run("memmap")
    expect_in("early allocator %s" % alloc, out, "memmap")
    for word in ("RAM banks", "Reservations", "firmware", "kernel", "dtb", "Handoff"):
        expect_in(word, out, "memmap")
    if "MISMATCH" in out:
        raise Failure("memmap: accounting mismatch:\n" + out)
    if not re.search(r"^  \|[FRMDKI.]{64}\|$", out, re.M):
        raise Failure("memmap: no bank picture:\n" + tail(out))
    check_width(out, "memmap")


TIMELINE_STEPS = ["kernel entered (kmain)", "buddy allocator ready", "schedulers started",
                  "/init loaded", "shell prompt (first read)"]


def check_timeline(m):
    """memmap -t: every boot step reached, in order, each step's duration the
    difference of the times, and no instruction counts (plain QEMU's instret
    follows the host clock, and the kernel must notice)."""
    out = m.run("memmap -t")
    check_width(out, "memmap -t")
    expect_in("instructions not counted", out, "memmap -t")
    prev = 0
    for step in TIMELINE_STEPS:
        r = re.search(r"^  %s +(\d+) +(\d+) +- +(\d+)$" % re.escape(step), out, re.M)
        if not r:
            raise Failure("memmap -t: no line for %r:\n%s" % (step, out))
        t, d = int(r.group(1)), int(r.group(2))
        if t < prev or abs(d - (t - prev)) > 1:     # each rounded to a microsecond
            raise Failure("memmap -t: %r at %d us after %d us, step %d:\n%s" % (step, t, prev, d, out))
        prev = t


def check_width(out, what):
    for line in out.splitlines():
        if len(line) > 80:
            raise Failure("%s: line wider than 80 columns: %r" % (what, line))


def check_memstress(m):
    out = m.run("memstress", seconds=600)
    if not out.rstrip("\n").endswith("memstress: ok"):
        raise Failure("memstress:\n" + tail(out))


def check_usertests(m, quick, cmd=None, seconds=None):
    cmd = cmd or ("usertests -q" if quick else "usertests")
    out = m.run(cmd, seconds=seconds or (QUICK_DEADLINE if quick else FULL_DEADLINE))
    if "ALL TESTS PASSED" not in out:
        failed = [l for l in out.splitlines() if "FAIL" in l]
        raise Failure("%s:\n%s\n...\n%s" % (cmd, "\n".join(failed[:20]), tail(out, 15)))


def check_programs(m):
    expect_in("fork test OK", m.run("forktest"), "forktest")
    expect_in("stressfs ok", m.run("stressfs"), "stressfs")


def check_torture(m):
    out = m.run("torture", seconds=600)
    if not out.rstrip("\n").endswith("torture: ok"):
        raise Failure("torture:\n" + tail(out))


def check_zombies(m):
    """After `zombie`, init must reap the orphan: ^P (the kernel's process
    list) must show no zombie once things settle."""
    m.run("zombie")
    for _ in range(10):
        start = len(m.out)
        m.send("\x10")
        m.wait_for(r"^\d+ \S+ sh$", COMMAND_DEADLINE, start=start)
        dump = m.out[start:]
        if not re.search(r"^\d+ zombie ", dump, re.M):
            m.mark = len(m.out)
            return
        m.run("echo")           # give init a moment, through the shell
    raise Failure("a zombie stays in the process list:\n" + dump)


# Two lines, 31 bytes: more than the 16550's 16-byte receive FIFO holds.
TYPEAHEAD = "echo early\necho typed-during-boot\n"


def check_typeahead(m):
    """What was typed during the boot (Machine.boot sent TYPEAHEAD) reaches
    the shell: its first two commands print their lines."""
    r = m.wait_for(r"^\$ (.*)\n\$ (.*)\n\$ ", COMMAND_DEADLINE, start=0)
    m.mark = len(m.out)
    expect_equal(r.groups(), ("early", "typed-during-boot"), "output of the lines typed at boot")


def check_killinit(m):
    """kill 1 is refused, and the machine goes on (it used to stop with
    "init: exited")."""
    expect_equal(m.run("kill 1"), "kill: cannot kill 1\n", "kill 1")
    expect_equal(m.run("echo still here"), "still here\n", "the shell after kill 1")


def check_rmcwd(m):
    """Nothing can be made in a directory removed while it is the current
    one; the shell can still leave it, and it is gone."""
    expect_equal(m.run("mkdir tdead"), "", "mkdir")
    out = m.run("cd tdead; rm ../tdead; echo x > f; mkdir sub; cd ..")
    expect_equal(out, "sh: cannot open f\nmkdir: sub failed to create\n",
                 "making things in a removed directory")
    expect_in("cannot open", m.run("ls tdead"), "ls of the removed directory")
    expect_equal(m.run("echo back > fb; cat fb; rm fb"), "back\n", "a file in / afterwards")


def check_after(m):
    # The shell still works, and nothing is left behind.
    expect_equal(m.run("echo still alive"), "still alive\n", "shell after the tests")


def commands(alloc):
    return [
        ("echo", check_echo),
        ("pipes", check_pipes),
        ("redirection", check_redirection),
        ("sequence", check_sequence),
        ("background", check_background),
        ("whole writes", check_whole_writes),
        ("parentheses", check_parentheses),
        ("cd/mkdir/ls", check_directories),
        ("sh < script", check_script),
        ("xv6check", check_xv6check),
        ("free", check_free),
        ("memmap", lambda m: check_memmap(m, alloc)),
        ("memmap -t", check_timeline),
        ("forktest/stressfs", check_programs),
        ("zombie", check_zombies),
        ("torture", check_torture),
        ("rm cwd", check_rmcwd),
        ("kill 1", check_killinit),
    ]


def check_harts(m, cpus):
    """Every hart of the machine came online (and was released into its
    scheduler): the boot log's @harts line."""
    expect_in("@harts online=%d listed=%d\n" % (cpus, cpus), m.out, "boot log")


def check_timer(m, via):
    expect_in("@timer hz=10 via=%s\n" % via, m.out, "boot log")


def check_board(m, alloc):
    """sifive_u's boot report: the SiFive UART, the RAM disk on the initrd
    (its reservation in the table), hart 0 skipped, 4 harts online, and a
    boot hart that is not 0. The @ lines are checked against QEMU's own
    tree in the boot tests (boottest.py's sifive_u cases)."""
    for want in (" (sifive,uart0) irq 4,", "ramdisk: the initrd [", "smp: skipping hart 0 ",
                 "Harts online: 4 of 4: 1 2 3 4\n", "  2    initrd   "):
        expect_in(want, m.out, "boot report")
    r = re.search(r"early allocator '(\w+)', boot hart (\d+),", m.out)
    if not r or r.group(1) != alloc or r.group(2) == "0":
        raise Failure("boot report banner: %r" % (r and r.group(0)))


def sifive_u_cases(full):
    """--board sifive_u: every ALLOC to the prompt with typed-ahead input, a
    pipeline and memmap; memstress and usertests -q on memblock; with full,
    the whole usertests on bootmem (the RAM disk filled, fsfull)."""
    cases = []
    for alloc in ALLOCS:
        checks = [("typeahead", check_typeahead), ("board", lambda m, a=alloc: check_board(m, a)),
                  ("pipes", check_pipes), ("memmap", lambda m, a=alloc: check_memmap(m, a))]
        if alloc == "memblock":
            checks += [("memstress", check_memstress),
                       ("usertests -q", lambda m: check_usertests(m, True)), ("after", check_after)]
        cases.append(("sifive_u-%s" % alloc, alloc, "128M", 5, checks))
    if full:
        cases.append(("sifive_u-bootmem-full", "bootmem", "128M", 5,
                      [("harts", lambda m: check_harts(m, 4)),
                       ("usertests", lambda m: check_usertests(m, False)), ("after", check_after)]))
    return cases


def boot_cases(full, numa, matrix):
    """(name, alloc, mem, cpus, [(check name, function)][, extra QEMU
    arguments]) for each boot; mem is QEMU's -m, or ("numa", per-node size,
    cpus) for two NUMA nodes."""
    cases = []
    for alloc in ALLOCS:
        checks = commands(alloc) + [("memstress", check_memstress),
                                    ("usertests -q", lambda m: check_usertests(m, True)),
                                    ("after", check_after)]
        cases.append(("%s" % alloc, alloc, "128M", 3, [("typeahead", check_typeahead)] + checks))
    cases.append(("memblock-2G", "memblock", "2G", 3,
                  [("free", check_free), ("memmap", lambda m: check_memmap(m, "memblock")),
                   ("xv6check", check_xv6check), ("memstress", check_memstress),
                   ("pipes", check_pipes)]))
    if numa:
        for cpus in (2, 3):
            cases.append(("memblock-numa-cpus%d" % cpus, "memblock", ("numa", "128M", cpus), cpus,
                          [("free", lambda m: check_free(m, 2)),
                           ("memmap", lambda m: check_memmap(m, "memblock")),
                           # The disk is on node 1's PLIC, which QEMU 7.2
                           # wires wrongly (kernel/plic.c): a completion that
                           # is never delivered hangs these.
                           ("disk", lambda m: check_usertests(m, True, "usertests smallfile bigfile",
                                                                  COMMAND_DEADLINE)),
                           ("memstress", check_memstress)]))
    # Without Sstc the ticks come through SBI set_timer instead of stimecmp.
    cases.append(("bump-nosstc", "bump", "128M", 2,
                  [("timer", lambda m: check_timer(m, "sbi")),
                   ("timer tests", lambda m: check_usertests(
                       m, True, "usertests sleepneg uptimeticks preempt killsleep fpregs")),
                   ("pipes", check_pipes)], ["-cpu", "rv64,sstc=off"]))
    cases[0][4].insert(0, ("timer", lambda m: check_timer(m, "sstc")))
    for alloc in ALLOCS:
        for cpus in (1, 2, 4):
            cases.append(("%s-cpus%d" % (alloc, cpus), alloc, "128M", cpus,
                          [("harts", lambda m, c=cpus: check_harts(m, c)),
                           ("pipes", check_pipes), ("forktest/stressfs", check_programs)]))
    # The most harts the kernel takes (NCPU): all come online and the
    # scheduler-heavy usertests pass.
    cases.append(("memblock-cpus8", "memblock", "128M", 8,
                  [("harts", lambda m: check_harts(m, 8)), ("forktest/stressfs", check_programs),
                   ("scheduler tests", lambda m: check_usertests(
                       m, True, "usertests preempt fpregs manychildren killrace concreate"))]))
    if full:
        # The default ALLOC at the default harts, and the other two at the
        # extremes of the usual range (--matrix runs all twelve).
        for alloc, cpus, name in (("memblock", 3, "memblock-cpus3-full"),
                                  ("bump", 1, "bump-cpus1-full"),
                                  ("bootmem", 4, "bootmem-cpus4-full")):
            cases.append((name, alloc, "128M", cpus,
                          [("harts", lambda m, c=cpus: check_harts(m, c)),
                           ("usertests", lambda m: check_usertests(m, False)),
                           ("after", check_after)]))
    if matrix:
        done = {c[0] for c in cases}
        for alloc in ALLOCS:
            for cpus in (1, 2, 3, 4):
                if "%s-cpus%d-full" % (alloc, cpus) in done:
                    continue
                cases.append(("%s-cpus%d-full" % (alloc, cpus), alloc, "128M", cpus,
                              [("harts", lambda m, c=cpus: check_harts(m, c)),
                               ("usertests", lambda m: check_usertests(m, False)),
                               ("after", check_after)]))
    return cases


def main(argv):
    full = "--full" in argv
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    board = argv[argv.index("--board") + 1] if "--board" in argv else "virt"
    if board == "sifive_u":
        cases = sifive_u_cases(full)
    elif board == "virt":
        cases = boot_cases(full, "--numa" in argv, "--matrix" in argv)
    else:
        print("shelltest.py: --board %s: the boards are virt and sifive_u" % board)
        return 2
    if "--list" in argv:
        for name, _, _, _, checks, *_ in cases:
            for cname, _ in checks:
                print("%s: %s" % (name, cname))
        return 0
    passed = failed = 0
    built = {}
    for name, alloc, mem, cpus, checks, *extra in cases:
        checks = [(c, f) for c, f in checks if not only or only in "%s: %s" % (name, c)]
        if not checks:
            continue
        if alloc not in built:
            built[alloc] = boottest.build(alloc, disk=True)
        ok, output = built[alloc]
        if not ok:
            print("FAIL %s: build failed\n%s" % (name, tail(output)))
            failed += len(checks)
            continue
        typeahead = TYPEAHEAD if any(c == "typeahead" for c, _ in checks) else None
        m = Machine(alloc, mem=mem, cpus=cpus, log_name=name, extra=extra[0] if extra else (),
                    typeahead=typeahead, board=board)
        try:
            try:
                m.boot()
            except Failure as e:
                print("FAIL %s: boot: %s" % (name, e))
                failed += len(checks)
                continue
            dead = None
            for cname, fn in checks:
                label = "%s: %s" % (name, cname)
                if dead:
                    print("FAIL %s: not run (%s)" % (label, dead))
                    failed += 1
                    continue
                t0 = time.monotonic()
                try:
                    fn(m)
                    print("ok   %s (%.1fs)" % (label, time.monotonic() - t0))
                    passed += 1
                except Failure as e:
                    print("FAIL %s: %s" % (label, e))
                    failed += 1
                    if m.exited() or "panic" in str(e) or "within" in str(e):
                        dead = "the machine is gone or stuck"
                sys.stdout.flush()
        finally:
            m.close()
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
