#!/bin/bash
# guest-tests.sh: boot the system in QEMU on each board and check it from inside.
# The in-guest suite (ktest) prints TEST PASS/FAIL lines and TESTS DONE; the boot
# smoke runs expect the demo's greeting printed through the user-level console; the
# console-input runs type lines at the demo and check what it reads back; the shell runs
# type command lines at /bin/sh as a user would (test/guest/shell-test.py).
# Every run has a wall-clock timeout.  Closes with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
RG=test/guest/run-guest.py
CI=test/guest/console-input.py
ST=test/guest/shell-test.py
RUN=scripts/run-qemu.sh
mkdir -p build/test-logs
out=build/test-logs/guest-summary.log
: > "$out"
run() { "$@" 2>&1 | tee -a "$out" | grep -vE '^\s*PASS ' ; }

run $RG --name virt-smp1 --timeout 180 --tests --suites 3 -- $RUN --platform virt --smp 1 -- -append test
run $RG --name virt-smp4 --timeout 180 --tests --suites 3 -- $RUN --platform virt --smp 4 -- -append test
run $RG --name sifive_u --timeout 420 --tests --suites 3 -- $RUN --platform sifive_u -- -append test
run $RG --name boot-virt --timeout 60 --expect "fs: " "console: ns16550a UART driven from user mode" \
    "$ " -- $RUN --platform virt
run $RG --name boot-sifive_u --timeout 90 --expect "fs: " "console: sifive,uart0 UART driven from user mode" \
    "$ " -- $RUN --platform sifive_u
run $RG --name boot-uboot --timeout 90 --expect "U-Boot" "kernel: hart" "fs: " "$ " \
    -- $RUN --platform virt --boot uboot
run $CI --platform virt --timeout 60
run $CI --platform sifive_u --timeout 90
run $ST --platform virt --timeout 240
run $ST --platform sifive_u --timeout 240
test/guest/sum-results.sh "$out" | sed 's/^/guest: /'
