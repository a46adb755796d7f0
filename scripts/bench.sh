#!/bin/bash
# bench.sh: run the in-guest benchmarks under deterministic time
# (qemu -icount shift=0,sleep=off -seed 1, one hart) and print their figures.
# Two boots, one after the other: bootargs "bench" runs the kernel suite (kbench,
# from the root task) and the process suite (pbench, from init); bootargs
# "prompt" is a normal boot to the shell, which reports the instructions
# retired since power-on at its first prompt and exits (servers/init/main.c).
# B=DIR (default build) is the build directory: its kernel.elf, its logs.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
log=$B/bench.log
mkdir -p "$B"
echo "qemu-system-riscv64 -machine virt -smp 1 -icount shift=0,sleep=off -seed 1 (scripts/run-qemu.sh --icount), bootargs \"bench\", then \"prompt\""
timeout 300 scripts/run-qemu.sh --platform virt --smp 1 --icount --kernel "$B/kernel.elf" -- -append bench > "$log" 2>&1 || true
timeout 60 scripts/run-qemu.sh --platform virt --smp 1 --icount --kernel "$B/kernel.elf" -- -append prompt >> "$log" 2>&1 || true
grep '^bench:' "$log" || { echo "bench: no figures; see $log"; exit 1; }
[ "$(grep -c '^bench: done' "$log")" = 2 ] || { echo "bench: a suite did not finish; see $log"; exit 1; }
for what in 'fork1+exec /bin/true+wait' 'vfork+exec /bin/true+wait' 'posix_spawn /bin/true+wait' \
	'pipe round trip, 1 byte' 'power-on to first shell prompt'; do
	grep -qF "bench: $what" "$log" || { echo "bench: no figure for $what; see $log"; exit 1; }
done
