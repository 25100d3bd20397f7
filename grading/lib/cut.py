"""Cutting a lab's solution out of the reference.

A solution region is marked in the reference with two comment lines:

    // lab bootmem §3            the lab, and the handout section to read
    ...the reference code...
    // lab end

An indented region is (part of) a function body: in the starter it becomes
a stub that fails with "lab bootmem: <function> is not written yet; see
lab/02-bootmem/README.md §3", then `return 0;` unless the function is void
or a return follows the region.
A region at column 0 holds whole helper functions: it becomes one comment
that says helpers go there. For a lab that is not being cut, only the two
marker lines go, and the code stays.

A user program's stub (a file under user/) prints that message and exits
with status 1 instead, since user code has no MM_ASSERT. In a device tree
(.dts) every region becomes a comment that says what to write there.

In a Markdown file (a lab's answers.md) the markers are HTML comments,
`<!-- lab compare §3 -->` and `<!-- lab end -->`, around an answer; the
region becomes `answer: (yours; see lab/05-compare/README.md §3)`.
"""
import re

BEGIN = re.compile(r"^(\s*)// lab (\S+) §(\d+)\s*$")
END = re.compile(r"^\s*// lab end\s*$")
MD_BEGIN = re.compile(r"^()<!-- lab (\S+) §(\d+) -->\s*$")
MD_END = re.compile(r"^<!-- lab end -->\s*$")
MARKED_SUFFIXES = (".c", ".h", ".S", ".md", ".dts")
ANSWER_STUB = "answer: (yours; see lab/%s/README.md §%s)"


def _markers(path):
    return (MD_BEGIN, MD_END) if path.endswith(".md") else (BEGIN, END)


class CutError(Exception):
    pass


def _function_header(out):
    """The name and whether it returns a value, of the function whose body
    the output has reached: the lines before the last column-0 "{"."""
    try:
        brace = max(i for i, l in enumerate(out) if l.rstrip("\n") == "{")
    except ValueError:
        raise CutError("an indented lab region outside any function")
    header = []
    for line in reversed(out[:brace]):
        if not line.strip() or line.lstrip().startswith("//") or line.startswith("}"):
            break
        header.insert(0, line.strip())
    text = " ".join(header)
    m = re.search(r"(\w+)\s*\(", text)
    if not m:
        raise CutError("cannot find the function name in %r" % text)
    rtype = text[:m.start()].replace("static", "").replace("inline", "").strip()
    # A stubbed static function may now have no caller left (its callers
    # are stubs too): say so to the compiler, in the starter only.
    first = brace - len(header)
    if out[first].startswith("static "):
        out[first] = out[first].replace("static ", "static __attribute__((unused)) ", 1)
    return m.group(1), rtype != "void"


def cut_text(text, path, cut, folders):
    """Returns text with the regions of the labs in cut (a set of names)
    replaced by stubs and every other lab's markers removed. folders maps a
    lab name to its folder ("bootmem" -> "02-bootmem"). Returns (new text,
    number of regions cut)."""
    BEGIN, END = _markers(path)
    lines = text.splitlines(keepends=True)
    out, ncut, i = [], 0, 0
    while i < len(lines):
        m = BEGIN.match(lines[i])
        if not m:
            if END.match(lines[i]):
                raise CutError("%s:%d: '// lab end' without a start" % (path, i + 1))
            out.append(lines[i])
            i += 1
            continue
        indent, lab, sec = m.groups()
        if lab not in folders:
            raise CutError("%s:%d: no lab called %r" % (path, i + 1, lab))
        j = i + 1
        while j < len(lines) and not END.match(lines[j]):
            if BEGIN.match(lines[j]):
                raise CutError("%s:%d: lab regions do not nest" % (path, j + 1))
            j += 1
        if j == len(lines):
            raise CutError("%s:%d: lab region without '// lab end'" % (path, i + 1))
        if lab not in cut:
            out.extend(lines[i + 1:j])
        elif path.endswith(".md"):
            out.append(ANSWER_STUB % (folders[lab], sec) + "\n")
            ncut += 1
        elif path.endswith(".dts"):
            out.append("%s// lab %s: this part is not written yet; see lab/%s/README.md §%s\n"
                       % (indent, lab, folders[lab], sec))
            ncut += 1
        elif indent:
            name, returns = _function_header(out)
            if path.startswith("user/"):
                out.append('%sfprintf(2, "lab %s: %s is not written yet; see lab/%s/README.md §%s\\n");\n'
                           '%sexit(1);\n' % (indent, lab, name, folders[lab], sec, indent))
            else:
                out.append('%sMM_ASSERT(0, "lab %s: %s is not written yet; see lab/%s/README.md §%s");\n'
                           % (indent, lab, name, folders[lab], sec))
            after = next((l.strip() for l in lines[j + 1:] if l.strip()), "")
            if returns and not after.startswith("return"):
                out.append("%sreturn 0;\n" % indent)
            ncut += 1
        else:
            out.append("// lab %s §%s: write the helpers you need here (lab/%s/README.md §%s)\n"
                       % (lab, sec, folders[lab], sec))
            ncut += 1
        i = j + 1
    return "".join(out), ncut


def labs_marked(text, path=".c"):
    """The names of the labs with regions in text (a file called path)."""
    begin = _markers(path)[0]
    return {m.group(2) for m in map(begin.match, text.splitlines()) if m}
