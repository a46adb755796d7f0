/*
 * IPC kernel calls.  Registers (uapi/abi.h): a0 handle, a1 info, words in
 * a2..a5,t0..t3, t4 = struct ipc_ext when IPC_EXT.  Rights: R_SEND to send or
 * call, R_RECV to receive, R_GRANT for a handle to travel.
 *   SYS_SEND(ep)       -> 0 once delivered        E_BADF E_ACCES E_FAULT E_MSGSIZE
 *   SYS_CALL(ep)       -> the reply               same, E_PIPE if the server let go
 *   SYS_RECV(ep)       -> a message, a6 = badge   E_BADF E_ACCES
 *   SYS_REPLY()        reply to the last caller   E_PIPE if none
 *   SYS_REPLYRECV(ep)  reply, then receive
 *   SYS_REPLY_SAVE()   -> a1 reply handle (send on it once to answer)
 */
#include "syscall.h"
#include "kalloc.h"

static long do_send(struct thread *t, uint64_t *a, enum sendop op)
{
	struct hslot *s;
	int err;

	err = handle_get(t, (int64_t)a[0], OBJ_NONE, 0, &s);
	if (err)
		return err;
	if (IPC_LABEL(t->t_ctx.x[REG_A1]) >= LABEL_KERNEL_MIN)
		return -E_INVAL;                /* nobody may pose as the kernel */
	if ((err = ipc_check_ext(t)))
		return err;
	if (s->obj->type == OBJ_REPLY && op == OP_SEND) {
		/* answering a saved reply: one use, then the handle is gone */
		struct reply *r = (struct reply *)s->obj;
		struct thread *c = r->r_caller;
		err = c ? ipc_reply(t, c) : -E_PIPE;
		cspace_close(t->t_cs, (int64_t)a[0]);
		return err;
	}
	if (s->obj->type != OBJ_ENDPOINT)
		return -E_BADF;
	if (!(s->rights & R_SEND))
		return -E_ACCES;
	return ipc_send(t, (struct endpoint *)s->obj, s->badge, op, (s->rights & R_GRANT) != 0);
}

long sys_send(struct thread *t, uint64_t *a) { return do_send(t, a, OP_SEND); }
long sys_call(struct thread *t, uint64_t *a) { return do_send(t, a, OP_CALL); }

long sys_recv(struct thread *t, uint64_t *a)
{
	struct endpoint *ep;
	GET(t, (int64_t)a[0], OBJ_ENDPOINT, R_RECV, ep);
	return ipc_recv(t, ep);
}

long sys_reply(struct thread *t, uint64_t *a)
{
	int err;
	(void)a;
	if (!t->t_caller)
		return -E_PIPE;
	if (IPC_LABEL(t->t_ctx.x[REG_A1]) >= LABEL_KERNEL_MIN)
		return -E_INVAL;
	if ((err = ipc_check_ext(t)))
		return err;
	return ipc_reply(t, t->t_caller);
}

long sys_replyrecv(struct thread *t, uint64_t *a)
{
	struct endpoint *ep;
	GET(t, (int64_t)a[0], OBJ_ENDPOINT, R_RECV, ep);
	if (t->t_caller && IPC_LABEL(t->t_ctx.x[REG_A1]) < LABEL_KERNEL_MIN && ipc_check_ext(t) == 0)
		ipc_reply(t, t->t_caller);      /* a reply that cannot be delivered fails the caller */
	return ipc_recv(t, ep);
}

long sys_reply_save(struct thread *t, uint64_t *a)
{
	struct thread *c = t->t_caller;
	struct reply *r;
	long err;
	(void)a;

	if (!c)
		return -E_PIPE;
	if (!(r = obj_new(t->t_cs, sizeof(*r), OBJ_REPLY, &err)))
		return err;
	r->r_caller = c;
	c->t_reply_obj = r;
	c->t_replier = NULL;
	t->t_caller = NULL;
	return give_new(t, &r->o, R_SEND);
}

long sys_ep_create(struct thread *t, uint64_t *a)
{
	long err;
	struct endpoint *ep = obj_new(t->t_cs, sizeof(*ep), OBJ_ENDPOINT, &err);
	(void)a;
	if (!ep)
		return err;
	list_init(&ep->ep_queue);
	ep->ep_qstate = -1;
	return give_new(t, &ep->o, R_SEND | R_RECV | R_GRANT);
}

long sys_ntfn_create(struct thread *t, uint64_t *a)
{
	long err;
	struct ntfn *n = obj_new(t->t_cs, sizeof(*n), OBJ_NTFN, &err);
	(void)a;
	if (!n)
		return err;
	return give_new(t, &n->o, R_SEND | R_RECV);
}

long sys_ntfn_signal(struct thread *t, uint64_t *a)
{
	struct ntfn *n;
	GET(t, (int64_t)a[0], OBJ_NTFN, R_SEND, n);
	ntfn_signal(n, a[1]);
	return 0;
}

long sys_ntfn_wait(struct thread *t, uint64_t *a)
{
	struct ntfn *n;
	GET(t, (int64_t)a[0], OBJ_NTFN, R_RECV, n);
	return ntfn_wait(t, n, true);
}

long sys_ntfn_poll(struct thread *t, uint64_t *a)
{
	struct ntfn *n;
	GET(t, (int64_t)a[0], OBJ_NTFN, R_RECV, n);
	return ntfn_wait(t, n, false);
}

/* SYS_NTFN_TIMER(ntfn, bits, deadline): R_SEND; deadline in time-CSR ticks, 0 cancels */
long sys_ntfn_timer(struct thread *t, uint64_t *a)
{
	struct ntfn *n;
	GET(t, (int64_t)a[0], OBJ_NTFN, R_SEND, n);
	ntfn_set_timer(n, a[1], a[2]);
	return 0;
}

long sys_ntfn_bind(struct thread *t, uint64_t *a)
{
	struct ntfn *n;
	struct thread *target;
	GET(t, (int64_t)a[0], OBJ_NTFN, R_RECV, n);
	GET(t, (int64_t)a[1], OBJ_THREAD, R_CONTROL, target);
	if (target->t_state == T_DEAD)
		return -E_SRCH;
	if (n->n_bound || target->t_bound)
		return -E_BUSY;
	n->n_bound = target;
	target->t_bound = n;
	return 0;
}
