#!/bin/sh
# Every test, in order: host unit tests (cmocka, ASan+UBSan), a short fuzz
# run of the device-tree reader, QEMU boot tests for every ALLOC, then the
# shell tests (user programs and usertests on the real kernel), and the
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

echo "== host unit tests"
if ! make -s test-host > "$log/build-host.log" 2>&1; then
	cat "$log/build-host.log"
	count "build host tests" 1
fi
for t in build/host/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" > "$log/$name.log" 2>&1
	st=$?
	# cmocka: "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)..."
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log/$name.log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log/$name.log" | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$st" != 0 ] && [ "$f" = 0 ]; then f=1; fi   # crashed or a sanitizer fired
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" = 0 ]; then echo "ok   $name: $p tests"
	else echo "FAIL $name: $p passed, $f failed (build/test-logs/$name.log)"; grep -E 'FAILED|ERROR|Sanitizer|MM_ASSERT' "$log/$name.log" | head -20; fi
done

echo "== fuzz (short run; make fuzz-long for the long one)"
make -s fuzz FUZZTIME=${FUZZTIME:-30} > "$log/fuzz.log" 2>&1
count "fuzz fdtmap (${FUZZTIME:-30}s): $(grep -o 'Done [0-9]* runs' "$log/fuzz.log" | tail -1)" $?

# A Python suite that ends with "N passed, N failed": add its counts.
suite() {   # suite TITLE LOG COMMAND...
	title=$1; out=$2; shift 2
	echo "== $title"
	"$@" > "$out" 2>&1
	st=$?
	grep -v '^[0-9]* passed, [0-9]* failed$' "$out"
	sp=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out" | tail -1)
	sf=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out" | tail -1)
	if [ -z "$sp" ]; then sp=0; sf=1; fi
	if [ "$st" != 0 ] && [ "$sf" = 0 ]; then sf=1; fi
	passed=$((passed + sp)); failed=$((failed + sf))
}

suite "QEMU boot tests (every ALLOC, sizes, NUMA, holes, failures)" "$log/boot.log" \
	/usr/bin/python3 tests/boot/boottest.py
suite "shell tests (every ALLOC: commands, usertests -q, memstress; 1-4 harts; 2G; NUMA; full usertests)" \
	"$log/shell.log" /usr/bin/python3 tests/boot/shelltest.py --full --numa

suite "grader (reference 100%, starters 0, hostile submissions, mutants, Gradescope layout)" \
	"$log/grading.log" /usr/bin/python3 tests/grading/run.py

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
