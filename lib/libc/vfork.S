/*
 * vfork: the child borrows our address space, stack included, until it
 * execs or exits, while we wait in the proc server.  Nothing we need after
 * the call may live in memory the child can overwrite: the return address
 * stays in t5, which the kernel preserves across IPC (only a0..a7 and
 * t0..t3 carry the reply) and copies into the child.
 */
	.text
	.globl vfork
vfork:
	mv	t5, ra
	la	t6, startinfo
	ld	t6, 0(t6)
	beqz	t6, 9f
	ld	a0, 48(t6)              /* startinfo->h_proc */
	li	a1, 1                   /* IPC_INFO(PROC_FORKSYS, 2) */
	li	t0, 2
	slli	t0, t0, 32
	or	a1, a1, t0
	li	a2, 2                   /* FORK_VFORK */
	li	a3, 0                   /* no flags */
	li	a7, 4                   /* SYS_CALL */
	ecall
	mv	ra, t5
	bnez	a0, 8f                  /* the kernel refused the call */
	slli	t0, a1, 32
	srli	t0, t0, 32              /* the reply label: an errno */
	bnez	t0, 7f
	bnez	a3, 1f                  /* rval2 == 1: we are the child */
	mv	a0, a2                  /* the parent: the child's pid */
	ret
1:	li	a0, 0
	ret
7:	li	a0, 0
	mv	a1, t0
	tail	__vfork_fail
8:	li	a1, 0
	tail	__vfork_fail
9:	mv	ra, t5
	li	a0, -88
	li	a1, 0
	tail	__vfork_fail
