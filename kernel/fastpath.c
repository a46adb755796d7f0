/*
 * IPC fast path: SYS_CALL to a waiting receiver and SYS_REPLYRECV to a
 * waiting caller, when nothing unusual is going on, switch straight to the
 * partner without touching the run queue; SYS_SEND on a saved reply to a
 * caller waiting on a call hands it the words, makes it runnable and
 * returns (or, if the caller now outranks us, leaves through the scheduler).
 * It is a chain of guard checks; if any fails nothing has changed and the
 * slow path (syscall_dispatch, ipc.c) handles the call, with the same
 * result.  Buffers, handles, faults, queued senders, bound notifications and
 * a more important runnable thread all take the slow path.  The in-guest IPC
 * tests exercise both (words only: fast; buffers and handles: slow;
 * ktest ipc_saved_reply_words: a saved reply both ways).
 */
#include "fastpath.h"
#include "ipc.h"
#include "syscall.h"
#include "trace.h"

/*
 * may `partner`, which waited, run now? only if nothing runnable is more
 * important than its own priority (a woken thread has no decay: sched.c)
 */
static inline bool partner_may_run(struct thread *partner)
{
	return !partner->t_suspended && !sched_should_preempt(partner->t_base_prio + 1);
}

/*
 * t's call is past its last check: count it, step t past its ecall, and give
 * p the words of t's message, its label and count (as a reply or a message),
 * with badge in a6 (ipc.h: the slow path's own layout)
 */
static inline void deliver_words(struct thread *p, struct thread *t, uint64_t info, unsigned n, uint64_t flags,
				 uint64_t badge)
{
	syscall_count++;
	t->t_ctx.x[CTX_PC] += 4;
	ipc_deliver_words(p, t, info, n, flags, badge);
}

/* SYS_CALL to a receiver waiting on the endpoint: switch to it */
static struct thread *fast_call(struct thread *t, uint64_t info, unsigned n)
{
	uint64_t *x = t->t_ctx.x;
	struct hslot *s;
	struct endpoint *ep;
	struct thread *p;

	if (cspace_lookup(t->t_cs, (int64_t)x[REG_A0], OBJ_ENDPOINT, R_SEND, &s))
		return NULL;
	ep = (struct endpoint *)s->obj;
	if (ep->ep_qstate != T_RECV)
		return NULL;
	p = container_of(ep->ep_queue.next, struct thread, t_link);
	if (!partner_may_run(p))
		return NULL;
	/* no failure past this point */
	ep_dequeue(p);
	p->t_prio = p->t_base_prio;
	deliver_words(p, t, info, n, IPC_FROM_CALL, s->badge);
	t->t_sendop = OP_CALL;
	t->t_send_grant = (s->rights & R_GRANT) != 0;
	ipc_link_caller(t, p);
	return p;
}

/*
 * SYS_SEND on a saved reply whose caller waits on a call: what ipc_reply()
 * and deliver() do for words.  The caller becomes runnable; we go on unless
 * it (or anything else) now outranks us.
 */
static struct thread *fast_send_reply(struct cpu *c, struct thread *t, uint64_t info, unsigned n)
{
	uint64_t *x = t->t_ctx.x;
	struct hslot *s;
	struct reply *r;
	struct thread *p;

	if (cspace_lookup(t->t_cs, (int64_t)x[REG_A0], OBJ_REPLY, 0, &s))
		return NULL;
	r = (struct reply *)s->obj;
	p = r->r_caller;
	if (!p || p->t_state != T_REPLY || p->t_sendop != OP_CALL)
		return NULL;
	/* no failure past this point */
	deliver_words(p, t, info, n, 0, 0);
	reply_unlink(p);
	sched_make_runnable(p);
	x[REG_A0] = 0;
	cspace_close_slot(t->t_cs, s);  /* one use: the handle goes, and the object with it */
	if (sched_should_preempt(t->t_prio + 1) || c->c_resched)
		kernel_exit();          /* as the slow path's exit would: the better one runs */
	return t;
}

/* SYS_REPLYRECV: reply to a caller waiting on a call, wait on the endpoint, switch to the caller */
static struct thread *fast_replyrecv(struct thread *t, uint64_t info, unsigned n)
{
	uint64_t *x = t->t_ctx.x;
	struct hslot *s;
	struct endpoint *ep;
	struct thread *p = t->t_caller;

	if (!p || p->t_state != T_REPLY || p->t_sendop != OP_CALL || p->t_reply_obj)
		return NULL;
	if (cspace_lookup(t->t_cs, (int64_t)x[REG_A0], OBJ_ENDPOINT, R_RECV, &s))
		return NULL;
	ep = (struct endpoint *)s->obj;
	if (ep->ep_qstate == T_SEND || (t->t_bound && t->t_bound->n_bits))
		return NULL;
	if (!partner_may_run(p))
		return NULL;
	/* no failure past this point */
	p->t_prio = p->t_base_prio;
	deliver_words(p, t, info, n, 0, 0);
	reply_unlink(p);
	ep_enqueue(ep, t, T_RECV);
	return p;
}

struct thread *ipc_fastpath(struct cpu *c, struct thread *t)
{
	uint64_t nr = t->t_ctx.x[REG_A7], info = t->t_ctx.x[REG_A1];
	unsigned n = IPC_NWORDS(info) > IPC_MAX_WORDS ? IPC_MAX_WORDS : IPC_NWORDS(info);

	if ((info & IPC_EXT_SEND) || IPC_LABEL(info) >= LABEL_KERNEL_MIN || trace_on)
		return NULL;
	/* killed or held by another hart while it ran: the slow path sorts that out */
	if (t->t_state != T_RUNNING || t->t_suspended)
		return NULL;
	if (nr == SYS_CALL)
		return fast_call(t, info, n);
	if (nr == SYS_REPLYRECV)
		return fast_replyrecv(t, info, n);
	if (nr == SYS_SEND)
		return fast_send_reply(c, t, info, n);
	return NULL;
}
