#!/bin/bash
# run-qemu.sh: run the kernel in QEMU (serial console on stdio) under Debian's OpenSBI,
# either directly (OpenSBI fw_jump -> kernel.elf at 0x80200000) or through S-mode U-Boot
# (OpenSBI -> U-Boot -> boot.scr on a virtio disk -> booti kernel.bin).
#
# Board facts (machine name, default hart count, whether SBI reset ends QEMU) are read from
# platform/<board>/platform.mk, so each board is described in one place.
set -euo pipefail

usage() {
	cat >&2 <<EOF
usage: $0 [--platform virt|sifive_u] [--boot direct|uboot] [--smp N] [--mem SIZE]
          [--gdb] [--icount] [--kernel FILE] [--disk FILE] [--print] [-- EXTRA QEMU ARGS...]
  --platform  virt (default) or sifive_u
  --boot      direct (default: -kernel build/kernel.elf) or uboot (virt only:
              U-Boot boots build/kernel.bin from --disk, default build/uboot-disk.img;
              make it with scripts/mkbootdisk.sh)
  --smp N     harts (virt; default from platform.mk). sifive_u always has its 5 harts.
  --mem SIZE  guest RAM (default 256M)
  --gdb       wait for gdb on tcp::1234 (-s -S)
  --icount    deterministic time: -icount shift=0,sleep=off -seed 1
  --kernel F  kernel image (default build/kernel.elf, or build/kernel.bin for uboot)
  --print     print the command line instead of running it
EOF
	exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
fw_jump=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf
uboot_bin=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin

platform=virt
boot=direct
smp=
mem=256M
gdb=no
icount=no
kernel=
disk=
print=no
extra=()

need_arg() {
	if [ $# -lt 2 ] || [ -z "$2" ]; then
		echo "$0: $1 needs a value" >&2
		usage
	fi
}

while [ $# -gt 0 ]; do
	case $1 in
	--platform) need_arg "$@"; platform=$2; shift 2 ;;
	--boot) need_arg "$@"; boot=$2; shift 2 ;;
	--smp) need_arg "$@"; smp=$2; shift 2 ;;
	--mem) need_arg "$@"; mem=$2; shift 2 ;;
	--gdb) gdb=yes; shift ;;
	--icount) icount=yes; shift ;;
	--kernel) need_arg "$@"; kernel=$2; shift 2 ;;
	--disk) need_arg "$@"; disk=$2; shift 2 ;;
	--print) print=yes; shift ;;
	--) shift; extra=("$@"); break ;;
	-h | --help) usage ;;
	*) echo "$0: unknown option '$1'" >&2; usage ;;
	esac
done

case $platform in
virt) pdir=qemu-virt ;;
sifive_u) pdir=sifive-fu540 ;;
*) echo "$0: unknown platform '$platform' (virt or sifive_u)" >&2; exit 2 ;;
esac
pmk=$root/platform/$pdir/platform.mk
[ -r "$pmk" ] || { echo "$0: $pmk not found" >&2; exit 1; }

# mkvar NAME: the value of a `NAME := value` (or = / ?=) line in platform.mk.
mkvar() {
	local v
	v=$(sed -n -E "s/^[[:space:]]*$1[[:space:]]*[:?]?=[[:space:]]*([^#]*).*/\1/p" "$pmk" |
		tail -n 1 | sed -E 's/[[:space:]]+$//')
	[ -n "$v" ] || { echo "$0: $1 not set in $pmk" >&2; exit 1; }
	printf '%s\n' "$v"
}

machine=$(mkvar QEMU_MACHINE)
smp_default=$(mkvar QEMU_SMP_DEFAULT)
smp_fixed=$(mkvar QEMU_SMP_FIXED)
uboot_ok=$(mkvar QEMU_UBOOT)

if [ "$smp_fixed" = yes ]; then
	if [ -n "$smp" ] && [ "$smp" != "$smp_default" ]; then
		echo "$0: note: $machine always has its $smp_default harts; ignoring --smp $smp" >&2
	fi
	smp_args=(-smp "$smp_default") # QEMU 7.2 defaults sifive_u to 2 harts; the board has 5
else
	smp=${smp:-$smp_default}
	case $smp in
	'' | *[!0-9]* | 0) echo "$0: --smp needs a positive number, not '$smp'" >&2; exit 2 ;;
	esac
	smp_args=(-smp "$smp")
fi

case $boot in
direct)
	kernel=${kernel:-$root/build/kernel.elf}
	[ -z "$disk" ] || echo "$0: note: --disk is only used with --boot uboot" >&2
	boot_args=(-kernel "$kernel")
	;;
uboot)
	if [ "$uboot_ok" != yes ]; then
		echo "$0: --boot uboot is not available on $platform (Debian ships S-mode U-Boot" \
			"for QEMU virt only); use --boot direct" >&2
		exit 2
	fi
	kernel=${kernel:-$root/build/kernel.bin}
	disk=${disk:-$root/build/uboot-disk.img}
	# The kernel reaches the guest inside the disk image; --kernel only tells us which
	# file the image should have been made from (scripts/mkbootdisk.sh KERNEL DISK).
	if [ $print = no ] && [ -e "$kernel" ] && [ -e "$disk" ] && [ "$kernel" -nt "$disk" ]; then
		echo "$0: warning: $kernel is newer than $disk; rerun scripts/mkbootdisk.sh" >&2
	fi
	boot_args=(-kernel "$uboot_bin" -drive "file=$disk,format=raw,if=virtio")
	;;
*) echo "$0: unknown boot '$boot' (direct or uboot)" >&2; exit 2 ;;
esac

cmd=(qemu-system-riscv64 -machine "$machine" "${smp_args[@]}" -m "$mem"
	-nographic -no-reboot -bios "$fw_jump" "${boot_args[@]}")
[ $gdb = no ] || cmd+=(-s -S)
# shellcheck disable=SC2054 # the commas belong to QEMU's option, not the array
[ $icount = no ] || cmd+=(-icount shift=0,sleep=off -seed 1)
cmd+=("${extra[@]}")

if [ $print = yes ]; then
	# Shell-quoted only where needed, so the line can be pasted back into a shell.
	out=
	for a in "${cmd[@]}"; do
		case $a in
		*[!A-Za-z0-9_./,=:+-]*) out+=" $(printf '%q' "$a")" ;;
		*) out+=" $a" ;;
		esac
	done
	echo "${out# }"
	exit 0
fi

for f in "$fw_jump" "${boot_args[1]}"; do
	[ -e "$f" ] || { echo "$0: $f not found" >&2; exit 1; }
done
if [ "$boot" = uboot ] && [ ! -e "$disk" ]; then
	echo "$0: $disk not found (make it: scripts/mkbootdisk.sh $kernel $disk)" >&2
	exit 1
fi
exec "${cmd[@]}"
