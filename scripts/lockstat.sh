#!/bin/bash
# lockstat.sh: the longest time any kernel operation holds the big kernel lock.
# Builds the kernel with LOCK_STATS (every hold timed with the time CSR, the longest
# kept with the trap that took it) into $B-lockstat and boots it twice under
# deterministic time (qemu -icount shift=0,sleep=off -seed 1: one instruction = 1 ns)
# on 1 hart: the test suites (ktest, ptest, thtest: every kernel call, fork of the
# largest process the default limits allow, its exit), then a fuzz pass (seed 1,
# 300,000 calls asked, as make test runs it); prints what each power-off reports.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
L=$B-lockstat
make -s B="$L" LOCK_STATS=1 all >/dev/null
for boot in "test" "fuzz 1 300000"; do
	log=$L/lockstat-${boot%% *}.log
	echo "qemu-system-riscv64 -machine virt -smp 1 -icount shift=0,sleep=off -seed 1, bootargs \"$boot\", kernel with LOCK_STATS"
	timeout 900 scripts/run-qemu.sh --platform virt --smp 1 --icount --kernel "$L/kernel.elf" -- -append "$boot" > "$log" 2>&1 || true
	line=$(grep -a '^lockstat:' "$log") || { echo "lockstat: no figure; see $log"; exit 1; }
	echo "$line"
	# ticks -> ns: the time CSR runs at the device tree's timebase
	set -- $(echo "$line" | sed -E 's/.*hold ([0-9]+) ticks of ([0-9]+) Hz.*/\1 \2/')
	echo "lockstat: longest hold $(( $1 * 1000000000 / $2 )) ns of guest time ($boot)"
done
