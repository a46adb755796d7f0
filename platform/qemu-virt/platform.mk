# platform/qemu-virt/platform.mk — QEMU's generic "virt" board.
#
# Make syntax, included by the build; scripts/run-qemu.sh also reads the QEMU_* and
# SBI_RESET_EXITS lines with sed, so keep each as one simple `NAME := value` line.

PLATFORM_NAME     := qemu-virt
# Console: NS16550A at 0x10000000 (byte registers); everything else comes from the DTB.
PLATFORM_UART     := ns16550a

QEMU_MACHINE      := virt
# Harts started when run-qemu.sh is not given --smp.
QEMU_SMP_DEFAULT  := 1
# Whether --smp may change the hart count on this board.
QEMU_SMP_FIXED    := no
# SBI system reset powers QEMU off, so the host just waits for QEMU to exit.
SBI_RESET_EXITS   := yes
# U-Boot (qemu-riscv64_smode) can chain-load the kernel from a virtio disk.
QEMU_UBOOT        := yes
