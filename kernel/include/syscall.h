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

/* every handler: long sys_name(struct thread *, uint64_t *a), one per line of uapi/syscalls.def */
#define SYSCALL(NAME, name, doc) long sys_##name(struct thread *t, uint64_t *a);
#include "uapi/syscalls.def"
#undef SYSCALL
#endif
