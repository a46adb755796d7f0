# Shared build rules: toolchain, flags, object lists.  Included by the top Makefile.
# Objects go under build/, one rule per kind; -MD -MP dependency files are included (-MP: a header that goes away breaks no old build).

CROSS   ?= riscv64-unknown-elf-
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
HOSTCC  ?= gcc
B       := build

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
COMMON  := -std=gnu11 -O2 -g -mcmodel=medany -fno-pie -fno-stack-protector -ffreestanding \
           -fno-omit-frame-pointer -fno-tree-loop-distribute-patterns -MD -MP $(WARN)

# the kernel never touches FP registers except to save and restore them (fp.S)
KCFLAGS := $(COMMON) -march=rv64imac_zicsr_zifencei -mabi=lp64 -fno-builtin \
           -Ikernel/include -Ikernel/arch/riscv -Ilib/include -Ilib/fdt $(if $(LOCK_STATS),-DLOCK_STATS)
PICOLIBC := /usr/lib/picolibc/riscv64-unknown-elf
# lib/libc/include comes first: our <sys/wait.h>, <dirent.h>, <pthread.h> ... over picolibc's
UCFLAGS := $(COMMON) -march=rv64imafdc_zicsr_zifencei -mabi=lp64d \
           -Ilib/libc/include -isystem $(PICOLIBC)/include -Ilib/include -Ilib/libsys -Ilib/fdt \
           -Iplatform/include -Itest/guest/lib
PICOLIBC_A := $(PICOLIBC)/lib/release/rv64imafdc/lp64d/libc.a
# recursive (=) and used as $$(ULIBS) in the link recipe: on a fresh machine the compiler that
# names libgcc is only there once `deps` has run, after this file was read
ULIBS    = $(shell $(CC) -march=rv64imafdc -mabi=lp64d -print-libgcc-file-name 2>/dev/null)

KERNEL_SRCS := kernel/arch/riscv/head.S kernel/arch/riscv/trap.S kernel/arch/riscv/fp.S \
	kernel/arch/riscv/early.c kernel/arch/riscv/sbi.c kernel/arch/riscv/plic.c kernel/arch/riscv/trap.c \
	kernel/main.c kernel/boot_root.c kernel/bootimg.S kernel/printk.c kernel/lib.c \
	kernel/pmm.c kernel/kalloc.c kernel/vm.c kernel/obj.c kernel/thread.c kernel/sched.c kernel/lock.c \
	kernel/switch.c kernel/fault.c kernel/aspace.c \
	kernel/ipc.c kernel/fastpath.c kernel/syscall.c kernel/sys_ipc.c kernel/sys_obj.c kernel/sys_thread.c \
	kernel/sys_misc.c kernel/trace.c lib/fdt/fdt.c
KERNEL_OBJS := $(patsubst %,$(B)/k/%.o,$(KERNEL_SRCS))

# libsys: start-up, kernel calls, the ELF and argument loaders (in every program);
# libc: the POSIX layer over IPC, an archive, so a program gets only what it uses
LIBSYS_SRCS := lib/libsys/crt0.S lib/libsys/start.c lib/libsys/ipc.c lib/libsys/elf.c lib/libsys/args.c
LIBSYS_OBJS := $(patsubst %,$(B)/u/%.o,$(LIBSYS_SRCS))
LIBC_SRCS := lib/libc/main.c lib/libc/stdio.c lib/libc/heap.c lib/libc/ipcerr.c lib/libc/fd.c lib/libc/proc.c lib/libc/vfork.S \
	lib/libc/exec.c lib/libc/signal.c lib/libc/sigtramp.S lib/libc/dirent.c lib/libc/time.c lib/libc/tty.c \
	lib/libc/pthread.c lib/libc/pthread_sync.c lib/libc/pthread_rwlock.c lib/libc/pthread_lock.c lib/libc/sched.c \
	lib/libc/semaphore.c lib/libc/sysconf.c lib/libc/psiginfo.c
LIBC_OBJS := $(patsubst %,$(B)/u/%.o,$(LIBC_SRCS))
LIBC_A := $(B)/libc.a

# user programs: name -> sources (each also links libsys)
root_SRCS    := servers/root/main.c servers/root/spawn.c lib/fdt/fdt.c
console_SRCS := servers/console/main.c platform/qemu-virt/uart_ns16550.c platform/sifive-fu540/uart_sifive.c
proc_SRCS    := servers/proc/main.c servers/proc/getproc.c servers/proc/fork.c servers/proc/exit.c \
	servers/proc/session.c servers/proc/rctl.c servers/proc/lwp.c servers/proc/spawn.c servers/proc/kcalls.c servers/proc/dispatch.c servers/proc/image.c \
	servers/proc/signal.c servers/proc/cred.c servers/proc/sched.c servers/proc/mem.c
init_SRCS    := servers/init/main.c
hello_SRCS   := servers/hello/main.c
ktest_SRCS   := test/guest/ktest/main.c test/guest/ktest/tests.c test/guest/lib/suite.c
ptest_SRCS   := test/guest/ptest/main.c test/guest/ptest/tests.c test/guest/ptest/signals.c test/guest/ptest/siginfo.c test/guest/ptest/timers.c test/guest/ptest/cputime.c test/guest/ptest/files.c test/guest/ptest/creds.c test/guest/ptest/sched.c test/guest/lib/suite.c
thtest_SRCS := test/guest/thtest/main.c test/guest/thtest/tests.c test/guest/thtest/sync.c test/guest/thtest/cancel.c test/guest/lib/suite.c
fuzz_SRCS    := test/guest/fuzz/main.c test/guest/fuzz/gen.c test/guest/fuzz/ecall.S
leak_SRCS    := test/guest/leak/main.c test/guest/leak/tests.c test/guest/lib/suite.c
kbench_SRCS  := test/guest/kbench/main.c
pbench_SRCS  := test/guest/pbench/main.c
techo_SRCS   := test/guest/echo/main.c
bomb_SRCS    := test/guest/bomb/main.c
fs_SRCS      := servers/fs/main.c servers/fs/dispatch.c servers/fs/ops.c servers/fs/fdtable.c \
	servers/fs/pipe.c servers/fs/tree.c servers/fs/tmpfs.c servers/fs/mem.c
fs_HEAP      := 0x200000
# the shell and the command-line tools (servers/bin), installed as /bin/<name>
BIN_PROGRAMS := sh echo cat ls mkdir rm sleep true false kill ps ptree prctl forkstat newtask setsid poweroff ipctrace
sh_SRCS      := servers/bin/sh/main.c servers/bin/sh/parse.c servers/bin/sh/exec.c servers/bin/sh/jobs.c
echo_SRCS    := servers/bin/echo.c
cat_SRCS     := servers/bin/cat.c
ls_SRCS      := servers/bin/ls.c
mkdir_SRCS   := servers/bin/mkdir.c
rm_SRCS      := servers/bin/rm.c
sleep_SRCS   := servers/bin/sleep.c
true_SRCS    := servers/bin/true.c
false_SRCS   := servers/bin/false.c
kill_SRCS    := servers/bin/kill.c
ps_SRCS      := servers/bin/ps.c
ptree_SRCS   := servers/bin/ptree.c
prctl_SRCS   := servers/bin/prctl.c
forkstat_SRCS := servers/bin/forkstat.c
newtask_SRCS := servers/bin/newtask.c
setsid_SRCS  := servers/bin/setsid.c
poweroff_SRCS := servers/bin/poweroff.c
ipctrace_SRCS := servers/bin/ipctrace.c

$(B)/k/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(KCFLAGS) -c $< -o $@
$(B)/k/kernel/arch/riscv/fp.S.o: kernel/arch/riscv/fp.S
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(KCFLAGS) -march=rv64imafd_zicsr -c $< -o $@
$(B)/k/kernel/bootimg.S.o: kernel/bootimg.S $(B)/user/root.elf $(B)/boot.cpio
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(KCFLAGS) -DROOT_ELF='"$(B)/user/root.elf"' -DBOOT_ARCHIVE='"$(B)/boot.cpio"' -c $< -o $@
$(B)/k/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(KCFLAGS) -c $< -o $@
$(B)/u/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(UCFLAGS) -c $< -o $@
$(B)/u/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CC) $(UCFLAGS) -c $< -o $@

# processes of the proc server start with a small static heap and grow it through PROC_SBRK:
# every mapped page is a page table entry each fork copies
PROGRAMS := root console proc init hello ktest ptest thtest fuzz leak kbench pbench techo bomb $(if $(fs_SRCS),fs) $(BIN_PROGRAMS)
PROGRAM_ELFS := $(patsubst %,$(B)/user/%.elf,$(PROGRAMS))
PROC_PROGRAMS := init hello ptest thtest fuzz leak pbench bomb $(BIN_PROGRAMS)
# one archive: picolibc with lib/libc in it, each symbol from one member (scripts/mklibc.sh)
$(LIBC_A): $(LIBC_OBJS) scripts/mklibc.sh
	@echo "  AR  $@"; NM=$(CROSS)nm AR=$(CROSS)ar scripts/mklibc.sh $@ $(PICOLIBC_A) $(LIBC_OBJS)

# the heap a program links with: <name>_HEAP, else 32 KiB for processes, else user.ld's 1 MiB
heap_of = $(if $($(1)_HEAP),--defsym=__heap_size=$($(1)_HEAP),$(if $(filter $(1),$(PROC_PROGRAMS)),--defsym=__heap_size=0x8000))
define program_rule
$(B)/user/$(1).elf: $(patsubst %,$(B)/u/%.o,$($(1)_SRCS)) $(LIBSYS_OBJS) $(LIBC_A) lib/libsys/user.ld build.mk
	@mkdir -p $$(dir $$@)
	@echo "  LD  $$@"; $(LD) -T lib/libsys/user.ld $(call heap_of,$(1)) \
		-o $$@ $(LIBSYS_OBJS) $(patsubst %,$(B)/u/%.o,$($(1)_SRCS)) --start-group $(LIBC_A) $$(ULIBS) --end-group
endef
$(foreach p,$(PROGRAMS),$(eval $(call program_rule,$(p))))

# the boot archive: the file server's read-only tree.  Entries are archive-path:program.
ARCHIVE := sbin/console:console sbin/proc:proc sbin/init:init $(if $(fs_SRCS),sbin/fs:fs) \
	bin/hello:hello $(foreach p,$(BIN_PROGRAMS),bin/$(p):$(p)) \
	test/ktest:ktest test/ptest:ptest test/thtest:thtest test/fuzz:fuzz test/leak:leak test/kbench:kbench test/pbench:pbench test/echo:techo test/bomb:bomb
ARCHIVE_EXTRA := $(wildcard test/guest/files/*)
# the ports (ports/NAME/recipe, scripts/port.sh): Debian source packages built with the SDK;
# what each installs ($(B)/ports/NAME/out) goes into the boot archive
PORTS := dash
PORT_STAMPS := $(patsubst %,$(B)/ports/%/.built,$(PORTS))
# FILES=dir (make run FILES=..., README "Your own program"): that host tree, as /usr/local in
# the guest.  files.list names what is in it (path, size, time, mode) and changes only when
# that does, so the archive is made again when a file, or FILES itself, changes.
FILES ?=
FILES_LIST := $(B)/gen/files.list
$(FILES_LIST): FORCE
	@mkdir -p $(dir $@)
	@{ echo "FILES=$(FILES)"; $(if $(FILES),find -L $(FILES) -printf '%P %s %T@ %m\n' | sort,true); } > $@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
.PHONY: FORCE
FORCE:
# made at build time, also under /test: a real ELF header cut short (test/guest/shell-test.py execs it),
# and true under a name as long as the file server keeps (FS_NAME_MAX, 57: ptest exec_long_name)
LONG_NAME := true-with-a-name-as-long-as-the-file-server-keeps-it-57ch
ARCHIVE_GEN := $(B)/gen/truncated $(B)/gen/$(LONG_NAME)
$(B)/gen/truncated: $(B)/user/true.elf
	@mkdir -p $(dir $@)
	@head -c 100 $< > $@ && chmod 755 $@
$(B)/gen/$(LONG_NAME): $(B)/user/true.elf
	@mkdir -p $(dir $@)
	@$(OBJCOPY) --strip-debug $< $@
# the programs go in without their debug information (gdb reads $(B)/user/*.elf): a
# tenth of the size, and every server that maps the archive copies it whole at boot
# (scripts/mkcpio.py: newc as cpio -o -H newc writes it, but each member's data 8-byte aligned,
# so that exec copies a program's segments in aligned words)
$(B)/boot.cpio: $(foreach e,$(ARCHIVE),$(B)/user/$(word 2,$(subst :, ,$(e))).elf) $(ARCHIVE_EXTRA) $(ARCHIVE_GEN) \
		$(FILES_LIST) $(PORT_STAMPS) build.mk scripts/mkcpio.py
	@rm -rf $(B)/archive && mkdir -p $(B)/archive/sbin $(B)/archive/bin $(B)/archive/test $(B)/archive/etc
	@for e in $(ARCHIVE); do $(OBJCOPY) --strip-debug $(B)/user/$${e#*:}.elf $(B)/archive/$${e%%:*}; done
	@$(if $(ARCHIVE_EXTRA),cp $(ARCHIVE_EXTRA) $(B)/archive/test/)
	@cp $(ARCHIVE_GEN) $(B)/archive/test/
	@for p in $(PORTS); do cp -R $(B)/ports/$$p/out/. $(B)/archive/; done
	@$(if $(FILES),mkdir -p $(B)/archive/usr/local && cp -RL $(FILES)/. $(B)/archive/usr/local/)
	@echo "  CPIO $@"; scripts/mkcpio.py $(B)/archive $@

# the SDK (make sdk, scripts/mksdk.sh): headers, crt0.o, libc.a and a compiler driver for
# people's own programs and the ports
SDK := $(B)/sdk
SDK_CC := $(SDK)/bin/riscv64-rvix-gcc
$(SDK)/.stamp: $(LIBC_A) $(LIBSYS_OBJS) lib/libsys/user.ld lib/libsys/sys.h lib/libsys/elfload.h \
		$(wildcard lib/libc/include/*.h lib/libc/include/sys/*.h lib/include/uapi/*) scripts/mksdk.sh scripts/sdk-gcc.sh
	@echo "  SDK $(SDK)"; scripts/mksdk.sh $(SDK) $(LIBC_A) $(LD) $(PICOLIBC) $(LIBSYS_OBJS) && touch $@

$(B)/ports/%/.built: ports/%/recipe scripts/port.sh $(SDK)/.stamp $(wildcard ports/*/*.patch)
	@scripts/port.sh $* $(B) && touch $@

# what make test puts in through FILES= (as /usr/local): programs built with the SDK as a
# user builds them, stripped as a user's installed program is
TEST_FILES := $(B)/test-files
$(TEST_FILES)/bin/sdkcheck: test/sdk/sdkcheck.c $(SDK)/.stamp
	@mkdir -p $(dir $@)
	@echo "  SDKCC $<"; $(SDK_CC) -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -pedantic -Werror -O2 -s -o $@ $<

$(B)/kernel.elf: $(KERNEL_OBJS) kernel/arch/riscv/kernel.ld
	@echo "  LD  $@"; $(LD) -T kernel/arch/riscv/kernel.ld -o $@ $(KERNEL_OBJS) \
		$(shell $(CC) -march=rv64imac -mabi=lp64 -print-libgcc-file-name)
$(B)/kernel.bin: $(B)/kernel.elf
	$(OBJCOPY) -O binary $< $@

-include $(shell find $(B) -path $(B)/ports -prune -o -name '*.d' -print 2>/dev/null)
