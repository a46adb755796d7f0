/*
 * Synchronous IPC and notifications.
 *
 * A message lives in the sender's saved registers until it is delivered:
 * label and word count in a1, words in a2..a5,t0..t3, an optional struct
 * ipc_ext (buffer, handle) at t4.  Delivery copies them into the receiver's
 * saved registers (and its buffer and handle table); nothing is queued in the
 * kernel but the blocked threads themselves.
 *
 * Rule for failures: what is wrong on the sender's side is found before it
 * blocks (ipc_check_ext); what goes wrong at delivery (the receiver's buffer
 * is too small, its table is full, a page went away) fails the sender's
 * operation and leaves the receiver waiting.
 */
#include "thread.h"
#include "vm.h"
#include "ipc.h"
#include "trace.h"

uint64_t ipc_count;

static void set_status(struct thread *t, long err)
{
	t->t_ctx.x[REG_A0] = (uint64_t)err;
}

/* wake a thread blocked in IPC with a status in a0 */
static void wake(struct thread *t, long status)
{
	set_status(t, status);
	sched_make_runnable(t);
}

int ipc_check_ext(struct thread *s)
{
	struct ipc_ext ext;
	struct hslot *slot;

	if ((s->t_ctx.x[REG_A1] & (IPC_EXT | IPC_EXT_SEND)) != (IPC_EXT | IPC_EXT_SEND))
		return 0;
	if (copy_from_user(s->t_as->as_root, &ext, s->t_ctx.x[REG_T4], sizeof(ext)))
		return -E_FAULT;
	if (ext.slen > IPC_MAX_BUF)
		return -E_MSGSIZE;
	if (ext.slen && !vm_user_range_ok(ext.sbuf, ext.slen))
		return -E_FAULT;
	if (ext.scap >= 0 && cspace_lookup(s->t_cs, ext.scap, OBJ_NONE, 0, &slot))
		return -E_BADF;
	return 0;
}

/*
 * Move a message from s (sending with `op`, through a handle whose badge is
 * `badge`) into r.  Nothing in r changes unless it succeeds.
 */
static int deliver(struct thread *s, struct thread *r, uint64_t badge, enum sendop op, bool grant)
{
	uint64_t *rx = r->t_ctx.x, *sx = s->t_ctx.x;
	uint64_t info, flags = 0;
	struct ipc_ext sext, rext;
	bool rhas_ext = (rx[REG_A1] & IPC_EXT) != 0;    /* r's a1 is left alone until the end */
	int64_t newcap = -1;
	unsigned n;

	if (op == OP_FAULT || op == OP_EXIT) {
		if (op == OP_FAULT) {
			rx[word_reg[0]] = s->t_fault[0];
			rx[word_reg[1]] = s->t_fault[1];
			rx[word_reg[2]] = s->t_fault[2];
			rx[word_reg[3]] = s->t_id;
			ipc_set_received(r, s, IPC_INFO(LABEL_FAULT, 4) | IPC_FROM_CALL, badge);
		} else {
			rx[word_reg[0]] = s->t_exit_code;
			rx[word_reg[1]] = s->t_id;
			ipc_set_received(r, s, IPC_INFO(LABEL_EXIT, 2), badge);
		}
		if (trace_on)
			trace_msg(s, r, op, IPC_LABEL(rx[REG_A1]), IPC_NWORDS(rx[REG_A1]), 0, false);
		return 0;
	}

	info = sx[REG_A1];
	/* checked again here, not only when the call was made: a blocked sender's
	   registers may have been rewritten since (SYS_THREAD_WRITE_REGS) */
	if (IPC_LABEL(info) >= LABEL_KERNEL_MIN)
		return -E_INVAL;
	n = MIN(IPC_NWORDS(info), IPC_MAX_WORDS);
	if ((info & (IPC_EXT | IPC_EXT_SEND)) == (IPC_EXT | IPC_EXT_SEND)) {
		if (copy_from_user(s->t_as->as_root, &sext, sx[REG_T4], sizeof(sext)))
			return -E_FAULT;
		if (sext.slen || sext.scap >= 0) {
			if (!rhas_ext || copy_from_user(r->t_as->as_root, &rext, rx[REG_T4], sizeof(rext)))
				return sext.slen ? -E_MSGSIZE : -E_PIPE;
		}
		if (sext.slen) {
			if (sext.slen > IPC_MAX_BUF)
				return -E_MSGSIZE;
			if (sext.slen > rext.rlen)
				return -E_MSGSIZE;
			if (copy_user_to_user(r->t_as->as_root, rext.rbuf, s->t_as->as_root, sext.sbuf, sext.slen))
				return -E_FAULT;
			flags |= IPC_GOT_BUF;
		}
		if (sext.scap >= 0) {
			struct hslot *slot;
			if (!grant)
				return -E_ACCES;
			if (cspace_lookup(s->t_cs, sext.scap, OBJ_NONE, 0, &slot))
				return -E_BADF;
			newcap = cspace_insert(r->t_cs, slot->obj, slot->rights & sext.scap_rights, slot->badge);
			if (newcap < 0)
				return (int)newcap;
			flags |= IPC_GOT_CAP;
		}
		if (flags) {
			rext.rcap = newcap;
			rext.rbytes = (flags & IPC_GOT_BUF) ? sext.slen : 0;
			if (copy_to_user(r->t_as->as_root, rx[REG_T4], &rext, sizeof(rext))) {
				if (newcap >= 0)
					cspace_close(r->t_cs, newcap);
				return -E_FAULT;
			}
		}
	}
	ipc_deliver_words(r, s, info, n, flags | (op == OP_CALL ? IPC_FROM_CALL : 0), badge);
	if (trace_on)
		trace_msg(s, r, op, IPC_LABEL(info), n, (flags & IPC_GOT_BUF) ? (uint32_t)sext.slen : 0,
			  (flags & IPC_GOT_CAP) != 0);
	return 0;
}

/* after a successful delivery from s to r: what becomes of s */
static void sender_done(struct thread *s, struct thread *r, enum sendop op)
{
	switch (op) {
	case OP_CALL:
	case OP_FAULT:
		ipc_link_caller(s, r);
		break;
	case OP_SEND:
	case OP_REPLY:
		if (s->t_state != T_RUNNING)
			wake(s, 0);
		break;
	case OP_EXIT:
		thread_kill(s);
		break;
	}
}

void ep_enqueue(struct endpoint *ep, struct thread *t, enum tstate st)
{
	t->t_state = st;
	t->t_ep = ep;
	ep->ep_qstate = st;
	obj_ref(&t->o);             /* the queue holds the thread */
	list_add_tail(&ep->ep_queue, &t->t_link);
}

void ep_dequeue(struct thread *t)
{
	struct endpoint *ep = t->t_ep;
	list_del(&t->t_link);
	t->t_ep = NULL;
	if (list_empty(&ep->ep_queue))
		ep->ep_qstate = -1;
	obj_unref(&t->o);
}

/*
 * Nobody will answer c's call: it gets E_PIPE.  A faulted thread keeps its
 * registers and simply runs again (and faults again if nothing changed).
 */
void ipc_fail_caller(struct thread *c)
{
	if (c->t_state != T_REPLY)
		return;
	if (c->t_sendop == OP_FAULT)
		sched_make_runnable(c);
	else
		wake(c, -E_PIPE);
}

/* drop the reply slot of r: its caller gets E_PIPE */
static void drop_caller(struct thread *r)
{
	struct thread *c = r->t_caller;
	if (!c)
		return;
	reply_unlink(c);
	ipc_fail_caller(c);
}

int ipc_send(struct thread *s, struct endpoint *ep, uint64_t badge, enum sendop op, bool grant)
{
	s->t_sendop = op;               /* ipc_reply tells a fault from a call by it */
	s->t_send_grant = grant;        /* and lets a reply carry a handle back if set */
	if (ep->ep_qstate == T_RECV) {
		struct thread *r = container_of(ep->ep_queue.next, struct thread, t_link);
		int err = deliver(s, r, badge, op, grant);
		if (err)
			return err;
		ep_dequeue(r);
		sched_make_runnable(r);
		sender_done(s, r, op);
		return s->t_state == T_RUNNING ? 0 : IPC_BLOCKED;
	}
	s->t_send_badge = badge;
	ep_enqueue(ep, s, T_SEND);
	return IPC_BLOCKED;
}

static bool take_bound_signal(struct thread *r)
{
	struct ntfn *n = r->t_bound;
	if (!n || !n->n_bits)
		return false;
	r->t_ctx.x[word_reg[0]] = n->n_bits;
	r->t_ctx.x[REG_A1] = IPC_INFO(LABEL_NTFN, 1);
	r->t_ctx.x[REG_A6] = 0;
	r->t_ctx.x[REG_A7] = 0;
	n->n_bits = 0;
	set_status(r, 0);
	return true;
}

int ipc_recv(struct thread *r, struct endpoint *ep)
{
	drop_caller(r);
	if (take_bound_signal(r))
		return 0;
	while (ep->ep_qstate == T_SEND) {
		struct thread *s = container_of(ep->ep_queue.next, struct thread, t_link);
		enum sendop op = s->t_sendop;
		int err;

		obj_ref(&s->o);
		ep_dequeue(s);
		err = deliver(s, r, s->t_send_badge, op, s->t_send_grant);
		if (err) {
			wake(s, err);
		} else {
			sender_done(s, r, op);
		}
		obj_unref(&s->o);
		if (!err)
			return 0;
	}
	ep_enqueue(ep, r, T_RECV);
	return IPC_BLOCKED;
}

int ipc_reply(struct thread *r, struct thread *c)
{
	int err = 0;

	if (!c || c->t_state != T_REPLY)
		return -E_PIPE;
	reply_unlink(c);                /* r's slot or the saved reply naming c: used up */
	if (c->t_sendop == OP_FAULT) {
		/* resume the faulting thread as it is (the handler may have set its registers) */
		sched_make_runnable(c);
		return 0;
	}
	err = deliver(r, c, 0, OP_REPLY, c->t_send_grant);
	wake(c, err);
	return err;
}

/* take t out of the IPC wait it is blocked in, if any (true if it was) */
bool ipc_abort_wait(struct thread *t)
{
	switch (t->t_state) {
	case T_SEND:
	case T_RECV:
		if (t->t_ep)            /* NULL: already taken off, being delivered */
			ep_dequeue(t);
		break;
	case T_REPLY:
		reply_unlink(t);
		break;
	case T_NTFN:
		if (t->t_ntfn->n_waiter == t)
			t->t_ntfn->n_waiter = NULL;
		t->t_ntfn = NULL;
		break;
	default:
		return false;
	}
	return true;
}

/* take t out of whatever IPC it is blocked in; partners are told E_PIPE */
void ipc_cancel(struct thread *t)
{
	ipc_abort_wait(t);
	drop_caller(t);
}

/*
 * A thread waiting in ntfn_wait gets the bits first; otherwise the thread
 * bound to the notification, if it is blocked receiving, gets LABEL_NTFN.
 */
void ntfn_signal(struct ntfn *n, uint64_t bits)
{
	struct thread *w = n->n_waiter, *b = n->n_bound;

	n->n_bits |= bits;
	if (!n->n_bits)
		return;
	if (w && w->t_state == T_NTFN && w->t_ntfn == n) {
		n->n_waiter = NULL;
		w->t_ntfn = NULL;
		w->t_ctx.x[REG_A1] = n->n_bits;
		n->n_bits = 0;
		wake(w, 0);
	} else if (b && b->t_state == T_RECV && !b->t_suspended) {
		ep_dequeue(b);
		take_bound_signal(b);
		sched_make_runnable(b);
	}
}

int ntfn_wait(struct thread *t, struct ntfn *n, bool block)
{
	if (n->n_bits) {
		t->t_ctx.x[REG_A1] = n->n_bits;
		n->n_bits = 0;
		return 0;
	}
	if (!block) {
		t->t_ctx.x[REG_A1] = 0;
		return -E_AGAIN;
	}
	if (n->n_waiter && n->n_waiter != t)
		return -E_BUSY;
	n->n_waiter = t;
	t->t_ntfn = n;
	t->t_state = T_NTFN;
	return IPC_BLOCKED;
}

/* ---- notification timers: signal at a deadline (timebase ticks) ---- */
static struct list timers = { &timers, &timers };

void ntfn_set_timer(struct ntfn *n, uint64_t bits, uint64_t deadline)
{
	if (n->n_deadline)
		list_del(&n->n_tlink);
	n->n_deadline = deadline;
	n->n_timer_bits = bits;
	if (deadline)
		list_add_tail(&timers, &n->n_tlink);
}

void ntfn_timers_run(uint64_t now)
{
	struct list *l = timers.next;
	while (l != &timers) {
		struct ntfn *n = container_of(l, struct ntfn, n_tlink);
		l = l->next;
		if (n->n_deadline <= now) {
			uint64_t bits = n->n_timer_bits ? n->n_timer_bits : 1;
			ntfn_set_timer(n, 0, 0);
			ntfn_signal(n, bits);
		}
	}
}

/*
 * The last reference to ep is gone while threads may still be queued on it
 * (queues hold the threads, not the endpoint): senders and receivers learn
 * with E_PIPE; a fault or exit message with nowhere to go ends its thread.
 */
void ipc_ep_destroy(struct endpoint *ep)
{
	while (!list_empty(&ep->ep_queue)) {
		struct thread *t = container_of(ep->ep_queue.next, struct thread, t_link);
		enum sendop op = t->t_sendop;
		bool sender = t->t_state == T_SEND;

		obj_ref(&t->o);
		ep_dequeue(t);
		if (sender && (op == OP_FAULT || op == OP_EXIT))
			thread_kill(t);
		else
			wake(t, -E_PIPE);
		obj_unref(&t->o);
	}
}

/* the last reference to n is gone: its timer stops, the thread bound to it or waiting on it lets go */
void ntfn_destroy(struct ntfn *n)
{
	ntfn_set_timer(n, 0, 0);
	if (n->n_bound)
		n->n_bound->t_bound = NULL;
	if (n->n_waiter && n->n_waiter->t_state == T_NTFN) {
		n->n_waiter->t_ntfn = NULL;
		n->n_waiter->t_ctx.x[REG_A0] = (uint64_t)-E_SRCH;
		sched_make_runnable(n->n_waiter);
	}
}

/* a reply object goes unanswered: its caller learns the server let go */
void reply_destroy(struct reply *r)
{
	struct thread *c = r->r_caller;
	if (!c)
		return;
	c->t_reply_obj = NULL;
	ipc_fail_caller(c);
}
