/*
 * Unnamed semaphores over a wait queue (waitq.h; pthread.c parks).
 *
 * The count lives in one word with a flag beside it, S_WAITERS: set by a
 * waiter, under the queue's spinlock, before it looks at the count a last
 * time and queues; cleared under the spinlock once the queue is empty.  A
 * post adds to the count by compare-and-swap, and only if S_WAITERS was
 * set at that moment does it go on to wake someone.  A woken waiter is
 * given nothing: it takes a unit as anyone does, and waits again if
 * another thread (sem_trywait, say) was quicker.
 *
 * sem_post is async-signal-safe, so it never spins on the queue's lock: a
 * handler may have interrupted the lock's holder on the same thread.  It
 * counts itself in __s_pend and tries the lock once; whoever holds the
 * lock wakes a waiter for each pending post before it lets go, and looks
 * again after letting go (sem_unlock), so none is lost.
 *
 * sem_wait is interruptible: pthread.c counts the handlers each thread
 * runs (__pthread_nsig), and a wait that sees the count move gives up with
 * EINTR, SA_RESTART or not (POSIX: sem_wait is not restarted).
 *
 * After a fork1 the child's copy of a semaphore keeps its count; its queue
 * (the parent's waiters) is dropped with the generation, and a stale
 * S_WAITERS or __s_pend costs the child's next post one look at an empty
 * queue.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include "sys.h"
#include "libc.h"
#include "waitq.h"

#define S_WAITERS 1u
#define S_UNIT    2u                    /* one in the count */

/* fail with e as POSIX has these calls do */
static int fail(int e)
{
	errno = e;
	return -1;
}

int sem_init(sem_t *s, int pshared, unsigned int value)
{
	if (value > SEM_VALUE_MAX)
		return fail(EINVAL);
	if (pshared)
		return fail(ENOSYS);    /* no memory shared between processes yet */
	*s = (sem_t){ 0, value * S_UNIT, 0, __PTHREAD_WAITQ_INITIALIZER };
	return 0;
}

/* a unit taken if there was one; the flag is left as it is */
static int take(sem_t *s)
{
	unsigned int v = __atomic_load_n(&s->__s_value, __ATOMIC_RELAXED);
	while (v >= S_UNIT)
		if (__atomic_compare_exchange_n(&s->__s_value, &v, v - S_UNIT, 1, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return 1;
	return 0;
}

/*
 * Let go of the spinlock (held), first taking a waiter off the queue for
 * each pending post, and wake them once it is let go.  A post that found
 * the lock taken counted itself before its try, so if we see no count
 * after our release, its try came after it and it wakes for itself.
 */
static void sem_unlock(sem_t *s)
{
	struct __pthread_waiter *w;
	struct wake_list l;

	wl_init(&l);
	do {
		unsigned int n = __atomic_exchange_n(&s->__s_pend, 0, __ATOMIC_SEQ_CST);
		while (n > 0 && (w = q_take(&s->__s_q))) {
			wl_add(&l, w);
			n--;
		}
		if (!s->__s_q.__q_head)
			__atomic_and_fetch(&s->__s_value, ~S_WAITERS, __ATOMIC_SEQ_CST);
		__atomic_store_n(&s->__s_spin, 0, __ATOMIC_SEQ_CST);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while (__atomic_load_n(&s->__s_pend, __ATOMIC_SEQ_CST) && spin_trylock(&s->__s_spin, &s->__s_q));
	wl_wake(&l);
}

int sem_post(sem_t *s)
{
	unsigned int v = __atomic_load_n(&s->__s_value, __ATOMIC_RELAXED);

	do {
		if (v / S_UNIT >= SEM_VALUE_MAX)
			return fail(EOVERFLOW);
	} while (!__atomic_compare_exchange_n(&s->__s_value, &v, v + S_UNIT, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	if (!(v & S_WAITERS))
		return 0;               /* no one was queued: s is not touched again */
	__atomic_add_fetch(&s->__s_pend, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (spin_trylock(&s->__s_spin, &s->__s_q))
		sem_unlock(s);
	/* else its holder wakes a waiter for us as it lets go */
	return 0;
}

/*
 * Take a unit, blocking until the deadline (abstime, CLOCK_REALTIME; NULL
 * for none) or a handler: 0, or -1 with ETIMEDOUT, EINTR, or EINVAL for a
 * bad abstime when it would have had to block.
 */
static int sem_wait_until(sem_t *s, const struct timespec *abstime)
{
	struct __pthread *self;
	struct __pthread_waiter w;
	uint64_t deadline = 0;
	unsigned int sigs;
	int bad = 0, err;

	if (take(s))
		return 0;
	self = __pthread_self();
	sigs = __pthread_nsig(self);    /* a handler from here on ends the wait */
	if (abstime)
		bad = __pthread_deadline(abstime, &deadline);
	for (;;) {
		spin_lock(&s->__s_spin, &s->__s_q);
		__atomic_or_fetch(&s->__s_value, S_WAITERS, __ATOMIC_SEQ_CST);
		if (take(s)) {
			sem_unlock(s);
			return 0;
		}
		err = bad ? bad : __pthread_cancel_due(self) ? ECANCELED
		                : deadline && __pthread_ticks() >= deadline ? ETIMEDOUT
		                : __pthread_nsig(self) != sigs ? EINTR : 0;
		if (err) {
			sem_unlock(s);
			return fail(err);
		}
		w.w_th = self;
		w.w_woken = 0;
		q_add(&s->__s_q, &w);
		sem_unlock(s);

		while (!__atomic_load_n(&w.w_woken, __ATOMIC_ACQUIRE)) {
			err = __pthread_cancel_due(self) ? ECANCELED
			    : deadline && __pthread_ticks() >= deadline ? ETIMEDOUT
			    : __pthread_nsig(self) != sigs ? EINTR : 0;
			if (!err) {
				__pthread_park(self, deadline);
				continue;
			}
			if (q_give_up(&w)) {
				spin_lock(&s->__s_spin, &s->__s_q);
				q_remove(&s->__s_q, &w);
				sem_unlock(s);
				return fail(err);
			}
			/* a post took us first, and its waker is about to let go of w */
			wait_woken(&w, self);
			break;
		}
		if (take(s))
			return 0;
		if (err)
			return fail(err);       /* the post we were woken for was taken: nothing to hand on */
	}
}

/* a cancellation point: ECANCELED from the wait (it left the queue) is pthread_exit here */
static int sem_wait_cp(sem_t *s, const struct timespec *abstime)
{
	struct __pthread *self = __pthread_self();
	int cp = __cp_park_enter(self), r = sem_wait_until(s, abstime);
	__cp_park_leave(self, cp);
	if (r && errno == ECANCELED)
		pthread_exit(PTHREAD_CANCELED);
	return r;
}

int sem_wait(sem_t *s)
{
	return sem_wait_cp(s, NULL);
}

int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	return sem_wait_cp(s, abstime);
}

int sem_trywait(sem_t *s)
{
	return take(s) ? 0 : fail(EAGAIN);
}

/* the count (never negative: waiters are not counted in it) */
int sem_getvalue(sem_t *s, int *sval)
{
	*sval = (int)(__atomic_load_n(&s->__s_value, __ATOMIC_RELAXED) / S_UNIT);
	return 0;
}

/* EBUSY while threads wait on it; waits out one that is giving up, as cond_destroy does */
int sem_destroy(sem_t *s)
{
	for (;;) {
		int busy = 0, leaving = 0;
		spin_lock(&s->__s_spin, &s->__s_q);
		for (struct __pthread_waiter *w = s->__s_q.__q_head; w; w = w->w_next) {
			if (__atomic_load_n(&w->w_state, __ATOMIC_RELAXED) == W_TIMEDOUT)
				leaving = 1;
			else
				busy = 1;
		}
		sem_unlock(s);
		if (busy)
			return fail(EBUSY);
		if (!leaving)
			return 0;
		sys_yield();
	}
}

/* ---- named semaphores: not built yet (they need a name space and shared memory) ---- */

sem_t *sem_open(const char *name, int oflag, ...)
{
	(void)name;
	(void)oflag;
	errno = ENOSYS;
	return SEM_FAILED;
}

int sem_close(sem_t *s)
{
	(void)s;
	return fail(EINVAL);            /* no sem_t is a named semaphore's */
}

int sem_unlink(const char *name)
{
	(void)name;
	return fail(ENOSYS);
}
