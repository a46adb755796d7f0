#!/bin/bash
# mksdk.sh SDK LIBC_A LD PICOLIBC LIBSYS_OBJ...: install the SDK into SDK (make sdk).
#   SDK/bin/riscv64-rvix-gcc   the compiler driver (scripts/sdk-gcc.sh), and
#                              riscv64-rvix-{ar,ranlib,nm,strip,objdump,objcopy,readelf,ld}
#   SDK/include                our headers: lib/libc/include, uapi/, sys.h (the kernel calls)
#   SDK/picolibc/include       picolibc's headers, after ours (ours #include_next theirs)
#   SDK/lib                    crt0.o (libsys, every program's start-up), libc.a, user.ld,
#                              empty libm.a, libpthread.a, librt.a
# What is there already is replaced: the folder is made afresh.
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: $0 SDK LIBC_A LD PICOLIBC LIBSYS_OBJ..." >&2; exit 2; }
sdk=$1 libc=$2 ld=$3 pico=$4
shift 4
cd "$(dirname "$0")/.."
cross=${ld%ld}

tmp=$sdk.new
rm -rf "$tmp"
mkdir -p "$tmp/bin" "$tmp/include" "$tmp/picolibc" "$tmp/lib"

install -m 755 scripts/sdk-gcc.sh "$tmp/bin/riscv64-rvix-gcc"
ln -s riscv64-rvix-gcc "$tmp/bin/riscv64-rvix-cc"
for t in ar ranlib nm strip objdump objcopy readelf ld size; do
	ln -s "$(command -v "${cross}$t")" "$tmp/bin/riscv64-rvix-$t"
done

cp -r lib/libc/include/. "$tmp/include/"
mkdir -p "$tmp/include/uapi"
cp lib/include/uapi/* "$tmp/include/uapi/"
cp lib/libsys/sys.h lib/libsys/elfload.h "$tmp/include/"
cp -r "$pico/include" "$tmp/picolibc/include"

"$ld" -r -o "$tmp/lib/crt0.o" "$@"
cp "$libc" "$tmp/lib/libc.a"
cp lib/libsys/user.ld "$tmp/lib/user.ld"
for l in m pthread rt; do "${cross}ar" rc "$tmp/lib/lib$l.a"; done

rm -rf "$sdk"
mv "$tmp" "$sdk"
