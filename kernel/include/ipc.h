#ifndef IPC_H
#define IPC_H
#include "thread.h"
/* returned by IPC operations when the calling thread blocked: its a0 is set by whoever wakes it */
#define IPC_BLOCKED 1
int ipc_check_ext(struct thread *s);
void ep_enqueue(struct endpoint *ep, struct thread *t, enum tstate st);
void ep_dequeue(struct thread *t);
void ipc_fail_caller(struct thread *c);               /* no reply will come: E_PIPE (faults: rerun) */
#define LABEL_KERNEL_MIN 0xffff0000u                 /* labels from here up are the kernel's */

/*
 * The commits both IPC paths make (ipc.c, fastpath.c), inline so the fast
 * path pays no call for them.  Big kernel lock held.
 */

/* register of message word i: a2..a5, t0..t3 (the one statement of the layout) */
static const uint8_t word_reg[IPC_MAX_WORDS] = { 12, 13, 14, 15, 5, 6, 7, 28 };

/* copy message words 0..n-1 (n <= IPC_MAX_WORDS) between two saved contexts */
static inline void copy_words(uint64_t *dst, const uint64_t *src, unsigned n)
{
	/* unrolled: word_reg[] is constant here, so each case is a load and a store */
#define COPY_WORD(i) dst[word_reg[i]] = src[word_reg[i]]
	switch (n) {
	case 8: COPY_WORD(7); __attribute__((fallthrough));
	case 7: COPY_WORD(6); __attribute__((fallthrough));
	case 6: COPY_WORD(5); __attribute__((fallthrough));
	case 5: COPY_WORD(4); __attribute__((fallthrough));
	case 4: COPY_WORD(3); __attribute__((fallthrough));
	case 3: COPY_WORD(2); __attribute__((fallthrough));
	case 2: COPY_WORD(1); __attribute__((fallthrough));
	case 1: COPY_WORD(0); __attribute__((fallthrough));
	default: break;
	}
#undef COPY_WORD
}

/*
 * r receives a message from s: a1 = `a1` (label, count, flags), a6 = badge,
 * a7 = s's thread id, status 0 in a0.  The words are the caller's business.
 */
static inline void ipc_set_received(struct thread *r, const struct thread *s, uint64_t a1, uint64_t badge)
{
	uint64_t *rx = r->t_ctx.x;
	rx[REG_A0] = 0;
	rx[REG_A1] = a1;
	rx[REG_A6] = badge;
	rx[REG_A7] = s->t_id;
	ipc_count++;
}

/*
 * r receives s's message words: n of them (already capped at IPC_MAX_WORDS),
 * label from `info`, `flags` (IPC_FROM_CALL, IPC_GOT_*) added, and r's own
 * IPC_EXT kept, as SYS_RECV's results say
 */
static inline void ipc_deliver_words(struct thread *r, const struct thread *s, uint64_t info, unsigned n,
				     uint64_t flags, uint64_t badge)
{
	copy_words(r->t_ctx.x, s->t_ctx.x, n);
	ipc_set_received(r, s, IPC_INFO(IPC_LABEL(info), n) | flags | (r->t_ctx.x[REG_A1] & IPC_EXT), badge);
}

/* s's call or fault was delivered to r: s waits in T_REPLY, r's reply slot names it */
static inline void ipc_link_caller(struct thread *s, struct thread *r)
{
	r->t_caller = s;
	s->t_replier = r;
	s->t_state = T_REPLY;
}

/*
 * c stops waiting for a reply (answered, cancelled or let go): out of its
 * replier's reply slot and out of its saved reply object, whichever holds it
 */
static inline void reply_unlink(struct thread *c)
{
	if (c->t_replier)
		c->t_replier->t_caller = NULL;
	c->t_replier = NULL;
	if (c->t_reply_obj) {
		c->t_reply_obj->r_caller = NULL;
		c->t_reply_obj = NULL;
	}
}
#endif
