#!/bin/sh
# Gradescope runs this once, as root, when it builds the autograder image;
# this zip is unpacked in $AUTOGRADER/source (Gradescope: /autograder).
set -eu
AUTOGRADER=${AUTOGRADER:-/autograder}
cd "$AUTOGRADER/source"
tools/deps.sh                          # the Debian packages (apt-get, as root)
# The reference kernel, built once here rather than for every submission.
make -s -j2 ALLOC=@ALLOC@ O=build/grade-reference-@ALLOC@ build/grade-reference-@ALLOC@/kernel.elf
# Submissions build and run as a sandbox uid (grading/lib/sandbox.py): the
# staff tree (the reference solution and the hidden tests) must be
# unreadable to them.
chmod -R go-rwx "$AUTOGRADER/source"
