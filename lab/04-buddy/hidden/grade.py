"""Lab buddy: hidden tests. They live only in the staff tree (grading/handout
strips them from a student's repository) and run when staff grade, with the
reference solution of the staff tree as the oracle: the same random script
must give the same transcript line for line, and the same machine the same
free lists right after the handoff."""
import random

from lib import gradelib, bootcheck
import buddy_model

lab = gradelib.current_lab()


@lab.test(points=10, name="random scripts give exactly the reference's results", section=6, timeout=90)
def same_as_reference(t):
    rng = random.Random(t.seed ^ 0xb0d)
    bootcheck.same_transcripts_as_reference(t, [buddy_model.random_script(rng)[0] for _ in range(12)])


@lab.test(points=5, name="the buddy free lists after boot equal the reference's", section=6,
          timeout=240, kind="qemu")
def same_free_lists(t):
    bootcheck.compare_with_reference(t, count=1)
