"""The format of the grader's test submissions and mutants: a text file
with a description, optional "key: value" lines, and search/replace hunks.

    --- what this submission does
    expect: full-15
    <<< mm/bootmem.c          (the path may be left out: mm/bootmem.c)
    text that occurs exactly once
    ===
    what replaces it
    >>>
"""
import os

DEFAULT_PATH = "mm/bootmem.c"


class PatchError(Exception):
    pass


def parse(text, default_path=DEFAULT_PATH):
    """Returns (description, {key: value}, [(path, old, new)]); a hunk that
    names no file is on default_path."""
    desc, keys, hunks = "", {}, []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\n")
        if line.startswith("--- ") and not desc:
            desc = line[4:].strip()
        elif line.startswith("<<<"):
            path = line[3:].strip() or default_path
            j = i + 1
            while j < len(lines) and lines[j].rstrip("\n") != "===":
                j += 1
            k = j + 1
            while k < len(lines) and lines[k].rstrip("\n") != ">>>":
                k += 1
            if k >= len(lines):
                raise PatchError("a hunk without === and >>> after line %d" % (i + 1))
            hunks.append((path, "".join(lines[i + 1:j]), "".join(lines[j + 1:k])))
            i = k
        elif ":" in line and not hunks:
            key, value = line.split(":", 1)
            keys[key.strip()] = value.strip()
        i += 1
    return desc, keys, hunks


def apply(root, hunks):
    """Applies hunks to the files under root; each old text must occur
    exactly once."""
    for path, old, new in hunks:
        p = os.path.join(root, path)
        with open(p) as f:
            text = f.read()
        n = text.count(old)
        if n != 1:
            raise PatchError("%s: the text to replace occurs %d times:\n%s" % (path, n, old))
        with open(p, "w") as f:
            f.write(text.replace(old, new))
