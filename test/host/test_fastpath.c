/*
 * test_fastpath.c - the IPC fast path (kernel/fastpath.c) against the slow
 * path it stands in for.  Each scenario builds the same starting state twice
 * and sends the trapping thread's kernel call
 *   - the way trap_user() does: ipc_fastpath(), and the slow path if that
 *     declines (after checking that declining changed nothing), and
 *   - through the slow path alone: syscall_dispatch(), then the exit path's
 *     choice, sched_next().
 * The two outcomes must be the same: every thread's state, priorities,
 * registers, IPC links, reference count, handle count and ext block; the
 * endpoint queues in order; the run queue in order; what the hart runs; the
 * kernel-call and message counters.  Each scenario also says which path it
 * expects, so a guard that starts or stops taking a case shows.  (The one
 * documented difference, kernel-api.md SYS_CALL: on the fast path the partner
 * runs ahead of runnable threads of its own priority; those scenarios compare
 * who runs or is runnable as a set.)
 *
 * Linked with the real ipc.c, fastpath.c, sched.c, syscall.c and sys_ipc.c;
 * the other kernel calls are weak stubs, the trace is off, the hart is
 * cpus[0].  A world: threads A (client), B (server), C (bystander), D
 * (another client), endpoints E0 and E1, a notification N; every thread
 * holds the same four handles (world_new).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#define FAKE_OBJECTS
#include "fake_kernel.h"
#include "cpu.h"
#include "fastpath.h"
#include "syscall.h"
#include "trace.h"

/* ---- what the linked units need from the rest of the kernel ---- */

void arch_send_ipi(uint64_t hartid) { fail_msg("no other hart to interrupt (%lu)", (unsigned long)hartid); }

bool trace_on;
void trace_msg(struct thread *s, struct thread *r, enum sendop op, uint32_t label, unsigned nwords,
	       uint32_t bytes, bool cap) {}
struct trace_rec *trace_kcall_begin(struct thread *t, unsigned nr) { return NULL; }
void trace_kcall_end(struct trace_rec *r, long status) {}

/* syscall.c's table names every handler: the ones sys_ipc.c does not define are these */
#define SYSCALL(NAME, name, doc) \
	__attribute__((weak)) long sys_##name(struct thread *t, uint64_t *a) { return -E_NOSYS; }
#include "uapi/syscalls.def"
#undef SYSCALL

/* ---- the world ---- */

#define NT 4
#define EXT_VA 0x10000ul        /* struct ipc_ext */
#define BUF_VA 0x11000ul        /* one page of buffer */

static struct thread *T[NT];
#define A (T[0])
#define B (T[1])
#define C (T[2])
#define D (T[3])
static struct endpoint *E0, *E1;
static struct ntfn *N;
static bool ext_mapped[NT];
static struct cpu *const cpu = &cpus[0];
static uint64_t free0, syscalls0, ipcs0;

/* handles every thread holds, the same numbers in each table (inserted in this order) */
static int64_t h_ep;            /* E0, R_SEND | R_RECV | R_GRANT */
static int64_t h_badged;        /* E0, R_SEND, badge 0xb0b */
static int64_t h_recvonly;      /* E0, R_RECV */
static int64_t h_ep1;           /* E1, all rights: a handle to send */

static int idx(const struct thread *t)
{
	if (!t)
		return -1;
	for (int i = 0; i < NT; i++)
		if (T[i] == t)
			return i;
	return 99;
}

static void world_new(void)
{
	sched_init();
	memset(cpu, 0, sizeof(*cpu));
	cpu->c_online = true;
	ncpus = 1;
	E0 = fake_ep_new();
	E1 = fake_ep_new();
	N = fake_ntfn_new();
	for (int i = 0; i < NT; i++) {
		struct thread *t = T[i] = fake_thread_new();
		t->t_id = 100 + i;              /* delivered in a7: the same in both worlds */
		t->t_state = T_INACTIVE;
		t->t_prio = t->t_base_prio = 10;
		for (int r = 0; r < 32; r++)
			t->t_ctx.x[r] = 0x1000ul * (i + 1) + r;   /* untouched registers show */
		ext_mapped[i] = false;
		h_ep = cspace_insert(t->t_cs, &E0->o, R_SEND | R_RECV | R_GRANT, 0);
		h_badged = cspace_insert(t->t_cs, &E0->o, R_SEND, 0xb0b);
		h_recvonly = cspace_insert(t->t_cs, &E0->o, R_RECV, 0);
		h_ep1 = cspace_insert(t->t_cs, &E1->o, R_SEND | R_RECV | R_GRANT, 0);
		assert_true(h_ep > 0 && h_badged > 0 && h_recvonly > 0 && h_ep1 > 0);
	}
}

/* run_thread(): next runs on the hart (NULL: the hart idles), which holds a reference to it */
static void switch_to(struct thread *next)
{
	struct thread *prev = cpu->c_cur;

	if (next != prev) {
		cpu->c_cur = NULL;
		if (prev)
			obj_unref(&prev->o);
		if (next)
			obj_ref(&next->o);
		cpu->c_cur = next;
	}
	if (next)
		next->t_state = T_RUNNING;
}

static void world_free(void)
{
	switch_to(NULL);
	for (int i = 0; i < NT; i++)
		ipc_cancel(T[i]);
	while (sched_pick())
		;
	for (int i = 0; i < NT; i++)
		T[i]->t_bound = NULL;
	N->n_bound = NULL;
	for (int i = 0; i < NT; i++) {
		assert_int_equal(T[i]->o.refs, 1);      /* no queue or hart still holds it */
		obj_unref(&T[i]->o);
	}
	obj_unref(&E0->o);
	obj_unref(&E1->o);
	obj_unref(&N->o);
	assert_int_equal(obj_live(OBJ_NONE), 0);
}

static int setup(void **state)
{
	fake_mem_setup(1024, true);
	free0 = pmm_free_pages();
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(kalloc_live(), 0);
	assert_int_equal(pmm_free_pages(), free0);
	fake_mem_teardown();
	return 0;
}

/* ---- building a starting state ---- */

static uint64_t *reg(struct thread *t) { return t->t_ctx.x; }

static void set_prio(struct thread *t, int prio)
{
	t->t_prio = t->t_base_prio = prio;
}

/* t becomes runnable (queued, not running) */
static void runnable(struct thread *t, int prio)
{
	set_prio(t, prio);
	sched_make_runnable(t);
}

/* t waits in SYS_RECV on E0 */
static void receiving(struct thread *t)
{
	t->t_state = T_RUNNING;
	assert_int_equal(ipc_recv(t, E0), IPC_BLOCKED);
}

/* t is queued on E0 sending a two-word message */
static void sending(struct thread *t)
{
	t->t_state = T_RUNNING;
	reg(t)[REG_A1] = IPC_INFO(0x77, 2);
	assert_int_equal(ipc_send(t, E0, 0xd, OP_SEND, false), IPC_BLOCKED);
}

/* caller's call (or fault) was delivered to server, which is runnable now; caller waits for the reply */
static void called(struct thread *caller, struct thread *server, enum sendop op)
{
	receiving(server);
	caller->t_state = T_RUNNING;
	reg(caller)[REG_A1] = IPC_INFO(0x100, 1) | (reg(caller)[REG_A1] & IPC_EXT);
	caller->t_fault[0] = 13;
	assert_int_equal(ipc_send(caller, E0, 0, op, true), IPC_BLOCKED);
	assert_int_equal(caller->t_state, T_REPLY);
	assert_int_equal(server->t_state, T_RUNNABLE);
}

/* the ext block at EXT_VA in t's memory; flags (IPC_EXT, IPC_EXT_SEND) go into t's a1 */
static void put_ext(struct thread *t, struct ipc_ext e, uint64_t flags)
{
	paddr_t root = t->t_as->as_root;

	if (!ext_mapped[idx(t)])
		assert_int_equal(vm_map_anon(root, EXT_VA, 2 * PAGE_SIZE, PROT_R | PROT_W), 0);
	ext_mapped[idx(t)] = true;
	assert_int_equal(copy_to_user(root, EXT_VA, &e, sizeof(e)), 0);
	reg(t)[REG_A1] |= flags;
	reg(t)[REG_T4] = EXT_VA;
}

/* t may receive a buffer of up to a page, or a handle */
static void recv_ext(struct thread *t)
{
	put_ext(t, (struct ipc_ext){ .rbuf = BUF_VA, .rlen = PAGE_SIZE, .scap = -1, .rcap = -7 }, IPC_EXT);
}

/*
 * t is on the hart and traps with kernel call nr on handle h: label, n words
 * (all eight word registers are set, so what is not copied shows)
 */
static void trap(struct thread *t, uint64_t nr, int64_t h, uint32_t label, unsigned n)
{
	sched_remove(t);
	switch_to(t);
	reg(t)[CTX_PC] = 0x40000;
	reg(t)[REG_A7] = nr;
	reg(t)[REG_A0] = (uint64_t)h;
	reg(t)[REG_A1] = IPC_INFO(label, n);
	for (int i = 0; i < IPC_MAX_WORDS; i++)
		reg(t)[word_reg[i]] = 0xa000ul + 0x10ul * (uint64_t)idx(t) + (uint64_t)i;
	syscalls0 = syscall_count;
	ipcs0 = ipc_count;
}

/* ---- the outcome ---- */

struct tsnap {
	int state, prio, base_prio, suspended, sendop, grant;
	int ep, caller, replier, reply_caller;  /* thread/endpoint indices, -1 none, -2 no reply object */
	uint64_t refs, send_badge, handles, x[32];
	struct ipc_ext ext;                     /* at EXT_VA, if mapped */
	uint64_t buf_sum;                       /* of the page at BUF_VA, if mapped */
};

struct snap {
	struct tsnap t[NT];
	int q[2][NT + 1], qstate[2];            /* E0, E1: queued threads in order, -1 ends */
	int runq[NT + 1];                       /* in the order sched_pick() takes them, -1 ends */
	int cur;
	uint64_t syscalls, ipcs, ntfn_bits;
};

static int ep_idx(const struct endpoint *ep)
{
	return !ep ? -1 : ep == E0 ? 0 : ep == E1 ? 1 : 99;
}

/* the run queue in order, left as it was */
static void take_runq(int *out)
{
	struct thread *q[NT + 1];
	int n = 0;

	while (n < NT && (q[n] = sched_pick()))
		n++;
	assert_null(sched_pick());
	for (int i = 0; i < n; i++) {
		out[i] = idx(q[i]);
		sched_make_runnable(q[i]);      /* already T_RUNNABLE: queued again as it was */
	}
	out[n] = -1;
}

static void take(struct snap *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < NT; i++) {
		struct thread *t = T[i];
		struct tsnap *ts = &s->t[i];

		ts->state = t->t_state;
		ts->prio = t->t_prio;
		ts->base_prio = t->t_base_prio;
		ts->suspended = t->t_suspended;
		ts->sendop = t->t_sendop;
		ts->grant = t->t_send_grant;
		ts->send_badge = t->t_send_badge;
		ts->ep = ep_idx(t->t_ep);
		ts->caller = idx(t->t_caller);
		ts->replier = idx(t->t_replier);
		ts->reply_caller = t->t_reply_obj ? idx(t->t_reply_obj->r_caller) : -2;
		ts->refs = t->o.refs;
		ts->handles = t->t_cs->nused;
		memcpy(ts->x, t->t_ctx.x, sizeof(ts->x));
		if (ext_mapped[i]) {
			static uint8_t page[PAGE_SIZE];
			assert_int_equal(copy_from_user(t->t_as->as_root, &ts->ext, EXT_VA, sizeof(ts->ext)), 0);
			assert_int_equal(copy_from_user(t->t_as->as_root, page, BUF_VA, PAGE_SIZE), 0);
			for (size_t k = 0; k < PAGE_SIZE; k++)
				ts->buf_sum = ts->buf_sum * 31 + page[k];
		}
	}
	for (int e = 0; e < 2; e++) {
		struct endpoint *ep = e ? E1 : E0;
		int n = 0;
		for (struct list *l = ep->ep_queue.next; l != &ep->ep_queue && n < NT; l = l->next)
			s->q[e][n++] = idx(container_of(l, struct thread, t_link));
		s->q[e][n] = -1;
		s->qstate[e] = ep->ep_qstate;
	}
	take_runq(s->runq);
	s->cur = idx(cpu->c_cur);
	s->syscalls = syscall_count - syscalls0;
	s->ipcs = ipc_count - ipcs0;
	s->ntfn_bits = N->n_bits;
}

/*
 * For the partner that runs ahead of its equals: what runs and what is
 * runnable become one set, all "runnable", the hart's reference taken off.
 */
static void as_set(struct snap *s)
{
	bool in[NT] = { false };
	int n = 0;

	if (s->cur >= 0) {
		in[s->cur] = true;
		s->t[s->cur].refs--;
	}
	for (int i = 0; s->runq[i] >= 0; i++)
		in[s->runq[i]] = true;
	for (int i = 0; i < NT; i++) {
		if (in[i]) {
			s->t[i].state = T_RUNNABLE;
			s->runq[n++] = i;
		}
	}
	s->runq[n] = -1;
	s->cur = -1;
}

static int ndiff;
#define SAME(what, fmt, ...)                                                            \
	do {                                                                            \
		if (f->what != s->what) {                                               \
			print_error("  " fmt ": fast path %lld, slow path %lld\n", ##__VA_ARGS__, \
				    (long long)f->what, (long long)s->what);            \
			ndiff++;                                                        \
		}                                                                       \
	} while (0)

static void compare(const struct snap *f, const struct snap *s)
{
	static const char *const tn[NT] = { "A", "B", "C", "D" };

	ndiff = 0;
	for (int i = 0; i < NT; i++) {
		SAME(t[i].state, "%s state", tn[i]);
		SAME(t[i].prio, "%s prio", tn[i]);
		SAME(t[i].base_prio, "%s base prio", tn[i]);
		SAME(t[i].suspended, "%s suspended", tn[i]);
		SAME(t[i].sendop, "%s sendop", tn[i]);
		SAME(t[i].grant, "%s send grant", tn[i]);
		SAME(t[i].send_badge, "%s send badge", tn[i]);
		SAME(t[i].ep, "%s queued on", tn[i]);
		SAME(t[i].caller, "%s reply slot", tn[i]);
		SAME(t[i].replier, "%s replier", tn[i]);
		SAME(t[i].reply_caller, "%s saved reply's caller", tn[i]);
		SAME(t[i].refs, "%s refs", tn[i]);
		SAME(t[i].handles, "%s handles", tn[i]);
		for (int r = 0; r < 32; r++)
			SAME(t[i].x[r], "%s x[%d]", tn[i], r);
		SAME(t[i].ext.rcap, "%s ext rcap", tn[i]);
		SAME(t[i].ext.rbytes, "%s ext rbytes", tn[i]);
		SAME(t[i].buf_sum, "%s buffer", tn[i]);
	}
	for (int e = 0; e < 2; e++) {
		SAME(qstate[e], "E%d queue state", e);
		for (int k = 0; k <= NT; k++)
			SAME(q[e][k], "E%d queue[%d]", e, k);
	}
	for (int k = 0; k <= NT; k++)
		SAME(runq[k], "run queue[%d]", k);
	SAME(cur, "on the hart");
	SAME(syscalls, "kernel calls counted");
	SAME(ipcs, "messages counted");
	SAME(ntfn_bits, "N's bits");
	if (ndiff)
		fail_msg("%d differences", ndiff);
}

/* trap_user(), for an ecall: the fast path; if it declines (changing nothing), the slow path */
static void enter_slow(void);
static bool enter_fast(void)
{
	struct snap before, after;
	struct thread *next;

	take(&before);
	next = ipc_fastpath(cpu, cpu->c_cur);
	if (next) {
		switch_to(next);
		return true;
	}
	take(&after);
	compare(&after, &before);
	enter_slow();
	return false;
}

/* trap_user()'s slow path for an ecall, and kernel_exit_tick()'s choice (nothing idles here) */
static void enter_slow(void)
{
	struct thread *t = cpu->c_cur;

	if (t->t_state == T_RUNNING) {
		t->t_ctx.x[CTX_PC] += 4;
		syscall_dispatch(t);
	}
	switch_to(sched_next(cpu, false));
}

enum expect { SLOW, FAST, FAST_AHEAD /* fast; the partner runs ahead of its equals */ };

/* build(arg) twice: through trap_user's route and through the slow path alone; the same outcome */
static void check(const char *name, void (*build)(int), int arg, enum expect want)
{
	struct snap f, s;
	bool fast;

	world_new();
	build(arg);
	fast = enter_fast();
	take(&f);
	world_free();

	world_new();
	build(arg);
	enter_slow();
	take(&s);
	world_free();

	if (fast != (want != SLOW))
		fail_msg("%s (%d): the %s path ran, expected the %s one", name, arg, fast ? "fast" : "slow",
			 want != SLOW ? "fast" : "slow");
	if (want == FAST_AHEAD) {
		assert_int_not_equal(f.cur, s.cur);     /* else the scenario does not show it */
		as_set(&f);
		as_set(&s);
	}
	print_message("  %s (%d): %s path, same outcome\n", name, arg, fast ? "fast" : "slow");
	compare(&f, &s);
}

/* ---- SYS_CALL (A calls on E0) ---- */

/* B waits: n words (9 and 15: more than IPC_MAX_WORDS, capped) */
static void call_waiting(int n)
{
	receiving(B);
	trap(A, SYS_CALL, h_ep, 0x42, (unsigned)n);
}

static void call_badged(int n)
{
	receiving(B);
	trap(A, SYS_CALL, h_badged, 0x43, (unsigned)n);
}

/* B waits for a buffer or handle, A's call carries none but has its own ext for the reply */
static void call_both_ext(int n)
{
	recv_ext(B);
	receiving(B);
	trap(A, SYS_CALL, h_ep, 0x44, (unsigned)n);
	recv_ext(A);
}

/* a handle in the call (arg 0) or a 256-byte buffer (arg 1) */
static void call_ext_send(int buffer)
{
	static const uint8_t pat[256] = { 1, 2, 3, 250, [255] = 7 };

	recv_ext(B);
	receiving(B);
	trap(A, SYS_CALL, h_ep, 0x45, 1);
	if (buffer) {
		put_ext(A, (struct ipc_ext){ .sbuf = BUF_VA, .slen = sizeof(pat), .scap = -1 },
			IPC_EXT | IPC_EXT_SEND);
		assert_int_equal(copy_to_user(A->t_as->as_root, BUF_VA, pat, sizeof(pat)), 0);
	} else {
		put_ext(A, (struct ipc_ext){ .scap = h_ep1, .scap_rights = R_SEND }, IPC_EXT | IPC_EXT_SEND);
	}
}

/* nobody receives: A is queued; C (arg 1) or nothing (arg 0) runs */
static void call_no_receiver(int bystander)
{
	if (bystander)
		runnable(C, 5);
	trap(A, SYS_CALL, h_ep, 0x46, 2);
}

/* D is queued sending: A's call queues behind it */
static void call_sender_queued(int n)
{
	sending(D);
	trap(A, SYS_CALL, h_ep, 0x47, (unsigned)n);
}

/* E_INVAL (arg 0: a kernel label), E_BADF (1: no such handle), E_ACCES (2: no R_SEND) */
static void call_refused(int how)
{
	receiving(B);
	trap(A, SYS_CALL, how == 1 ? 0x55 : how == 2 ? h_recvonly : h_ep, how == 0 ? LABEL_KERNEL_MIN : 1, 1);
}

/* B waits but is held */
static void call_receiver_suspended(int n)
{
	receiving(B);
	B->t_suspended = true;
	trap(A, SYS_CALL, h_ep, 0x48, (unsigned)n);
}

/* C is runnable at priority prio; B waits at 10 */
static void call_bystander(int prio)
{
	runnable(C, prio);
	receiving(B);
	trap(A, SYS_CALL, h_ep, 0x49, 3);
}

/* B, given 20 and decayed to 17, waits; A has 10 */
static void call_server_decayed(int n)
{
	set_prio(B, 20);
	B->t_prio = 17;
	receiving(B);
	trap(A, SYS_CALL, h_ep, 0x4a, (unsigned)n);
}

/* A traps but another hart held it (arg 0) or killed it (arg 1) meanwhile */
static void call_caller_stopped(int killed)
{
	runnable(C, 5);
	receiving(B);
	trap(A, SYS_CALL, h_ep, 0x4b, 1);
	if (killed)
		A->t_state = T_DEAD;
	else
		A->t_suspended = true;
}

/* ---- SYS_REPLYRECV (A called B; B replies and receives on E0) ---- */

static void replyrecv_waiting(int n)
{
	called(A, B, OP_CALL);
	trap(B, SYS_REPLYRECV, h_ep, 0x52, (unsigned)n);
}

/* A's call had an ext for the reply: IPC_EXT stays in its a1 */
static void replyrecv_caller_ext(int n)
{
	recv_ext(A);
	called(A, B, OP_CALL);
	trap(B, SYS_REPLYRECV, h_ep, 0x53, (unsigned)n);
}

/* nobody to reply to: B only receives */
static void replyrecv_no_caller(int n)
{
	runnable(C, 5);
	trap(B, SYS_REPLYRECV, h_ep, 0x54, (unsigned)n);
}

/* A faulted to B: the reply resumes it as it is */
static void replyrecv_fault(int n)
{
	called(A, B, OP_FAULT);
	trap(B, SYS_REPLYRECV, h_ep, 0x55, (unsigned)n);
}

/* D is queued sending: B's receive takes it at once */
static void replyrecv_sender_queued(int n)
{
	called(A, B, OP_CALL);
	sending(D);
	trap(B, SYS_REPLYRECV, h_ep, 0x56, (unsigned)n);
}

/* N is bound to B with bits (arg 1) or without (arg 0) */
static void replyrecv_bound(int bits)
{
	N->n_bound = B;
	B->t_bound = N;
	called(A, B, OP_CALL);
	N->n_bits = bits ? 0x30 : 0;    /* signalled while B served A */
	trap(B, SYS_REPLYRECV, h_ep, 0x57, 2);
}

/* A is held while it waits for the reply */
static void replyrecv_caller_suspended(int n)
{
	called(A, B, OP_CALL);
	A->t_suspended = true;
	trap(B, SYS_REPLYRECV, h_ep, 0x58, (unsigned)n);
}

/* C is runnable at priority prio; A waits at 10 */
static void replyrecv_bystander(int prio)
{
	runnable(C, prio);
	called(A, B, OP_CALL);
	trap(B, SYS_REPLYRECV, h_ep, 0x59, 1);
}

/* E_INVAL reply (arg 0: a kernel label: no reply, A is let go), E_ACCES (1: a handle without R_RECV) */
static void replyrecv_refused(int how)
{
	called(A, B, OP_CALL);
	trap(B, SYS_REPLYRECV, how ? h_badged : h_ep, how ? 1 : LABEL_KERNEL_MIN, 1);
}

/* a handle in the reply */
static void replyrecv_ext_send(int n)
{
	recv_ext(A);
	called(A, B, OP_CALL);
	trap(B, SYS_REPLYRECV, h_ep, 0x5a, (unsigned)n);
	put_ext(B, (struct ipc_ext){ .scap = h_ep1, .scap_rights = R_SEND, .rbuf = BUF_VA, .rlen = PAGE_SIZE },
		IPC_EXT | IPC_EXT_SEND);
}

/* ---- SYS_SEND on a saved reply (A called B, B saved the reply and sends on it) ---- */

static int64_t saved_reply(enum sendop op)
{
	called(A, B, op);
	sched_remove(B);
	B->t_state = T_RUNNING;
	assert_int_equal(sys_reply_save(B, &reg(B)[REG_A0]), 0);
	B->t_state = T_RUNNABLE;
	return (int64_t)reg(B)[REG_A1];
}

static void send_saved(int n)
{
	int64_t h = saved_reply(OP_CALL);
	trap(B, SYS_SEND, h, 0x62, (unsigned)n);
}

/* A (the caller) has priority prio, B 10: it runs at once when it outranks B */
static void send_saved_caller_prio(int prio)
{
	int64_t h;
	set_prio(A, prio);
	h = saved_reply(OP_CALL);
	trap(B, SYS_SEND, h, 0x63, 2);
}

/* C is runnable at priority prio: once A is runnable too, the better one runs */
static void send_saved_bystander(int prio)
{
	int64_t h;
	runnable(C, prio);
	h = saved_reply(OP_CALL);
	trap(B, SYS_SEND, h, 0x64, 2);
}

/* A was cancelled meanwhile (E_PIPE), or (arg 1) it faulted */
static void send_saved_no_call(int fault)
{
	int64_t h = saved_reply(fault ? OP_FAULT : OP_CALL);
	if (!fault) {
		ipc_cancel(A);
		A->t_state = T_INACTIVE;
	}
	trap(B, SYS_SEND, h, 0x65, 1);
}

/* a send on an endpoint (D receives): not a saved reply, the slow path's */
static void send_endpoint(int n)
{
	receiving(D);
	trap(B, SYS_SEND, h_ep, 0x66, (unsigned)n);
}

/* ---- the tests: each row runs build(arg) for arg = from..to, and expects that path ---- */

struct scenario {
	const char *name;
	void (*build)(int arg);
	int from, to;
	enum expect want;
};
#define S(build, from, to, want) { #build, build, from, to, want }

static void run(const struct scenario *sc)
{
	for (; sc->build; sc++)
		for (int arg = sc->from; arg <= sc->to; arg++)
			check(sc->name, sc->build, arg, sc->want);
}

static const struct scenario calls[] = {
	S(call_waiting, 0, 15, FAST),           /* 9..15: more than IPC_MAX_WORDS, capped */
	S(call_badged, 0, IPC_MAX_WORDS, FAST),
	S(call_both_ext, 3, 3, FAST),
	S(call_server_decayed, 8, 8, FAST),
	S(call_ext_send, 0, 1, SLOW),           /* a handle, a buffer */
	S(call_no_receiver, 0, 1, SLOW),
	S(call_sender_queued, 4, 4, SLOW),
	S(call_refused, 0, 2, SLOW),            /* E_INVAL, E_BADF, E_ACCES */
	S(call_receiver_suspended, 2, 2, SLOW),
	S(call_caller_stopped, 0, 1, SLOW),     /* held, killed */
	{ 0 }
};

/* C runnable at 5, 9: lower than B; 10: B's equal, runs after it on the fast path; 11, 20: higher */
static const struct scenario call_priorities[] = {
	S(call_bystander, 5, 5, FAST),
	S(call_bystander, 9, 9, FAST),
	S(call_bystander, 10, 10, FAST_AHEAD),
	S(call_bystander, 11, 11, SLOW),
	S(call_bystander, 20, 20, SLOW),
	{ 0 }
};

static const struct scenario replyrecvs[] = {
	S(replyrecv_waiting, 0, 15, FAST),
	S(replyrecv_caller_ext, 5, 5, FAST),
	S(replyrecv_bound, 0, 0, FAST),         /* no bits pending */
	S(replyrecv_bound, 1, 1, SLOW),
	S(replyrecv_no_caller, 2, 2, SLOW),
	S(replyrecv_fault, 1, 1, SLOW),
	S(replyrecv_sender_queued, 3, 3, SLOW),
	S(replyrecv_caller_suspended, 1, 1, SLOW),
	S(replyrecv_refused, 0, 1, SLOW),       /* a kernel label, no R_RECV */
	S(replyrecv_ext_send, 2, 2, SLOW),
	{ 0 }
};

static const struct scenario replyrecv_priorities[] = {
	S(replyrecv_bystander, 5, 5, FAST),
	S(replyrecv_bystander, 10, 10, FAST_AHEAD),
	S(replyrecv_bystander, 11, 11, SLOW),
	{ 0 }
};

/* the fast path leaves with the exit path's choice: B goes on, or A or C runs and B is queued */
static const struct scenario saved_replies[] = {
	S(send_saved, 0, 15, FAST),
	S(send_saved_caller_prio, 5, 5, FAST),          /* B goes on */
	S(send_saved_caller_prio, 10, 10, FAST),        /* an equal waits for B's slice */
	S(send_saved_caller_prio, 15, 15, FAST),        /* A runs, B queued */
	S(send_saved_bystander, 5, 5, FAST),
	S(send_saved_bystander, 15, 15, FAST),          /* C runs */
	S(send_saved_no_call, 0, 1, SLOW),              /* A cancelled, A faulted */
	S(send_endpoint, 2, 2, SLOW),
	{ 0 }
};

static void test_call(void **state) { run(calls); }
static void test_call_priorities(void **state) { run(call_priorities); }
static void test_replyrecv(void **state) { run(replyrecvs); }
static void test_replyrecv_priorities(void **state) { run(replyrecv_priorities); }
static void test_send_saved_reply(void **state) { run(saved_replies); }

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T_(test_call),
		T_(test_call_priorities),
		T_(test_replyrecv),
		T_(test_replyrecv_priorities),
		T_(test_send_saved_reply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
