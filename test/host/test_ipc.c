/*
 * test_ipc.c - host tests of the IPC state machine (kernel/ipc.c) with three
 * fake threads, each with its own address space and handle table, and the
 * scheduler faked (fake_kernel.c records who was made runnable).
 *
 * A thread's message is its saved registers: a1 = info (label, word count,
 * flags), words in a2..a5,t0..t3 (x[12..15], x[5..7], x[28]), t4 = the user
 * address of a struct ipc_ext when a1 has IPC_EXT; a0 is the status and a6 the
 * badge on delivery.  Every test ends with nothing queued, and the teardown
 * checks that freeing the threads returns every object and page.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#define FAKE_OBJECTS
#include "fake_kernel.h"
#include "ipc.h"
#include "trace.h"

/* the IPC trace's hook, recorded (kernel/trace.c itself runs in the guest: ktest) */
bool trace_on;
static struct { struct thread *s, *r; enum sendop op; uint32_t label, bytes; unsigned n; bool cap; }
	traced[8];
static int ntraced;
void trace_msg(struct thread *s, struct thread *r, enum sendop op, uint32_t label,
	       unsigned nwords, uint32_t bytes, bool cap)
{
	if (ntraced < 8)
		traced[ntraced].s = s, traced[ntraced].r = r, traced[ntraced].op = op,
		traced[ntraced].label = label, traced[ntraced].n = nwords,
		traced[ntraced].bytes = bytes, traced[ntraced].cap = cap;
	ntraced++;
}

#define EXT_VA  0x10000ul       /* struct ipc_ext */
#define BUF_VA  0x11000ul       /* three pages of buffer */
#define RW      (PROT_R | PROT_W)

static struct thread *A, *B, *C;
static struct endpoint *ep;
static uint64_t free0;

static int setup(void **state)
{
	fake_mem_setup(1024, true);
	free0 = pmm_free_pages();
	A = fake_thread_new();
	B = fake_thread_new();
	C = fake_thread_new();
	ep = fake_ep_new();
	return 0;
}

static int teardown(void **state)
{
	struct thread *t[] = { A, B, C };

	for (int i = 0; i < 3; i++)
		assert_int_equal(t[i]->o.refs, 1);      /* no queue still holds it */
	for (int i = 0; i < 3; i++)
		obj_unref(&t[i]->o);
	assert_true(list_empty(&ep->ep_queue));
	obj_unref(&ep->o);
	assert_int_equal(obj_live(OBJ_NONE), 0);
	assert_int_equal(kalloc_live(), 0);
	assert_int_equal(pmm_free_pages(), free0);
	fake_mem_teardown();
	return 0;
}

/* ---- helpers ---- */

static uint64_t *reg(struct thread *t) { return t->t_ctx.x; }
static uint64_t word(struct thread *t, int i) { return t->t_ctx.x[word_reg[i]]; }

/* t's outgoing message: label, n words base, base+1, ... */
static void set_msg(struct thread *t, uint32_t label, unsigned n, uint64_t base)
{
	reg(t)[REG_A1] = IPC_INFO(label, n);
	for (unsigned i = 0; i < n; i++)
		reg(t)[word_reg[i]] = base + i;
}

static void assert_msg(struct thread *t, uint32_t label, unsigned n, uint64_t base)
{
	assert_int_equal(IPC_LABEL(reg(t)[REG_A1]), label);
	assert_int_equal(IPC_NWORDS(reg(t)[REG_A1]), n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(word(t, i), base + i);
}

static paddr_t root(struct thread *t) { return t->t_as->as_root; }

/* map the ext page and buffer pages into t, write ext there and point t4 at it */
static void put_ext(struct thread *t, const struct ipc_ext *e)
{
	if (!vm_walk(root(t), EXT_VA, false) || !(*vm_walk(root(t), EXT_VA, false) & PTE_V))
		assert_int_equal(vm_map_anon(root(t), EXT_VA, 4 * PAGE_SIZE, RW), 0);
	assert_int_equal(copy_to_user(root(t), EXT_VA, e, sizeof(*e)), 0);
	/* as the libsys stub does: IPC_EXT_SEND when there is something to send */
	reg(t)[REG_A1] |= IPC_EXT | (e->slen || e->scap >= 0 ? IPC_EXT_SEND : 0);
	reg(t)[REG_T4] = EXT_VA;
}

static struct ipc_ext get_ext(struct thread *t)
{
	struct ipc_ext e;
	assert_int_equal(copy_from_user(root(t), &e, EXT_VA, sizeof(e)), 0);
	return e;
}

/* a receiver's ext: buffer at rbuf for up to rlen bytes */
static void recv_ext(struct thread *t, uint64_t rbuf, uint64_t rlen)
{
	struct ipc_ext e = { .rbuf = rbuf, .rlen = rlen, .scap = -1, .rcap = -7, .rbytes = 7 };
	reg(t)[REG_A1] = 0;
	put_ext(t, &e);
}

/* a sender's ext: slen bytes of a pattern from sbuf, and handle scap (or -1) */
static void send_ext(struct thread *t, uint64_t sbuf, uint64_t slen, int64_t scap, uint64_t rights)
{
	struct ipc_ext e = { .sbuf = sbuf, .slen = slen, .scap = scap, .scap_rights = rights };
	static uint8_t pat[3 * PAGE_SIZE];

	for (size_t i = 0; i < sizeof(pat); i++)
		pat[i] = (uint8_t)(i * 13 + 1);
	put_ext(t, &e);
	if (slen)
		assert_int_equal(copy_to_user(root(t), sbuf, pat, slen), 0);
}

static void assert_same_bytes(struct thread *s, uint64_t sbuf, struct thread *r, uint64_t rbuf,
			      uint64_t len)
{
	static uint8_t a[3 * PAGE_SIZE], b[3 * PAGE_SIZE];
	assert_int_equal(copy_from_user(root(s), a, sbuf, len), 0);
	assert_int_equal(copy_from_user(root(r), b, rbuf, len), 0);
	assert_memory_equal(a, b, len);
}

static bool user_bytes_zero(struct thread *t, uint64_t va, uint64_t len)
{
	static uint8_t a[3 * PAGE_SIZE];
	assert_int_equal(copy_from_user(root(t), a, va, len), 0);
	for (uint64_t i = 0; i < len; i++)
		if (a[i])
			return false;
	return true;
}

/* receive on ep with nothing queued: t blocks there */
static void block_recv(struct thread *t)
{
	assert_int_equal(ipc_recv(t, ep), IPC_BLOCKED);
	assert_int_equal(t->t_state, T_RECV);
	assert_ptr_equal(t->t_ep, ep);
}

/* a test's tidy-up: t leaves the queue it waits in and runs again */
static void unblock(struct thread *t)
{
	ipc_cancel(t);
	t->t_state = T_RUNNING;
}

/* ---- send / receive ---- */

static void test_send_to_waiting_receiver(void **state)
{
	block_recv(B);
	assert_int_equal(ep->ep_qstate, T_RECV);
	assert_int_equal(B->o.refs, 2);                 /* the queue holds B */
	set_msg(A, 0x42, 8, 1000);
	reg(A)[REG_A0] = 5;                             /* the handle it sent on */
	assert_int_equal(ipc_send(A, ep, 0xbad6e, OP_SEND, false), 0);

	assert_int_equal(A->t_state, T_RUNNING);        /* the sender carries on */
	assert_int_equal(B->t_state, T_RUNNABLE);
	assert_int_equal(fake.runnable, 1);
	assert_ptr_equal(fake.last_runnable, B);
	assert_int_equal(reg(B)[REG_A0], 0);
	assert_msg(B, 0x42, 8, 1000);
	assert_int_equal(reg(B)[REG_A1] & (IPC_FROM_CALL | IPC_EXT | IPC_GOT_BUF | IPC_GOT_CAP), 0);
	assert_int_equal(reg(B)[REG_A6], 0xbad6e);
	assert_true(list_empty(&ep->ep_queue));
	assert_int_equal(ep->ep_qstate, -1);
	assert_null(B->t_ep);
	assert_int_equal(B->o.refs, 1);
}

/* only the words the sender counted are copied */
static void test_send_copies_nwords_only(void **state)
{
	block_recv(B);
	reg(B)[word_reg[2]] = 0xdead;
	reg(B)[word_reg[7]] = 0xbeef;
	set_msg(A, 1, 2, 50);
	reg(A)[word_reg[2]] = 0x1111;
	reg(A)[word_reg[7]] = 0x2222;
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), 0);
	assert_msg(B, 1, 2, 50);
	assert_int_equal(word(B, 2), 0xdead);
	assert_int_equal(word(B, 7), 0xbeef);
}

static void test_send_queues_until_recv(void **state)
{
	set_msg(A, 7, 3, 70);
	set_msg(C, 8, 1, 80);
	reg(A)[REG_A0] = reg(C)[REG_A0] = 0x77;
	assert_int_equal(ipc_send(A, ep, 0xa, OP_SEND, false), IPC_BLOCKED);
	assert_int_equal(ipc_send(C, ep, 0xc, OP_SEND, false), IPC_BLOCKED);
	assert_int_equal(A->t_state, T_SEND);
	assert_int_equal(C->t_state, T_SEND);
	assert_int_equal(ep->ep_qstate, T_SEND);
	assert_int_equal(A->o.refs, 2);
	assert_int_equal(fake.runnable, 0);

	/* first come, first served; each delivery wakes its sender with 0 */
	assert_int_equal(ipc_recv(B, ep), 0);
	assert_msg(B, 7, 3, 70);
	assert_int_equal(reg(B)[REG_A6], 0xa);
	assert_int_equal(A->t_state, T_RUNNABLE);
	assert_int_equal(reg(A)[REG_A0], 0);
	assert_int_equal(C->t_state, T_SEND);
	assert_int_equal(ep->ep_qstate, T_SEND);

	assert_int_equal(ipc_recv(B, ep), 0);
	assert_msg(B, 8, 1, 80);
	assert_int_equal(reg(B)[REG_A6], 0xc);
	assert_int_equal(C->t_state, T_RUNNABLE);
	assert_int_equal(reg(C)[REG_A0], 0);
	assert_int_equal(ep->ep_qstate, -1);
	assert_int_equal(fake.runnable, 2);
}

/* ---- call / reply ---- */

static void test_call_reply(void **state)
{
	block_recv(B);
	set_msg(A, 0x100, 2, 10);
	assert_int_equal(ipc_send(A, ep, 3, OP_CALL, false), IPC_BLOCKED);
	assert_int_equal(A->t_state, T_REPLY);
	assert_ptr_equal(A->t_replier, B);
	assert_ptr_equal(B->t_caller, A);
	assert_int_equal(B->t_state, T_RUNNABLE);
	assert_msg(B, 0x100, 2, 10);
	assert_true(reg(B)[REG_A1] & IPC_FROM_CALL);

	B->t_state = T_RUNNING;
	set_msg(B, 0x200, 3, 20);
	assert_int_equal(ipc_reply(B, A), 0);
	assert_int_equal(A->t_state, T_RUNNABLE);
	assert_int_equal(reg(A)[REG_A0], 0);
	assert_msg(A, 0x200, 3, 20);
	assert_int_equal(reg(A)[REG_A6], 0);
	assert_null(B->t_caller);
	assert_null(A->t_replier);
	/* a second reply has no one to go to */
	assert_int_equal(ipc_reply(B, A), -E_PIPE);
	assert_int_equal(ipc_reply(B, NULL), -E_PIPE);
}

/* a call that waits in the queue: the caller goes from T_SEND straight to T_REPLY */
static void test_call_queued(void **state)
{
	set_msg(A, 5, 1, 9);
	assert_int_equal(ipc_send(A, ep, 0, OP_CALL, false), IPC_BLOCKED);
	assert_int_equal(A->t_state, T_SEND);
	assert_int_equal(ipc_recv(B, ep), 0);
	assert_int_equal(A->t_state, T_REPLY);          /* not woken: waits for the reply */
	assert_int_equal(fake.runnable, 0);
	assert_ptr_equal(B->t_caller, A);
	assert_true(reg(B)[REG_A1] & IPC_FROM_CALL);
	set_msg(B, 6, 1, 99);
	assert_int_equal(ipc_reply(B, A), 0);
	assert_msg(A, 6, 1, 99);
	assert_int_equal(A->t_state, T_RUNNABLE);
}

/*
 * A fault delivered straight to a waiting handler: the reply resumes the
 * faulting thread as it is, without writing a message into its registers.
 */
static void test_fault_reply_keeps_registers(void **state)
{
	block_recv(B);
	A->t_fault[0] = 13;
	A->t_fault[1] = 0xdead000;
	A->t_fault[2] = 0x10400;
	reg(A)[REG_A0] = 0x1111;
	reg(A)[REG_A1] = 0x3333;
	reg(A)[word_reg[0]] = 0x2222;
	assert_int_equal(ipc_send(A, ep, 9, OP_FAULT, false), IPC_BLOCKED);
	assert_int_equal(A->t_state, T_REPLY);
	assert_int_equal(IPC_LABEL(reg(B)[REG_A1]), LABEL_FAULT);
	assert_true(reg(B)[REG_A1] & IPC_FROM_CALL);
	assert_int_equal(word(B, 0), 13);
	assert_int_equal(word(B, 1), 0xdead000);
	assert_int_equal(word(B, 2), 0x10400);
	assert_int_equal(word(B, 3), A->t_id);
	assert_int_equal(reg(B)[REG_A6], 9);

	set_msg(B, 0, 1, 0);
	assert_int_equal(ipc_reply(B, A), 0);
	assert_int_equal(A->t_state, T_RUNNABLE);
	assert_int_equal(reg(A)[REG_A0], 0x1111);
	assert_int_equal(reg(A)[REG_A1], 0x3333);
	assert_int_equal(word(A, 0), 0x2222);

	/* and a later call from the same thread does get its reply */
	A->t_state = T_RUNNING;
	block_recv(B);
	set_msg(A, 1, 0, 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_CALL, false), IPC_BLOCKED);
	set_msg(B, 0x77, 1, 0x55);
	assert_int_equal(ipc_reply(B, A), 0);
	assert_msg(A, 0x77, 1, 0x55);
	assert_int_equal(reg(A)[REG_A0], 0);
}

static void test_exit_message(void **state)
{
	block_recv(B);
	A->t_exit_code = 3;
	assert_int_equal(ipc_send(A, ep, 4, OP_EXIT, false), IPC_BLOCKED);
	assert_int_equal(fake.killed, 1);
	assert_ptr_equal(fake.last_killed, A);
	assert_int_equal(A->t_state, T_DEAD);
	assert_int_equal(IPC_LABEL(reg(B)[REG_A1]), LABEL_EXIT);
	assert_int_equal(IPC_NWORDS(reg(B)[REG_A1]), 2);
	assert_int_equal(word(B, 0), 3);
	assert_int_equal(word(B, 1), A->t_id);
	assert_int_equal(reg(B)[REG_A6], 4);
	assert_null(B->t_caller);                       /* nothing to reply to */
}

/* a receiver that receives again without replying lets its caller go with E_PIPE */
static void test_drop_caller(void **state)
{
	block_recv(B);
	assert_int_equal(ipc_send(A, ep, 0, OP_CALL, false), IPC_BLOCKED);
	assert_ptr_equal(B->t_caller, A);
	assert_int_equal(ipc_recv(B, ep), IPC_BLOCKED);
	assert_int_equal(A->t_state, T_RUNNABLE);
	assert_int_equal((int64_t)reg(A)[REG_A0], -E_PIPE);
	assert_null(B->t_caller);
	assert_null(A->t_replier);
	assert_int_equal(ipc_reply(B, A), -E_PIPE);
	unblock(B);
}

/* ---- cancellation ---- */

static void test_cancel_queued(void **state)
{
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), IPC_BLOCKED);
	ipc_cancel(A);
	A->t_state = T_RUNNING;
	assert_true(list_empty(&ep->ep_queue));
	assert_int_equal(ep->ep_qstate, -1);
	assert_null(A->t_ep);
	assert_int_equal(A->o.refs, 1);
	/* nothing left to receive */
	block_recv(B);

	/* a receiver cancelled from the middle of the queue: the next one gets it */
	block_recv(C);
	ipc_cancel(B);
	B->t_state = T_RUNNING;
	set_msg(A, 3, 1, 33);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), 0);
	assert_int_equal(C->t_state, T_RUNNABLE);
	assert_msg(C, 3, 1, 33);
	assert_int_equal(B->o.refs, 1);
}

/* a caller cancelled while waiting for its reply: the server's reply finds no one */
static void test_cancel_caller(void **state)
{
	block_recv(B);
	assert_int_equal(ipc_send(A, ep, 0, OP_CALL, false), IPC_BLOCKED);
	ipc_cancel(A);
	A->t_state = T_RUNNING;
	assert_null(B->t_caller);
	assert_null(A->t_replier);
	assert_int_equal(ipc_reply(B, A), -E_PIPE);
	assert_int_equal(A->t_state, T_RUNNING);
}

/* ---- buffers ---- */

static void test_buffer_transfer(void **state)
{
	const uint64_t sbuf = BUF_VA + PAGE_SIZE - 100, rbuf = BUF_VA + 2 * PAGE_SIZE - 50;
	struct ipc_ext e;

	/* receiver first, both buffers cross a page boundary */
	recv_ext(B, rbuf, 1000);
	block_recv(B);
	set_msg(A, 0x33, 1, 1);
	send_ext(A, sbuf, 300, -1, 0);
	assert_int_equal(ipc_check_ext(A), 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), 0);
	assert_int_equal(reg(B)[REG_A1] & (IPC_GOT_BUF | IPC_GOT_CAP | IPC_EXT), IPC_GOT_BUF | IPC_EXT);
	assert_msg(B, 0x33, 1, 1);
	e = get_ext(B);
	assert_int_equal(e.rbytes, 300);
	assert_int_equal(e.rcap, -1);
	assert_same_bytes(A, sbuf, B, rbuf, 300);
	assert_true(user_bytes_zero(B, rbuf + 300, 100));

	/* sender first: the buffer waits in the sender's memory until the receive */
	B->t_state = T_RUNNING;
	send_ext(A, BUF_VA, 2 * PAGE_SIZE + 8, -1, 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), IPC_BLOCKED);
	recv_ext(B, BUF_VA + 16, 3 * PAGE_SIZE - 16);
	assert_int_equal(ipc_recv(B, ep), 0);
	assert_int_equal(get_ext(B).rbytes, 2 * PAGE_SIZE + 8);
	assert_same_bytes(A, BUF_VA, B, BUF_VA + 16, 2 * PAGE_SIZE + 8);
	assert_int_equal(reg(A)[REG_A0], 0);
}

/* with the trace on, each delivered message is reported once, as what it was; a failed
 * delivery is not */
static void test_trace_hook(void **state)
{
	trace_on = true;
	ntraced = 0;
	block_recv(B);
	set_msg(A, 0x100, 2, 10);
	assert_int_equal(ipc_send(A, ep, 3, OP_CALL, false), IPC_BLOCKED);
	B->t_state = T_RUNNING;
	set_msg(B, 7, 1, 20);
	assert_int_equal(ipc_reply(B, A), 0);
	/* a buffer too big for the receiver: not delivered, not traced */
	recv_ext(C, BUF_VA, 10);
	block_recv(C);
	A->t_state = T_RUNNING;
	set_msg(A, 0x44, 0, 0);
	send_ext(A, BUF_VA, 20, -1, 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), -E_MSGSIZE);
	/* a buffer that fits */
	send_ext(A, BUF_VA, 8, -1, 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), 0);
	trace_on = false;

	assert_int_equal(ntraced, 3);
	assert_ptr_equal(traced[0].s, A);
	assert_ptr_equal(traced[0].r, B);
	assert_int_equal(traced[0].op, OP_CALL);
	assert_int_equal(traced[0].label, 0x100);
	assert_int_equal(traced[0].n, 2);
	assert_ptr_equal(traced[1].s, B);
	assert_ptr_equal(traced[1].r, A);
	assert_int_equal(traced[1].op, OP_REPLY);
	assert_int_equal(traced[1].label, 7);
	assert_int_equal(traced[2].op, OP_SEND);
	assert_ptr_equal(traced[2].r, C);
	assert_int_equal(traced[2].bytes, 8);
	assert_false(traced[2].cap);
}

/* a buffer bigger than the receiver's fails the sender and leaves the receiver waiting */
static void test_buffer_too_big(void **state)
{
	recv_ext(B, BUF_VA, 100);
	block_recv(B);
	send_ext(A, BUF_VA, 101, -1, 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), -E_MSGSIZE);
	assert_int_equal(A->t_state, T_RUNNING);
	assert_int_equal(B->t_state, T_RECV);
	assert_int_equal(ep->ep_qstate, T_RECV);
	assert_int_equal(reg(B)[REG_A1], IPC_EXT);      /* untouched */
	assert_int_equal(get_ext(B).rbytes, 7);
	assert_true(user_bytes_zero(B, BUF_VA, 101));
	assert_int_equal(fake.runnable, 0);

	/* what fits still goes through */
	send_ext(A, BUF_VA, 100, -1, 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), 0);
	assert_int_equal(get_ext(B).rbytes, 100);

	/* the queued order: the sender is woken with the error, the receiver blocks */
	send_ext(A, BUF_VA, 200, -1, 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), IPC_BLOCKED);
	recv_ext(B, BUF_VA, 100);
	assert_int_equal(ipc_recv(B, ep), IPC_BLOCKED);
	assert_int_equal(A->t_state, T_RUNNABLE);
	assert_int_equal((int64_t)reg(A)[REG_A0], -E_MSGSIZE);
	assert_int_equal(B->t_state, T_RECV);
	unblock(B);

	/* a receiver with no ext at all cannot take a buffer */
	A->t_state = T_RUNNING;
	reg(B)[REG_A1] = 0;
	block_recv(B);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), -E_MSGSIZE);
	assert_int_equal(B->t_state, T_RECV);
	unblock(B);
}

static void test_check_ext(void **state)
{
	struct ipc_ext e = { .scap = -1 };

	reg(A)[REG_A1] = 0;
	assert_int_equal(ipc_check_ext(A), 0);                  /* no ext */
	reg(A)[REG_A1] = IPC_EXT;
	reg(A)[REG_T4] = 0x9000000;                             /* unmapped */
	assert_int_equal(ipc_check_ext(A), 0);                  /* receive-only: not read now */
	reg(A)[REG_A1] = IPC_EXT | IPC_EXT_SEND;
	assert_int_equal(ipc_check_ext(A), -E_FAULT);
	e.slen = IPC_MAX_BUF + 1;
	e.sbuf = BUF_VA;
	put_ext(A, &e);
	assert_int_equal(ipc_check_ext(A), -E_MSGSIZE);
	e.slen = 16;
	e.sbuf = DMAP_BASE;                                     /* kernel half */
	put_ext(A, &e);
	assert_int_equal(ipc_check_ext(A), -E_FAULT);
	e.sbuf = BUF_VA;
	e.scap = 0x4242;                                        /* no such handle */
	put_ext(A, &e);
	assert_int_equal(ipc_check_ext(A), -E_BADF);
	e.scap = -1;
	put_ext(A, &e);
	assert_int_equal(ipc_check_ext(A), 0);
}

/* ---- capabilities ---- */

static void test_cap_transfer(void **state)
{
	struct ntfn *n = fake_ntfn_new();
	int64_t h = cspace_insert(A->t_cs, &n->o, R_SEND | R_RECV, 0x77);
	struct hslot *s;
	struct ipc_ext e;

	assert_true(h > 0);
	recv_ext(B, BUF_VA, 0);
	block_recv(B);
	send_ext(A, 0, 0, h, R_SEND);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, true), 0);
	assert_int_equal(reg(B)[REG_A1] & (IPC_GOT_BUF | IPC_GOT_CAP), IPC_GOT_CAP);
	e = get_ext(B);
	assert_true(e.rcap > 0);
	assert_int_equal(e.rbytes, 0);
	assert_int_equal(cspace_lookup(B->t_cs, e.rcap, OBJ_NTFN, R_SEND, &s), 0);
	assert_ptr_equal(s->obj, &n->o);
	assert_int_equal(s->rights, R_SEND);            /* masked by scap_rights */
	assert_int_equal(s->badge, 0x77);               /* the badge travels with it */
	assert_int_equal(cspace_lookup(B->t_cs, e.rcap, OBJ_NTFN, R_RECV, &s), -E_ACCES);
	assert_int_equal(n->o.refs, 3);                 /* ours, A's handle, B's handle */
	/* the sender keeps its handle */
	assert_int_equal(cspace_lookup(A->t_cs, h, OBJ_NTFN, R_RECV, &s), 0);

	/* without R_GRANT on the endpoint handle: refused, the receiver keeps waiting */
	B->t_state = T_RUNNING;
	recv_ext(B, BUF_VA, 0);
	block_recv(B);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), -E_ACCES);
	assert_int_equal(B->t_cs->nused, 1);
	assert_int_equal(B->t_state, T_RECV);
	assert_int_equal(n->o.refs, 3);
	/* a receiver with a full table: refused the same way */
	for (int i = 1; i < CSPACE_SLOTS; i++)
		assert_true(cspace_insert(B->t_cs, &ep->o, 0, 0) > 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, true), -E_NOSPC);
	assert_int_equal(B->t_state, T_RECV);
	assert_int_equal(n->o.refs, 3);
	unblock(B);
	cspace_clear(B->t_cs);
	obj_unref(&n->o);
}

/* ---- notifications ---- */

static void test_ntfn_signal_then_wait(void **state)
{
	struct ntfn *n = fake_ntfn_new();

	ntfn_signal(n, 0x5);
	ntfn_signal(n, 0x10);
	assert_int_equal(n->n_bits, 0x15);
	assert_int_equal(ntfn_wait(A, n, true), 0);
	assert_int_equal(reg(A)[REG_A1], 0x15);
	assert_int_equal(n->n_bits, 0);                 /* taken */
	assert_int_equal(A->t_state, T_RUNNING);
	/* poll with nothing pending */
	assert_int_equal(ntfn_wait(A, n, false), -E_AGAIN);
	assert_int_equal(reg(A)[REG_A1], 0);
	assert_int_equal(A->t_state, T_RUNNING);
	/* poll with something pending */
	ntfn_signal(n, 0x2);
	assert_int_equal(ntfn_wait(A, n, false), 0);
	assert_int_equal(reg(A)[REG_A1], 0x2);
	obj_unref(&n->o);
}

static void test_ntfn_wait_blocks(void **state)
{
	struct ntfn *n = fake_ntfn_new();

	assert_int_equal(ntfn_wait(A, n, true), IPC_BLOCKED);
	assert_int_equal(A->t_state, T_NTFN);
	assert_ptr_equal(n->n_waiter, A);
	assert_int_equal(ntfn_wait(C, n, true), -E_BUSY);       /* one waiter */
	ntfn_signal(n, 0);                                      /* no bits: no wake */
	assert_int_equal(A->t_state, T_NTFN);
	ntfn_signal(n, 0x8);
	assert_int_equal(A->t_state, T_RUNNABLE);
	assert_int_equal(reg(A)[REG_A0], 0);
	assert_int_equal(reg(A)[REG_A1], 0x8);
	assert_int_equal(n->n_bits, 0);
	assert_null(n->n_waiter);
	assert_null(A->t_ntfn);
	assert_int_equal(fake.runnable, 1);
	/* a later signal with no waiter just accumulates */
	ntfn_signal(n, 0x1);
	assert_int_equal(n->n_bits, 0x1);
	assert_int_equal(fake.runnable, 1);

	/* a cancelled waiter is forgotten */
	n->n_bits = 0;
	C->t_state = T_RUNNING;
	assert_int_equal(ntfn_wait(C, n, true), IPC_BLOCKED);
	ipc_cancel(C);
	C->t_state = T_RUNNING;
	assert_null(n->n_waiter);
	ntfn_signal(n, 0x4);
	assert_int_equal(C->t_state, T_RUNNING);
	assert_int_equal(n->n_bits, 0x4);
	obj_unref(&n->o);
}

/* a thread in ntfn_wait and the bound thread blocked receiving: no wakeup is lost */
static void test_ntfn_waiter_and_bound_receiver(void **state)
{
	struct ntfn *n = fake_ntfn_new();
	(void)state;

	n->n_bound = B;
	B->t_bound = n;
	C->t_state = T_RUNNING;
	assert_int_equal(ntfn_wait(C, n, true), IPC_BLOCKED);
	block_recv(B);
	ntfn_signal(n, 0x8);                    /* the waiter first */
	assert_int_equal(C->t_state, T_RUNNABLE);
	assert_int_equal(reg(C)[REG_A1], 0x8);
	assert_int_equal(B->t_state, T_RECV);
	ntfn_signal(n, 0x1);                    /* then the bound receiver */
	assert_int_equal(B->t_state, T_RUNNABLE);
	assert_int_equal(reg(B)[REG_A1], IPC_INFO(LABEL_NTFN, 1));
	assert_int_equal(word(B, 0), 0x1);
	n->n_bound = NULL;
	B->t_bound = NULL;
	obj_unref(&n->o);
}

static void test_ntfn_bound_wakes_recv(void **state)
{
	struct ntfn *n = fake_ntfn_new();

	n->n_bound = B;
	B->t_bound = n;
	block_recv(B);
	assert_null(n->n_waiter);               /* a bound receiver does not take the waiter slot */
	ntfn_signal(n, 0x4);
	assert_int_equal(B->t_state, T_RUNNABLE);
	assert_int_equal(reg(B)[REG_A0], 0);
	assert_int_equal(reg(B)[REG_A1], IPC_INFO(LABEL_NTFN, 1));
	assert_int_equal(word(B, 0), 0x4);
	assert_int_equal(reg(B)[REG_A6], 0);
	assert_int_equal(n->n_bits, 0);
	assert_true(list_empty(&ep->ep_queue));
	assert_int_equal(B->o.refs, 1);

	/* bits already pending: the receive returns them at once, before queued senders */
	B->t_state = T_RUNNING;
	set_msg(A, 1, 0, 0);
	assert_int_equal(ipc_send(A, ep, 0, OP_SEND, false), IPC_BLOCKED);
	ntfn_signal(n, 0x2);
	assert_int_equal(ipc_recv(B, ep), 0);
	assert_int_equal(reg(B)[REG_A1], IPC_INFO(LABEL_NTFN, 1));
	assert_int_equal(word(B, 0), 0x2);
	assert_int_equal(A->t_state, T_SEND);           /* still queued */
	/* the next receive takes the message */
	assert_int_equal(ipc_recv(B, ep), 0);
	assert_msg(B, 1, 0, 0);
	assert_int_equal(A->t_state, T_RUNNABLE);

	n->n_bound = NULL;
	B->t_bound = NULL;
	obj_unref(&n->o);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_send_to_waiting_receiver),
		T(test_send_copies_nwords_only),
		T(test_send_queues_until_recv),
		T(test_call_reply),
		T(test_call_queued),
		T(test_fault_reply_keeps_registers),
		T(test_exit_message),
		T(test_drop_caller),
		T(test_cancel_queued),
		T(test_cancel_caller),
		T(test_buffer_transfer),
		T(test_buffer_too_big),
		T(test_trace_hook),
		T(test_check_ext),
		T(test_cap_transfer),
		T(test_ntfn_signal_then_wait),
		T(test_ntfn_wait_blocks),
		T(test_ntfn_bound_wakes_recv),
		T(test_ntfn_waiter_and_bound_receiver),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
