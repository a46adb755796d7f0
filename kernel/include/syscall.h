#ifndef SYSCALL_H
#define SYSCALL_H
#include "thread.h"
#include "ipc.h"

/* a handler returns 0, -E_*, or SYS_BLOCKED: the thread blocked or died, leave its registers */
#define SYS_BLOCKED IPC_BLOCKED
typedef long (*sys_fn)(struct thread *t, uint64_t *a);

void syscall_dispatch(struct thread *t);
extern uint64_t syscall_count;

/* look a handle of the calling thread up; on success *obj is the object */
int handle_get(struct thread *t, int64_t h, uint32_t type, uint32_t need, struct hslot **slot);
#define GET(t, h, type, need, var)                                  \
	do {                                                        \
		struct hslot *s__;                                  \
		int e__ = handle_get(t, h, type, need, &s__);       \
		if (e__)                                            \
			return e__;                                 \
		var = (void *)s__->obj;                             \
	} while (0)
/* hand a new object to the caller as a handle in a1; drops the creation reference */
long give_new(struct thread *t, struct kobj *o, uint32_t rights);

#define SYSCALLS(X) \
	X(sys_null) X(sys_debug_puts) X(sys_yield) \
	X(sys_send) X(sys_call) X(sys_recv) X(sys_reply) X(sys_replyrecv) X(sys_reply_save) \
	X(sys_ep_create) X(sys_ntfn_create) X(sys_ntfn_signal) X(sys_ntfn_wait) X(sys_ntfn_poll) X(sys_ntfn_bind) \
	X(sys_handle_dup) X(sys_handle_close) X(sys_handle_give) X(sys_handle_info) X(sys_cspace_create) X(sys_cspace_clear) X(sys_cspace_clone) X(sys_handle_replace) \
	X(sys_as_create) X(sys_as_map) X(sys_as_unmap) X(sys_as_copy) X(sys_as_map_device) X(sys_device_sub) X(sys_as_protect) X(sys_as_clone) \
	X(sys_thread_create) X(sys_thread_start) X(sys_thread_exit) X(sys_thread_suspend) X(sys_thread_resume) \
	X(sys_thread_destroy) X(sys_thread_set_prio) X(sys_thread_read_regs) X(sys_thread_write_regs) X(sys_thread_clone) X(sys_ntfn_timer) \
	X(sys_irq_get) X(sys_irq_bind) X(sys_irq_ack) X(sys_sysinfo) X(sys_poweroff) \
	X(sys_thread_interrupt) X(sys_thread_setcontext) X(sys_trace) X(sys_thread_name)
#define DECL(f) long f(struct thread *t, uint64_t *a);
SYSCALLS(DECL)
#undef DECL
#endif
