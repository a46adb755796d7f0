#!/bin/bash
# fuzz.sh: long fuzz passes (test/guest/fuzz, docs/fuzz.md), one QEMU boot per
# (seed, harts, uid), each with a wall-clock timeout scaled to the calls asked for.
# Per run and in total it prints
#   fuzz: N calls, P panics, H hangs, S server deaths, L pages leaked
# where a PANIC line on the console counts as a panic and the timeout as a hang
# (the guest cannot report either), then "N passed, N failed" (runs).
#
# Environment (make fuzz passes its variables of the same names):
#   N=1000000         calls per run
#   SEEDS="1 2 3"     seeds
#   SMP="1 4"         hart counts (QEMU virt)
#   UIDS="1000 0"     the uid the workers run as (0: the fuzzer stays root)
#   OPTS=""           more fuzzer options: "avoid known", "mem", "block", "chunk 200" ...
#   B=build           the build whose kernel runs; logs go to B/fuzz-logs
# Reproducing a run's failure: the log names the last progress line ("call K");
# boot that seed again with "verbose K" (docs/fuzz.md).
set -uo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
N=${N:-1000000}
SEEDS=${SEEDS:-1 2 3}
SMP=${SMP:-1 4}
UIDS=${UIDS:-1000 0}
OPTS=${OPTS:-}
logs=$B/fuzz-logs
mkdir -p "$logs"
case $N in '' | *[!0-9]*) echo "$0: N must be a number, not '$N'" >&2; exit 2 ;; esac

tn=0 tp=0 th=0 ts=0 tl=0 passed=0 failed=0
for seed in $SEEDS; do
	for smp in $SMP; do
		for uid in $UIDS; do
			name=fuzz-s$seed-smp$smp-uid$uid
			args="fuzz $seed $N"
			[ "$uid" = 0 ] && args+=" uid0" || args+=" uid $uid"
			[ -n "$OPTS" ] && args+=" $OPTS"
			timeout=$((60 + N / 400 * smp))
			test/guest/run-guest.py --name "$name" --log-dir "$logs" --timeout "$timeout" --tests \
				-- scripts/run-qemu.sh --platform virt --smp "$smp" --kernel "$B/kernel.elf" \
				-- -append "$args" > "$logs/$name.out" 2>&1
			log=$logs/$name.log
			line=$(grep -aoE 'fuzz: [0-9]+ calls, [0-9]+ panics, [0-9]+ hangs, [0-9]+ server deaths, -?[0-9]+ pages leaked' "$log" | tail -n 1)
			n=0 p=0 h=0 s=0 l=0
			if [ -n "$line" ]; then
				read -r n p h s l < <(echo "$line" | sed -E 's/[^0-9 -]//g; s/ +/ /g; s/^ //')
			fi
			if grep -aq PANIC "$log"; then
				p=1
			elif grep -aq '^# timed out' "$log"; then
				h=1
			elif [ -z "$line" ]; then
				h=1          # QEMU ended without a summary: the guest stopped short
			fi
			if [ -z "$line" ]; then
				# no summary: count the calls up to the last progress line
				n=$(grep -aoE 'fuzz: seed [0-9]+ call [0-9]+$' "$log" | tail -n 1 | sed -E 's/.* //')
				n=${n:-0}
			fi
			echo "$name: fuzz: $n calls, $p panics, $h hangs, $s server deaths, $l pages leaked"
			if [ "$p$h$s" != 000 ] || [ "$l" != 0 ] || ! grep -aq "TEST PASS fuzz-$seed" "$log"; then
				failed=$((failed + 1))
				grep -aE 'fuzz: seed [0-9]+ call [0-9]+$' "$log" | tail -n 1 | sed 's/^/  last progress: /'
				grep -aE 'PANIC|TEST FAIL|does not answer|died in worker|root: .*fault' "$log" | head -n 5 | sed 's/^/  /'
				echo "  log: $log"
			else
				passed=$((passed + 1))
			fi
			tn=$((tn + n)) tp=$((tp + p)) th=$((th + h)) ts=$((ts + s)) tl=$((tl + l))
		done
	done
done
echo "fuzz: $tn calls, $tp panics, $th hangs, $ts server deaths, $tl pages leaked"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
