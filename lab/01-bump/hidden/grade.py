"""Lab bump: hidden tests. They live only in the staff tree (grading/handout
strips them from a student's repository) and run when staff grade, with the
reference solution of the staff tree as the oracle: the same random script
must give the same transcript line for line, and the same machine must give
the same buddy free lists."""
import random

from lib import gradelib, bootcheck
import bump_model

lab = gradelib.current_lab()


def comparable(out):
    # An assert's file:line differs between any two files; its message and
    # the fact that it fired must not.
    return [l.rsplit(" (", 1)[0] if l.startswith("assert: ") else l for l in out.lines]


@lab.test(points=10, name="random scripts give exactly the reference's results", section=3, timeout=90)
def same_as_reference(t):
    rng = random.Random(t.seed ^ 0xb0b)
    for n in range(12):
        script, _ = bump_model.random_script(rng)
        mine, ref = comparable(t.host(script)), comparable(t.host(script, which="reference"))
        for i, (a, b) in enumerate(zip(mine, ref)):
            if a != b:
                t.fail("script %d (seed %d), line %d: the reference gives %r, yours %r"
                       % (n, t.seed, i + 1, b, a), script)
        t.expect_eq(len(mine), len(ref), "script %d: lines of results" % n)


@lab.test(points=5, name="the buddy free lists after boot equal the reference's", section=5,
          timeout=240, kind="qemu")
def same_free_lists(t):
    bootcheck.compare_with_reference(t, count=1)
