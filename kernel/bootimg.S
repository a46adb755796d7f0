/* The root task and the boot archive, linked into the kernel image. */
	.section .rodata.bootimg, "a"
	.balign 4096
	.globl root_elf, root_elf_end
root_elf:
	.incbin ROOT_ELF
root_elf_end:
	.balign 4096
	.globl boot_archive, boot_archive_end
boot_archive:
	.incbin BOOT_ARCHIVE
boot_archive_end:
