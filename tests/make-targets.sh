#!/bin/sh
# Every target that `make help` lists has a rule that does something:
# `make -n TARGET` (with the variables its help line names) succeeds and
# does not answer "Nothing to be done" or "No rule". Also every .PHONY
# target is one that `make help` lists or an internal one named here.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
internal="all help host-tests"  # phony, but not listed as targets to type
help=$(make -s help)
listed=$(echo "$help" | sed -n 's/^  make \([a-z-]*\).*/\1/p' | tr '\n' ' ')
for t in $listed; do
	[ "$t" = "" ] && continue
	args=$(echo "$help" | sed -n "s/^  make $t \(\([A-Z]*=[^ ]* \)*\).*/\1/p" | head -1)
	args=${args% }
	out=$(make -n "$t" $args 2>&1)
	st=$?
	if [ $st != 0 ] || echo "$out" | grep -q -e "Nothing to be done" -e "No rule to make"; then
		failed=$((failed + 1))
		echo "FAIL make $t${args:+ $args}: status $st"
		echo "$out" | tail -3 | sed 's/^/     /'
	else
		passed=$((passed + 1))
		echo "ok   make $t${args:+ $args}: has a recipe"
	fi
done
# `make` alone (the help's first line) builds the kernel and the disk.
if make -n all > /dev/null 2>&1; then
	passed=$((passed + 1)); echo "ok   make: has a default goal"
else
	failed=$((failed + 1)); echo "FAIL make: no default goal"
fi
for t in $(sed -n 's/^\.PHONY: *//p' Makefile); do
	if ! echo " $listed $internal " | grep -q " $t "; then
		failed=$((failed + 1))
		echo "FAIL .PHONY target $t is not in make help"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
