/*
 * Trap entry and exit.  In user mode sscratch = this hart's struct cpu;
 * in S-mode tp = struct cpu and sscratch = 0... we keep sscratch = cpu
 * always, and only traps from user mode are expected (the kernel runs
 * with interrupts off; an S-mode trap is a kernel bug and panics).
 *
 * struct cpu: 0 c_ctx (where to save), 8 c_kstack, 16 c_scratch.
 * struct ctx: x[0] holds sepc, x[1..31] the registers, then sstatus.
 */
	.text
	.balign 4
	.globl trap_entry
trap_entry:
	csrrw	tp, sscratch, tp        /* tp = cpu, sscratch = user tp */
	sd	t0, 16(tp)
	csrr	t0, sstatus
	andi	t0, t0, 0x100           /* SPP: came from S-mode? */
	bnez	t0, kernel_trap
	ld	t0, 0(tp)               /* t0 = &cur->t_ctx */
	sd	ra, 8(t0)
	sd	sp, 16(t0)
	sd	gp, 24(t0)
	sd	t1, 48(t0)
	sd	t2, 56(t0)
	sd	s0, 64(t0)
	sd	s1, 72(t0)
	sd	a0, 80(t0)
	sd	a1, 88(t0)
	sd	a2, 96(t0)
	sd	a3, 104(t0)
	sd	a4, 112(t0)
	sd	a5, 120(t0)
	sd	a6, 128(t0)
	sd	a7, 136(t0)
	sd	s2, 144(t0)
	sd	s3, 152(t0)
	sd	s4, 160(t0)
	sd	s5, 168(t0)
	sd	s6, 176(t0)
	sd	s7, 184(t0)
	sd	s8, 192(t0)
	sd	s9, 200(t0)
	sd	s10, 208(t0)
	sd	s11, 216(t0)
	sd	t3, 224(t0)
	sd	t4, 232(t0)
	sd	t5, 240(t0)
	sd	t6, 248(t0)
	ld	t1, 16(tp)
	sd	t1, 40(t0)              /* user t0 */
	csrr	t1, sscratch
	sd	t1, 32(t0)              /* user tp */
	csrw	sscratch, tp
	csrr	t1, sepc
	sd	t1, 0(t0)
	ld	sp, 8(tp)
	mv	a0, tp
	call	trap_user               /* does not return: ends in arch_return_to_user */
1:	j	1b

kernel_trap:
	/* an S-mode trap: a kernel bug.  tp is the cpu again; report on its stack. */
	csrw	sscratch, tp
	ld	sp, 8(tp)
	call	trap_kernel
1:	j	1b

/* void arch_return_to_user(struct ctx *ctx): back to user mode with ctx */
	.globl arch_return_to_user
arch_return_to_user:
	mv	t0, a0
	ld	t1, 0(t0)
	csrw	sepc, t1
	/* sstatus: SPP = 0 (user), SPIE = 1 (interrupts on in user) */
	li	t1, 0x100
	csrc	sstatus, t1
	li	t1, 0x20
	csrs	sstatus, t1
	csrw	sscratch, tp
	ld	ra, 8(t0)
	ld	sp, 16(t0)
	ld	gp, 24(t0)
	ld	tp, 32(t0)
	ld	t1, 48(t0)
	ld	t2, 56(t0)
	ld	s0, 64(t0)
	ld	s1, 72(t0)
	ld	a0, 80(t0)
	ld	a1, 88(t0)
	ld	a2, 96(t0)
	ld	a3, 104(t0)
	ld	a4, 112(t0)
	ld	a5, 120(t0)
	ld	a6, 128(t0)
	ld	a7, 136(t0)
	ld	s2, 144(t0)
	ld	s3, 152(t0)
	ld	s4, 160(t0)
	ld	s5, 168(t0)
	ld	s6, 176(t0)
	ld	s7, 184(t0)
	ld	s8, 192(t0)
	ld	s9, 200(t0)
	ld	s10, 208(t0)
	ld	s11, 216(t0)
	ld	t3, 224(t0)
	ld	t4, 232(t0)
	ld	t5, 240(t0)
	ld	t6, 248(t0)
	ld	t0, 40(t0)
	sret
