#ifndef FASTPATH_H
#define FASTPATH_H
#include "cpu.h"
/*
 * Try the kernel call that t, c's current thread, trapped with (a7 SYS_CALL,
 * SYS_REPLYRECV or SYS_SEND) on the IPC fast path; big kernel lock held.
 * Returns the thread c runs next if the call was done here (t itself, its
 * partner, or what the scheduler picked on the way out: never NULL then), or
 * NULL if nothing has changed and the slow path must take the call.  Always
 * returns: leaving the kernel is the caller's (trap_user: kernel_exit_to).
 */
struct thread *ipc_fastpath(struct cpu *c, struct thread *t);
#endif
