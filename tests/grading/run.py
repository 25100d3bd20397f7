#!/usr/bin/python3
"""Tests of the grader itself (part of make test).

For every lab: the reference grades 100%; its handout is cut, builds,
boots with another ALLOC (or, for a lab whose code every kernel runs,
stops at its stub there too), and grades 0 without the grader failing. Then a
class of ten submissions (tests/grading/submissions/*.txt: forged output,
edited tests, a hang, a panic, a flood, a fork bomb, a correct-but-one,
a submission that #includes the reference; and the reference, the starter,
as folder, tarball and zip) is graded by grade-class, each must get the
score it deserves, and a resumed run regrades nothing. The Gradescope zip
runs in a simulated /autograder. Last, the mutants (mutants.py).

Everything runs in a private copy of the staff tree, unreadable to the
sandbox user, as on a real grading machine. Ends with "N passed, N failed".
While working on the grader: GRADERTEST_LABS="buddy compare" tests those
labs only, GRADERTEST_NO_MUTANTS=1 skips the mutants (make test sets
neither).
"""
import csv
import json
import re
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "grading"))
sys.path.insert(0, HERE)
from lib import gradelib, handout, labs, sandbox  # noqa: E402
import patch  # noqa: E402

PY = "/usr/bin/python3"
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + what, flush=True)
    else:
        failed += 1
        print("FAIL " + what + ("\n     " + detail.replace("\n", "\n     ") if detail else ""), flush=True)


def run(cmd, cwd, timeout=900, env=None):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                       env=env or dict(os.environ))
    return r.returncode, r.stdout + r.stderr


def staff_copy(dest):
    """The staff tree as a grading machine has it: private to its owner."""
    for f in handout.tracked_files(ROOT):
        os.makedirs(os.path.join(dest, os.path.dirname(f)), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, f), os.path.join(dest, f))
    cache = os.path.join(ROOT, ".cache", "libfdt")
    if os.path.isdir(cache):
        shutil.copytree(cache, os.path.join(dest, ".cache", "libfdt"))
    subprocess.run(["chmod", "-R", "go-rwx", dest], check=True)


def grade_json(staff, args, cwd=None):
    out = tempfile.mktemp(suffix=".json")
    code, text = run([PY, os.path.join(staff, "grading/grade")] + args + ["--quiet", "--json", out], cwd or staff)
    data = json.load(open(out)) if os.path.exists(out) else None
    return data, text


def failures(data, text):
    """What a check on a grading run shows when it fails: each test that
    lost points, with what it said, then the end of the grader's output."""
    lost = ["%s: %s %s/%s: %s\n%s" % (t["name"], t["status"], t["score"], t["max"], t["message"],
                                      t.get("detail", "")[-1500:])
            for t in (data or {}).get("tests", []) if t["score"] != t["max"]]
    return "\n".join(["seed %s" % (data or {}).get("seed")] + lost + [text[-1500:]])


def per_lab(staff, tmp, lab):
    ref, text = grade_json(staff, ["--lab", lab.name])
    check(ref and ref["score"] == ref["max"], "lab %s: the reference scores %s" %
          (lab.name, "%d/%d" % (ref["score"], ref["max"]) if ref else "nothing"), failures(ref, text))
    starter = os.path.join(tmp, "starter-" + lab.name)
    code, text = run([PY, os.path.join(staff, "grading/handout"), "--lab", lab.name, "--out", starter], staff)
    check(code == 0 and os.path.isfile(os.path.join(starter, "grading/MANIFEST.sha256")),
          "lab %s: the handout is cut" % lab.name, text)
    hidden = os.path.join(starter, "lab", lab.folder, "hidden")
    check(not os.path.exists(hidden) and not os.path.exists(os.path.join(starter, "tests/grading")),
          "lab %s: the handout has no hidden tests and no grader self-tests" % lab.name)
    shutil.copytree(os.path.join(staff, ".cache"), os.path.join(starter, ".cache"))
    alloc = lab.alloc or "memblock"
    other = next(a for a in ("memblock", "bump", "bootmem") if a != alloc)
    code, text = run(["make", "-s", "-C", starter, "ALLOC=" + other, "O=build/other", "build/other/kernel.elf"], starter)
    check(code == 0, "lab %s: the starter builds (ALLOC=%s)" % (lab.name, other), text[-1500:])
    code, text = run(["timeout", "120", "qemu-system-riscv64", "-machine", "virt", "-bios",
                      "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin", "-kernel",
                      os.path.join(starter, "build/other/kernel.elf"), "-m", "128M", "-smp", "1",
                      "-nographic", "-no-reboot", "-append", "halt"], starter)
    if lab.meta.get("every_kernel"):
        # The lab's code is in every kernel (lab.json: every_kernel), so no
        # ALLOC boots past it: the other ALLOC's kernel must stop at its stub.
        check(code == 1 and "lab %s: " % lab.name in text and "is not written yet" in text,
              "lab %s: every kernel needs it: the starter's ALLOC=%s kernel stops at its stub" % (lab.name, other),
              text[-800:])
    else:
        check(code == 0 and "@acct" in text, "lab %s: the starter boots with ALLOC=%s" % (lab.name, other),
              text[-800:])
    data, text = grade_json(starter, ["--lab", lab.name], cwd=starter)
    errors = [t for t in (data or {}).get("tests", []) if t["status"] == "error"]
    check(data is not None and data["score"] == 0 and not errors,
          "lab %s: the starter grades 0 (%s), with no grader error" % (lab.name, data and "%d/%d" % (data["score"], data["max"])),
          text[-1500:] + json.dumps(errors)[:1500])
    if lab.meta.get("kernel_untouched"):       # its tests may fail before they build a kernel
        run(["make", "-s", "-C", starter, "ALLOC=" + alloc, "O=build/grade-" + alloc,
             "build/grade-%s/kernel.elf" % alloc], starter)
    code, text = run(["timeout", "120", "qemu-system-riscv64", "-machine", "virt", "-bios",
                      "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin", "-kernel",
                      os.path.join(starter, "build/grade-%s/kernel.elf" % alloc), "-m", "128M", "-smp", "1",
                      "-nographic", "-no-reboot", "-append", "halt"], starter)
    if lab.meta.get("kernel_untouched"):
        # A lab that cuts no kernel code (lab.json: kernel_untouched): its
        # starter's kernel is the reference's and must boot.
        check(code == 0 and "@acct" in text and "is not written yet" not in text,
              "lab %s: no kernel code is cut: the starter's ALLOC=%s kernel boots" % (lab.name, alloc),
              text[-800:])
    else:
        check(code == 1 and "panic: " in text and "lab %s: " % lab.name in text and "is not written yet" in text,
              "lab %s: the starter's ALLOC=%s kernel stops at the first stub, exit status 1" % (lab.name, alloc),
              text[-800:])
    # A student who edits the grader is told so by make grade.
    with open(os.path.join(starter, "lab", lab.folder, "grade.py"), "a") as f:
        f.write("# edited\n")
    code, text = run([PY, os.path.join(starter, "grading/grade"), "--lab", lab.name, "--only", "no test has this name"],
                     starter)
    check("differ from the handout: lab/%s/grade.py" % lab.folder in text,
          "lab %s: make grade in a starter warns that a test file was edited" % lab.name, text[-800:])
    # ... and that the record of them is gone, if the manifest is deleted
    # (without it the tree must not pass for the staff's).
    manifest = os.path.join(starter, handout.MANIFEST)
    os.rename(manifest, manifest + ".away")
    code, text = run([PY, os.path.join(starter, "grading/grade"), "--lab", lab.name, "--only", "no test has this name"],
                     starter)
    os.rename(manifest + ".away", manifest)
    check("grading/MANIFEST.sha256, the handout's record of the grader and test files, is missing" in text,
          "lab %s: make grade in a starter without its manifest says so, and is still a student's" % lab.name,
          text[-800:])
    stub = [t for t in (data or {}).get("tests", []) if "is not written yet" in t["message"]]
    check(len(stub) == len((data or {}).get("tests", [1])),
          "lab %s: every failing test of the starter says what to write" % lab.name,
          "\n".join(t["name"] + ": " + t["message"] for t in (data or {}).get("tests", []) if t not in stub))
    return starter, ref["max"] if ref else 0


def submission_tree(staff, starter, spec, dest):
    """A student's repository: the starter with spec's hunks applied, on the
    reference's file when spec says base: reference."""
    shutil.copytree(starter, dest, ignore=shutil.ignore_patterns(".git", "build", ".cache"))
    desc, keys, hunks = patch.parse(open(spec).read())
    if keys.get("base") == "reference":
        shutil.copyfile(os.path.join(staff, "mm/bootmem.c"), os.path.join(dest, "mm/bootmem.c"))
    patch.apply(dest, hunks)
    return desc, keys


def expected(keys, lab_max, qemu_points):
    e = keys["expect"]
    if e == "full-qemu":
        return lab_max - qemu_points
    if e.startswith("full-"):
        return lab_max - int(e[5:])
    if e == "full":
        return lab_max
    return None if e == "partial" else int(e)


def class_test(staff, starter, tmp, lab, lab_max):
    cls = os.path.join(tmp, "class")
    os.makedirs(cls)
    want = {}
    specs = sorted(f for f in os.listdir(os.path.join(HERE, "submissions")) if f.endswith(".txt"))
    qemu_points = sum(t.points for t in gradelib.load_lab(staff, lab.name, hidden_from=staff).tests if t.kind == "qemu")
    for f in specs:
        name = f[:-4]
        try:
            desc, keys = submission_tree(staff, starter, os.path.join(HERE, "submissions", f), os.path.join(cls, name))
        except patch.PatchError as e:
            check(False, "submission %s applies to the starter" % name, str(e))
            shutil.rmtree(os.path.join(cls, name), ignore_errors=True)
            continue
        want[name] = (expected(keys, lab_max, qemu_points), keys, desc)
    # The reference as a folder, the starter as a tarball, a cheat that
    # includes the staff's reference, and a correct-but-one as a zip.
    shutil.copytree(starter, os.path.join(cls, "reference"), ignore=shutil.ignore_patterns(".git", "build", ".cache"))
    shutil.copyfile(os.path.join(staff, "mm/bootmem.c"), os.path.join(cls, "reference/mm/bootmem.c"))
    want["reference"] = (lab_max, {}, "the reference solution")
    with tarfile.open(os.path.join(cls, "starter.tar.gz"), "w:gz") as t:
        t.add(os.path.join(starter, "mm"), arcname="starter/mm")
    want["starter"] = (0, {}, "the starter, as a tarball")
    # An archive with a path outside its folder: never extracted, 0, the
    # student's own fault, so not graded again on a resumed run.
    with tarfile.open(os.path.join(cls, "escapes.tar.gz"), "w:gz") as t:
        t.add(os.path.join(starter, "mm/bootmem.c"), arcname="../outside/mm/bootmem.c")
    want["escapes"] = (0, {"error": "outside its folder"}, "an archive with a path outside its folder")
    inc = os.path.join(cls, "includes-reference", "mm")
    os.makedirs(inc)
    with open(os.path.join(inc, "bootmem.c"), "w") as f:
        f.write('#include "%s/mm/bootmem.c"\n' % staff)
    want["includes-reference"] = (0, {}, "#includes the staff tree's reference")
    one = os.path.join(cls, "one-function")
    if "one-function" not in want:
        return
    with zipfile.ZipFile(os.path.join(cls, "zipped.zip"), "w") as z:
        z.write(os.path.join(one, "mm/bootmem.c"), "mm/bootmem.c")
    want["zipped"] = (None, want["one-function"][1], "the correct-but-one submission, as a zip")

    out = os.path.join(tmp, "grades")
    # grade-class's work folders go under gc_tmp, so that anything it leaves
    # running can be found by its command line.
    # (Beside tmp, not in it: the sandbox user must pass through to them.)
    gc_tmp = tempfile.mkdtemp(prefix="gradertest-work-")
    os.chmod(gc_tmp, 0o755)
    env = dict(os.environ, TMPDIR=gc_tmp)
    code, text = run([PY, os.path.join(staff, "grading/grade-class"), "--lab", lab.name, cls, "-j", "2",
                      "--out", out, "--seed", "1"], staff, timeout=3600, env=env)
    check(code == 0 and os.path.exists(os.path.join(out, "results.csv")),
          "grade-class graded %d submissions" % len(want), text[-2000:])
    print("     " + "\n     ".join(l for l in text.splitlines() if l.startswith("graded")))
    rows = {r["student"]: r for r in csv.DictReader(open(os.path.join(out, "results.csv")))} \
        if os.path.exists(os.path.join(out, "results.csv")) else {}
    for name, (score, keys, desc) in sorted(want.items()):
        r = rows.get(name)
        if r is None:
            check(False, "%s: in the CSV" % name)
            continue
        got = int(r["score"])
        if score is None:
            ok = 0 < got < lab_max and all(r.get(t) == "0" for t in keys.get("fails", "").split(";") if t)
        else:
            ok = got == score
        log = open(os.path.join(out, "logs", name + ".log")).read() if os.path.exists(os.path.join(out, "logs", name + ".log")) else ""
        for f in keys.get("ignored", "").split():
            ok = ok and f in log.splitlines()[0] if log else False
        ok = ok and keys.get("error", "") in r["error"]
        check(ok, "%s (%s): %d/%d, expected %s" % (name, desc, got, lab_max, score if score is not None else "partial"),
              log[:1500])
    check(set(rows) == set(want), "the CSV has one row per student and no others")
    # Resume: a finished student is not graded again; a missing one is, and
    # so is one whose grading hit a grader error (as if the grader had
    # failed on one test of the reference's last time: 0 points there).
    os.unlink(os.path.join(out, "json", "starter.json"))
    erred = os.path.join(out, "json", "reference.json")
    with open(erred) as f:
        before = json.load(f)
    broken = json.loads(json.dumps(before))
    broken["tests"][0].update(status="error", score=0)
    broken["score"] -= before["tests"][0]["score"]
    with open(erred, "w") as f:
        json.dump(broken, f)
    code, text = run([PY, os.path.join(staff, "grading/grade-class"), "--lab", lab.name, cls, "-j", "2",
                      "--out", out, "--seed", "1"], staff, env=env)
    with open(erred) as f:
        after = json.load(f)
    check(code == 0 and "%d graded before, 2 to grade (1 again: the grader failed on them before)"
          % (len(want) - 2) in text and after["score"] == before["score"] == lab_max and
          all(t["status"] == "pass" for t in after["tests"]),
          "a resumed grade-class grades what is missing, and again what the grader failed on",
          text[-800:])
    left = leftovers(gc_tmp)
    check(not left, "no process is left behind: none of a sandbox uid, no QEMU, gdb or test of a "
          "work folder", "; ".join(left[:5]))
    shutil.rmtree(gc_tmp, ignore_errors=True)


def leftovers(marker):
    """Processes still running that the grader started: any of a sandbox
    uid (sandbox.UID_BASE and up) and any whose command line
    names marker (QEMU's kernel, gdb's script, a host test: all in the work
    folders)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            uid = os.stat("/proc/" + pid).st_uid
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        if uid >= sandbox.UID_BASE or (marker in cmd and cmd):
            found.append("pid %s, uid %d: %s" % (pid, uid, cmd[:160]))
    return found


def review_test(staff, starter, tmp, lab):
    """A lab of answers, graded as a class of two: the reference answers,
    and a starter with one number right and one prose answer too short.
    The numbers decide the scores; review.md gathers the prose for a person."""
    cls, out = os.path.join(tmp, "answers-class"), os.path.join(tmp, "answers-grades")
    name = lab.files[0]
    for who, src in (("ann", staff), ("bob", starter)):
        os.makedirs(os.path.join(cls, who, os.path.dirname(name)))
        shutil.copyfile(os.path.join(src, name), os.path.join(cls, who, name))
    text = open(os.path.join(staff, name)).read()
    first = next(l for l in text.splitlines() if l.startswith("answer: "))
    bob = open(os.path.join(starter, name)).read()
    stubs = [l for l in bob.splitlines() if l.startswith("answer: (")]
    bob = bob.replace(stubs[0], first, 1).replace(stubs[-2], "answer: It is slower.", 1)
    with open(os.path.join(cls, "bob", name), "w") as f:
        f.write(bob)
    code, text = run([PY, os.path.join(staff, "grading/grade-class"), "--lab", lab.name, cls, "-j", "2",
                      "--out", out, "--seed", "1"], staff, timeout=1800)
    rows = {r["student"]: r for r in csv.DictReader(open(os.path.join(out, "results.csv")))} \
        if os.path.exists(os.path.join(out, "results.csv")) else {}
    got = {w: rows.get(w, {}).get("score") for w in ("ann", "bob")}
    first_points = gradelib.load_lab(staff, lab.name).tests[0].points
    check(code == 0 and got == {"ann": "100", "bob": str(first_points)},
          "lab %s: a class of two scores ann 100 (the reference's answers) and bob %d (one number right): %s"
          % (lab.name, first_points, got), text[-1500:])
    review = open(os.path.join(out, "review.md")).read() if os.path.exists(os.path.join(out, "review.md")) else ""
    prose = [t.name for t in gradelib.load_lab(staff, lab.name).tests if t.points == 0]
    words = " ".join(first_prose_answer(os.path.join(staff, name)).split()[:6])
    bob_first = review.split("### bob", 1)[-1].split("##", 1)[0]
    check(prose and all("## " + p in review for p in prose) and review.count("### ann") == len(prose)
          and review.count("### bob") == len(prose) and words and words in review
          and "(no answer: " in bob_first and "It is slower." not in bob_first,
          "lab %s: review.md holds each student's answer to each of the %d prose questions, "
          "and says why bob's first is missing" % (lab.name, len(prose)), review[:1500])


def junit_test(staff, lab):
    """--junit of the reference: one testcase a test, no failure, and each
    prose answer as skipped (a person grades it)."""
    import xml.etree.ElementTree as ET
    out = tempfile.mktemp(suffix=".xml")
    code, text = run([PY, os.path.join(staff, "grading/grade"), "--lab", lab.name, "--quiet", "--junit", out], staff)
    try:
        root = ET.parse(out).getroot()
    except (OSError, ET.ParseError) as e:
        check(False, "lab %s: --junit writes XML" % lab.name, "%s\n%s" % (e, text[-800:]))
        return
    tests = gradelib.load_lab(staff, lab.name, hidden_from=staff).tests
    cases = root.findall("testcase")
    skipped = [c.get("name") for c in cases if c.find("skipped") is not None]
    bad = [c.get("name") for c in cases if c.find("failure") is not None or c.find("error") is not None]
    check(len(cases) == len(tests) and not bad and sorted(skipped) == sorted(t.name for t in tests if t.points == 0),
          "lab %s: --junit: %d testcases, none failed, the prose answers skipped (%d)" % (lab.name, len(cases),
                                                                                         len(skipped)),
          ET.tostring(root, encoding="unicode")[:1500])


def first_prose_answer(path):
    """The first answer in an answers file longer than one line."""
    for part in open(path).read().split("\nanswer:")[1:]:
        lines = [l for l in part.split("<!--")[0].strip().splitlines() if l.strip()]
        if len(lines) > 1:
            return " ".join(lines)
    return ""


def gradescope_test(staff, tmp, lab, lab_max):
    ag = os.path.join(tmp, "autograder")
    zpath = os.path.join(tmp, "gs.zip")
    code, text = run([PY, os.path.join(staff, "grading/gradescope"), "--lab", lab.name, "--out", zpath], staff)
    check(code == 0, "make gradescope LAB=%s builds the zip" % lab.name, text)
    # As Gradescope does: unzip, which keeps the files' modes.
    os.makedirs(os.path.join(ag, "source"))
    code, text = run(["unzip", "-q", zpath, "-d", os.path.join(ag, "source")], tmp)
    check(code == 0, "the zip unpacks", text)
    # No .cache: setup.sh must extract libfdt itself, as on Gradescope.
    env = dict(os.environ, AUTOGRADER=ag)
    code, text = run(["sh", os.path.join(ag, "source/setup.sh")], ag, env=env)
    check(code == 0, "setup.sh runs in a simulated /autograder", text[-1500:])
    os.makedirs(os.path.join(ag, "submission/mm"))
    shutil.copyfile(os.path.join(staff, "mm/bootmem.c"), os.path.join(ag, "submission/mm/bootmem.c"))
    code, text = run(["sh", os.path.join(ag, "source/run_autograder")], ag, env=env)
    path = os.path.join(ag, "results/results.json")
    res = json.load(open(path)) if os.path.exists(path) else {}
    problems = schema_problems(res)
    check(code == 0 and not problems, "run_autograder writes a results.json in Gradescope's schema",
          "; ".join(problems) + text[-1500:])
    check(res.get("score") == lab_max, "the reference scores %s/%d on Gradescope" % (res.get("score"), lab_max))
    check(any(t.get("visibility") == "after_due_date" for t in res.get("tests", [])),
          "hidden tests are shown after the due date")


def answers_test(staff, lab):
    """grading/answers on the staff tree: with three answers made wrong
    (one off by one after a capitalised "Answer:", one not a plain number,
    one another address) it names all three and exits 1; --write puts back
    what the grader measures, which is the reference's, byte for byte."""
    path = os.path.join(staff, "lab", lab.folder, "answers.md")
    with open(path) as f:
        good = f.read()
    wrong = good
    for was, now in ((r"^answer: 9$", "Answer: 10"), (r"^answer: (\d+)$", r"answer: \1 pages"),
                     (r"^answer: 0x[0-9a-f]+$", "answer: 0x80000000")):
        wrong = re.sub(was, now, wrong, count=1, flags=re.M)
    try:
        with open(path, "w") as f:
            f.write(wrong)
        code, text = run([PY, os.path.join(staff, "grading/answers"), "--lab", lab.name], staff)
        refused = [l.split()[0] for l in text.splitlines() if l.startswith("Q") and "refused" in l]
        check(code == 1 and refused == ["Q1a", "Q1b", "Q4"], "lab %s: grading/answers names the three wrong answers (%s)"
              % (lab.name, " ".join(refused)), text[-1500:])
        code, text = run([PY, os.path.join(staff, "grading/answers"), "--lab", lab.name, "--write"], staff)
        with open(path) as f:
            check(code == 0 and f.read() == good and wrong != good,
                  "lab %s: grading/answers --write puts back the reference's answers" % lab.name, text[-1500:])
    finally:
        with open(path, "w") as f:
            f.write(good)


def workflow_test(starter, lab):
    """The GitHub Classroom workflow the handout carries: valid YAML, run on
    push in debian:12, a checkout and a make grade step. That step, run as
    GitHub runs a bash step (bash -eo pipefail), writes the table into the
    job summary and succeeds; with a make that fails, it fails, and what
    make said is still in the summary."""
    import yaml
    try:
        with open(os.path.join(starter, ".github/workflows/grade.yml")) as f:
            wf = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        check(False, "lab %s: the handout's workflow parses" % lab.name, str(e))
        return
    job = (wf.get("jobs") or {}).get("grade") or {}
    steps = job.get("steps") or []
    on = wf.get(True, wf.get("on")) or []      # YAML 1.1 reads the key "on" as true
    step = next((s for s in steps if "make grade" in s.get("run", "")), None)
    check("push" in on and job.get("container") == "debian:12" and step and step.get("shell") == "bash" and
          any(s.get("uses", "").startswith("actions/checkout@") for s in steps),
          "lab %s: the handout's workflow runs on push in debian:12, checks out, runs make grade" % lab.name,
          json.dumps(wf, default=str)[:800])
    if not step:
        return
    shim = os.path.join(starter, "broken-bin")
    os.makedirs(shim)
    with open(os.path.join(shim, "make"), "w") as f:
        f.write("#!/bin/sh\necho make is broken here >&2\nexit 2\n")
    os.chmod(os.path.join(shim, "make"), 0o755)
    for broken in (False, True):
        summary = os.path.join(starter, "summary.md")
        for f in (summary, os.path.join(starter, "grade.txt")):
            if os.path.exists(f):
                os.unlink(f)
        env = dict(os.environ, GITHUB_STEP_SUMMARY=summary)
        if broken:
            env["PATH"] = shim + ":" + env["PATH"]
        code, text = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], starter,
                         env=env)
        got = open(summary).read() if os.path.exists(summary) else ""
        if broken:
            check(code != 0 and "make is broken here" in got,
                  "lab %s: the workflow's step fails when make grade fails, and the summary says why "
                  "(exit %d)" % (lab.name, code), got[-500:] + text[-500:])
        else:
            check(code == 0 and got.startswith("```") and re.search(r"^0 of \d+ points", got, re.M),
                  "lab %s: the workflow's step puts make grade's table in the job summary (exit %d)"
                  % (lab.name, code), got[-800:] + text[-800:])


def seed_test():
    """The grader's machines come from the seed alone: the same seed gives
    the same machine, byte for byte of its DTB, and 40 seeds between them
    draw what the issue asks for: 1 and 2 NUMA nodes, 1 to 4 harts, banks
    with holes, no-map, plain and reusable reservations and /memreserve/
    entries."""
    from lib import machine
    same, seen = True, {"nodes": set(), "cpus": set(), "kinds": set(), "holes": False}
    dts = set()
    for seed in range(1, 41):
        a, b = machine.generate(seed), machine.generate(seed)
        same = same and a.to_json() == b.to_json() and a.dtb == b.dtb and len(a.dtb) > 0
        dts.add(a.dts)
        seen["nodes"].add(a.nodes)
        seen["cpus"].add(a.cpus)
        seen["kinds"].update(r[2] for r in a.reservations)
        seen["holes"] = seen["holes"] or len(a.banks) > a.nodes
    check(same, "a seed gives the same machine twice, to the byte of its DTB")
    check(len(dts) == 40, "40 seeds give 40 different machines (%d)" % len(dts))
    want = {"nodes": {1, 2}, "cpus": {1, 2, 3, 4}, "kinds": set(machine.KINDS) | {"memreserve"}}
    check(all(want[k] <= seen[k] for k in want) and seen["holes"],
          "40 seeds draw 1-2 nodes, 1-4 harts, holes, every kind of reservation: %s"
          % {k: sorted(v) if isinstance(v, set) else v for k, v in seen.items()})


def calibration_test(staff):
    """Timeouts follow the machine: the grader times a fixed QEMU payload
    and scales every deadline by how much slower than its baseline it ran.
    Told that the baseline was 10 ms, it must scale up a lot; never below 1."""
    factors = []
    for baseline in ("0.01", None):
        env = dict(os.environ)
        if baseline:
            env["GRADE_CALIBRATION_BASELINE"] = baseline
        code, text = run([PY, os.path.join(staff, "grading/grade"), "--lab", "bootmem", "--only",
                          "no test has this name"], staff, env=env)
        m = re.search(r"timeouts x([0-9.]+)", text)
        factors.append(float(m.group(1)) if m else None)
    check(factors[0] is not None and factors[1] is not None and factors[0] > 5 and factors[1] >= 1.0,
          "timeouts scale with the calibration run: x%s against a 10 ms baseline, x%s against the real one"
          % tuple(factors))


def schema_problems(res):
    """Gradescope's results.json: score, execution_time, output, tests[]."""
    p = []
    for key, kind in (("score", (int, float)), ("execution_time", (int, float)), ("output", str), ("tests", list)):
        if not isinstance(res.get(key), kind):
            p.append("%s missing or not %s" % (key, kind))
    for t in res.get("tests", []):
        for key, kind in (("name", str), ("score", (int, float)), ("max_score", (int, float)), ("output", str)):
            if not isinstance(t.get(key), kind):
                p.append("test %r: %s" % (t.get("name"), key))
        if t.get("visibility") not in ("visible", "hidden", "after_due_date", "after_published"):
            p.append("test %r: visibility %r" % (t.get("name"), t.get("visibility")))
    if sum(t.get("score", 0) for t in res.get("tests", [])) != res.get("score"):
        p.append("the tests' scores do not add up to the score")
    return p


def main():
    tmp = tempfile.mkdtemp(prefix="gradertest-")
    os.chmod(tmp, 0o700)
    staff = os.path.join(tmp, "staff")
    try:
        staff_copy(staff)
        seed_test()
        calibration_test(staff)
        only = os.environ.get("GRADERTEST_LABS", "").split()   # a developer's shortcut: these labs only
        for lab in [l for l in labs.all_labs(staff) if not only or l.name in only]:
            starter, lab_max = per_lab(staff, tmp, lab)
            if lab.name == "bootmem":
                class_test(staff, starter, tmp, lab, lab_max)
                gradescope_test(staff, tmp, lab, lab_max)
                workflow_test(starter, lab)
            if lab.name == "tour":
                answers_test(staff, lab)
            if lab.name == "compare":
                review_test(staff, starter, tmp, lab)
                junit_test(staff, lab)
        if os.environ.get("GRADERTEST_NO_MUTANTS"):
            print("skip mutants: GRADERTEST_NO_MUTANTS is set")
        else:
            for lab in [l for l in labs.all_labs(staff) if not only or l.name in only]:
                if os.path.isdir(os.path.join(HERE, "mutants", lab.name)):
                    mutants(staff, lab.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


def mutants(staff, lab):
    """Each mutant the grader kills is a pass (mutants.py's own count)."""
    global passed, failed
    code, text = run([PY, os.path.join(HERE, "mutants.py"), "--lab", lab, "--staff", staff, "--fast"], staff,
                     timeout=3600)
    print("     lab %s mutants: " % lab + "\n     ".join(l for l in text.splitlines()
                                                         if "kill rate" in l or "wall time" in l or
                                                         l.startswith(("SURVIVED", "BROKEN", "ERROR", "BAD"))))
    last = text.strip().splitlines()[-1] if text.strip() else ""
    if last.endswith(" failed") and " passed, " in last:
        p, f = last.split(" passed, ")
        passed += int(p)
        failed += int(f.split()[0])
    else:
        check(False, "mutants.py ran", text[-1500:])


if __name__ == "__main__":
    main()
