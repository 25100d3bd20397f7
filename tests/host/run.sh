#!/bin/sh
# Runs every built host unit test (build/host/test_*: cmocka, ASan+UBSan),
# one line each, and ends with "N passed, N failed" (N counts cmocka's tests).
# make test-host builds them first and runs this; so does tests/run.sh.
set -u
cd "$(dirname "$0")/../.."
log=build/test-logs
mkdir -p "$log"
passed=0
failed=0
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
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
