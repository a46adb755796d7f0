#!/bin/bash
# mkbootdisk.sh: make a raw disk image U-Boot's distro boot starts the kernel from, with no
# key pressed: an MBR partition table with one bootable FAT partition holding kernel.bin
# (a RISC-V Linux "Image") and boot.scr, which loads kernel.bin and runs
#   booti ${kernel_addr_r} - ${fdtcontroladdr}
# so the kernel gets a0 = hart id and a1 = the device tree U-Boot runs on (QEMU's, passed
# on by OpenSBI; on a board, U-Boot's own).
#
# No loop devices and no root: the FAT file system is made in a separate file (mkfs.vfat,
# mcopy) and dd'ed into the image at the partition's offset.
#
# --dev "IFACE DEV:PART" is where boot.scr loads kernel.bin from: "virtio 0:1" (default,
# QEMU virt with -drive if=virtio) or "mmc 0:1" (an SD card; platform/*/mksdcard.sh).
set -euo pipefail

usage() {
	echo "usage: $0 [--dev 'IFACE DEV:PART'] KERNEL_BIN OUT_IMG" >&2
	echo "  e.g. $0 build/kernel.bin build/uboot-disk.img" >&2
	exit 2
}

dev="virtio 0:1"
while [ $# -gt 0 ]; do
	case $1 in
	--dev) [ $# -ge 2 ] || usage; dev=$2; shift 2 ;;
	--) shift; break ;;
	-h | --help) usage ;;
	-*) echo "$0: unknown option '$1'" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || usage
kernel=$1
out=$2

# mkfs.vfat and sfdisk live in /usr/sbin, which a normal user's PATH on Debian lacks.
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
export MTOOLS_SKIP_CHECK=1
for t in sfdisk mkfs.vfat mcopy mkimage dd od; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "$0: $t not found (run scripts/deps.sh)" >&2; exit 1; }
done

[ -f "$kernel" ] || { echo "$0: $kernel: no such file" >&2; exit 1; }

# The image header (Linux Documentation/arch/riscv/boot-image-header.rst): booti wants
# magic2 "RSC\x05" at offset 56 and a non-zero image_size at 16, and copies the image to
# RAM base + text_offset (offset 8) before jumping to it.
if [ "$(stat -c %s "$kernel")" -lt 64 ]; then
	echo "$0: $kernel is too small to hold a RISC-V Image header" >&2
	exit 1
fi
le64() { od -A n -t u8 -j "$1" -N 8 "$kernel" | tr -d ' '; }
magic2=$(od -A n -t x1 -j 56 -N 4 "$kernel" | tr -d ' \n')
if [ "$magic2" != 52534305 ]; then
	echo "$0: $kernel has no RISC-V Image header (no 'RSC' 0x05 at offset 56)" >&2
	exit 1
fi
if [ "$(le64 16)" = 0 ]; then
	echo "$0: $kernel: image_size in the Image header is 0; booti refuses that" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkbootdisk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# boot.scr. If booti returns, say so with PANIC so test/guest/run-guest.py fails at once
# instead of waiting for distro boot to time out on the network.
cat >"$tmp/boot.cmd" <<EOF
# boot.scr made by scripts/mkbootdisk.sh: start kernel.bin with booti.
echo "boot.scr: loading kernel.bin from $dev"
load $dev \${kernel_addr_r} kernel.bin
booti \${kernel_addr_r} - \${fdtcontroladdr}
echo "PANIC: boot.scr: booti failed"
EOF
mkimage -A riscv -O linux -T script -C none -n "kernel.bin via booti" \
	-d "$tmp/boot.cmd" "$tmp/boot.scr" >/dev/null

# Sizes in 512-byte sectors. The partition starts at 1 MiB; it is at least 16 MiB and
# twice the kernel plus 4 MiB, rounded up to a MiB, so FAT overhead never runs out.
mib=2048
start=$mib
ksize=$(stat -c %s "$kernel")
part_mib=$(((2 * ksize + 4 * 1048576 + 1048575) / 1048576))
[ $part_mib -ge 16 ] || part_mib=16
part=$((part_mib * mib))

fat=$tmp/fat.img
truncate -s $((part * 512)) "$fat"
mkfs.vfat -i 4b524e4c -n KERNEL "$fat" >/dev/null
mcopy -i "$fat" "$kernel" ::kernel.bin
mcopy -i "$fat" "$tmp/boot.scr" ::boot.scr

rm -f "$out"
truncate -s $(((start + part) * 512)) "$out"
# type c = W95 FAT32 (LBA); U-Boot probes the file system, the type is for other readers.
printf 'label: dos\nlabel-id: 0x4b524e4c\nstart=%d, size=%d, type=c, bootable\n' $start $part |
	sfdisk --quiet "$out"
dd if="$fat" of="$out" bs=512 seek=$start conv=notrunc,sparse status=none
echo "$out: kernel.bin ($ksize bytes) + boot.scr (load from $dev) in a ${part_mib} MiB FAT partition"
