/*
 * Kernel call dispatch: the number is range-checked, then the handler is
 * called through the table (made from uapi/syscalls.def, as the numbers
 * are); each handler checks its handles' types and rights.
 */
#include "syscall.h"
#include "trace.h"

uint64_t syscall_count;

/* one handler per line of uapi/syscalls.def: SYS_NAME -> sys_name */
static const sys_fn table[SYS_NCALLS] = {
#define SYSCALL(NAME, name, doc) [SYS_##NAME] = sys_##name,
#include "uapi/syscalls.def"
#undef SYSCALL
};

/* IPC calls are traced as the messages they deliver (ipc.c), or here when they fail */
static bool is_ipc(uint64_t nr)
{
	return nr == SYS_SEND || nr == SYS_CALL || nr == SYS_RECV || nr == SYS_REPLY ||
	       nr == SYS_REPLYRECV;
}

/* syscall_dispatch while the IPC trace is on */
static void traced_dispatch(struct thread *t, uint64_t nr)
{
	uint64_t *a = &t->t_ctx.x[REG_A0];
	struct trace_rec *rec = is_ipc(nr) ? NULL : trace_kcall_begin(t, (unsigned)nr);
	long r = table[nr](t, a);
	if (rec)
		trace_kcall_end(rec, r);
	else if (is_ipc(nr) && r < 0 && r != SYS_BLOCKED && (rec = trace_kcall_begin(t, (unsigned)nr)))
		trace_kcall_end(rec, r);
	if (r != SYS_BLOCKED)
		a[0] = (uint64_t)r;
}

void syscall_dispatch(struct thread *t)
{
	uint64_t *a = &t->t_ctx.x[REG_A0];
	uint64_t nr = t->t_ctx.x[REG_A7];
	long r;

	syscall_count++;
	if (nr >= SYS_NCALLS || !table[nr]) {
		a[0] = (uint64_t)-E_NOSYS;
		return;
	}
	if (trace_on) {
		traced_dispatch(t, nr);
		return;
	}
	r = table[nr](t, a);
	if (r != SYS_BLOCKED)
		a[0] = (uint64_t)r;
}

int handle_get(struct thread *t, int64_t h, uint32_t type, uint32_t need, struct hslot **slot)
{
	return cspace_lookup(t->t_cs, h, type, need, slot);
}

long give_new(struct thread *t, struct kobj *o, uint32_t rights)
{
	int64_t h = cspace_insert(t->t_cs, o, rights, 0);
	obj_unref(o);                   /* the handle now holds it, or it is gone */
	if (h < 0)
		return h;
	t->t_ctx.x[REG_A1] = (uint64_t)h;
	return 0;
}
