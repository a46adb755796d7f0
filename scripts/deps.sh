#!/bin/bash
# deps.sh: make sure the Debian 12 packages the build, the tests and the boot scripts need
# are installed. Idempotent: checks each tool first and only runs apt-get for what is
# missing (one `apt-get update`, then one install). Quiet when everything is there.
#
# usage: scripts/deps.sh [--check]
#   --check   only report what is missing (exit 1 if anything is), install nothing
set -euo pipefail

usage() {
	echo "usage: $0 [--check]" >&2
	exit 2
}

check_only=no
case $# in
0) ;;
1) [ "$1" = --check ] || usage; check_only=yes ;;
*) usage ;;
esac

# mkfs.vfat and sfdisk live in /usr/sbin, which a normal user's PATH on Debian lacks.
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

# One line per package: the package, then how to tell it is installed —
# "cmd:NAME" (command -v), "file:PATH" (file exists) or "py:MODULE" (python3 import).
checks='
gcc-riscv64-unknown-elf       cmd:riscv64-unknown-elf-gcc
binutils-riscv64-unknown-elf  cmd:riscv64-unknown-elf-objcopy
picolibc-riscv64-unknown-elf  file:/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs
qemu-system-misc              cmd:qemu-system-riscv64
opensbi                       file:/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf
u-boot-qemu                   file:/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
u-boot-tools                  cmd:mkimage
device-tree-compiler          cmd:dtc
libcmocka-dev                 file:/usr/include/cmocka.h
python3                       cmd:python3
python3-pexpect               py:pexpect
gdb-multiarch                 cmd:gdb-multiarch
dosfstools                    cmd:mkfs.vfat
mtools                        cmd:mcopy
fdisk                         cmd:sfdisk
gcc                           cmd:gcc
make                          cmd:make
libc6-dev                     file:/usr/include/stdio.h
cpio                          cmd:cpio
autoconf                      cmd:autoreconf
automake                      cmd:automake
patch                         cmd:patch
debian-archive-keyring        file:/usr/share/keyrings/debian-archive-keyring.gpg
xz-utils                      cmd:xz
'

present() {
	local how=$1
	case $how in
	cmd:*) command -v "${how#cmd:}" >/dev/null 2>&1 ;;
	file:*) [ -e "${how#file:}" ] ;;
	py:*) command -v python3 >/dev/null 2>&1 &&
		python3 -c "import ${how#py:}" >/dev/null 2>&1 ;;
	*) echo "$0: bad check '$how'" >&2; exit 2 ;;
	esac
}

missing=()
while read -r pkg how; do
	[ -n "$pkg" ] || continue
	present "$how" || missing+=("$pkg")
done <<<"$checks"

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

echo "deps.sh: missing: ${missing[*]}" >&2
if [ $check_only = yes ]; then
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1; then
	sudo=(sudo)
else
	echo "deps.sh: not root and no sudo: install these packages as root:" >&2
	echo "  apt-get install --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: no apt-get here (this script expects Debian 12); install: ${missing[*]}" >&2
	exit 1
fi

if ! "${sudo[@]}" apt-get update -q; then
	echo "deps.sh: apt-get update failed" >&2
	exit 1
fi
if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	echo "deps.sh: apt-get install failed for: ${missing[*]}" >&2
	exit 1
fi

# Check again: a package that installed but does not provide what we look for is an error
# worth seeing now rather than as a strange build failure later.
still=()
while read -r pkg how; do
	[ -n "$pkg" ] || continue
	present "$how" || still+=("$pkg")
done <<<"$checks"
if [ ${#still[@]} -ne 0 ]; then
	echo "deps.sh: still missing after install: ${still[*]}" >&2
	exit 1
fi
echo "deps.sh: installed ${missing[*]}"
