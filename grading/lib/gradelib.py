"""The grading engine: how a lab declares its tests, and how one tree is
graded.

A lab's grade.py declares each test with one decorator, as in the MIT
labs' gradelib:

    lab = gradelib.current_lab()

    @lab.test(points=5, name="bitmap size", section=1, timeout=20)
    def bitmap_size(t):
        out = t.host("bytes 65")
        t.expect_eq(out.one("bytes"), "bytes 16 pages 1", "bootmap_bytes(65)")

A test passes when its function returns and fails when it raises
TestFailure (t.fail, t.expect_eq, ...): the verdict is always reached here,
from what the grader observed, never from what the submission printed about
itself. Anything else a test raises is the grader's own error, reported as
such (and the test scores 0).
"""
import importlib.util
import os
import shutil
import sys
import tempfile
import time
import traceback

from . import labs, sandbox

_current = None


class TestFailure(Exception):
    """The submission did something wrong; the message says what."""

    def __init__(self, message, detail=""):
        super().__init__(message)
        self.detail = detail


class TestReview(Exception):
    """Not for the grader to judge: a person grades it (a prose answer).
    The message says so; detail is what they are to read."""

    def __init__(self, message, detail=""):
        super().__init__(message)
        self.detail = detail


class Test:
    def __init__(self, fn, name, points, timeout, section, kind, hidden):
        self.fn, self.name, self.points = fn, name, points
        self.timeout, self.section, self.kind, self.hidden = timeout, section, kind, hidden
        self.id = fn.__name__


class Lab:
    """The tests of one lab, as its grade.py (and hidden/grade.py) declare them."""

    def __init__(self, info):
        self.info = info
        self.tests = []
        self._hidden = False

    def test(self, points, name, section=None, timeout=20, kind="host"):
        """Declares a test: kind "host" (host driver, seconds) or "qemu"
        (boots, slower; run after every host test)."""
        def register(fn):
            if any(t.name == name for t in self.tests):
                raise ValueError("two tests are called %r" % name)
            self.tests.append(Test(fn, name, points, timeout, section, kind, self._hidden))
            return fn
        return register

    def max_points(self):
        return sum(t.points for t in self.tests)


def current_lab():
    """The Lab whose grade.py is being loaded."""
    if _current is None:
        raise RuntimeError("grade.py is loaded by the grader (grading/grade), not run by itself")
    return _current


def _load(lab, path):
    global _current
    spec = importlib.util.spec_from_file_location("grade_%s_%d" % (lab.info.name, len(lab.tests)), path)
    module = importlib.util.module_from_spec(spec)
    _current = lab
    # A lab's grade.py may import modules of its own folder (give them
    # names no other lab uses: bump_model.py, not model.py).
    sys.path.insert(0, lab.info.dir)
    try:
        spec.loader.exec_module(module)
    finally:
        _current = None
        sys.path.remove(lab.info.dir)


def load_lab(root, name, hidden_from=None):
    """The Lab called name, its public tests from root's lab folder and,
    when hidden_from (a staff tree) is given, its hidden tests from there."""
    info = labs.find_lab(root, name)
    lab = Lab(info)
    _load(lab, os.path.join(info.dir, "grade.py"))
    if hidden_from:
        hidden = os.path.join(labs.find_lab(hidden_from, name).hidden_dir(), "grade.py")
        if os.path.exists(hidden):
            lab._hidden = True
            _load(lab, hidden)
    return lab


class Result:
    def __init__(self, test, status, message="", detail="", seconds=0.0):
        self.test, self.status, self.message = test, status, message
        self.detail, self.seconds = detail, seconds
        self.score = test.points if status == "pass" else 0


class Lines(list):
    """A transcript's lines of one kind. A missing one reads as None, so a
    short or forged transcript fails the check that looks for it instead
    of crashing the test."""

    def __getitem__(self, i):
        if isinstance(i, int) and not -len(self) <= i < len(self):
            return None
        return super().__getitem__(i)


class Transcript:
    """What a host driver printed, with how it ended."""

    def __init__(self, outcome):
        self.outcome = outcome
        self.lines = outcome.output.splitlines()
        self.complete = bool(self.lines) and self.lines[-1] == "driver: end" and outcome.status == "ok"

    def all(self, prefix):
        return Lines(l for l in self.lines if l.split(" ", 1)[0] == prefix)

    def one(self, prefix, n=0):
        got = self.all(prefix)
        return got[n] if n < len(got) else None

    def asserts(self):
        return [l for l in self.lines if l.startswith("assert: ")]


def kernel_image_name(end_aligned):
    """The Makefile's kernel image: kernel.elf, or kernel-end-aligned.elf
    (the same objects with _end rounded up to END_ALIGN, 1 MiB)."""
    return "kernel-end-aligned.elf" if end_aligned else "kernel.elf"


class Session:
    """The grading of one tree. tree holds the code being graded; staff_root
    is the grader's own tree (it has the reference solution), or None in a
    student's tree; untrusted: run the submission's code as the sandbox
    user (staff grading)."""

    def __init__(self, lab, tree, staff_root=None, untrusted=False, seed=None, scale=1.0,
                 workdir=None, log=None):
        self.lab, self.tree, self.staff_root = lab, tree, staff_root
        self.untrusted, self.scale = untrusted, scale
        self.seed = seed if seed is not None else int.from_bytes(os.urandom(4), "little")
        self.workdir = workdir or tempfile.mkdtemp(prefix="grade-")
        os.chmod(self.workdir, 0o755)
        self.log = log or (lambda line: None)
        self._built = {}
        self.measured = {}        # question: (figure, tolerance, what), from answers.expect_close
        self.measuring = False    # grading/answers: measure every figure, whatever the answers say

    # ---- building ----------------------------------------------------------
    def run(self, cmd, cwd, timeout, stdin_path=None, env=None, **limits):
        """Runs the submission's code (a build or a test) in the sandbox;
        timeout is already scaled. In a student's own tree it runs as the
        student."""
        return sandbox.run(cmd, cwd=cwd, timeout=timeout, stdin_path=stdin_path, env=env,
                           drop=self.untrusted, **limits)

    def host_driver(self, which="student", lab=None):
        """Builds the lab's host driver against the student's sources (or,
        which="reference", the staff tree's) with ASan and UBSan; returns
        its path. lab: another lab's driver and sources (a LabInfo; a
        measurement lab uses the allocator labs' drivers). A build failure
        is the submission's: TestFailure."""
        info = lab or self.lab.info
        key = which if lab is None else "%s-%s" % (which, info.folder)
        if key in self._built:
            return self._result(key)
        src_root = self.tree if which == "student" else self.staff_root
        if src_root is None:
            raise TestFailure("the reference is not in this tree (staff grading only)")
        out_dir = os.path.join(self.workdir, "host-" + key)
        os.makedirs(out_dir, exist_ok=True)
        if self.untrusted:
            sandbox.give_to_sandbox(out_dir)
        exe = os.path.join(out_dir, "driver")
        srcs = [os.path.join(self.tree, "lab", info.folder, "driver.c"),
                os.path.join(self.tree, "grading/host/harness.c")]
        srcs += [os.path.join(src_root, s) for s in info.meta.get("host_sources", info.files)]
        cmd = ["cc", "-g", "-O1", "-std=gnu11", "-Wall", "-Wno-unused-parameter",
               "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
               "-fno-omit-frame-pointer", "-I" + os.path.join(self.tree, "grading/host"),
               "-o", exe] + srcs
        # The reference is the staff's own code: built as the grader, since
        # the sandbox user must not be able to read it.
        o = self.run(cmd, cwd=out_dir, timeout=120 * self.scale) if which == "student" else \
            sandbox.run(cmd, cwd=out_dir, timeout=120 * self.scale, drop=False)
        if o.status != "ok":
            self._built[key] = TestFailure("the host build failed: " + first_error(o.output), o.tail(20))
        else:
            self._built[key] = exe
        return self._result(key)

    def _result(self, key):
        r = self._built[key]
        if isinstance(r, TestFailure):
            raise r
        return r

    def kernel(self, alloc=None, end_aligned=False):
        """Builds build/grade-ALLOC/kernel.elf in the tree being graded;
        returns its path. end_aligned: kernel-end-aligned.elf instead, the
        same objects linked with the image's end rounded up to 1 MiB (the
        Makefile's END_ALIGN), for comparisons with the reference. A build
        failure: TestFailure."""
        alloc = alloc or self.lab.info.alloc
        image = kernel_image_name(end_aligned)
        key = "%s-%s" % (image, alloc)
        if key in self._built:
            return self._result(key)
        outdir = "build/grade-" + alloc
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": self.workdir}
        o = self.run(["make", "-s", "-j2", "-C", self.tree, "O=" + outdir, "ALLOC=" + alloc,
                      outdir + "/" + image], cwd=self.tree, timeout=300 * self.scale, env=env)
        if o.status != "ok":
            self._built[key] = TestFailure("the kernel build (ALLOC=%s) failed: %s"
                                           % (alloc, first_error(o.output)), o.tail(20))
        else:
            self._built[key] = os.path.join(self.tree, outdir, image)
        return self._result(key)

    def fs_image(self):
        """Builds the file system image (the user programs and mkfs, none of
        which a lab lets a student change) in the tree being graded; returns
        its path. A build failure: TestFailure."""
        if "fs" not in self._built:
            env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": self.workdir}
            o = self.run(["make", "-s", "-j2", "-C", self.tree, "O=build/grade-fs", "build/grade-fs/fs.img"],
                         cwd=self.tree, timeout=300 * self.scale, env=env)
            self._built["fs"] = os.path.join(self.tree, "build/grade-fs/fs.img") if o.status == "ok" else \
                TestFailure("the file system image does not build: " + first_error(o.output), o.tail(20))
        return self._result("fs")

    def reference_kernel(self, alloc=None, end_aligned=False):
        """The staff tree's own kernel for alloc (the reference solution),
        built once under a lock, since parallel graders share it;
        end_aligned as for kernel()."""
        import fcntl
        if self.staff_root is None:
            raise TestFailure("the reference is not in this tree (staff grading only)")
        alloc = alloc or self.lab.info.alloc
        outdir = "build/grade-reference-" + alloc
        image = kernel_image_name(end_aligned)
        with open(os.path.join(self.staff_root, "build", ".grade-reference.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            r = sandbox.run(["make", "-s", "-j2", "-C", self.staff_root, "O=" + outdir, "ALLOC=" + alloc,
                             outdir + "/" + image], cwd=self.staff_root, timeout=600, drop=False,
                            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        if r.status != "ok":
            raise RuntimeError("the reference kernel does not build: " + r.tail(5))
        return os.path.join(self.staff_root, outdir, image)


class Context:
    """What a test function gets: its session and its deadline."""

    def __init__(self, session, test):
        self.session, self.test = session, test
        self.seed = session.seed
        self.deadline = time.monotonic() + test.timeout * session.scale
        self.notes = []

    def left(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TestFailure("ran out of time (%.0f s)" % (self.test.timeout * self.session.scale))
        return left

    def host(self, script, which="student", lab=None):
        """Runs the host driver on script (lines of commands); returns a
        Transcript. A crash, sanitizer report, hang or flood fails the test.
        lab: the driver of another lab (its name), with that lab's sources."""
        exe = self.session.host_driver(which, lab and labs.find_lab(self.session.tree, lab))
        path = os.path.join(self.session.workdir, "script-%s.txt" % self.test.id)
        with open(path, "w") as f:
            f.write(script if script.endswith("\n") else script + "\n")
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
               "ASAN_OPTIONS": "detect_leaks=0:hard_rss_limit_mb=512:abort_on_error=0",
               "UBSAN_OPTIONS": "print_stacktrace=1"}
        left = self.left()
        # One process is all a driver needs (ASan's symbolizer is a second).
        if which == "student":
            o = self.session.run([exe], os.path.dirname(exe), left, path, env, nproc=16, nice=15)
        else:
            o = sandbox.run([exe], cwd=os.path.dirname(exe), timeout=left, stdin_path=path, env=env, drop=False)
        t = Transcript(o)
        if not t.complete:
            why = o.why() or "stopped before the end of the script"
            san = [l for l in t.lines if "Sanitizer" in l or "runtime error" in l]
            raise TestFailure("the host test %s%s" % (why, ": " + san[0].strip() if san else ""), o.tail(15))
        return t

    def fail(self, message, detail=""):
        raise TestFailure(message, detail)

    def check(self, cond, message, detail=""):
        if not cond:
            raise TestFailure(message, detail)

    def expect_eq(self, got, want, what):
        if got != want:
            raise TestFailure("%s: expected %s, got %s" % (what, want, got))

    def expect_seq(self, got, want, what):
        """got and want are lists of the same length and equal item by
        item (a zip would let a short transcript pass)."""
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                label = what[i] if isinstance(what, list) else "%s, item %d" % (what, i + 1)
                raise TestFailure("%s: expected %s, got %s" % (label, w, g))
        if len(got) != len(want):
            raise TestFailure("%s: expected %d results, got %d" % (what if isinstance(what, str) else what[0],
                                                                  len(want), len(got)))

    def reject_stubs(self, out):
        """Fails on a starter stub that fired in out: its message says what
        to write and where the handout explains it."""
        for line in out.asserts():
            if "is not written yet" in line:
                raise TestFailure(line[len("assert: "):].rsplit(" (", 1)[0])

    def note(self, line):
        self.notes.append(line)

    def review(self, message, detail=""):
        """Hands the test to a person (status "review", 0 points)."""
        raise TestReview(message, detail)


def first_error(output):
    for line in output.splitlines():
        if "error" in line.lower():
            return line.strip()[:200]
    lines = output.strip().splitlines()
    return lines[-1][:200] if lines else "(no output)"


def run_tests(session, tests, progress=None, stop_at_failure=False):
    """Runs tests (host ones first), each to a verdict; returns Results.
    stop_at_failure: stop after the first test that does not pass (the
    mutation tests only ask whether anything fails)."""
    ordered = [t for t in tests if t.kind == "host"] + [t for t in tests if t.kind != "host"]
    results = []
    for test in ordered:
        ctx = Context(session, test)
        start = time.monotonic()
        try:
            test.fn(ctx)
            r = Result(test, "pass", "; ".join(ctx.notes))
        except TestFailure as e:
            r = Result(test, "fail", str(e), e.detail)
        except TestReview as e:
            r = Result(test, "review", str(e), e.detail)
        except Exception:
            r = Result(test, "error", "grader error (not your fault; tell the course staff)",
                       traceback.format_exc())
        r.seconds = time.monotonic() - start
        session.log("%s %s: %s %s" % (r.status.upper(), test.name, r.message, r.detail))
        results.append(r)
        if progress:
            progress(r)
        if stop_at_failure and r.status not in ("pass", "review"):
            break
    return results


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    sys.exit("gradelib is a library; run grading/grade")
