/*
 * IPC fast path: SYS_CALL to a waiting receiver and SYS_REPLYRECV to a
 * waiting caller, when nothing unusual is going on, switch straight to the
 * partner without touching the run queue; SYS_SEND on a saved reply to a
 * caller waiting on a call hands it the words, makes it runnable and goes on
 * with whatever the scheduler would pick on the way out.
 *
 * Each function is a chain of guards, one condition each, with the reason
 * the slow path must take that case; if any fails nothing has changed and
 * the slow path (syscall_dispatch, ipc.c) handles the call, with the same
 * result.  Past the last guard ("no failure past this point") the commits are
 * the slow path's own, shared through ipc.h: ipc_deliver_words (the
 * receiver's registers), ipc_link_caller, reply_unlink.
 *
 * Tested both ways: test/host/test_fastpath.c runs each scenario through
 * ipc_fastpath() and through syscall_dispatch() from the same state, checks
 * which path took it and compares the outcomes; the in-guest IPC tests
 * exercise both paths too (words only: fast; buffers and handles: slow).
 */
#include "fastpath.h"
#include "ipc.h"
#include "syscall.h"
#include "trace.h"

/* t's call is past its last guard: count it and step t past its ecall, as the slow path's entry does */
static inline void fast_commit(struct thread *t)
{
	syscall_count++;
	t->t_ctx.x[CTX_PC] += 4;
}

/* SYS_CALL to a receiver waiting on the endpoint: switch to it */
static struct thread *fast_call(struct thread *t, uint64_t info, unsigned n)
{
	struct hslot *s;
	struct endpoint *ep;
	struct thread *p;

	/* not an endpoint with R_SEND: its error (or a reply handle's E_BADF) is the slow path's */
	if (cspace_lookup(t->t_cs, (int64_t)t->t_ctx.x[REG_A0], OBJ_ENDPOINT, R_SEND, &s))
		return NULL;
	ep = (struct endpoint *)s->obj;
	/* no receiver waits: the caller is queued on the endpoint */
	if (ep->ep_qstate != T_RECV)
		return NULL;
	p = container_of(ep->ep_queue.next, struct thread, t_link);
	/* a held receiver gets the message but may not run: the run queue keeps it */
	if (p->t_suspended)
		return NULL;
	/* something runnable outranks the receiver: the scheduler must choose */
	if (sched_should_preempt(p->t_base_prio + 1))
		return NULL;
	/* no failure past this point */
	fast_commit(t);
	ep_dequeue(p);
	p->t_prio = p->t_base_prio;     /* it waited: its own priority again (sched_make_runnable) */
	ipc_deliver_words(p, t, info, n, IPC_FROM_CALL, s->badge);
	t->t_sendop = OP_CALL;
	t->t_send_grant = (s->rights & R_GRANT) != 0;
	ipc_link_caller(t, p);
	return p;
}

/*
 * SYS_SEND on a saved reply whose caller waits on a call: what ipc_reply()
 * does for words.  The caller becomes runnable; the hart goes on with what
 * the exit path would choose (us, unless it or anything else now outranks us).
 */
static struct thread *fast_send_reply(struct cpu *c, struct thread *t, uint64_t info, unsigned n)
{
	struct hslot *s;
	struct thread *p;

	/* not a saved reply handle: an endpoint's send, or an error, is the slow path's */
	if (cspace_lookup(t->t_cs, (int64_t)t->t_ctx.x[REG_A0], OBJ_REPLY, 0, &s))
		return NULL;
	p = ((struct reply *)s->obj)->r_caller;
	/* the caller is gone: E_PIPE comes from the slow path */
	if (!p)
		return NULL;
	/* it no longer waits for a reply: ipc_reply's E_PIPE */
	if (p->t_state != T_REPLY)
		return NULL;
	/* a faulted thread resumes with its registers as they are: ipc_reply does that */
	if (p->t_sendop != OP_CALL)
		return NULL;
	/* no failure past this point */
	fast_commit(t);
	ipc_deliver_words(p, t, info, n, 0, 0);
	reply_unlink(p);
	sched_make_runnable(p);
	t->t_ctx.x[REG_A0] = 0;
	cspace_close_slot(t->t_cs, s);  /* one use: the handle goes, and the object with it */
	return sched_next(c, false);    /* never NULL: t itself still runs */
}

/* SYS_REPLYRECV: reply to a caller waiting on a call, wait on the endpoint, switch to the caller */
static struct thread *fast_replyrecv(struct thread *t, uint64_t info, unsigned n)
{
	struct hslot *s;
	struct endpoint *ep;
	struct thread *p = t->t_caller;

	/* nobody to reply to: the slow path only receives */
	if (!p)
		return NULL;
	/* the caller no longer waits for a reply: ipc_reply's E_PIPE */
	if (p->t_state != T_REPLY)
		return NULL;
	/* a faulted thread resumes with its registers as they are: ipc_reply does that */
	if (p->t_sendop != OP_CALL)
		return NULL;
	/* not an endpoint with R_RECV: the error, and no reply, are the slow path's */
	if (cspace_lookup(t->t_cs, (int64_t)t->t_ctx.x[REG_A0], OBJ_ENDPOINT, R_RECV, &s))
		return NULL;
	ep = (struct endpoint *)s->obj;
	/* a sender is queued: the receive takes its message at once */
	if (ep->ep_qstate == T_SEND)
		return NULL;
	/* the bound notification has bits: the receive returns them at once */
	if (t->t_bound && t->t_bound->n_bits)
		return NULL;
	/* a held caller gets the reply but may not run: the run queue keeps it */
	if (p->t_suspended)
		return NULL;
	/* something runnable outranks the caller: the scheduler must choose */
	if (sched_should_preempt(p->t_base_prio + 1))
		return NULL;
	/* no failure past this point */
	fast_commit(t);
	p->t_prio = p->t_base_prio;     /* it waited: its own priority again (sched_make_runnable) */
	ipc_deliver_words(p, t, info, n, 0, 0);
	reply_unlink(p);
	ep_enqueue(ep, t, T_RECV);
	return p;
}

struct thread *ipc_fastpath(struct cpu *c, struct thread *t)
{
	uint64_t nr = t->t_ctx.x[REG_A7], info = t->t_ctx.x[REG_A1];
	unsigned n = MIN(IPC_NWORDS(info), IPC_MAX_WORDS);

	/* a buffer or a handle to send: deliver() checks and moves it */
	if (info & IPC_EXT_SEND)
		return NULL;
	/* a kernel label: E_INVAL from the slow path */
	if (IPC_LABEL(info) >= LABEL_KERNEL_MIN)
		return NULL;
	/* the trace records every message, and only the slow path reports them */
	if (trace_on)
		return NULL;
	/* killed by another hart while it ran: the slow path runs no call for it */
	if (t->t_state != T_RUNNING)
		return NULL;
	/* held by another hart while it ran: the slow path's exit parks it */
	if (t->t_suspended)
		return NULL;
	if (nr == SYS_CALL)
		return fast_call(t, info, n);
	if (nr == SYS_REPLYRECV)
		return fast_replyrecv(t, info, n);
	if (nr == SYS_SEND)
		return fast_send_reply(c, t, info, n);
	return NULL;
}
