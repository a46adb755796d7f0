/*
 * Kernel entry.  The image starts with the RISC-V Linux "Image" header so
 * U-Boot's booti accepts it; OpenSBI jumps to the first instruction with
 * a0 = hart id, a1 = device tree, MMU off, anywhere 2 MiB aligned.
 *
 * We run position-independent (PC-relative only) until early_paging() has
 * mapped the kernel at KERNEL_VBASE, then jump there.
 */
	.section .text.head, "ax"
	.globl _start
_start:
	.option push
	.option norvc                   /* the header's layout is fixed: no 2-byte jump */
	j	1f                      /* code0 */
	.word	0                       /* code1 */
	.dword	0x200000                /* text_offset */
	.dword	_image_size             /* image_size (filled by the linker) */
	.dword	0                       /* flags: little endian */
	.word	2                       /* version 0.2 */
	.word	0
	.dword	0
	.ascii	"RISCV\0\0\0"           /* magic */
	.ascii	"RSC\x05"               /* magic2 */
	.word	0
	.option pop
1:
	csrw	sie, zero
	csrw	sip, zero
	/* the first hart here is the boot hart; others wait for SBI HSM start */
	mv	s0, a0
	mv	s1, a1
	lla	sp, boot_stack_top
	/* clear .bss (PC-relative addresses: physical now) */
	lla	t0, __bss_start
	lla	t1, __bss_end
2:	bgeu	t0, t1, 3f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	2b
3:
	lla	a0, _start              /* where we were loaded */
	call	early_paging            /* returns satp of the boot table */
	csrw	satp, a0
	sfence.vma
	/* jump to the kernel's virtual address */
	ld	t0, .Lmain_va
	mv	a0, s0
	mv	a1, s1
	jr	t0
	.balign 8
.Lmain_va:
	.dword	boot_main_va

/*
 * Secondary harts (SBI HSM hart_start): a0 = hart id, a1 = cpu index.
 * Same trampoline: boot page table on, then jump high.
 */
	.globl _secondary_start
_secondary_start:
	csrw	sie, zero
	lla	t0, boot_satp
	ld	t0, 0(t0)
	csrw	satp, t0
	sfence.vma
	ld	t0, .Lsec_va
	jr	t0
	.balign 8
.Lsec_va:
	.dword	secondary_main_va

	.text
boot_main_va:
	la	sp, boot_stack_top      /* now a virtual address */
	la	tp, cpus                /* cpus[0] */
	call	kernel_main
1:	j	1b

secondary_main_va:
	/* a1 = cpu index; stack = that cpu's kernel stack */
	la	t0, kstacks
	addi	t1, a1, 1
	li	t2, 16384             /* KSTACK_SIZE in main.c */
	mul	t1, t1, t2
	add	sp, t0, t1
	la	tp, cpus
	li	t2, 128               /* sizeof(struct cpu), asserted in trap.c */
	mul	t1, a1, t2
	add	tp, tp, t1
	call	secondary_main
1:	j	1b

	.section .bss.stack, "aw", @nobits
	.balign 16
boot_stack:
	.space	16384
	.globl boot_stack_top
boot_stack_top:
