#!/bin/bash
# guest-tests.sh: boot the system in QEMU on each board and check it from inside.
# The in-guest suite (ktest) prints TEST PASS/FAIL lines and TESTS DONE; the boot
# smoke runs expect the demo's greeting printed through the user-level console; the
# console-input runs type lines at the demo and check what it reads back; the shell runs
# type command lines at /bin/sh as a user would (test/guest/shell-test.py); the fuzz and leak
# runs boot into the fuzzer and the leak checks.
# Every run has a wall-clock timeout.  Closes with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
RG=test/guest/run-guest.py
CI=test/guest/console-input.py
ST=test/guest/shell-test.py
RUN=scripts/run-qemu.sh
# B=DIR (default build): the build whose kernel runs; the logs go to DIR/test-logs
B=${B:-build}
K=(--kernel "$B/kernel.elf")
LOGS=(--log-dir "$B/test-logs")
mkdir -p "$B/test-logs"
out=$B/test-logs/guest-summary.log
: > "$out"
run() { "$@" 2>&1 | tee -a "$out" | grep -vE '^\s*PASS ' ; }

run $RG --name virt-smp1 "${LOGS[@]}" --timeout 180 --tests --suites 3 -- $RUN --platform virt --smp 1 "${K[@]}" -- -append test
run $RG --name virt-smp4 "${LOGS[@]}" --timeout 420 --tests --suites 3 -- $RUN --platform virt --smp 4 "${K[@]}" -- -append test
# deterministic time (-icount shift=0,sleep=off: what make bench uses), on one hart.  Not on
# two: QEMU 7.2's -icount runs the harts in turn, and it can stop running one of them for
# good (seen in ptest and thtest: that hart's pc never moves, with an IPI pending, while
# virtual time goes on), which no guest can help; docs/design.md "Testing under -icount"
run $RG --name virt-icount-smp1 "${LOGS[@]}" --timeout 240 --tests --suites 3 -- $RUN --platform virt --smp 1 --icount "${K[@]}" -- -append test
run $RG --name sifive_u "${LOGS[@]}" --timeout 420 --tests --suites 3 -- $RUN --platform sifive_u "${K[@]}" -- -append test
run $RG --name boot-virt "${LOGS[@]}" --timeout 60 --expect "fs: " "console: ns16550a UART driven from user mode" \
    "$ " -- $RUN --platform virt "${K[@]}"
run $RG --name boot-sifive_u "${LOGS[@]}" --timeout 90 --expect "fs: " "console: sifive,uart0 UART driven from user mode" \
    "$ " -- $RUN --platform sifive_u "${K[@]}"
run $RG --name boot-uboot "${LOGS[@]}" --timeout 90 --expect "U-Boot" "kernel: hart" "fs: " "$ " \
    -- $RUN --platform virt --boot uboot --kernel "$B/kernel.bin" --disk "$B/uboot-disk.img"
# the fuzzer, one fixed seed, every call (docs/fuzz.md; make fuzz runs long ones),
# and the leak checks (test/guest/leak): each prints TEST PASS/FAIL lines and TESTS DONE
run $RG --name fuzz-virt "${LOGS[@]}" --timeout 240 --tests -- $RUN --platform virt --smp 1 "${K[@]}" \
    -- -append "fuzz 1 300000"
run $RG --name leak-virt "${LOGS[@]}" --timeout 180 --tests -- $RUN --platform virt --smp 1 "${K[@]}" \
    -- -append leak
run $CI --platform virt "${K[@]}" "${LOGS[@]}" --timeout 60
run $CI --platform sifive_u "${K[@]}" "${LOGS[@]}" --timeout 90
run $ST --platform virt "${K[@]}" "${LOGS[@]}" --timeout 240
run $ST --platform sifive_u "${K[@]}" "${LOGS[@]}" --timeout 240
test/guest/sum-results.sh "$out" | sed 's/^/guest: /'
