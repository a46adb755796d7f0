# Shared build rules: toolchain, flags, object lists.  Included by the top Makefile.
# Objects go under build/, one rule per kind; -MD dependency files are included.

CROSS   ?= riscv64-unknown-elf-
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
HOSTCC  ?= gcc
B       := build

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
COMMON  := -std=gnu11 -O2 -g -mcmodel=medany -fno-pie -fno-stack-protector -ffreestanding \
           -fno-omit-frame-pointer -fno-tree-loop-distribute-patterns -MD $(WARN)

# the kernel never touches FP registers except to save and restore them (fp.S)
KCFLAGS := $(COMMON) -march=rv64imac_zicsr_zifencei -mabi=lp64 -fno-builtin \
           -Ikernel/include -Ikernel/arch/riscv -Ilib/include -Ilib/fdt
PICOLIBC := /usr/lib/picolibc/riscv64-unknown-elf
UCFLAGS := $(COMMON) -march=rv64imafdc_zicsr_zifencei -mabi=lp64d \
           -isystem $(PICOLIBC)/include -Ilib/include -Ilib/libsys -Ilib/fdt -Iplatform/include -Itest/guest/lib
ULIBS   := $(PICOLIBC)/lib/release/rv64imafdc/lp64d/libc.a \
           $(shell $(CC) -march=rv64imafdc -mabi=lp64d -print-libgcc-file-name 2>/dev/null)

KERNEL_SRCS := kernel/arch/riscv/head.S kernel/arch/riscv/trap.S kernel/arch/riscv/fp.S \
	kernel/arch/riscv/early.c kernel/arch/riscv/sbi.c kernel/arch/riscv/trap.c \
	kernel/main.c kernel/boot_root.c kernel/bootimg.S kernel/printk.c kernel/lib.c \
	kernel/pmm.c kernel/kalloc.c kernel/vm.c kernel/obj.c kernel/thread.c kernel/sched.c \
	kernel/ipc.c kernel/fastpath.c kernel/syscall.c kernel/sys_ipc.c kernel/sys_obj.c kernel/sys_thread.c \
	kernel/sys_misc.c lib/fdt/fdt.c
KERNEL_OBJS := $(patsubst %,$(B)/k/%.o,$(KERNEL_SRCS))

LIBSYS_SRCS := lib/libsys/crt0.S lib/libsys/start.c lib/libsys/ipc.c lib/libsys/elf.c lib/libsys/proc.c \
	lib/libsys/vfork.S
LIBSYS_OBJS := $(patsubst %,$(B)/u/%.o,$(LIBSYS_SRCS))

# user programs: name -> sources (each also links libsys)
PROGRAMS := root console proc init hello ktest ptest kbench pbench echo
root_SRCS    := servers/root/main.c servers/root/spawn.c lib/fdt/fdt.c
console_SRCS := servers/console/main.c platform/qemu-virt/uart_ns16550.c platform/sifive-fu540/uart_sifive.c
proc_SRCS    := servers/proc/main.c servers/proc/getproc.c servers/proc/fork.c servers/proc/exit.c \
	servers/proc/session.c servers/proc/rctl.c servers/proc/lwp.c servers/proc/spawn.c servers/proc/kcalls.c
init_SRCS    := servers/init/main.c
hello_SRCS   := servers/hello/main.c
ktest_SRCS   := test/guest/ktest/main.c test/guest/ktest/tests.c test/guest/lib/suite.c
ptest_SRCS   := test/guest/ptest/main.c test/guest/ptest/tests.c test/guest/lib/suite.c
kbench_SRCS  := test/guest/kbench/main.c
pbench_SRCS  := test/guest/pbench/main.c
echo_SRCS    := test/guest/echo/main.c
PROGRAM_ELFS := $(patsubst %,$(B)/user/%.elf,$(PROGRAMS))
ARCHIVE_FILES := console proc init hello ktest ptest kbench pbench echo

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
PROC_PROGRAMS := init hello ptest pbench
define program_rule
$(B)/user/$(1).elf: $(patsubst %,$(B)/u/%.o,$($(1)_SRCS)) $(LIBSYS_OBJS) lib/libsys/user.ld build.mk
	@mkdir -p $$(dir $$@)
	@echo "  LD  $$@"; $(LD) -T lib/libsys/user.ld $(if $(filter $(1),$(PROC_PROGRAMS)),--defsym=__heap_size=0x8000) \
		-o $$@ $(LIBSYS_OBJS) $(patsubst %,$(B)/u/%.o,$($(1)_SRCS)) $(ULIBS)
endef
$(foreach p,$(PROGRAMS),$(eval $(call program_rule,$(p))))

$(B)/boot.cpio: $(patsubst %,$(B)/user/%.elf,$(ARCHIVE_FILES))
	@mkdir -p $(B)/archive
	cp $^ $(B)/archive/
	cd $(B)/archive && for f in $(ARCHIVE_FILES); do mv -f $$f.elf $$f; done && \
		printf '%s\n' $(ARCHIVE_FILES) | cpio -o -H newc --quiet > ../boot.cpio

$(B)/kernel.elf: $(KERNEL_OBJS) kernel/arch/riscv/kernel.ld
	@echo "  LD  $@"; $(LD) -T kernel/arch/riscv/kernel.ld -o $@ $(KERNEL_OBJS) \
		$(shell $(CC) -march=rv64imac -mabi=lp64 -print-libgcc-file-name)
$(B)/kernel.bin: $(B)/kernel.elf
	$(OBJCOPY) -O binary $< $@

-include $(shell find $(B) -name '*.d' 2>/dev/null)
