# platform/sifive-fu540/platform.mk — HiFive Unleashed (FU540-C000), QEMU's "sifive_u".
#
# Make syntax, included by the build; scripts/run-qemu.sh also reads the QEMU_* and
# SBI_RESET_EXITS lines with sed, so keep each as one simple `NAME := value` line.

PLATFORM_NAME     := sifive-fu540
# Console: SiFive UART0 at 0x10010000. QEMU's model ignores byte stores: write txdata
# with a 32-bit store.
PLATFORM_UART     := sifive-uart0

QEMU_MACHINE      := sifive_u
# QEMU's sifive_u always has 5 harts: hart 0 is the E51 monitor core (no S-mode, no MMU),
# harts 1-4 are U54s. -smp cannot change that, so run-qemu.sh passes no -smp here.
QEMU_SMP_DEFAULT  := 5
QEMU_SMP_FIXED    := yes
# SBI system reset does NOT end QEMU here: the host must end QEMU after the final line.
SBI_RESET_EXITS   := no
# No U-Boot image for this board in Debian's u-boot-qemu; direct boot only.
QEMU_UBOOT        := no
