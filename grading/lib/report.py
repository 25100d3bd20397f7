"""What a grading run writes: the table a student reads (rich), Gradescope's
results.json, JUnit XML for CI systems, and the one-row summary the class
grader puts in its CSV."""
import json
import xml.etree.ElementTree as ET

from rich.console import Console
from rich.table import Table

MARK = {"pass": "[green]pass[/]", "fail": "[red]FAIL[/]", "error": "[magenta]ERROR[/]",
        "review": "[yellow]review[/]"}          # review: for a person to grade, 0 points


def total(results):
    return sum(r.score for r in results), sum(r.test.points for r in results)


def where(lab, r):
    return "%s §%s" % (lab.info.handout, r.test.section) if r.test.section else lab.info.handout


def table(lab, results, console=None, header=""):
    """Prints one row a test: name, points, verdict; under a failure, what
    was expected and what happened, and the handout section to read."""
    console = console or Console(highlight=False)
    t = Table(title=header or "lab %s: %s" % (lab.info.name, lab.info.title), title_justify="left",
              show_lines=False, expand=False)
    t.add_column("test", overflow="fold")
    t.add_column("§", justify="right")
    t.add_column("points", justify="right")
    t.add_column("result")
    for r in results:
        name = r.test.name + (" (hidden)" if r.test.hidden else "")
        t.add_row(name, str(r.test.section or ""), "%d/%d" % (r.score, r.test.points), MARK[r.status])
        if r.status != "pass":
            t.add_row("[dim]  %s[/]" % escape(r.message), "", "", "")
    got, most = total(results)
    t.add_row("[bold]total[/]", "", "[bold]%d/%d[/]" % (got, most), "[bold]%d%%[/]" % pct(got, most))
    t.caption = "§: the section of %s to read" % lab.info.handout
    t.caption_justify = "left"
    console.print(t)


def pct(got, most):
    return round(100 * got / most) if most else 0


def escape(text):
    return text.replace("[", "\\[")


def details(lab, results):
    """The long form of every failure (for the log): message, section,
    and what the test saw."""
    out = []
    for r in results:
        if r.status == "pass":
            continue
        out.append("== %s: %s (%s)" % (r.test.name, r.status, where(lab, r)))
        out.append(r.message)
        if r.detail:
            out.append(r.detail.rstrip())
    return "\n".join(out)


def gradescope(lab, results, seconds, preamble=""):
    """Gradescope's results.json: hidden tests are shown after the due date."""
    tests = []
    for r in results:
        text = "pass" if r.status == "pass" else "%s\nsee %s" % (r.message, where(lab, r))
        if r.status == "review":
            text = "%s\n\n%s" % (r.message, r.detail)
        elif r.status != "pass" and r.detail:
            text += "\n\n" + r.detail[-3000:]
        tests.append({"name": r.test.name, "score": r.score, "max_score": r.test.points,
                      "output": text, "visibility": "after_due_date" if r.test.hidden else "visible"})
    got, most = total(results)
    return {"score": got, "execution_time": round(seconds, 1),
            "output": (preamble + "\n" if preamble else "") + "lab %s: %d of %d points" % (lab.info.name, got, most),
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def junit(lab, results, seconds):
    """JUnit XML: one testsuite, one testcase a test."""
    got, most = total(results)
    fails = sum(r.status == "fail" for r in results)
    errors = sum(r.status == "error" for r in results)
    suite = ET.Element("testsuite", name="lab-" + lab.info.name, tests=str(len(results)),
                       failures=str(fails), errors=str(errors), time="%.1f" % seconds)
    for r in results:
        case = ET.SubElement(suite, "testcase", classname="lab." + lab.info.name, name=r.test.name,
                             time="%.1f" % r.seconds)
        if r.status == "review":
            ET.SubElement(case, "skipped", message=r.message)
        elif r.status != "pass":
            el = ET.SubElement(case, "failure" if r.status == "fail" else "error", message=r.message)
            el.text = r.detail
    ET.SubElement(suite, "system-out").text = "%d of %d points" % (got, most)
    return ET.tostring(suite, encoding="unicode")


def write_json(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
