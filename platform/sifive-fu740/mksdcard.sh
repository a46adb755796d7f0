#!/bin/bash
# mksdcard.sh: make an SD card image for the HiFive Unmatched: an MBR partition table with
# one FAT partition holding kernel.bin and a boot.scr that the board's U-Boot finds and
# runs, loading kernel.bin from mmc 0:1 and starting it with
#   booti ${kernel_addr_r} - ${fdtcontroladdr}
# (U-Boot's own device tree). Write it with e.g. `dd if=OUT_IMG of=/dev/sdX bs=1M`.
#
# The card carries no U-Boot: the board must get U-Boot elsewhere (its SPI flash). Never
# tried on a board; see README.md.
set -euo pipefail

usage() {
	echo "usage: $0 KERNEL_BIN OUT_IMG" >&2
	exit 2
}
[ $# -eq 2 ] || usage
case $1 in -*) usage ;; esac

root=$(cd "$(dirname "$0")/../.." && pwd)
exec "$root/scripts/mkbootdisk.sh" --dev "mmc 0:1" "$1" "$2"
