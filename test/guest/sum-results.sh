#!/bin/bash
# sum-results.sh: add up the "N passed, N failed" lines that test runners print as their
# last line (test/guest/run-guest.py, the host tests) and print the total the same way.
# Reads the files given, or stdin. Exit 1 if anything failed or no such line was found.
set -euo pipefail

usage() {
	echo "usage: $0 [FILE...]   (or: ... | $0)" >&2
	exit 2
}
case ${1:-} in -h | --help) usage ;; esac

# awk exits 3 when no summary line was seen; the totals go to stdout either way.
status=0
awk '
	/^[[:space:]]*[0-9]+ passed, [0-9]+ failed[[:space:]]*$/ {
		pass += $1; fail += $3; found++
	}
	END {
		printf "%d passed, %d failed\n", pass, fail
		if (!found) exit 3
		exit fail ? 1 : 0
	}' "$@" || status=$?

case $status in
0) exit 0 ;;
1) exit 1 ;;
3) echo "$0: no 'N passed, N failed' line found" >&2; exit 1 ;;
*) exit $status ;; # awk could not read a file; it said why
esac
