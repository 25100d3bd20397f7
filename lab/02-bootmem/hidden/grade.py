"""Lab bootmem: hidden tests. They live only in the staff tree (grading/handout
strips them from a student's repository) and run when staff grade, with the
reference solution of the staff tree as the oracle: the same random script
must give the same transcript line for line, and the same machine must give
the same buddy free lists."""
from lib import gradelib, bootcheck

bootcheck.reference_tests(gradelib.current_lab(), 0x5eed, lambda rng: [bootcheck.random_bootmem_script(rng)[0]
                                                                    for _ in range(12)],
                          script_section=5, boot_section=8)
