#!/bin/bash
# bench.sh: run the in-guest benchmarks under deterministic time
# (qemu -icount shift=0,sleep=off -seed 1, one hart) and print their figures.
set -euo pipefail
cd "$(dirname "$0")/.."
log=build/bench.log
mkdir -p build
echo "qemu-system-riscv64 -machine virt -smp 1 -icount shift=0,sleep=off -seed 1 (scripts/run-qemu.sh --icount), bootargs \"bench\""
timeout 300 scripts/run-qemu.sh --platform virt --smp 1 --icount -- -append bench > "$log" 2>&1 || true
grep '^bench:' "$log" || { echo "bench: no figures; see $log"; exit 1; }
[ "$(grep -c '^bench: done' "$log")" = 2 ] || { echo "bench: a suite did not finish; see $log"; exit 1; }
