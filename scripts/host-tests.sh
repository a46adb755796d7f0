#!/bin/bash
# host-tests.sh: build and run the host unit tests (cmocka), each against the real
# sources it tests (kernel code built with -DHOST_TEST, memory faked by a buffer).
# Prints each test's result and a closing "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
B=build/host
mkdir -p "$B" build/dtb
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter -fsanitize=address,undefined -fno-sanitize-recover=all"
KINC="-DHOST_TEST -Ikernel/include -Ilib/include -Itest/host -Iservers/proc"

# test name -> sources under test
declare -A SRCS=(
  [test_fdt]="lib/fdt/fdt.c"
  [test_pmm]="kernel/pmm.c kernel/kalloc.c test/host/fake_kernel.c"
  [test_vm]="kernel/pmm.c kernel/vm.c test/host/fake_kernel.c"
  [test_obj]="kernel/pmm.c kernel/kalloc.c kernel/obj.c test/host/fake_kernel.c"
  [test_ipc]="kernel/pmm.c kernel/kalloc.c kernel/vm.c kernel/obj.c kernel/ipc.c test/host/fake_kernel.c"
  [test_sys_obj]="kernel/pmm.c kernel/kalloc.c kernel/vm.c kernel/obj.c kernel/ipc.c kernel/syscall.c kernel/sys_obj.c kernel/aspace.c test/host/fake_kernel.c"
  [test_fastpath]="kernel/pmm.c kernel/kalloc.c kernel/vm.c kernel/obj.c kernel/ipc.c kernel/fastpath.c kernel/sched.c kernel/syscall.c kernel/sys_ipc.c test/host/fake_kernel.c"
  [test_proc]="-Itest/host/guest-libc servers/proc/getproc.c servers/proc/fork.c servers/proc/exit.c servers/proc/session.c servers/proc/rctl.c servers/proc/lwp.c servers/proc/mem.c servers/proc/signal.c servers/proc/cred.c servers/proc/sched.c servers/proc/dispatch.c servers/proc/image.c -Ilib/libsys lib/libsys/args.c lib/libsys/elf.c test/host/fake_kcalls.c"
  [test_spawn]="-Itest/host/guest-libc servers/proc/spawn.c servers/proc/image.c servers/proc/getproc.c servers/proc/exit.c servers/proc/session.c servers/proc/rctl.c servers/proc/lwp.c servers/proc/mem.c servers/proc/signal.c servers/proc/cred.c servers/proc/sched.c -Ilib/libsys lib/libsys/args.c lib/libsys/elf.c test/host/fake_kcalls.c"
  [test_fs]="servers/fs/dispatch.c servers/fs/ops.c servers/fs/fdtable.c servers/fs/pipe.c servers/fs/tree.c servers/fs/tmpfs.c servers/fs/mem.c"
  [test_args]="-Ilib/libsys lib/libsys/args.c"
  [test_elf]="-Ilib/libsys lib/libsys/elf.c"
  [test_sh_parse]="servers/bin/sh/parse.c"
  [test_klib]="-Dmemcpy=kmemcpy -Dmemset=kmemset -Dmemmove=kmemmove -Dmemcmp=kmemcmp -Dstrlen=kstrlen -Dstrcmp=kstrcmp kernel/lib.c"
)

scripts/dump-dtbs.sh build/dtb >/dev/null 2>&1 || echo "warning: could not dump QEMU device trees"
pass=0 fail=0
for t in $(printf '%s\n' "${!SRCS[@]}" | sort); do
  [ -f "test/host/$t.c" ] || continue
  if ! gcc $CFLAGS $KINC -Ilib/fdt "test/host/$t.c" ${SRCS[$t]} -lcmocka -o "$B/$t" 2>"$B/$t.build.log"; then
    echo "  FAIL host/$t: does not build"; sed 's/^/    /' "$B/$t.build.log" | head -20
    fail=$((fail + 1)); continue
  fi
  out=$(FDT_DIR=build/dtb "$B/$t" 2>&1); rc=$?
  p=$(grep -c '^\[       OK \]' <<<"$out")
  f=$(grep '^\[  FAILED  \] ' <<<"$out" | grep -v 'test(s)' | sort -u | wc -l)
  grep -E '^\[  (FAILED|ERROR)' <<<"$out" | grep -v 'test(s)' | sort -u | sed "s/^/  host\/$t /"
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "  FAIL host/$t: exit $rc"; echo "$out" | tail -5 | sed 's/^/    /'; f=1
  fi
  echo "  host/$t: $p passed, $f failed"
  pass=$((pass + p)); fail=$((fail + f))
done
# the host scripts' tests (python)
for t in test/host/test_*.py; do
  out=$(python3 "$t" 2>&1)
  grep -E '^\s*FAIL' <<<"$out"
  last=$(tail -1 <<<"$out")
  if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}
  else
    p=0; f=1; echo "  FAIL host/$(basename "$t"): no result line"; tail -5 <<<"$out" | sed 's/^/    /'
  fi
  echo "  host/$(basename "$t" .py): $p passed, $f failed"
  pass=$((pass + p)); fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
