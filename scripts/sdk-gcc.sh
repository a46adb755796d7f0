#!/bin/sh
# riscv64-rvix-gcc: compile, and link, a C program for this system.
#
# Installed by `make sdk` as $(B)/sdk/bin/riscv64-rvix-gcc; the sysroot is found
# beside it ($(B)/sdk/include, $(B)/sdk/lib), so the folder can be moved.  It runs
# Debian's riscv64-unknown-elf-gcc (or $RVIX_CC) with:
#   compiling: the RV64GC hard-float ABI the system's programs use, our headers
#     (lib/libc/include, lib/include/uapi, libsys's sys.h) in front of picolibc's,
#     and none of the compiler's own libc headers;
#   linking (when no -c, -S, -E or -M is given and there is an input file):
#     the system's start-up (crt0.o: libsys), the program, then libc.a (picolibc with
#     the POSIX layer in it) and libgcc; linked at 4 MiB by lib/user.ld with a 32 KiB
#     heap to start (the proc server grows it: PROC_SBRK), static.
# Everything else (-O, -W, -D, -o, -l, -L, -Wl,...) passes through; -lm, -lpthread
# and -lrt name empty archives (libc.a holds all of it), as portable Makefiles expect.
here=$(cd "$(dirname "$0")/.." && pwd)
cc=${RVIX_CC:-riscv64-unknown-elf-gcc}
arch="-march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany"

link=yes input=no skip=no
for a do
	if [ $skip = yes ]; then skip=no; continue; fi
	case $a in
	-c|-S|-E|-M|-MM) link=no ;;
	-o|-I|-D|-U|-L|-x|-MF|-MT|-MQ|-include|-imacros|-isystem|-idirafter|-iquote|-Xlinker|-T|-u|-e)
		skip=yes ;;
	-*) ;;
	*) input=yes ;;
	esac
done
# `gcc -v`, `--version`, `-print-*`, `-dumpmachine` ...: nothing to link
[ $input = yes ] || link=no

inc="-nostdinc -isystem $here/include -isystem $here/picolibc/include
     -isystem $($cc $arch -print-file-name=include)
     -isystem $($cc $arch -print-file-name=include-fixed) -D__rvix__"
if [ $link = no ]; then
	exec $cc $arch $inc "$@"
fi
exec $cc $arch $inc -static -nostdlib -nostartfiles -fno-pie -no-pie \
	-T "$here/lib/user.ld" -Wl,--defsym=__heap_size=0x8000 "$here/lib/crt0.o" \
	"$@" -L"$here/lib" -Wl,--start-group -lc "$($cc $arch -print-libgcc-file-name)" -Wl,--end-group
