/*
 * Kernel entry.  The image starts with the RISC-V Linux "Image" header so
 * U-Boot's booti accepts it; OpenSBI jumps to the first instruction with
 * a0 = hart id, a1 = device tree, MMU off, anywhere 2 MiB aligned.
 *
 * We run position-independent (PC-relative only) until early_paging() has
 * mapped the kernel at KERNEL_VBASE, then jump there.
 */
#define LATE_HARTS_MAGIC 0x6574616c  /* "late"; main.c has the same */
#define LATE_HART_SLOTS  64
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
	/*
	 * The first hart here is the boot hart; the others are started with SBI
	 * HSM at _secondary_start.  But a hart may come here too after the boot
	 * hart (OpenSBI 1.1 can let a hart being started jump to its first
	 * address before it has taken ours): it must not clear .bss or take the
	 * boot stack under the boot hart, so a lottery, and the loser waits.
	 */
	mv	s0, a0
	mv	s1, a1
	lla	t0, boot_lottery
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, .Llate_hart
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
 * A hart that lost the lottery: once the boot hart has listed the harts
 * (late_harts_go), go on as the secondary whose hart id this is; a hart the
 * kernel does not use waits for ever.  No stack, no .bss, MMU off.
 */
.Llate_hart:
	lla	t0, late_harts_go
	li	t2, LATE_HARTS_MAGIC
1:	ld	t1, 0(t0)
	bne	t1, t2, 1b
	fence	r, r
	li	t1, LATE_HART_SLOTS
	bgeu	s0, t1, 3f
	lla	t0, late_hart_slot
	add	t0, t0, s0
	lbu	t1, 0(t0)
	beqz	t1, 3f
	addi	a1, t1, -1              /* its cpu index */
	mv	a0, s0
	j	_secondary_start
3:	wfi
	j	3b

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

	/* in .data, not .bss: a late hart reads them before the boot hart has cleared .bss */
	.data
	.balign 8
	.globl	late_harts_go, late_hart_slot
boot_lottery:
	.word	0
	.balign 8
late_harts_go:
	.dword	0
late_hart_slot:                         /* by hart id: its cpu index + 1, 0 none */
	.fill	LATE_HART_SLOTS, 1, 0

	.section .bss.stack, "aw", @nobits
	.balign 16
boot_stack:
	.space	16384
	.globl boot_stack_top
boot_stack_top:
