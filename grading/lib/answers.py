"""What the labs of answers share (00-tour, 05-compare): reading a lab's
answers.md, checking a numeric answer against a figure the grader measured,
and measuring a kernel's @ records from a boot.

answers.md has one "## Qn ..." section a question; its answer starts after
"answer:" and runs to the next heading. In a starter the answer is the stub
that grading/lib/cut.py writes, "(yours; see ...)"."""
import os
import re
import subprocess

from .gradelib import TestFailure

NUMBER = re.compile(r"^[+-]?(\d[\d,_]*|0x[0-9a-fA-F_]+)(\.\d+)?$")
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"


def parse(text):
    """{"Q1": "text", ...}; marker comments are left out."""
    out, name, body = {}, None, None
    for line in text.splitlines():
        m = re.match(r"^##\s+(Q\d+[a-z]?)\b", line)
        if m:
            name, body = m.group(1), None
        elif name and body is None and line.lower().startswith("answer:"):
            body = [line[len("answer:"):].strip()]
            out[name] = body
        elif name and body is not None and not re.match(r"^\s*<!--.*-->\s*$", line):
            body.append(line)
    return {k: "\n".join(v).strip() for k, v in out.items()}


def answer(t, q, section):
    """The answer to q in the graded tree's answers.md; fails when it is
    missing or still the starter's stub."""
    info = t.session.lab.info
    path = os.path.join(t.session.tree, "lab", info.folder, "answers.md")
    if not os.path.isfile(path):
        raise TestFailure("lab/%s/answers.md is missing" % info.folder)
    with open(path, errors="replace") as f:
        a = parse(f.read()).get(q, "")
    if not a or a.startswith("(yours;"):
        if t.session.measuring:
            return "(none)"           # grading/answers measures it anyway
        raise TestFailure("lab %s: %s is not written yet; see %s §%d" % (info.name, q, info.handout, section))
    return a


def to_number(text):
    """A plain number as answers.md has it (decimal or 0x hex, with , or _
    allowed between digits); ValueError for anything else."""
    a = text.strip()
    if not NUMBER.match(a):
        raise ValueError(a)
    a = a.replace(",", "").replace("_", "")
    return int(a, 16) if a.lower().startswith(("0x", "-0x", "+0x")) else float(a)


def number(t, q, section):
    """q's answer as a number. One that is not fails the test, but while
    grading/answers measures (session.measuring) it is NaN, so that the
    figure is measured anyway."""
    a = answer(t, q, section).splitlines()[0].strip()
    try:
        return to_number(a)
    except ValueError:
        if t.session.measuring:
            return float("nan")
        raise TestFailure("%s: %r is not a plain number (digits, a decimal point or 0x, no units); see §%d"
                          % (q, a, section)) from None


def expect_close(t, q, section, measured, rel, what):
    """The answer to q must be within rel (a fraction) of measured. The
    message never says the measured value. The figure is kept in
    t.session.measured for grading/answers, which rewrites the reference's."""
    t.session.measured[q] = (measured, rel, what)
    got = number(t, q, section)
    if abs(got - measured) > rel * abs(measured):
        raise TestFailure("%s: %s is not within %s of what the grader measured for %s; see §%d"
                          % (q, answer(t, q, section).splitlines()[0],
                             "%g%%" % (100 * rel) if rel else "0 (exact)", what, section))


def prose(t, q, section, words=15):
    """Hands a prose answer to a person (status review, 0 points)."""
    text = answer(t, q, section)
    if len(text.split()) < words:
        raise TestFailure("%s: write at least a few sentences (%d words); see §%d" % (q, len(text.split()), section))
    t.review("%s: for a person to grade (0 automatic points)" % q, text)


_boots = {}


def boot_records(t, alloc, mem, cpus=1, icount=True):
    """The @ records of a boot of the graded tree's kernel with halt:
    {(kind, sub): {key: value}} (the first of each). QEMU runs as the
    grader, as for every boot (guest.py): the kernel stays inside the
    emulated machine."""
    elf = t.session.kernel(alloc)
    key = (elf, mem, cpus, icount)
    if key not in _boots:
        cmd = ["qemu-system-riscv64", "-machine", "virt", "-m", mem, "-smp", str(cpus), "-bios", FIRMWARE,
               "-kernel", elf, "-nographic", "-no-reboot", "-append", "halt"]
        try:
            o = subprocess.run(cmd + (["-icount", "shift=0"] if icount else []), capture_output=True, text=True,
                               stdin=subprocess.DEVNULL, timeout=max(5, min(t.left(), 120 * t.session.scale)))
        except subprocess.TimeoutExpired:
            raise RuntimeError("the measurement boot (ALLOC=%s, -m %s) did not end" % (alloc, mem))
        recs = {}
        for line in o.stdout.splitlines():
            if line.startswith("@"):
                words = line[1:].split()
                sub = words[1] if len(words) > 1 and "=" not in words[1] else ""
                recs.setdefault((words[0], sub), dict(w.split("=", 1) for w in words if "=" in w))
        if o.returncode or ("handoff", "") not in recs or \
                (icount and recs.get(("boot", ""), {}).get("instret_exact") != "1"):
            raise RuntimeError("the measurement boot (ALLOC=%s, -m %s) failed (exit %d): %s"
                               % (alloc, mem, o.returncode, (o.stdout + o.stderr)[-500:]))
        _boots[key] = recs
    return _boots[key]
