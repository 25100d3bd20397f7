#!/usr/bin/python3
"""How many typical student mistakes the grader catches (mutation testing).

  tests/grading/mutants.py --lab bootmem [-j N] [--only NAME] [--seed S] [--staff TREE]

Each tests/grading/mutants/NN-name.txt (mutants/LAB/NN-name.txt for a lab
that has such a folder) is one mistake, written against the reference
solution in the staff tree:

    --- a one-line description
    <<<            (or "<<< path"; the default is the lab's first file, mm/bootmem.c)
    whole lines of the reference that occur exactly once
    ===
    the lines that replace them (none: they are deleted)
    >>>

with as many hunks as the mistake needs. A hunk that does not apply stops
the run. Each mutant is graded as staff grade a submission (a tarball of the
lab's files; `grading/grade --lab LAB SUB --quiet --json OUT --seed S`, one
seed so that results repeat) and is killed when it scores below the maximum;
BROKEN when its build fails (a mutant must compile with -Werror to say
anything about the tests). The unchanged reference must score the maximum.

Prints one line per mutant, the kill rate, the wall time, and last
"N passed, N failed": a killed mutant passes; a survivor, a broken mutant or
one the grader could not grade (ERROR) fails.
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
sys.path.insert(0, HERE)
import patch  # noqa: E402
ROOT = os.path.dirname(os.path.dirname(HERE))
PY = "/usr/bin/python3"


class MutantError(Exception):
    pass


def parse(path, default_file):
    """(description, [(file, old, new)]) of one mutant file (patch.py's format)."""
    with open(path) as f:
        desc, _, hunks = patch.parse(f.read(), default_file)
    if not desc or not hunks:
        raise MutantError("%s: needs a --- description and at least one hunk" % path)
    return desc, hunks


def apply(tree, hunks, where):
    try:
        patch.apply(tree, hunks)
    except patch.PatchError as e:
        raise MutantError("%s: %s" % (where, e))


def lab_files(staff, lab):
    for folder in sorted(os.listdir(os.path.join(staff, "lab"))):
        meta = os.path.join(staff, "lab", folder, "lab.json")
        if os.path.isfile(meta):
            with open(meta) as f:
                info = json.load(f)
            if lab in (info["name"], folder):
                return info["files"]
    raise MutantError("no lab %r in %s" % (lab, staff))


def copy_files(staff, files, dest):
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(dest, f)), exist_ok=True)
        shutil.copyfile(os.path.join(staff, f), os.path.join(dest, f))
    return dest


def grade(staff, lab, files, name, hunks, seed, tmp, fast=False):
    """Grades the reference with hunks applied; returns the --json result."""
    work = os.path.join(tmp, name)
    top = copy_files(staff, files, os.path.join(work, "submission"))
    apply(top, hunks, name)
    # A tarball whose one top folder holds the files: the form submission.fetch documents.
    tar = os.path.join(work, "submission.tar")
    with tarfile.open(tar, "w") as t:
        t.add(top, arcname="submission")
    out = os.path.join(work, "result.json")
    r = subprocess.run([PY, os.path.join(staff, "grading", "grade"), "--lab", lab, tar, "--quiet",
                        "--json", out, "--seed", str(seed)] + (["--first-failure"] if fast else []),
                       cwd=staff, capture_output=True, text=True)
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
    failing = [t for t in res["tests"] if t["status"] not in ("pass", "review")]
    if any("build" in t["message"] and "failed" in t["message"] for t in failing):
        return "BROKEN", [t["message"][:120] for t in failing if "build" in t["message"]][:1]
    names = [t["name"] for t in failing]
    more = ["+%d more" % (len(names) - 3)] if len(names) > 3 else []
    return ("killed" if res["score"] < res["max"] else "SURVIVED"), names[:3] + more


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lab", required=True)
    ap.add_argument("-j", type=int, default=2, help="mutants graded at once (default 2)")
    ap.add_argument("--only", help="only mutants whose file name contains this")
    ap.add_argument("--seed", type=int, default=1, help="the grader's seed (default 1)")
    ap.add_argument("--staff", default=ROOT, help="the staff tree to grade with (default this one)")
    ap.add_argument("--mutants", help="folder of NN-name.txt (default mutants/LAB/)")
    ap.add_argument("--fast", action="store_true",
                    help="stop grading a mutant at its first failing test (make test's way)")
    a = ap.parse_args()
    start = time.monotonic()
    staff = os.path.abspath(a.staff)
    a.mutants = a.mutants or os.path.join(HERE, "mutants", a.lab)
    try:
        files = lab_files(staff, a.lab)
        names = sorted(n[:-4] for n in os.listdir(a.mutants) if n.endswith(".txt"))
        names = [n for n in names if not a.only or a.only in n]
        mutants = {n: parse(os.path.join(a.mutants, n + ".txt"), files[0]) for n in names}
        if not mutants:
            raise MutantError("no mutants in %s match" % a.mutants)
        with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
            for n, (_, hunks) in mutants.items():      # every hunk applies, before any grading
                apply(copy_files(staff, files, os.path.join(tmp, "probe")), hunks, n)
                shutil.rmtree(os.path.join(tmp, "probe"))
            print("lab %s: %d mutants, seed %d, -j %d" % (a.lab, len(mutants), a.seed, a.j), flush=True)
            with concurrent.futures.ThreadPoolExecutor(max(1, a.j)) as pool:
                ref = pool.submit(grade, staff, a.lab, files, "reference", [], a.seed, tmp)
                jobs = {n: pool.submit(grade, staff, a.lab, files, n, hunks, a.seed, tmp, a.fast)
                        for n, (_, hunks) in mutants.items()}
                try:
                    base = ref.result()
                except MutantError:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
                ok_ref = base["score"] == base["max"]
                print("%-8s %-34s %d/%d%s" % ("ok" if ok_ref else "BAD", "reference", base["score"], base["max"],
                                              "" if ok_ref else "  (must be full marks)"), flush=True)
                killed = broken = 0
                for n, job in jobs.items():
                    try:
                        res = job.result()
                    except MutantError as e:     # the grader itself failed: say so, go on
                        print("ERROR    %-34s %s" % (n, str(e).replace("\n", " | ")[:600]), flush=True)
                        continue
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
