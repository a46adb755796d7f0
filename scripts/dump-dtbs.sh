#!/bin/sh
# dump-dtbs.sh DIR: write the device trees QEMU generates for the boards we run on into DIR
# (virt-smp1.dtb, virt-smp4.dtb, sifive_u.dtb), and compile ours for the HiFive Unmatched,
# which QEMU does not model, with dtc (unmatched.dtb). The host tests (test/host/test_fdt.c)
# read them from $FDT_DIR. dumpdtb makes QEMU write the blob and exit before running anything.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
dir=$1
mkdir -p "$dir"
qemu=${QEMU:-qemu-system-riscv64}

dump() {
	out=$1
	shift
	rm -f "$out"
	# QEMU exits 0 after dumping; don't trust that alone, check the file exists.
	timeout 30 "$qemu" "$@" -bios none -nographic -monitor none -serial null \
		-display none </dev/null >/dev/null 2>&1 || true
	if [ ! -s "$out" ]; then
		echo "$0: failed to dump $out" >&2
		exit 1
	fi
	echo "$out"
}

dump "$dir/virt-smp1.dtb" -machine "virt,dumpdtb=$dir/virt-smp1.dtb" -smp 1 -m 128M
dump "$dir/virt-smp4.dtb" -machine "virt,dumpdtb=$dir/virt-smp4.dtb" -smp 4 -m 128M
# QEMU 7.2 sifive_u defaults to 2 harts (its minimum); the board and our run flags have 5.
dump "$dir/sifive_u.dtb" -machine "sifive_u,dumpdtb=$dir/sifive_u.dtb" -smp 5 -m 256M

# Our own tree for the FU740 board. It is kept free of dtc warnings: any is a failure.
root=$(cd "$(dirname "$0")/.." && pwd)
out=$dir/unmatched.dtb
rm -f "$out"
if ! msg=$(${DTC:-dtc} -I dts -O dtb -o "$out" "$root/platform/sifive-fu740/unmatched.dts" 2>&1) ||
	[ -n "$msg" ] || [ ! -s "$out" ]; then
	[ -z "$msg" ] || echo "$msg" >&2
	echo "$0: failed to compile $out cleanly" >&2
	rm -f "$out"
	exit 1
fi
echo "$out"
