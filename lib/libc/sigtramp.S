/*
 * The signal trampoline: the proc server starts an lwp here with a0 = the
 * signal and a1 = sp = a struct sigframe (uapi/proc.h) holding the
 * interrupted registers.  Keep the FP registers there too, run the handler
 * (__sig_handle), put them back and resume the interrupted context with
 * SYS_THREAD_SETCONTEXT, which restores every integer register and the pc.
 */
#define FREGS (33 * 8)
#define FCSR  (FREGS + 32 * 8)
#define SYS_THREAD_SETCONTEXT 48     /* uapi/abi.h; signal.c checks it */

	.text
	.globl __sigtramp
__sigtramp:
	/*
	 * gp may not be set yet: a signal can come to a new lwp before it ran
	 * __thread_entry's first instruction (the frame keeps the gp it had).
	 */
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
	mv	s0, a1                  /* the interrupted s0 is in the frame */
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (FREGS + \n * 8)(s0)
	.endr
	frcsr	t0
	sd	t0, FCSR(s0)
	call	__sig_handle            /* (sig, frame) */
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (FREGS + \n * 8)(s0)
	.endr
	ld	t0, FCSR(s0)
	fscsr	t0
	mv	a0, s0
	li	a7, SYS_THREAD_SETCONTEXT
	ecall
	unimp                           /* only a bad frame comes back */

/*
 * __sig_onstack(fn, arg, top): fn(arg) on the stack that ends at top (a
 * handler libc runs itself for SA_ONSTACK), then back on this one.
 */
	.globl __sig_onstack
__sig_onstack:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	sd	s0, 0(sp)
	mv	s0, sp
	andi	sp, a2, -16
	mv	t0, a0
	mv	a0, a1
	jalr	t0
	mv	sp, s0
	ld	s0, 0(sp)
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret
