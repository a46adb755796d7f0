/*
 * POSIX threads: each pthread is an lwp of the process (PROC_LWP_CREATE)
 * with its own stack and TLS block, one malloc'd area, and a record
 * (struct __pthread) that holds its notification.  A thread blocks by
 * waiting on its own notification (park) and is woken by a signal on it
 * (unpark); mutexes and condition variables (pthread_sync.c) queue their
 * waiters and park them.  Notification bits are sticky, so an unpark that
 * comes before the park is not lost; every wait loop re-checks its
 * condition, so a spurious wake-up costs a loop.
 *
 * Records are never freed: a joined or reaped thread's record, with its
 * notification, goes on a free list for the next pthread_create.  A waker
 * that reads a record just after its thread went on therefore reads a live
 * handle, at worst waking someone spuriously.
 *
 * An exiting thread's last step (lwp_leave) sets t_dead and leaves through
 * the proc server touching registers only: once t_dead is set its stack and
 * TLS may be freed (by pthread_join, or by reap for a detached thread).
 *
 * Fork (proc.c calls the hooks at the end of this file): the thread list,
 * key, once and malloc locks are taken before the fork and let go after it
 * on both sides.  A fork1 child keeps only the caller, starts a new fork
 * generation (wait queues of the old one are dropped: their threads are
 * not in the child) and gets a notification of its own, since the handle it
 * has names the parent's.  A forkall child gives every thread a new
 * notification; see forkall_renew for the handshake with threads that were
 * waiting on the parent's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/lock.h>          /* __lock___libc_recursive_mutex: picolibc's lock for malloc,
                                   atexit and the environment (ours: pthread_lock.c) */
#include <picotls.h>            /* _init_tls */
#include "sys.h"
#include "uapi/proc.h"
#include "libc.h"

#define DEFAULT_STACK (64 * 1024)

struct __pthread {
	/* under th_lock */
	struct __pthread *t_next;       /* on th_all, or th_free */
	struct __pthread *t_joiner;     /* the thread in pthread_join for this one */
	int t_detached;
	int t_exiting;                  /* past its destructors: pthread_exit has read t_joiner */
	int t_main;                     /* the initial thread: a static record, the process's stack */
	/* the thread's own, read by a joiner once t_dead is set */
	void *(*t_fn)(void *);
	void *t_arg;
	void *t_retval;
	void *t_mem;                    /* stack and TLS block (malloc) */
	int t_dead;                     /* atomic: the lwp will not touch its stack or TLS again */
	int t_lwpid;                    /* atomic: its lwp id (the proc server's), 0 until its creator
	                                   has it; the initial thread's is 1, and fork keeps them */
	/* parking: wakers read t_ntfn at any time */
	handle_t t_ntfn;                /* its notification, -1 until it has one */
	handle_t t_waiting_on;          /* the handle it is in ntfn_wait on, or -1 (forkall_renew) */
	handle_t t_timer_on;            /* a deadline is armed on this handle ... */
	uint64_t t_timer_at;            /* ... for this time */
	unsigned int t_nsig;            /* atomic: handlers run on it (the trampoline's), counted
	                                   so that an interruptible wait can tell one ran */
	/* cancellation: t_cancel_pending atomic, set by pthread_cancel; the rest the thread's own */
	int t_cancel_pending;
	int t_cancel_off;               /* PTHREAD_CANCEL_DISABLE */
	int t_cancel_async;             /* PTHREAD_CANCEL_ASYNCHRONOUS */
	int t_cp;                       /* in a cancellation point: CP_CALL, CP_PARK, or 0 */
	struct __pthread_cleanup *t_cleanup;   /* pthread_cleanup_push's, the last first */
	/* thread-specific data: a value counts while its sequence number is the key's */
	void *t_kv[PTHREAD_KEYS_MAX];
	unsigned int t_kseq[PTHREAD_KEYS_MAX];
};

static pthread_mutex_t th_lock = PTHREAD_MUTEX_INITIALIZER;
static struct __pthread *th_all;    /* every thread not yet joined or reaped */
static struct __pthread *th_free;   /* records to reuse */
static int th_nlive;                /* threads not yet past pthread_exit */
static struct __pthread th_main_rec;
static __thread struct __pthread *th_self;
unsigned int __pthread_gen = 1;

/*
 * The TLS block as user.ld lays it out and _init_tls fills it: .tdata, then
 * .tbss at __tbss_offset (user.ld's __tls_size, tdata + tbss, leaves out the
 * padding .tbss's alignment may put between them).  tp points at its start.
 */
extern char __tbss_offset[], __tbss_size[], __tls_align[];

static size_t tls_size(void)
{
	return (size_t)(uintptr_t)__tbss_offset + (size_t)(uintptr_t)__tbss_size;
}

static size_t tls_align(void)
{
	size_t a = (size_t)(uintptr_t)__tls_align;
	return a > 16 ? a : 16;
}

/* ---- records ---- */

/* the initial thread's record; it is the only thread when this runs */
static struct __pthread *main_init(void)
{
	struct __pthread *t = &th_main_rec;
	t->t_main = 1;
	t->t_lwpid = 1;
	t->t_ntfn = t->t_waiting_on = t->t_timer_on = -1;
	t->t_next = th_all;
	th_all = t;
	th_nlive = 1;
	th_self = t;
	return t;
}

struct __pthread *__pthread_self(void)
{
	struct __pthread *t = th_self;
	return t ? t : main_init();
}

/* a record for a new thread, with a notification; NULL if none can be had */
static struct __pthread *rec_get(void)
{
	struct __pthread *t;
	handle_t h;

	pthread_mutex_lock(&th_lock);
	if ((t = th_free))
		th_free = t->t_next;
	pthread_mutex_unlock(&th_lock);
	if (!t) {
		if (!(t = malloc(sizeof(*t))))
			return NULL;
		t->t_ntfn = -1;
	}
	h = t->t_ntfn;
	memset(t, 0, sizeof(*t));
	t->t_ntfn = h;
	t->t_waiting_on = t->t_timer_on = -1;
	if (t->t_ntfn < 0 && ntfn_create(&t->t_ntfn)) {
		t->t_ntfn = -1;
		pthread_mutex_lock(&th_lock);
		t->t_next = th_free;
		th_free = t;
		pthread_mutex_unlock(&th_lock);
		return NULL;
	}
	return t;
}

/* t is dead and off th_all: free its stack, keep its record */
static void rec_put(struct __pthread *t)
{
	free(t->t_mem);
	t->t_mem = NULL;
	if (t->t_main)
		return;
	pthread_mutex_lock(&th_lock);
	t->t_next = th_free;
	th_free = t;
	pthread_mutex_unlock(&th_lock);
}

/* is t a thread of ours not yet joined or reaped?  th_lock held */
static int listed(struct __pthread *t)
{
	for (struct __pthread *u = th_all; u; u = u->t_next)
		if (u == t)
			return 1;
	return 0;
}

/* free what detached threads that have finished exiting leave behind */
static void reap(void)
{
	struct __pthread **pp, *t, *done = NULL;

	pthread_mutex_lock(&th_lock);
	for (pp = &th_all; (t = *pp);) {
		if (t->t_detached && __atomic_load_n(&t->t_dead, __ATOMIC_ACQUIRE)) {
			*pp = t->t_next;
			t->t_next = done;
			done = t;
		} else {
			pp = &t->t_next;
		}
	}
	pthread_mutex_unlock(&th_lock);
	while ((t = done)) {
		done = t->t_next;
		rec_put(t);
	}
}

/* ---- parking ---- */

uint64_t __pthread_ticks(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static uint64_t timebase(void)
{
	static uint64_t hz;
	if (!hz) {
		struct sysinfo si;
		hz = sys_info(&si) == 0 && si.timebase_hz ? si.timebase_hz : 10000000;
	}
	return hz;
}

/* an absolute CLOCK_REALTIME time (clock_gettime: rdtime / timebase) in ticks, rounded up */
int __pthread_deadline(const struct timespec *abs, uint64_t *ticks)
{
	uint64_t f = timebase();
	if (abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000)
		return EINVAL;
	if (abs->tv_sec < 0)
		*ticks = 1;
	else if ((uint64_t)abs->tv_sec >= UINT64_MAX / f - 1)
		*ticks = UINT64_MAX;
	else
		*ticks = (uint64_t)abs->tv_sec * f + ((uint64_t)abs->tv_nsec * f + 999999999u) / 1000000000u;
	if (*ticks == 0)
		*ticks = 1;
	return 0;
}

/*
 * Wait until an unpark, the deadline (ticks, 0: none) or a spurious wake-up.
 * The caller checks its condition before and after, in a loop.  The handle
 * is read anew each time: a forkall child replaces it (forkall_renew), and
 * t_waiting_on tells forkall_renew whether we may be waiting on the old one.
 * A timer left armed after the wait only makes a spurious wake-up later.
 */
void __pthread_park(struct __pthread *self, uint64_t deadline)
{
	handle_t h = __atomic_load_n(&self->t_ntfn, __ATOMIC_SEQ_CST), none = -1;
	uint64_t bits;
	long r;

	if (h < 0) {
		/* the initial thread's first park, or the kernel had none for us at fork */
		if (ntfn_create(&h)) {
			sys_yield();
			return;
		}
		if (!__atomic_compare_exchange_n(&self->t_ntfn, &none, h, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			handle_close(h);
		/* an unpark may have found no handle: the caller re-checks before waiting */
		return;
	}
	if (deadline) {
		if (__pthread_ticks() >= deadline)
			return;
		if (self->t_timer_on != h || self->t_timer_at != deadline) {
			if (ntfn_timer(h, 2, deadline)) {
				sys_yield();
				return;
			}
			self->t_timer_on = h;
			self->t_timer_at = deadline;
		}
	}
	__atomic_store_n(&self->t_waiting_on, h, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&self->t_ntfn, __ATOMIC_SEQ_CST) == h) {
		r = ntfn_wait(h, &bits);
		/* -E_INTR: a forkall child's copy of a wait; -E_BUSY: our copy in a forkall child waits on it */
		if (r && r != -E_INTR)
			sys_yield();
	}
	__atomic_store_n(&self->t_waiting_on, -1, __ATOMIC_SEQ_CST);
}

/*
 * Wake t's park.  The caller has made t's condition true first; the fence
 * orders that before the handle is read, so that a forkall child's new
 * handle is either read here or seen by t (forkall_renew signals it once).
 */
void __pthread_unpark(struct __pthread *t)
{
	handle_t h;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	h = __atomic_load_n(&t->t_ntfn, __ATOMIC_SEQ_CST);
	if (h >= 0)
		ntfn_signal(h, 1);
}

/*
 * A caught signal's handler ran on this thread (signal.c calls this after
 * the trampoline's handlers).  A wait that a signal interrupts (sem_wait)
 * reads t_nsig before it blocks and after every wake-up: if the handler
 * came while the thread was in ntfn_wait, that wait ended with E_INTR;
 * if it came just before, the unpark here ends the next one.  (E_INTR
 * alone cannot tell: a forkall child's copy of a wait sees it too.)  Any
 * other wait takes the unpark as a spurious wake-up.  A thread without a
 * record waits in nothing of ours.
 */
void __pthread_sig_ran(void)
{
	struct __pthread *t = th_self;
	if (!t)
		return;
	__atomic_add_fetch(&t->t_nsig, 1, __ATOMIC_SEQ_CST);
	__pthread_unpark(t);
}

unsigned int __pthread_nsig(struct __pthread *self)
{
	return __atomic_load_n(&self->t_nsig, __ATOMIC_SEQ_CST);
}

/* ---- create, exit, join ---- */

/* a new thread's first code, in its own lwp: a = its record */
static void thread_main(uint64_t a)
{
	struct __pthread *t = (struct __pthread *)a;
	th_self = t;
	pthread_exit(t->t_fn(t->t_arg));
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	size_t stack = attr ? attr->__a_stacksize : DEFAULT_STACK, tsz = tls_size(), align = tls_align();
	struct __pthread *t, **pp;
	char *tls, *top;
	uint64_t sched = 0;
	int err = EAGAIN;
	int r, saved;

	if (stack > SIZE_MAX / 2)
		return EAGAIN;
	__pthread_self();                   /* the initial thread is on the list before any other */
	reap();
	if (!(t = rec_get()))
		return EAGAIN;
	if (!(t->t_mem = malloc(tsz + align + stack + 16)))
		goto fail_rec;
	tls = (char *)(((uintptr_t)t->t_mem + align - 1) & ~(uintptr_t)(align - 1));
	_init_tls(tls);
	top = (char *)(((uintptr_t)t->t_mem + tsz + align + stack + 16) & ~(uintptr_t)15);
	t->t_fn = fn;
	t->t_arg = arg;
	t->t_detached = attr && attr->__a_detachstate == PTHREAD_CREATE_DETACHED;

	pthread_mutex_lock(&th_lock);
	t->t_next = th_all;
	th_all = t;
	th_nlive++;
	pthread_mutex_unlock(&th_lock);
	*out = t;                           /* before it runs: it may read it */
	/* EINTR: a signal (or a forkall) ended the call before the proc server took it */
	saved = errno;
	if (attr && attr->__a_inheritsched == PTHREAD_EXPLICIT_SCHED)
		sched = 1 + ((uint64_t)(attr->__a_policy & 0xff) << 8 | (uint64_t)(attr->__a_priority & 0xff));
	while ((r = __lwp_create_tp(thread_main, (uint64_t)t, top, tls, sched)) < 0 && errno == EINTR)
		;
	err = r < 0 ? errno : 0;
	errno = saved;
	if (r < 0)
		goto fail_list;
	__atomic_store_n(&t->t_lwpid, r, __ATOMIC_RELEASE);
	return 0;

fail_list:
	pthread_mutex_lock(&th_lock);
	for (pp = &th_all; *pp != t; pp = &(*pp)->t_next)
		;
	*pp = t->t_next;
	th_nlive--;
	pthread_mutex_unlock(&th_lock);
	free(t->t_mem);
	t->t_mem = NULL;
fail_rec:
	rec_put(t);
	return err == EINVAL || err == EPERM ? err : EAGAIN;   /* a bad or forbidden explicit scheduling */
}

/*
 * The lwp's end: t_dead set, the joiner's notification (if any) signalled,
 * then PROC_LWP_EXIT, all in registers: from the store on, a joiner or reap
 * may free the stack and TLS block this thread ran on.
 */
__attribute__((noreturn)) static void lwp_leave(int *dead, handle_t *joiner_ntfn)
{
	handle_t hp = startinfo && startinfo->h_proc >= 0 ? startinfo->h_proc : -1;
	__asm__ volatile(
		"	li	t0, 1\n"
		"	fence	rw, w\n"
		"	sw	t0, 0(%0)\n"
		"	fence	rw, rw\n"
		"	beqz	%1, 1f\n"
		"	ld	a0, 0(%1)\n"
		"	bltz	a0, 1f\n"
		"	li	a1, 1\n"
		"	li	a7, %3\n"
		"	ecall\n"
		"1:	bltz	%2, 2f\n"
		"	mv	a0, %2\n"
		"	li	a1, %4\n"
		"	li	a7, %5\n"
		"	ecall\n"
		"2:	li	a0, 0\n"
		"	li	a7, %6\n"
		"	ecall\n"
		"	j	2b\n"
		:
		: "r"(dead), "r"(joiner_ntfn), "r"(hp), "i"(SYS_NTFN_SIGNAL), "i"(PROC_LWP_EXIT),
		  "i"(SYS_CALL), "i"(SYS_THREAD_EXIT)
		: "memory", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
		  "t0", "t1", "t2", "t3", "t4", "t5", "t6");
	__builtin_unreachable();
}

static void run_destructors(struct __pthread *self);

void pthread_exit(void *retval)
{
	struct __pthread *self = __pthread_self(), *joiner;
	int last;

	self->t_cancel_off = 1;          /* a cleanup handler's cancellation point does not act again */
	self->t_cp = 0;
	while (self->t_cleanup) {
		struct __pthread_cleanup *c = self->t_cleanup;
		self->t_cleanup = c->__next;
		c->__fn(c->__arg);
	}
	run_destructors(self);
	self->t_retval = retval;
	pthread_mutex_lock(&th_lock);
	self->t_exiting = 1;
	joiner = self->t_joiner;
	last = --th_nlive == 0;
	pthread_mutex_unlock(&th_lock);
	if (last)
		exit(0);                    /* the last thread: atexit handlers and stdio, as POSIX says */
	lwp_leave(&self->t_dead, joiner ? &joiner->t_ntfn : NULL);
}

/*
 * ---- cancellation ----
 *
 * pthread_cancel marks the target, then looks at what it is doing (the
 * target sets t_cp before it looks at the mark: one of them sees the
 * other).  Disabled, or deferred outside a cancellation point: nothing
 * more, the next cancellation point or pthread_testcancel acts.  Parked in
 * one of ours (CP_PARK: join, condition variables, semaphores): woken, and
 * that wait acts itself once it has let go of what it holds (a condition
 * variable's waiter, the mutex taken back, as POSIX wants).  Asynchronous,
 * or in a cancellation point that is one call (CP_CALL: read, write, the
 * sleeps, sigwait ...): sent libc's signal 32 (PROC_SIGCANCEL, through the
 * proc server like pthread_kill), which ends the call it is blocked in, and
 * whose handler (__pthread_cancel_handler) acts there.  Acting is
 * pthread_exit(PTHREAD_CANCELED): cleanup handlers, then thread-specific
 * data destructors.
 */
enum { CP_CALL = 1, CP_PARK };

int __pthread_cancel_due(struct __pthread *self)
{
	return !self->t_cancel_off && __atomic_load_n(&self->t_cancel_pending, __ATOMIC_SEQ_CST);
}

void pthread_testcancel(void)
{
	struct __pthread *self = __pthread_self();
	if (__pthread_cancel_due(self))
		pthread_exit(PTHREAD_CANCELED);
}

/* a cancellation point begins (acting on a request already made): the state to put back */
static int cp_enter(struct __pthread *self, int kind)
{
	int was = self->t_cp;
	__atomic_store_n(&self->t_cp, kind, __ATOMIC_SEQ_CST);
	if (__pthread_cancel_due(self))
		pthread_exit(PTHREAD_CANCELED);
	return was;
}

int __pthread_cp_enter(void)
{
	struct __pthread *self = th_self;
	return self ? cp_enter(self, CP_CALL) : 0;   /* no record: no thread was made, none cancels */
}

void __pthread_cp_leave(int was)
{
	if (th_self)
		__atomic_store_n(&th_self->t_cp, was, __ATOMIC_SEQ_CST);
}

/* the same for the waits that park (pthread_sync.c, semaphore.c) */
int __cp_park_enter(struct __pthread *self)
{
	return cp_enter(self, CP_PARK);
}

void __cp_park_leave(struct __pthread *self, int was)
{
	__atomic_store_n(&self->t_cp, was, __ATOMIC_SEQ_CST);
}

void __pthread_cancel_handler(void)
{
	struct __pthread *self = th_self;
	if (!self || !__pthread_cancel_due(self))
		return;                     /* disabled since: the interrupted call is made again */
	if (self->t_cancel_async || self->t_cp == CP_CALL)
		pthread_exit(PTHREAD_CANCELED);
	__pthread_unpark(self);
}

int pthread_cancel(pthread_t t)
{
	int id, err, cp;
	if (t != __pthread_self() && (err = __sig_cancel_install()))
		return err;
	__atomic_store_n(&t->t_cancel_pending, 1, __ATOMIC_SEQ_CST);
	cp = __atomic_load_n(&t->t_cp, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&t->t_cancel_off, __ATOMIC_RELAXED))
		return 0;
	if (t == __pthread_self()) {
		if (t->t_cancel_async)
			pthread_exit(PTHREAD_CANCELED);
		return 0;                   /* deferred: the next cancellation point */
	}
	if (cp == CP_PARK) {
		__pthread_unpark(t);
		return 0;
	}
	if (cp != CP_CALL && !__atomic_load_n(&t->t_cancel_async, __ATOMIC_RELAXED))
		return 0;
	id = __atomic_load_n(&t->t_lwpid, __ATOMIC_SEQ_CST);
	if (!id || __atomic_load_n(&t->t_dead, __ATOMIC_SEQ_CST))
		return 0;                   /* not started (it looks at the mark first), or gone */
	err = __lwp_kill(id, PROC_SIGCANCEL);
	return err == ESRCH ? 0 : err;  /* it ended meanwhile */
}

int pthread_setcancelstate(int state, int *old)
{
	struct __pthread *self = __pthread_self();
	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (old)
		*old = self->t_cancel_off ? PTHREAD_CANCEL_DISABLE : PTHREAD_CANCEL_ENABLE;
	self->t_cancel_off = state == PTHREAD_CANCEL_DISABLE;
	if (self->t_cancel_async)
		pthread_testcancel();       /* asynchronous: at once */
	return 0;
}

int pthread_setcanceltype(int type, int *old)
{
	struct __pthread *self = __pthread_self();
	if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	if (old)
		*old = self->t_cancel_async ? PTHREAD_CANCEL_ASYNCHRONOUS : PTHREAD_CANCEL_DEFERRED;
	self->t_cancel_async = type == PTHREAD_CANCEL_ASYNCHRONOUS;
	if (self->t_cancel_async)
		pthread_testcancel();
	return 0;
}

void __pthread_cleanup_push(struct __pthread_cleanup *c, void (*fn)(void *), void *arg)
{
	struct __pthread *self = __pthread_self();
	c->__fn = fn;
	c->__arg = arg;
	c->__next = self->t_cleanup;
	self->t_cleanup = c;
}

void __pthread_cleanup_pop(struct __pthread_cleanup *c, int execute)
{
	struct __pthread *self = __pthread_self();
	self->t_cleanup = c->__next;
	if (execute)
		c->__fn(c->__arg);
}

/* 0 if t may still be joined or detached, else its errno; th_lock held */
static int joinable(pthread_t t)
{
	if (!listed(t))
		return ESRCH;
	return t->t_detached || t->t_joiner ? EINVAL : 0;
}

int pthread_join(pthread_t t, void **retval)
{
	struct __pthread *self = __pthread_self();
	int told, err, cp;

	if (t == self)
		return EDEADLK;
	cp = __cp_park_enter(self);     /* a cancellation point */
	pthread_mutex_lock(&th_lock);
	if ((err = joinable(t))) {
		pthread_mutex_unlock(&th_lock);
		__cp_park_leave(self, cp);
		return err;
	}
	t->t_joiner = self;
	told = !t->t_exiting;           /* else pthread_exit has passed the point where it looks */
	pthread_mutex_unlock(&th_lock);

	while (!__atomic_load_n(&t->t_dead, __ATOMIC_ACQUIRE)) {
		if (__pthread_cancel_due(self)) {
			pthread_mutex_lock(&th_lock);
			t->t_joiner = NULL;     /* cancelled: t stays joinable (POSIX) */
			pthread_mutex_unlock(&th_lock);
			pthread_exit(PTHREAD_CANCELED);
		}
		if (told)
			__pthread_park(self, 0);
		else
			sys_yield();        /* a few instructions away */
	}
	__cp_park_leave(self, cp);
	if (retval)
		*retval = t->t_retval;
	pthread_mutex_lock(&th_lock);
	for (struct __pthread **pp = &th_all; *pp; pp = &(*pp)->t_next)
		if (*pp == t) {
			*pp = t->t_next;
			break;
		}
	pthread_mutex_unlock(&th_lock);
	rec_put(t);
	return 0;
}

int pthread_detach(pthread_t t)
{
	int err;

	pthread_mutex_lock(&th_lock);
	if ((err = joinable(t))) {
		pthread_mutex_unlock(&th_lock);
		return err;
	}
	t->t_detached = 1;
	pthread_mutex_unlock(&th_lock);
	reap();
	return 0;
}

pthread_t pthread_self(void)
{
	return __pthread_self();
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

/* ---- attributes ---- */

int pthread_attr_init(pthread_attr_t *attr)
{
	attr->__a_stacksize = DEFAULT_STACK;
	attr->__a_detachstate = PTHREAD_CREATE_JOINABLE;
	attr->__a_inheritsched = PTHREAD_INHERIT_SCHED;
	attr->__a_policy = SCHED_OTHER;
	attr->__a_priority = 0;
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (size < PTHREAD_STACK_MIN)
		return EINVAL;
	attr->__a_stacksize = size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	*size = attr->__a_stacksize;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	attr->__a_detachstate = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	*state = attr->__a_detachstate;
	return 0;
}

/* ---- scheduling (sched.c has the calls; servers/proc/sched.c the rules) ---- */

int pthread_attr_setinheritsched(pthread_attr_t *attr, int inherit)
{
	if (inherit != PTHREAD_INHERIT_SCHED && inherit != PTHREAD_EXPLICIT_SCHED)
		return EINVAL;
	attr->__a_inheritsched = inherit;
	return 0;
}

int pthread_attr_getinheritsched(const pthread_attr_t *attr, int *inherit)
{
	*inherit = attr->__a_inheritsched;
	return 0;
}

int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy)
{
	if (policy != SCHED_OTHER && policy != SCHED_RR)
		return policy == SCHED_FIFO ? ENOTSUP : EINVAL;
	attr->__a_policy = policy;
	return 0;
}

int pthread_attr_getschedpolicy(const pthread_attr_t *attr, int *policy)
{
	*policy = attr->__a_policy;
	return 0;
}

int pthread_attr_setschedparam(pthread_attr_t *attr, const struct sched_param *param)
{
	attr->__a_priority = param->sched_priority;       /* checked by pthread_create, with the policy */
	return 0;
}

int pthread_attr_getschedparam(const pthread_attr_t *attr, struct sched_param *param)
{
	param->sched_priority = attr->__a_priority;
	return 0;
}

int pthread_attr_setscope(pthread_attr_t *attr, int scope)
{
	(void)attr;
	if (scope == PTHREAD_SCOPE_SYSTEM)
		return 0;
	return scope == PTHREAD_SCOPE_PROCESS ? ENOTSUP : EINVAL;
}

int pthread_attr_getscope(const pthread_attr_t *attr, int *scope)
{
	(void)attr;
	*scope = PTHREAD_SCOPE_SYSTEM;
	return 0;
}

/* thread t's lwp id for the proc server: 0 for ourselves; ESRCH if it is gone */
static int lwp_of(pthread_t t, int *id)
{
	if (t == __pthread_self()) {
		*id = 0;
		return 0;
	}
	while (!(*id = __atomic_load_n(&t->t_lwpid, __ATOMIC_ACQUIRE))) {
		if (__atomic_load_n(&t->t_dead, __ATOMIC_ACQUIRE))
			return ESRCH;
		sched_yield();
	}
	return __atomic_load_n(&t->t_dead, __ATOMIC_ACQUIRE) ? ESRCH : 0;
}

/* sig to thread t (0: only check that it is there); a handler for ourselves runs before we return */
int pthread_kill(pthread_t t, int sig)
{
	int id, err;
	if (sig == PROC_SIGCANCEL)
		return EINVAL;                  /* libc's own: only pthread_cancel sends it */
	err = lwp_of(t, &id);
	return err ? err : __lwp_kill(id, sig);
}

int pthread_getcpuclockid(pthread_t t, clockid_t *clock)
{
	int id, err = lwp_of(t, &id);
	if (err)
		return err;
	*clock = __CPUCLOCK_LWP(__atomic_load_n(&t->t_lwpid, __ATOMIC_ACQUIRE));
	return 0;
}

int pthread_getschedparam(pthread_t t, int *policy, struct sched_param *param)
{
	int id, err = lwp_of(t, &id);
	return err ? err : __sched(SCHEDOP_GET_LWP, id, 0, 0, policy, &param->sched_priority);
}

int pthread_setschedparam(pthread_t t, int policy, const struct sched_param *param)
{
	int id, err = lwp_of(t, &id);
	return err ? err : __sched(SCHEDOP_SET_LWP, id, policy, param->sched_priority, NULL, NULL);
}

int pthread_setschedprio(pthread_t t, int prio)
{
	int id, policy, err = lwp_of(t, &id);
	if (!err)
		err = __sched(SCHEDOP_GET_LWP, id, 0, 0, &policy, NULL);
	return err ? err : __sched(SCHEDOP_SET_LWP, id, policy, prio, NULL, NULL);
}

/* ---- thread-specific data: a key's sequence number is odd while it exists ---- */

static struct {
	unsigned int seq;
	void (*dtor)(void *);
} keys[PTHREAD_KEYS_MAX];
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	pthread_mutex_lock(&key_lock);
	for (unsigned int k = 0; k < PTHREAD_KEYS_MAX; k++) {
		if (keys[k].seq & 1)
			continue;
		keys[k].dtor = destructor;
		__atomic_store_n(&keys[k].seq, keys[k].seq + 1, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&key_lock);
		*key = k;
		return 0;
	}
	pthread_mutex_unlock(&key_lock);
	return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
	int err = 0;
	if (key >= PTHREAD_KEYS_MAX)
		return EINVAL;
	pthread_mutex_lock(&key_lock);
	if (keys[key].seq & 1) {
		__atomic_store_n(&keys[key].seq, keys[key].seq + 1, __ATOMIC_RELEASE);
		keys[key].dtor = NULL;
	} else {
		err = EINVAL;
	}
	pthread_mutex_unlock(&key_lock);
	return err;
}

void *pthread_getspecific(pthread_key_t key)
{
	struct __pthread *self = __pthread_self();
	if (key >= PTHREAD_KEYS_MAX || self->t_kseq[key] != __atomic_load_n(&keys[key].seq, __ATOMIC_ACQUIRE))
		return NULL;
	return self->t_kv[key];
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	struct __pthread *self = __pthread_self();
	unsigned int seq;
	if (key >= PTHREAD_KEYS_MAX || !((seq = __atomic_load_n(&keys[key].seq, __ATOMIC_ACQUIRE)) & 1))
		return EINVAL;
	self->t_kv[key] = (void *)value;
	self->t_kseq[key] = seq;
	return 0;
}

/* POSIX: repeat while destructors leave values set, at most PTHREAD_DESTRUCTOR_ITERATIONS times */
static void run_destructors(struct __pthread *self)
{
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		int ran = 0;
		for (unsigned int k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void (*dtor)(void *) = NULL;
			void *v = self->t_kv[k];
			if (!v)
				continue;
			pthread_mutex_lock(&key_lock);
			if (self->t_kseq[k] == keys[k].seq)
				dtor = keys[k].dtor;
			pthread_mutex_unlock(&key_lock);
			self->t_kv[k] = NULL;
			if (dtor) {
				dtor(v);
				ran = 1;
			}
		}
		if (!ran)
			break;
	}
}

/* ---- once ---- */

static pthread_mutex_t once_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t once_cond = PTHREAD_COND_INITIALIZER;

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	int s = 0;
	if (__atomic_load_n(&once->__o_state, __ATOMIC_ACQUIRE) == 2)
		return 0;
	if (__atomic_compare_exchange_n(&once->__o_state, &s, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
		fn();
		pthread_mutex_lock(&once_lock);
		__atomic_store_n(&once->__o_state, 2, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&once_cond);
		pthread_mutex_unlock(&once_lock);
		return 0;
	}
	pthread_mutex_lock(&once_lock);
	while (__atomic_load_n(&once->__o_state, __ATOMIC_ACQUIRE) != 2)
		pthread_cond_wait(&once_cond, &once_lock);
	pthread_mutex_unlock(&once_lock);
	return 0;
}

/* ---- fork (proc.c's forksys) ---- */

void __pthread_fork_prepare(void)
{
	__pthread_self();
	pthread_mutex_lock(&th_lock);
	pthread_mutex_lock(&key_lock);
	pthread_mutex_lock(&once_lock);
	__retarget_lock_acquire_recursive(&__lock___libc_recursive_mutex);
}

void __pthread_fork_parent(void)
{
	__retarget_lock_release_recursive(&__lock___libc_recursive_mutex);
	pthread_mutex_unlock(&once_lock);
	pthread_mutex_unlock(&key_lock);
	pthread_mutex_unlock(&th_lock);
}

/* a record a child has no thread for: the handle names the parent's notification */
static void forget_ntfn(struct __pthread *t)
{
	if (t->t_ntfn >= 0)
		handle_close(t->t_ntfn);
	t->t_ntfn = t->t_waiting_on = t->t_timer_on = -1;
}

/* fork1 child: the caller is the only thread; th_lock and the others are ours */
void __pthread_child_reset(void)
{
	struct __pthread *self = __pthread_self(), *t, *next;

	if (++__pthread_gen == 0)
		__pthread_gen = 1;
	for (t = th_free; t; t = t->t_next)
		forget_ntfn(t);
	for (t = th_all; t; t = next) {
		next = t->t_next;
		if (t == self)
			continue;
		forget_ntfn(t);
		free(t->t_mem);
		t->t_mem = NULL;
		if (!t->t_main) {
			t->t_next = th_free;
			th_free = t;
		}
	}
	th_all = self;
	self->t_next = NULL;
	self->t_joiner = NULL;
	th_nlive = 1;
	forget_ntfn(self);
	if (ntfn_create(&self->t_ntfn))
		self->t_ntfn = -1;          /* made at the first park */
	__pthread_fork_parent();
}

/*
 * forkall child: t (every thread was copied) gets a new notification.  A
 * copy that was blocked on the old one saw its wait fail with E_INTR, but
 * may have read the old handle again and be about to wait on the parent's
 * object: park publishes t_waiting_on before re-reading t_ntfn, and we
 * signal the old handle until t is not waiting on it (the parent's thread
 * sees a spurious wake-up).  Then one signal on the new handle makes t
 * re-check its condition whatever handle its waker read.
 */
static void forkall_renew(struct __pthread *t)
{
	handle_t old = __atomic_load_n(&t->t_ntfn, __ATOMIC_SEQ_CST), h;

	if (ntfn_create(&h))
		h = -1;                     /* t makes one at its next park */
	while (!__atomic_compare_exchange_n(&t->t_ntfn, &old, h, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (old >= 0) {
		while (__atomic_load_n(&t->t_waiting_on, __ATOMIC_SEQ_CST) == old) {
			ntfn_signal(old, 1);
			sys_yield();
		}
		handle_close(old);
	}
	if (h >= 0)
		ntfn_signal(h, 1);
}

void __pthread_forkall_child(void)
{
	struct __pthread *t;
	for (t = th_free; t; t = t->t_next)
		forget_ntfn(t);
	for (t = th_all; t; t = t->t_next)
		forkall_renew(t);
	__pthread_fork_parent();
}
