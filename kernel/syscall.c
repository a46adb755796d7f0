/*
 * Kernel call dispatch: the number is range-checked, then the handler is
 * called through the table; each handler checks its handles' types and rights.
 * Handler order in the table must match the SYS_* enumeration in uapi/abi.h.
 */
#include "syscall.h"
#include "trace.h"

uint64_t syscall_count;

static const sys_fn table[SYS_NCALLS] = {
	[SYS_NULL] = sys_null,                  /* nothing: entry/exit cost */
	[SYS_DEBUG_PUTS] = sys_debug_puts,      /* early print (R_DEBUG) */
	[SYS_YIELD] = sys_yield,
	[SYS_SEND] = sys_send,                  /* IPC: send, blocks for a receiver */
	[SYS_CALL] = sys_call,                  /* IPC: send and wait for the reply */
	[SYS_RECV] = sys_recv,
	[SYS_REPLY] = sys_reply,
	[SYS_REPLYRECV] = sys_replyrecv,
	[SYS_REPLY_SAVE] = sys_reply_save,      /* keep a caller for a later reply */
	[SYS_EP_CREATE] = sys_ep_create,
	[SYS_NTFN_CREATE] = sys_ntfn_create,
	[SYS_NTFN_SIGNAL] = sys_ntfn_signal,
	[SYS_NTFN_WAIT] = sys_ntfn_wait,
	[SYS_NTFN_POLL] = sys_ntfn_poll,
	[SYS_NTFN_BIND] = sys_ntfn_bind,
	[SYS_HANDLE_DUP] = sys_handle_dup,
	[SYS_HANDLE_CLOSE] = sys_handle_close,
	[SYS_HANDLE_GIVE] = sys_handle_give,
	[SYS_HANDLE_INFO] = sys_handle_info,
	[SYS_CSPACE_CREATE] = sys_cspace_create,
	[SYS_CSPACE_CLEAR] = sys_cspace_clear,
	[SYS_CSPACE_CLONE] = sys_cspace_clone,
	[SYS_HANDLE_REPLACE] = sys_handle_replace,
	[SYS_AS_CREATE] = sys_as_create,
	[SYS_AS_MAP] = sys_as_map,
	[SYS_AS_UNMAP] = sys_as_unmap,
	[SYS_AS_COPY] = sys_as_copy,
	[SYS_AS_MAP_DEVICE] = sys_as_map_device,
	[SYS_DEVICE_SUB] = sys_device_sub,
	[SYS_AS_PROTECT] = sys_as_protect,
	[SYS_AS_CLONE] = sys_as_clone,          /* fork: copy-on-write copy */
	[SYS_THREAD_CREATE] = sys_thread_create,
	[SYS_THREAD_START] = sys_thread_start,
	[SYS_THREAD_EXIT] = sys_thread_exit,
	[SYS_THREAD_SUSPEND] = sys_thread_suspend,
	[SYS_THREAD_RESUME] = sys_thread_resume,
	[SYS_THREAD_DESTROY] = sys_thread_destroy,
	[SYS_THREAD_SET_PRIO] = sys_thread_set_prio,
	[SYS_THREAD_READ_REGS] = sys_thread_read_regs,
	[SYS_THREAD_WRITE_REGS] = sys_thread_write_regs,
	[SYS_THREAD_CLONE] = sys_thread_clone,  /* fork: an lwp's context into another AS */
	[SYS_NTFN_TIMER] = sys_ntfn_timer,
	[SYS_IRQ_GET] = sys_irq_get,
	[SYS_IRQ_BIND] = sys_irq_bind,
	[SYS_IRQ_ACK] = sys_irq_ack,
	[SYS_SYSINFO] = sys_sysinfo,
	[SYS_POWEROFF] = sys_poweroff,
	[SYS_THREAD_INTERRUPT] = sys_thread_interrupt,
	[SYS_THREAD_SETCONTEXT] = sys_thread_setcontext,
	[SYS_TRACE] = sys_trace,                /* the IPC trace (trace.c) */
	[SYS_THREAD_NAME] = sys_thread_name,
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
