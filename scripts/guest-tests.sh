#!/bin/bash
# guest-tests.sh: boot the system in QEMU on each board and check it from inside.
# The in-guest suite (ktest) prints TEST PASS/FAIL lines and TESTS DONE; the boot
# smoke runs expect the demo's greeting printed through the user-level console; the
# console-input runs type lines at the demo and check what it reads back; the shell runs
# type command lines at /bin/sh as a user would (test/guest/shell-test.py).
# Every run has a wall-clock timeout.  Closes with "N passed, N failed".
# B=DIR (default build) is the build directory: its kernel.elf, kernel.bin,
# uboot-disk.img and test-logs.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
RG=test/guest/run-guest.py
CI="test/guest/console-input.py --kernel $B/kernel.elf --log-dir $B/test-logs"
ST="test/guest/shell-test.py --kernel $B/kernel.elf --log-dir $B/test-logs"
RUN=scripts/run-qemu.sh
K="--kernel $B/kernel.elf"
mkdir -p $B/test-logs
out=$B/test-logs/guest-summary.log
: > "$out"
run() { "$@" 2>&1 | tee -a "$out" | grep -vE '^\s*PASS ' ; }
rg() { run $RG --log-dir $B/test-logs "$@"; }

rg --name virt-smp1 --timeout 180 --tests --suites 3 -- $RUN --platform virt --smp 1 $K -- -append test
rg --name virt-smp4 --timeout 180 --tests --suites 3 -- $RUN --platform virt --smp 4 $K -- -append test
rg --name sifive_u --timeout 420 --tests --suites 3 -- $RUN --platform sifive_u $K -- -append test
rg --name boot-virt --timeout 60 --expect "console: ns16550a UART driven from user mode" \
    "fs: " "$ " -- $RUN --platform virt $K
rg --name boot-sifive_u --timeout 90 --expect "console: sifive,uart0 UART driven from user mode" \
    "fs: " "$ " -- $RUN --platform sifive_u $K
rg --name boot-uboot --timeout 90 --expect "U-Boot" "kernel: hart" "fs: " "$ " \
    -- $RUN --platform virt --boot uboot --kernel $B/kernel.bin --disk $B/uboot-disk.img
run $CI --platform virt --timeout 60
run $CI --platform sifive_u --timeout 90
run $ST --platform virt --timeout 240
run $ST --platform sifive_u --timeout 240
test/guest/sum-results.sh "$out" | sed 's/^/guest: /'
