/*
 * The fuzzer's raw kernel call and the code it runs in threads of its own.
 * Numbers used here (checked against uapi/abi.h and uapi/proc.h in gen.c):
 *   SYS_CALL 4, SYS_THREAD_EXIT 32, PROC_EXIT 2.
 */

/*
 * long fz_ecall(struct fz_regs *r): every register of the call from r
 * (a0..a7 at 0..56, t0..t4 at 64..96), ecall, then a0..a7 and t0..t3 back
 * into r; returns a0.  r->exit_h (104) and r->forkcheck (112) ride in t5 and
 * t6, which the kernel preserves: when forkcheck is set and the reply is a
 * fork child's (status 0, label 0, w1 = 1), this is the child (a vfork child
 * shares our memory and stack), and it exits at once without touching
 * memory: PROC_EXIT on the proc handle exit_h, then SYS_THREAD_EXIT.
 */
	.text
	.globl fz_ecall
fz_ecall:
	addi	sp, sp, -16
	sd	s0, 0(sp)
	mv	s0, a0
	ld	a1, 8(s0)
	ld	a2, 16(s0)
	ld	a3, 24(s0)
	ld	a4, 32(s0)
	ld	a5, 40(s0)
	ld	a6, 48(s0)
	ld	a7, 56(s0)
	ld	t0, 64(s0)
	ld	t1, 72(s0)
	ld	t2, 80(s0)
	ld	t3, 88(s0)
	ld	t4, 96(s0)
	ld	t5, 104(s0)
	ld	t6, 112(s0)
	ld	a0, 0(s0)
	ecall
	beqz	t6, 2f
	bnez	a0, 2f
	slli	t6, a1, 32
	bnez	t6, 2f
	li	t6, 1
	bne	a3, t6, 2f
	/* the fork child: _exit(0) with no memory access */
	mv	a0, t5
	li	a1, 2                   /* IPC_INFO(PROC_EXIT, 1) */
	li	t6, 1
	slli	t6, t6, 32
	or	a1, a1, t6
	li	a2, 0
	li	a7, 4                   /* SYS_CALL */
	ecall
	li	a0, 0
1:	li	a7, 32                  /* SYS_THREAD_EXIT */
	ecall
	j	1b
2:	sd	a0, 0(s0)
	sd	a1, 8(s0)
	sd	a2, 16(s0)
	sd	a3, 24(s0)
	sd	a4, 32(s0)
	sd	a5, 40(s0)
	sd	a6, 48(s0)
	sd	a7, 56(s0)
	sd	t0, 64(s0)
	sd	t1, 72(s0)
	sd	t2, 80(s0)
	sd	t3, 88(s0)
	ld	s0, 0(sp)
	addi	sp, sp, 16
	ret

/*
 * What threads of the fuzzer's own run.  fz_guest_loop is copied into an
 * address space the fuzzer made (position independent): a kernel call with
 * whatever registers the thread has, forever (a7 = 0 at start: SYS_NULL;
 * SYS_THREAD_WRITE_REGS makes it anything).  fz_lwp_exit and fz_lwp_spin are
 * pc values for PROC_LWP_CREATE in the fuzzer's own address space.
 */
	.globl fz_guest_loop, fz_guest_loop_end, fz_lwp_exit, fz_lwp_spin
	.balign 8
fz_guest_loop:
	ecall
	j	fz_guest_loop
fz_guest_loop_end:
	.balign 8
fz_lwp_exit:
	li	a0, 0
	li	a7, 32                  /* SYS_THREAD_EXIT */
	ecall
	j	fz_lwp_exit
fz_lwp_spin:
	j	fz_lwp_spin
