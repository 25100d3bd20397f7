"""Writing a student's repository from the reference tree: the files git
tracks, with the chosen labs' solution regions cut (cut.py), without the
hidden tests and the grader's own test submissions, plus a manifest of the
grader's and the tests' hashes, a GitHub Classroom workflow and a fresh git
history. A staff handout (staff=True) keeps the hidden tests: it is what
the grader builds submissions in."""
import hashlib
import os
import shutil
import subprocess

from . import cut, labs

# Never in a handout: the grader's self-tests hold mutants of the reference
# (the solution) and the project's CI script is the staff's.
STAFF_ONLY = ("tests/grading/", ".ci/")
MANIFEST = "grading/MANIFEST.sha256"
WORKFLOW_SRC = "grading/templates/github-classroom.yml"
WORKFLOW_DST = ".github/workflows/grade.yml"


def is_staff_tree(root):
    """The reference tree (and the Gradescope bundle made from it) has the
    hidden tests and no handout manifest; a student's handout has the
    manifest, and never hidden tests, even with the manifest deleted."""
    hidden = any(os.path.isdir(lab.hidden_dir()) for lab in labs.all_labs(root))
    return hidden and not os.path.exists(os.path.join(root, MANIFEST))


def tracked_files(root):
    """The files of the tree: what git tracks or would (not ignored) in a
    checkout, else a walk
    that skips build output and caches. In a git worktree .git is a file
    that points to the repository: it counts as a checkout, and the file is
    never listed (a copy of it would make `git init` in a handout commit to
    that repository)."""
    if os.path.exists(os.path.join(root, ".git")):
        r = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], capture_output=True, check=True)
        return sorted(p for p in r.stdout.decode().split("\0")
                      if p and os.path.isfile(os.path.join(root, p)))
    files = []
    for d, subdirs, names in os.walk(root):
        rel = os.path.relpath(d, root)
        subdirs[:] = [s for s in subdirs if not (rel == "." and s in ("build", ".cache", ".git"))]
        files += [os.path.normpath(os.path.join(rel, n)) for n in names if not (rel == "." and n == ".git")]
    return sorted(files)


def protected(path, whitelist):
    """Is path a file the grader relies on (grader, tests, lab definitions,
    the Makefile whose grade target runs it) rather than one a student may
    change?"""
    if path in whitelist or path == MANIFEST:
        return False
    return path.startswith("grading/") or path == "Makefile" or \
        (path.startswith("lab/") and not path.endswith("README.md"))


def write_manifest(out, files, whitelist):
    lines = []
    for p in files:
        if protected(p, whitelist):
            with open(os.path.join(out, p), "rb") as f:
                lines.append("%s  %s\n" % (hashlib.sha256(f.read()).hexdigest(), p))
    with open(os.path.join(out, MANIFEST), "w") as f:
        f.writelines(lines)


def make(root, lab_names, out, staff=False, git=True):
    """Writes the handout of lab_names ("all" or a list) from the tree at
    root into out, which must not exist or be empty. Returns a summary
    dict: the labs cut, regions cut, files written."""
    every = labs.all_labs(root)
    folders = {l.name: l.folder for l in every}
    chosen = every if lab_names == "all" else [labs.find_lab(root, n) for n in lab_names]
    names = {l.name for l in chosen}
    if os.path.exists(out) and os.listdir(out):
        raise labs.LabError("%s exists and is not empty" % out)
    os.makedirs(out, exist_ok=True)

    hidden = [] if staff else ["lab/%s/hidden/" % l.folder for l in every]
    files = [p for p in tracked_files(root)
             if not p.startswith(STAFF_ONLY + tuple(hidden))]
    regions = 0
    for p in files:
        src, dst = os.path.join(root, p), os.path.join(out, p)
        os.makedirs(os.path.dirname(dst) or out, exist_ok=True)
        if p.endswith(cut.MARKED_SUFFIXES):
            with open(src) as f:
                text = f.read()
            if cut.labs_marked(text, p):
                text, n = cut.cut_text(text, p, names, folders)
                regions += n
            with open(dst, "w") as f:
                f.write(text)
            shutil.copymode(src, dst)
        else:
            shutil.copy2(src, dst)

    wf = os.path.join(root, WORKFLOW_SRC)
    if os.path.exists(wf):
        os.makedirs(os.path.join(out, os.path.dirname(WORKFLOW_DST)), exist_ok=True)
        with open(wf) as f:
            text = f.read().replace("@LABS@", " ".join(l.name for l in chosen))
        with open(os.path.join(out, WORKFLOW_DST), "w") as f:
            f.write(text)
        files.append(WORKFLOW_DST)
    whitelist = {f for l in every for f in l.files}
    write_manifest(out, files, whitelist)

    if git and shutil.which("git"):
        env = dict(os.environ, GIT_AUTHOR_NAME="course staff", GIT_AUTHOR_EMAIL="staff@localhost",
                   GIT_COMMITTER_NAME="course staff", GIT_COMMITTER_EMAIL="staff@localhost")
        for cmd in (["init", "-q", "-b", "main"], ["add", "-A"],
                    ["commit", "-q", "-m", "Starter for lab %s" % ", ".join(sorted(names))]):
            subprocess.run(["git", "-C", out] + cmd, check=True, env=env, capture_output=True)
    return {"labs": sorted(names), "regions": regions, "files": len(files) + 1}
