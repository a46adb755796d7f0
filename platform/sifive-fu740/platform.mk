# platform/sifive-fu740/platform.mk — SiFive HiFive Unmatched (FU740-C000). A real board
# only: QEMU 7.2 has no FU740 machine, so scripts/run-qemu.sh does not offer it.
#
# Make syntax, included by the build; keep each setting one simple `NAME := value` line
# (scripts read them with sed).

PLATFORM_NAME     := sifive-fu740
# Console: SiFive UART0 at 0x10010000, PLIC source 39; write txdata with 32-bit stores.
PLATFORM_UART     := sifive-uart0
# Harts: 0 is the S7 monitor core (no S-mode, no MMU); 1-4 are U74s with Sv39.
PLATFORM_HARTS    := 5
# Our description of the board; the running kernel uses the tree U-Boot passes in a1.
PLATFORM_DTS      := platform/sifive-fu740/unmatched.dts

# No QEMU model of this board.
QEMU_MACHINE      := none
# Boot: the board's own U-Boot runs boot.scr from the SD card's first FAT partition
# (platform/sifive-fu740/mksdcard.sh), which loads kernel.bin from mmc 0:1 and boots it
# with booti, passing U-Boot's ${fdtcontroladdr}.
BOOT_MEDIUM       := mmc 0:1
# Whether SBI system reset ends the run is unknown: never tried on a board.
SBI_RESET_EXITS   := unknown
