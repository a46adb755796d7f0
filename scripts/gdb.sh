#!/bin/bash
# gdb.sh: start QEMU halted with its gdb stub (scripts/run-qemu.sh --gdb ...) in the
# background and attach gdb-multiarch to it, with the kernel's symbols and those of every
# user program under build/user/*.elf. QEMU is ended when gdb exits.
#
# QEMU's serial output goes to build/gdb-serial.log (QEMU's stdin is not the terminal, so
# it does not fight gdb over it): `tail -f build/gdb-serial.log` in another terminal. For an
# interactive console, run `scripts/run-qemu.sh --gdb` in one terminal and
# `scripts/gdb.sh --attach` in another.
#
# Options before `--` go to run-qemu.sh (--platform, --boot, --smp, --kernel ...); words
# after `--` go to gdb (e.g. -- -batch -ex 'info registers pc').
set -euo pipefail

usage() {
	echo "usage: $0 [--attach] [RUN-QEMU OPTIONS...] [-- GDB ARGS...]" >&2
	echo "  --attach  do not start QEMU; attach to one already waiting on :1234" >&2
	exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
attach=no
qemu_args=()
gdb_args=()
kernel=
while [ $# -gt 0 ]; do
	case $1 in
	--attach) attach=yes; shift ;;
	-h | --help) usage ;;
	--kernel) [ $# -ge 2 ] || usage; kernel=$2; qemu_args+=("$1" "$2"); shift 2 ;;
	--) shift; gdb_args=("$@"); break ;;
	*) qemu_args+=("$1"); shift ;;
	esac
done

command -v gdb-multiarch >/dev/null 2>&1 ||
	{ echo "$0: gdb-multiarch not found (run scripts/deps.sh)" >&2; exit 1; }

# Symbols come from the ELF even when QEMU runs the raw kernel.bin through U-Boot: booti
# moves the image to RAM base + text_offset, where kernel.elf is linked.
case $kernel in
*.elf) symfile=$kernel ;;
*) symfile=$root/build/kernel.elf ;;
esac
[ -f "$symfile" ] || echo "$0: warning: $symfile not found; no kernel symbols" >&2

gdb_cmds=(-ex 'set architecture riscv:rv64')
[ ! -f "$symfile" ] || gdb_cmds+=(-ex "file $symfile")
# User programs are linked at their own (absolute) addresses, so gdb 13's
# `add-symbol-file FILE` with no address takes the addresses from the ELF itself.
# confirm off: it would otherwise ask y/n for each file.
gdb_cmds+=(-ex 'set confirm off')
shopt -s nullglob
for u in "$root"/build/user/*.elf; do
	gdb_cmds+=(-ex "add-symbol-file $u")
done
shopt -u nullglob
gdb_cmds+=(-ex 'set confirm on' -ex 'target remote :1234')

if [ $attach = yes ]; then
	exec gdb-multiarch -q "${gdb_cmds[@]}" "${gdb_args[@]}"
fi

mkdir -p "$root/build"
log=$root/build/gdb-serial.log
# setsid: QEMU gets its own process group, so a Ctrl-C meant for gdb (to stop the guest)
# does not reach QEMU, which would quit on SIGINT.
setsid "$root/scripts/run-qemu.sh" --gdb "${qemu_args[@]}" </dev/null >"$log" 2>&1 &
qpid=$!
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	if kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null || true
		wait "$qpid" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Wait for the stub to listen (gdb would retry for a while too, but a QEMU that failed to
# start is better reported with its own message).
for _ in $(seq 50); do
	if ! kill -0 "$qpid" 2>/dev/null; then
		echo "$0: QEMU exited before gdb could attach:" >&2
		cat "$log" >&2
		exit 1
	fi
	if (exec 3<>/dev/tcp/127.0.0.1/1234) 2>/dev/null; then
		break
	fi
	sleep 0.1
done
echo "$0: QEMU pid $qpid waiting on :1234; serial output in $log" >&2

# Not exec: the EXIT trap must run after gdb to end QEMU. A Ctrl-C for gdb also reaches
# this shell: catch it with a no-op (not ignore it, which gdb would inherit).
trap : INT
status=0
gdb-multiarch -q "${gdb_cmds[@]}" "${gdb_args[@]}" || status=$?
exit $status
