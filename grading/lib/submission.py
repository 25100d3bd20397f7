"""Taking a submission in and building the tree it is graded in.

A submission is a folder, a tarball or zip, or a git repository (a path or
URL). It is graded in a fresh tree cut from the pristine handout, with only
the lab's whitelisted files copied in from the submission: everything else
the submission changed is listed in a warning and ignored."""
import filecmp
import hashlib
import os
import shutil
import subprocess
import tarfile
import zipfile

from . import handout

SKIP_DIRS = {".git", "build", ".cache"}


class SubmissionError(Exception):
    pass


# grading/grade's exit status for a submission it could not read (a
# SubmissionError): the student's fault, which grade-class does not retry.
UNREADABLE_EXIT = 3


def _safe_members(names, dest):
    root = os.path.realpath(dest)
    for n in names:
        p = os.path.realpath(os.path.join(dest, n))
        if p != root and not p.startswith(root + os.sep):
            raise SubmissionError("the archive has a path outside its folder: %s" % n)


def fetch(src, dest, files):
    """Puts the submission at src into the new folder dest; returns the
    folder that holds its files: dest, or the single folder an archive
    wraps them in (when files, the lab's whitelist, are found there)."""
    os.makedirs(dest)
    if os.path.isdir(src) and not os.path.isdir(os.path.join(src, ".git")):
        shutil.copytree(src, dest, dirs_exist_ok=True, symlinks=True,
                        ignore=lambda d, names: [n for n in names if n in SKIP_DIRS])
    elif os.path.isfile(src) and tarfile.is_tarfile(src):
        with tarfile.open(src) as tf:
            members = [m for m in tf.getmembers() if m.isfile() or m.isdir()]
            _safe_members([m.name for m in members], dest)
            tf.extractall(dest, members=members)
    elif os.path.isfile(src) and zipfile.is_zipfile(src):
        with zipfile.ZipFile(src) as zf:
            _safe_members(zf.namelist(), dest)
            zf.extractall(dest)
    else:
        r = subprocess.run(["git", "clone", "-q", "--depth", "1", src, dest + "/repo"],
                           capture_output=True, text=True, timeout=300,
                           env={"PATH": "/usr/bin:/bin", "GIT_TERMINAL_PROMPT": "0"})
        if r.returncode:
            raise SubmissionError("%s is not a folder, an archive or a git repository: %s"
                                  % (src, r.stderr.strip()[-200:]))
        return dest + "/repo"
    entries = [e for e in os.listdir(dest) if e not in SKIP_DIRS]
    if len(entries) == 1 and os.path.isdir(os.path.join(dest, entries[0])):
        inner = os.path.join(dest, entries[0])
        if not any(os.path.exists(os.path.join(dest, f)) for f in files) and \
           any(os.path.exists(os.path.join(inner, f)) for f in files):
            return inner
    return dest


def _files(root):
    out = set()
    for d, subdirs, names in os.walk(root):
        subdirs[:] = [s for s in subdirs if s not in SKIP_DIRS]
        out.update(os.path.relpath(os.path.join(d, n), root) for n in names)
    return out


def assemble(staff_root, lab, sub, tree):
    """Cuts the pristine starter of lab into tree and copies in the
    whitelisted files from sub. Returns (files taken, files ignored)."""
    handout.make(staff_root, [lab.info.name], tree, staff=False, git=False)
    cache = os.path.join(staff_root, ".cache", "libfdt")
    if os.path.isdir(cache):
        shutil.copytree(cache, os.path.join(tree, ".cache", "libfdt"))
    taken = []
    for f in lab.info.files:
        src = os.path.join(sub, f)
        if os.path.isfile(src) and not os.path.islink(src):
            shutil.copyfile(src, os.path.join(tree, f))
            taken.append(f)
    ignored = []
    for f in sorted(_files(sub) - set(lab.info.files)):
        mine = os.path.join(tree, f)
        if f == handout.MANIFEST or f.startswith(".github/"):
            continue
        if not os.path.isfile(mine) or not filecmp.cmp(mine, os.path.join(sub, f), shallow=False):
            ignored.append(f)
    return taken, ignored


def manifest_problems(tree):
    """In a student's own tree: the grader and test files that differ from
    the hashes the handout recorded (edited, or missing)."""
    path = os.path.join(tree, handout.MANIFEST)
    if not os.path.exists(path):
        return None                     # the staff tree: nothing to check against
    bad = []
    with open(path) as f:
        for line in f:
            digest, name = line.rstrip("\n").split("  ", 1)
            p = os.path.join(tree, name)
            if not os.path.isfile(p):
                bad.append(name + " (missing)")
                continue
            with open(p, "rb") as g:
                if hashlib.sha256(g.read()).hexdigest() != digest:
                    bad.append(name)
    return bad
