/* Program entry: a0 = struct startinfo (or struct bootinfo for the root task), sp set. */
	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
	andi	sp, sp, -16
	call	__libsys_start
1:	j	1b

/* Threads started by thread_start_fn: sp -> { fn, arg }. */
	.text
	.globl __thread_entry
__thread_entry:
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
	ld	t0, 0(sp)
	ld	a0, 8(sp)
	addi	sp, sp, 16
	jalr	t0
	call	thread_exit
1:	j	1b
