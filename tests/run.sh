#!/bin/sh
# Every test, in order: host unit tests (cmocka, ASan+UBSan), make's
# targets, make bench's plots, a short fuzz run of the device-tree reader,
# QEMU boot tests for every ALLOC (on virt and sifive_u), the gdb commands,
# make compare's page in headless Chromium, the shell tests (user programs
# and usertests on the real kernel, on virt, then on sifive_u), reserved
# memory checked from outside the guest, and the
# grader's own tests (labs, hostile submissions, mutants).
# Ends with one line "N passed, N failed" summing all of them.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
log=build/test-logs
mkdir -p "$log"

count() {   # count NAME STATUS
	if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "ok   $1"
	else failed=$((failed + 1)); echo "FAIL $1"; fi
}

# A suite that ends with "N passed, N failed": add its counts.
suite_body() {   # suite_body LOG COMMAND...
	out=$1; shift
	"$@" > "$out" 2>&1
	st=$?
	grep -v '^[0-9]* passed, [0-9]* failed$' "$out"
	sp=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out" | tail -1)
	sf=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out" | tail -1)
	if [ -z "$sp" ]; then sp=0; sf=1; fi
	if [ "$st" != 0 ] && [ "$sf" = 0 ]; then sf=1; fi
	passed=$((passed + sp)); failed=$((failed + sf))
}

suite() {   # suite TITLE LOG COMMAND...
	echo "== $1"
	shift
	suite_body "$@"
}

echo "== host unit tests"
if ! make -s host-tests > "$log/build-host.log" 2>&1; then
	cat "$log/build-host.log"
	count "build host tests" 1
fi
suite_body "$log/host.log" tests/host/run.sh

suite "make targets (every one make help lists has a recipe)" "$log/make-targets.log" \
	tests/make-targets.sh
suite "make bench's plots (drawn from a small CSV)" "$log/benchplot.log" \
	/usr/bin/python3 tests/benchplot_test.py

echo "== fuzz (short run; make fuzz-long for the long one)"
make -s fuzz FUZZTIME=${FUZZTIME:-30} > "$log/fuzz.log" 2>&1
count "fuzz fdtmap (${FUZZTIME:-30}s): $(grep -o 'Done [0-9]* runs' "$log/fuzz.log" | tail -1)" $?

suite "QEMU boot tests (every ALLOC, sizes, NUMA, holes, failures, sifive_u)" "$log/boot.log" \
	/usr/bin/python3 tests/boot/boottest.py
suite "gdb commands (every ALLOC: before and after the handoff, against the @ lines)" \
	"$log/gdb.log" /usr/bin/python3 tests/gdb/gdbtest.py
suite "make compare's page in headless Chromium (three columns, every reservation and allocation, the trace's final state)" \
	"$log/compare.log" /usr/bin/python3 tests/compare_test.py
suite "shell tests (every ALLOC: commands, usertests -q, memstress; 1-4 harts; 2G; NUMA; full usertests)" \
	"$log/shell.log" /usr/bin/python3 tests/boot/shelltest.py --full --numa

suite "sifive_u shell tests (every ALLOC: typed-ahead input, boot report, pipeline, memmap; memstress and usertests -q on memblock; full usertests on bootmem)" \
	"$log/shell-sifive_u.log" /usr/bin/python3 tests/boot/shelltest.py --board sifive_u --full

suite "reserved memory from outside (every ALLOC: patterns in no-map, plain, reusable and /memreserve/ regions after memstress and usertests -q, read with gdb)" \
	"$log/resv.log" /usr/bin/python3 tests/boot/resvtest.py

suite "grader (reference 100%, starters 0, hostile submissions, mutants, Gradescope layout)" \
	"$log/grading.log" /usr/bin/python3 tests/grading/run.py

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
