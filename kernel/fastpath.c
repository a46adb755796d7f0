/*
 * IPC fast path: SYS_CALL to a waiting receiver and SYS_REPLYRECV to a
 * waiting caller, when nothing unusual is going on, switch straight to the
 * partner without touching the run queue.  It is a chain of guard checks;
 * if any fails nothing has changed and the slow path (syscall_dispatch,
 * ipc.c) handles the call, with the same result.  Buffers, handles, saved
 * replies, faults, queued senders, bound notifications and a more important
 * runnable thread all take the slow path.  The in-guest IPC tests exercise
 * both (words only: fast; buffers, handles and saved replies: slow).
 */
#include "fastpath.h"
#include "ipc.h"
#include "syscall.h"
#include "trace.h"

/* may `partner` run now? only if nothing runnable is more important */
static inline bool partner_may_run(struct thread *partner)
{
	return !partner->t_suspended && !sched_should_preempt(partner->t_prio + 1);
}

static inline void copy_words(uint64_t *dst, const uint64_t *src, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		dst[word_reg[i]] = src[word_reg[i]];
}

struct thread *ipc_fastpath(struct cpu *c, struct thread *t)
{
	uint64_t *x = t->t_ctx.x;
	uint64_t nr = x[REG_A7], info = x[REG_A1];
	unsigned n = IPC_NWORDS(info) > IPC_MAX_WORDS ? IPC_MAX_WORDS : IPC_NWORDS(info);
	struct hslot *s;
	struct endpoint *ep;
	struct thread *p;
	(void)c;

	if ((info & IPC_EXT_SEND) || IPC_LABEL(info) >= LABEL_KERNEL_MIN || trace_on)
		return NULL;
	/* killed or held by another hart while it ran: the slow path sorts that out */
	if (t->t_state != T_RUNNING || t->t_suspended)
		return NULL;
	if (nr == SYS_CALL) {
		if (cspace_lookup(t->t_cs, (int64_t)x[REG_A0], OBJ_ENDPOINT, R_SEND, &s))
			return NULL;
		ep = (struct endpoint *)s->obj;
		if (ep->ep_qstate != T_RECV)
			return NULL;
		p = container_of(ep->ep_queue.next, struct thread, t_link);
		if (!partner_may_run(p))
			return NULL;
		/* no failure past this point */
		syscall_count++;
		ipc_count++;
		x[CTX_PC] += 4;
		ep_dequeue(p);
		copy_words(p->t_ctx.x, x, n);
		p->t_ctx.x[REG_A0] = 0;
		p->t_ctx.x[REG_A1] = IPC_INFO(IPC_LABEL(info), n) | IPC_FROM_CALL |
				     (p->t_ctx.x[REG_A1] & IPC_EXT);
		p->t_ctx.x[REG_A6] = s->badge;
		p->t_ctx.x[REG_A7] = t->t_id;
		t->t_sendop = OP_CALL;
		t->t_send_grant = (s->rights & R_GRANT) != 0;
		t->t_state = T_REPLY;
		t->t_replier = p;
		p->t_caller = t;
		return p;
	}
	if (nr == SYS_REPLYRECV) {
		p = t->t_caller;
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
		syscall_count++;
		ipc_count++;
		x[CTX_PC] += 4;
		copy_words(p->t_ctx.x, x, n);
		p->t_ctx.x[REG_A0] = 0;
		p->t_ctx.x[REG_A1] = IPC_INFO(IPC_LABEL(info), n) | (p->t_ctx.x[REG_A1] & IPC_EXT);
		p->t_ctx.x[REG_A6] = 0;
		p->t_ctx.x[REG_A7] = t->t_id;
		t->t_caller = NULL;
		p->t_replier = NULL;
		ep_enqueue(ep, t, T_RECV);
		return p;
	}
	return NULL;
}
