/*
 * Read-write locks, barriers and spin locks (waitq.h for the queues,
 * pthread.c for parking).
 *
 * A read-write lock keeps all its state under its queue's spinlock: the
 * readers' count, the writer, and the queue of both kinds of waiter in
 * arrival order.  The lock is handed on by whoever frees it (rw_grant): to
 * the first queued writer once no one holds it, else to every queued
 * reader.  A waiter therefore owns the lock when it is woken, and one that
 * gives up but finds a waker took it first owns it too.
 *
 * Writers are preferred, as illumos prefers them: a reader asking while a
 * writer is queued waits behind it, unless it holds a read lock on the
 * same lock already (POSIX lets a thread hold several; blocking it would
 * deadlock it against the writer that waits for it).  To know that, each
 * thread keeps the read locks it holds in a table of its own (TLS), which
 * also lets unlock tell EPERM.  Whether a writer waits is read off the
 * queue, never counted beside it: a fork1 child drops its parent's queue
 * with the generation, and a count would keep its readers waiting for
 * writers it does not have.  What the child does keep, as with mutexes,
 * is what was held: a lock another thread of the parent held stays held.
 */
#include <errno.h>
#include <pthread.h>
#include "sys.h"
#include "libc.h"
#include "waitq.h"

enum { RW_READ = 1, RW_WRITE };         /* w_kind */

/* ---- the read locks this thread holds ---- */

#define RD_MAX 32
static __thread struct rd_held {
	pthread_rwlock_t *rw;
	unsigned int n;                 /* times over, each counted in rw->__rw_readers */
} rd_held[RD_MAX];
static __thread int rd_n;               /* rd_held[0 .. rd_n) are in use */

static struct rd_held *rd_find(pthread_rwlock_t *rw)
{
	for (int i = 0; i < rd_n; i++)
		if (rd_held[i].rw == rw)
			return &rd_held[i];
	return NULL;
}

/* one more read lock on rw; h is rd_find's answer, and there is room if it is NULL */
static void rd_add(pthread_rwlock_t *rw, struct rd_held *h)
{
	if (h) {
		h->n++;
		return;
	}
	rd_held[rd_n].rw = rw;
	rd_held[rd_n].n = 1;
	rd_n++;
}

static void rd_drop(struct rd_held *h)
{
	if (--h->n == 0)
		*h = rd_held[--rd_n];
}

/* ---- read-write locks ---- */

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
	attr->__rwa_pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *attr, int *pshared)
{
	*pshared = attr->__rwa_pshared;
	return 0;
}

/* no memory is shared between processes yet (no MAP_SHARED): a shared lock could not be */
int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared)
{
	if (pshared == PTHREAD_PROCESS_SHARED)
		return ENOTSUP;
	if (pshared != PTHREAD_PROCESS_PRIVATE)
		return EINVAL;
	attr->__rwa_pshared = pshared;
	return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr)
{
	if (attr && attr->__rwa_pshared != PTHREAD_PROCESS_PRIVATE)
		return ENOTSUP;
	*rw = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
	return 0;
}

static void rw_unlock_spin(pthread_rwlock_t *rw)
{
	__atomic_store_n(&rw->__rw_spin, 0, __ATOMIC_RELEASE);
}

/* is a writer queued, not giving up?  spinlock held */
static int writer_queued(pthread_rwlock_t *rw)
{
	for (struct __pthread_waiter *w = rw->__rw_q.__q_head; w; w = w->w_next)
		if (w->w_kind == RW_WRITE && __atomic_load_n(&w->w_state, __ATOMIC_RELAXED) == W_QUEUED)
			return 1;
	return 0;
}

/*
 * Hand the lock on as far as it goes now, the waiters it goes to onto l
 * (to be woken once the spinlock is let go): to the first queued writer if
 * no one holds it; else, unless a writer holds it or is queued, to every
 * queued reader.  Spinlock held.  Whoever frees the lock or stops a writer
 * waiting calls this.
 */
static void rw_grant(pthread_rwlock_t *rw, struct wake_list *l)
{
	struct __pthread_waitq *q = &rw->__rw_q;
	struct __pthread_waiter *prev = NULL, *w, *next;

	if (rw->__rw_writer)
		return;
	if (rw->__rw_readers) {
		if (writer_queued(rw))
			return;         /* it waits for them; a writer giving up calls us again */
	} else {
		for (w = q->__q_head; w; prev = w, w = w->w_next)
			if (w->w_kind == RW_WRITE && q_claim(w)) {
				q_unlink(q, prev, w);
				rw->__rw_writer = w->w_th;
				wl_add(l, w);
				return;
			}
	}
	for (prev = NULL, w = q->__q_head; w; w = next) {
		next = w->w_next;
		if (w->w_kind == RW_READ && q_claim(w)) {
			q_unlink(q, prev, w);
			rw->__rw_readers++;
			wl_add(l, w);
		} else {
			prev = w;
		}
	}
}

/*
 * Take rw for kind; try: never block (EBUSY); abstime: the latest time to
 * block until (CLOCK_REALTIME), NULL for none.  Returns 0 with the lock
 * held, or the errno.
 */
static int rw_lock(pthread_rwlock_t *rw, int kind, int try, const struct timespec *abstime)
{
	struct __pthread *self = __pthread_self();
	struct rd_held *h = rd_find(rw);
	struct __pthread_waiter w;
	struct wake_list l;
	uint64_t deadline = 0;
	int bad = 0, got = 0, err = 0;

	if (kind == RW_READ && !h && rd_n == RD_MAX)
		return EAGAIN;          /* this thread's table is full */
	if (abstime)
		bad = __pthread_deadline(abstime, &deadline);   /* reported only if we would block */

	spin_lock(&rw->__rw_spin, &rw->__rw_q);
	if (rw->__rw_writer == self || (kind == RW_WRITE && h)) {
		err = try ? EBUSY : EDEADLK;    /* it would wait for itself */
	} else if (kind == RW_READ) {
		if (rw->__rw_readers == ~0u)
			err = EAGAIN;
		else if (!rw->__rw_writer && (h || !writer_queued(rw)))
			got = 1;
		if (got)
			rw->__rw_readers++;
	} else if (!rw->__rw_writer && !rw->__rw_readers) {
		got = 1;
		rw->__rw_writer = self;
	}
	if (!got && !err) {
		if (try)
			err = EBUSY;
		else if (bad)
			err = bad;
		else if (deadline && __pthread_ticks() >= deadline)
			err = ETIMEDOUT;
	}
	if (got || err) {
		rw_unlock_spin(rw);
		if (got && kind == RW_READ)
			rd_add(rw, h);
		return err;
	}

	w.w_th = self;
	w.w_woken = 0;
	w.w_kind = kind;
	q_add(&rw->__rw_q, &w);
	rw_unlock_spin(rw);
	while (!__atomic_load_n(&w.w_woken, __ATOMIC_ACQUIRE)) {
		if (deadline && __pthread_ticks() >= deadline) {
			if (q_give_up(&w)) {
				/* a writer that stops waiting may let the readers behind it in */
				wl_init(&l);
				spin_lock(&rw->__rw_spin, &rw->__rw_q);
				q_remove(&rw->__rw_q, &w);
				rw_grant(rw, &l);
				rw_unlock_spin(rw);     /* our last touch of rw */
				wl_wake(&l);
				return ETIMEDOUT;
			}
			/* a waker took us first: the lock is ours, and the waker is about to let go of w */
			wait_woken(&w, self);
			break;
		}
		__pthread_park(self, deadline);
	}
	if (kind == RW_READ)
		rd_add(rw, h);
	return 0;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	return rw_lock(rw, RW_READ, 0, NULL);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	return rw_lock(rw, RW_READ, 1, NULL);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	return rw_lock(rw, RW_READ, 0, abstime);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	return rw_lock(rw, RW_WRITE, 0, NULL);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	return rw_lock(rw, RW_WRITE, 1, NULL);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	return rw_lock(rw, RW_WRITE, 0, abstime);
}

/* the caller's write lock, or one of its read locks; EPERM if it holds neither */
int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	struct __pthread *self = __pthread_self();
	struct rd_held *h = NULL;
	struct wake_list l;
	int err = 0;

	wl_init(&l);
	spin_lock(&rw->__rw_spin, &rw->__rw_q);
	if (rw->__rw_writer == self)
		rw->__rw_writer = NULL;
	else if ((h = rd_find(rw)) && rw->__rw_readers)
		rw->__rw_readers--;
	else
		err = EPERM;
	if (!err)
		rw_grant(rw, &l);
	rw_unlock_spin(rw);                     /* the new holders may destroy rw from here on */
	wl_wake(&l);
	if (h)
		rd_drop(h);
	return err;
}

/* busy while held or waited for; waits out a waiter that is giving up, as cond_destroy does */
int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
	for (;;) {
		int busy, leaving;
		spin_lock(&rw->__rw_spin, &rw->__rw_q);
		busy = rw->__rw_writer || rw->__rw_readers;
		leaving = rw->__rw_q.__q_head != NULL;
		for (struct __pthread_waiter *w = rw->__rw_q.__q_head; w; w = w->w_next)
			if (__atomic_load_n(&w->w_state, __ATOMIC_RELAXED) != W_TIMEDOUT)
				busy = 1;
		rw_unlock_spin(rw);
		if (busy)
			return EBUSY;
		if (!leaving)
			return 0;
		sys_yield();
	}
}

/* ---- barriers ---- */

int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
	attr->__ba_pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_barrierattr_getpshared(const pthread_barrierattr_t *attr, int *pshared)
{
	*pshared = attr->__ba_pshared;
	return 0;
}

int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared)
{
	if (pshared == PTHREAD_PROCESS_SHARED)
		return ENOTSUP;         /* as for read-write locks */
	if (pshared != PTHREAD_PROCESS_PRIVATE)
		return EINVAL;
	attr->__ba_pshared = pshared;
	return 0;
}

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr, unsigned int count)
{
	if (count == 0)
		return EINVAL;
	if (attr && attr->__ba_pshared != PTHREAD_PROCESS_PRIVATE)
		return ENOTSUP;
	*b = (pthread_barrier_t){ 0, count, 0, __PTHREAD_WAITQ_INITIALIZER };
	return 0;
}

static void barrier_unlock(pthread_barrier_t *b)
{
	__atomic_store_n(&b->__b_spin, 0, __ATOMIC_RELEASE);
}

/* busy while threads wait at it */
int pthread_barrier_destroy(pthread_barrier_t *b)
{
	int busy;
	spin_lock(&b->__b_spin, &b->__b_q);
	busy = b->__b_q.__q_head != NULL;
	barrier_unlock(b);
	return busy ? EBUSY : 0;
}

/*
 * Every thread of a round but the last queues and waits; the last wakes
 * them all and is the round's serial thread.  The round's count is its
 * queue's length: an empty queue (a new round, or a parent's queue a fork1
 * child dropped) starts it from zero.  Signal handlers do not end the wait.
 */
int pthread_barrier_wait(pthread_barrier_t *b)
{
	struct __pthread *self = __pthread_self();
	struct __pthread_waiter w, *x;
	struct wake_list l;

	spin_lock(&b->__b_spin, &b->__b_q);
	if (!b->__b_q.__q_head)
		b->__b_arrived = 0;
	if (++b->__b_arrived < b->__b_count) {
		w.w_th = self;
		w.w_woken = 0;
		q_add(&b->__b_q, &w);
		barrier_unlock(b);
		wait_woken(&w, self);
		return 0;
	}
	wl_init(&l);
	while ((x = q_take(&b->__b_q)))
		wl_add(&l, x);
	b->__b_arrived = 0;
	barrier_unlock(b);                      /* the next round may start at once */
	wl_wake(&l);
	return PTHREAD_BARRIER_SERIAL_THREAD;
}

/* ---- spin locks ---- */

int pthread_spin_init(pthread_spinlock_t *lock, int pshared)
{
	if (pshared == PTHREAD_PROCESS_SHARED)
		return ENOTSUP;         /* as for read-write locks */
	if (pshared != PTHREAD_PROCESS_PRIVATE)
		return EINVAL;
	lock->__sp_owner = NULL;
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *lock)
{
	return __atomic_load_n(&lock->__sp_owner, __ATOMIC_RELAXED) ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *lock)
{
	struct __pthread *self = __pthread_self(), *none;
	int n = 0;

	if (__atomic_load_n(&lock->__sp_owner, __ATOMIC_RELAXED) == self)
		return EDEADLK;
	for (;;) {
		none = NULL;
		if (__atomic_load_n(&lock->__sp_owner, __ATOMIC_RELAXED) == NULL &&
		    __atomic_compare_exchange_n(&lock->__sp_owner, &none, self, 1, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return 0;
		backoff(&n);            /* on one hart the holder runs only if we yield */
	}
}

int pthread_spin_trylock(pthread_spinlock_t *lock)
{
	struct __pthread *none = NULL;
	return __atomic_compare_exchange_n(&lock->__sp_owner, &none, __pthread_self(), 0, __ATOMIC_ACQUIRE,
	                                   __ATOMIC_RELAXED) ? 0 : EBUSY;
}

int pthread_spin_unlock(pthread_spinlock_t *lock)
{
	if (__atomic_load_n(&lock->__sp_owner, __ATOMIC_RELAXED) != __pthread_self())
		return EPERM;
	__atomic_store_n(&lock->__sp_owner, NULL, __ATOMIC_RELEASE);
	return 0;
}
