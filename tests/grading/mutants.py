#!/usr/bin/python3
"""How many typical student mistakes the grader catches (mutation testing).

  tests/grading/mutants.py --lab bootmem [-j N] [--only NAME] [--seed S] [--staff TREE]

Each tests/grading/mutants/NN-name.txt is one mistake, written against the
reference solution in the staff tree:

    --- a one-line description
    <<<            (or "<<< path"; the default is the lab's first file, mm/bootmem.c)
    whole lines of the reference that occur exactly once
    ===
    the lines that replace them (none: they are deleted)
    >>>

with as many hunks as the mistake needs. A hunk that does not apply stops
the run. Each mutant is graded as staff grade a submission (a tarball with
the lab's files, `grading/grade --lab LAB SUB --quiet --json OUT --seed S`,
same seed every time so that results repeat). It is killed when it scores
below the maximum. A mutant whose kernel does not build is BROKEN: it must
compile with the kernel's -Werror, or it says nothing about the tests. The
unchanged reference is graded too, and must score the maximum.

Prints one line per mutant, the kill rate, the wall time, and last
"N passed, N failed": a killed mutant passes, a survivor or a broken one fails.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PY = "/usr/bin/python3"


class MutantError(Exception):
    pass


def parse(path, default_file):
    """(description, [(file, old, new)]) of one mutant file."""
    with open(path) as f:
        lines = f.read().splitlines(keepends=True)
    desc, hunks, i = "", [], 0
    while i < len(lines):
        line = lines[i].rstrip("\n")
        if line.startswith("--- ") and not desc:
            desc = line[4:].strip()
        elif line.startswith("<<<"):
            target = line[3:].strip() or default_file
            try:
                mid = next(j for j in range(i + 1, len(lines)) if lines[j].rstrip("\n") == "===")
                end = next(j for j in range(mid + 1, len(lines)) if lines[j].rstrip("\n") == ">>>")
            except StopIteration:
                raise MutantError("%s: the hunk at line %d has no === or no >>>" % (path, i + 1))
            hunks.append((target, "".join(lines[i + 1:mid]), "".join(lines[mid + 1:end])))
            i = end
        elif line.strip():
            raise MutantError("%s: line %d is not part of a hunk: %r" % (path, i + 1, line))
        i += 1
    if not desc or not hunks:
        raise MutantError("%s: needs a --- description and at least one hunk" % path)
    return desc, hunks


def apply(tree, hunks, where):
    """Applies hunks to the files under tree; every old text must occur exactly once."""
    for target, old, new in hunks:
        p = os.path.join(tree, target)
        with open(p) as f:
            text = f.read()
        n = text.count(old) if old else 0
        if n != 1:
            raise MutantError("%s: a hunk's old text occurs %d times in %s (must be once):\n%s"
                              % (where, n, target, old))
        with open(p, "w") as f:
            f.write(text.replace(old, new, 1))


def lab_files(staff, lab):
    for folder in sorted(os.listdir(os.path.join(staff, "lab"))):
        meta = os.path.join(staff, "lab", folder, "lab.json")
        if os.path.isfile(meta):
            with open(meta) as f:
                info = json.load(f)
            if lab in (info["name"], folder):
                return info["files"]
    raise MutantError("no lab %r in %s" % (lab, staff))


def grade(staff, lab, files, name, hunks, seed, tmp):
    """Grades the reference with hunks applied; returns the --json result."""
    work = os.path.join(tmp, name)
    top = os.path.join(work, "submission")
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(top, f)), exist_ok=True)
        shutil.copyfile(os.path.join(staff, f), os.path.join(top, f))
    apply(top, hunks, name)
    # A tarball whose one top folder holds the files: the form submission.fetch documents.
    tar = os.path.join(work, "submission.tar")
    with tarfile.open(tar, "w") as t:
        t.add(top, arcname="submission")
    out = os.path.join(work, "result.json")
    r = subprocess.run([PY, os.path.join(staff, "grading", "grade"), "--lab", lab, tar, "--quiet",
                        "--json", out, "--seed", str(seed)], cwd=staff, capture_output=True, text=True)
    if r.returncode or not os.path.exists(out):
        raise MutantError("%s: grading/grade failed (exit %d): %s" % (name, r.returncode,
                                                                      (r.stderr or r.stdout)[-800:]))
    with open(out) as f:
        res = json.load(f)
    if any("none of the files this lab grades" in w or "ignored:" in w for w in res["warnings"]):
        raise MutantError("%s: the grader did not take the submission's files: %s" % (name, res["warnings"]))
    return res


def verdict(res):
    """(status, failing test names): killed, SURVIVED or BROKEN."""
    failing = [t for t in res["tests"] if t["status"] != "pass"]
    if any("build" in t["message"] and "failed" in t["message"] for t in failing):
        return "BROKEN", [t["message"][:120] for t in failing if "build" in t["message"]][:1]
    return ("killed" if res["score"] < res["max"] else "SURVIVED"), [t["name"] for t in failing]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lab", required=True)
    ap.add_argument("-j", type=int, default=2, help="mutants graded at once (default 2)")
    ap.add_argument("--only", help="only mutants whose file name contains this")
    ap.add_argument("--seed", type=int, default=1, help="the grader's seed (default 1)")
    ap.add_argument("--staff", default=ROOT, help="the staff tree to grade with (default this one)")
    ap.add_argument("--mutants", default=os.path.join(HERE, "mutants"), help="folder of NN-name.txt")
    a = ap.parse_args()
    start = time.monotonic()
    staff = os.path.abspath(a.staff)
    try:
        files = lab_files(staff, a.lab)
        names = sorted(n[:-4] for n in os.listdir(a.mutants) if n.endswith(".txt"))
        names = [n for n in names if not a.only or a.only in n]
        mutants = {n: parse(os.path.join(a.mutants, n + ".txt"), files[0]) for n in names}
        with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
            for n, (_, hunks) in mutants.items():      # every hunk applies, before any grading
                probe = os.path.join(tmp, "probe")
                for f in files:
                    os.makedirs(os.path.dirname(os.path.join(probe, f)), exist_ok=True)
                    shutil.copyfile(os.path.join(staff, f), os.path.join(probe, f))
                apply(probe, hunks, n)
                shutil.rmtree(probe)
            if not mutants:
                raise MutantError("no mutants in %s match" % a.mutants)
            print("lab %s: %d mutants, seed %d, -j %d" % (a.lab, len(mutants), a.seed, a.j), flush=True)
            with concurrent.futures.ThreadPoolExecutor(max(1, a.j)) as pool:
                ref = pool.submit(grade, staff, a.lab, files, "reference", [], a.seed, tmp)
                jobs = {n: pool.submit(grade, staff, a.lab, files, n, hunks, a.seed, tmp)
                        for n, (_, hunks) in mutants.items()}
                base = ref.result()
                ok_ref = base["score"] == base["max"]
                print("%-8s %-34s %d/%d%s" % ("ok" if ok_ref else "BAD", "reference", base["score"],
                                              base["max"], "" if ok_ref else "  (must be full marks)"),
                      flush=True)
                killed = broken = 0
                for n, job in jobs.items():
                    res = job.result()
                    status, why = verdict(res)
                    killed += status == "killed"
                    broken += status == "BROKEN"
                    score = "%d/%d" % (res["score"], res["max"]) if status != "SURVIVED" else ""
                    print(("%-8s %-34s %-8s %s" % (status, n, score, "; ".join(why))).rstrip(), flush=True)
    except MutantError as e:
        sys.exit("mutants: %s" % e)
    total = len(mutants)
    print("kill rate: %d of %d (%d%%)%s" % (killed, total, round(100 * killed / total),
                                           ", %d broken" % broken if broken else ""))
    print("wall time: %.0f s with -j %d" % (time.monotonic() - start, a.j))
    failed = total - killed + (not ok_ref)
    print("%d passed, %d failed" % (killed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
