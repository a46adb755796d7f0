/*
 * Mutexes and condition variables over wait queues (waitq.h; see pthread.c
 * for parking).
 *
 * A mutex keeps its queue's spinlock in its state word, so that the unlock
 * which hands the mutex on and the spinlock's release are one store: after
 * it an unlocker never touches the mutex, which its next owner may destroy.
 */
#include <errno.h>
#include <pthread.h>
#include "sys.h"
#include "libc.h"
#include "waitq.h"

/* ---- mutexes ---- */

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	attr->__ma_type = PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_ERRORCHECK && type != PTHREAD_MUTEX_RECURSIVE)
		return EINVAL;
	attr->__ma_type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	*type = attr->__ma_type;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	*m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	m->__m_type = attr ? attr->__ma_type : PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return __atomic_load_n(&m->__m_state, __ATOMIC_RELAXED) ? EBUSY : 0;
}

/*
 * The mutex is ours once this returns 0; with a deadline (rdtime ticks, 0
 * none) ETIMEDOUT once it has passed.  A waiter that gives up leaves the
 * queue under the spinlock, unless a release took it first (then it was
 * woken, and tries again like any other).
 */
static int mutex_acquire_until(pthread_mutex_t *m, uint64_t deadline)
{
	struct __pthread_waiter w;
	struct __pthread *self = NULL;
	int v = 0;

	if (__atomic_compare_exchange_n(&m->__m_state, &v, M_LOCKED, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	/* on another hart the holder may be about to let go: spin a little first */
	for (int i = nharts() > 1 ? 100 : 0; i > 0; i--) {
		v = 0;
		if (__atomic_load_n(&m->__m_state, __ATOMIC_RELAXED) == 0 &&
		    __atomic_compare_exchange_n(&m->__m_state, &v, M_LOCKED, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return 0;
	}
	for (;;) {
		v = spin_lock(&m->__m_state, &m->__m_q);
		if (!(v & M_LOCKED)) {
			__atomic_store_n(&m->__m_state, M_LOCKED | (m->__m_q.__q_head ? M_WAITERS : 0), __ATOMIC_RELEASE);
			return 0;
		}
		if (deadline && __pthread_ticks() >= deadline) {
			__atomic_store_n(&m->__m_state, M_LOCKED | (m->__m_q.__q_head ? M_WAITERS : 0), __ATOMIC_RELEASE);
			return ETIMEDOUT;
		}
		if (!self)
			self = __pthread_self();
		w.w_th = self;
		w.w_woken = 0;
		q_add(&m->__m_q, &w);
		__atomic_store_n(&m->__m_state, M_LOCKED | M_WAITERS, __ATOMIC_RELEASE);
		if (!deadline) {
			wait_woken(&w, self);
			continue;
		}
		while (!__atomic_load_n(&w.w_woken, __ATOMIC_ACQUIRE)) {
			if (__pthread_ticks() < deadline) {
				__pthread_park(self, deadline);
				continue;
			}
			if (q_give_up(&w)) {
				v = spin_lock(&m->__m_state, &m->__m_q);
				q_remove(&m->__m_q, &w);
				__atomic_store_n(&m->__m_state, (v & M_LOCKED) | (m->__m_q.__q_head ? M_WAITERS : 0),
						 __ATOMIC_RELEASE);
				return ETIMEDOUT;
			}
			wait_woken(&w, self);   /* a release took us first: it is letting go of w */
		}
	}
}

static void mutex_acquire(pthread_mutex_t *m)
{
	mutex_acquire_until(m, 0);
}

static void mutex_release(pthread_mutex_t *m)
{
	struct __pthread_waiter *w;
	int v = M_LOCKED;

	if (__atomic_compare_exchange_n(&m->__m_state, &v, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return;
	spin_lock(&m->__m_state, &m->__m_q);
	w = q_take(&m->__m_q);
	/* unlocked, spinlock released: the last touch of m */
	__atomic_store_n(&m->__m_state, m->__m_q.__q_head ? M_WAITERS : 0, __ATOMIC_RELEASE);
	if (w)
		wake(w);        /* it tries again; it may find the mutex taken */
}

static int owned(pthread_mutex_t *m)
{
	return m->__m_type != PTHREAD_MUTEX_NORMAL;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	struct __pthread *self;

	if (!owned(m)) {
		mutex_acquire(m);
		return 0;
	}
	self = __pthread_self();
	if (__atomic_load_n(&m->__m_owner, __ATOMIC_RELAXED) == self) {
		if (m->__m_type == PTHREAD_MUTEX_ERRORCHECK)
			return EDEADLK;
		if (m->__m_count == ~0u)
			return EAGAIN;
		m->__m_count++;
		return 0;
	}
	mutex_acquire(m);
	__atomic_store_n(&m->__m_owner, self, __ATOMIC_RELAXED);
	return 0;
}

/* pthread_mutex_lock with a limit (abstime, CLOCK_REALTIME): ETIMEDOUT; EINVAL for a bad time only if it must wait */
int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	uint64_t deadline;
	int err = pthread_mutex_trylock(m);
	struct __pthread *self;

	if (err != EBUSY)
		return err;
	if (owned(m) && __atomic_load_n(&m->__m_owner, __ATOMIC_RELAXED) == __pthread_self())
		return EDEADLK;                 /* an ERRORCHECK mutex we hold (trylock said EBUSY) */
	if ((err = __pthread_deadline(abstime, &deadline)))
		return err;
	if (!deadline || (err = mutex_acquire_until(m, deadline)))
		return err ? err : ETIMEDOUT;
	if (owned(m)) {
		self = __pthread_self();
		__atomic_store_n(&m->__m_owner, self, __ATOMIC_RELAXED);
	}
	return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	struct __pthread *self = NULL;
	int v = 0;

	if (owned(m)) {
		self = __pthread_self();
		if (__atomic_load_n(&m->__m_owner, __ATOMIC_RELAXED) == self) {
			if (m->__m_type == PTHREAD_MUTEX_ERRORCHECK)
				return EBUSY;
			if (m->__m_count == ~0u)
				return EAGAIN;
			m->__m_count++;
			return 0;
		}
	}
	if (!__atomic_compare_exchange_n(&m->__m_state, &v, M_LOCKED, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		/* waiters, or the queue in use: look under the spinlock */
		v = spin_lock(&m->__m_state, &m->__m_q) & M_LOCKED;
		__atomic_store_n(&m->__m_state, M_LOCKED | (m->__m_q.__q_head ? M_WAITERS : 0), __ATOMIC_RELEASE);
		if (v)
			return EBUSY;
	}
	if (self)
		__atomic_store_n(&m->__m_owner, self, __ATOMIC_RELAXED);
	return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (owned(m)) {
		if (__atomic_load_n(&m->__m_owner, __ATOMIC_RELAXED) != __pthread_self())
			return EPERM;
		if (m->__m_count) {
			m->__m_count--;
			return 0;
		}
		__atomic_store_n(&m->__m_owner, NULL, __ATOMIC_RELAXED);
	}
	mutex_release(m);
	return 0;
}

/* ---- condition variables ---- */

int pthread_condattr_init(pthread_condattr_t *attr)
{
	attr->__ca_clock = CLOCK_REALTIME;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	attr->__ca_clock = clock;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
	*clock = attr->__ca_clock;
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	*c = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	if (attr)
		c->__c_clock = attr->__ca_clock;
	return 0;
}

static void cond_unlock(pthread_cond_t *c)
{
	__atomic_store_n(&c->__c_spin, 0, __ATOMIC_RELEASE);
}

/*
 * Busy while a waiter is queued.  A waiter that timed out is about to
 * unlink itself: wait for it, so that the caller may free c once we return.
 */
int pthread_cond_destroy(pthread_cond_t *c)
{
	for (;;) {
		struct __pthread_waiter *w;
		int busy = 0, leaving = 0;
		spin_lock(&c->__c_spin, &c->__c_q);
		for (w = c->__c_q.__q_head; w; w = w->w_next) {
			if (__atomic_load_n(&w->w_state, __ATOMIC_RELAXED) == W_TIMEDOUT)
				leaving = 1;
			else
				busy = 1;
		}
		cond_unlock(c);
		if (busy)
			return EBUSY;
		if (!leaving)
			return 0;
		sys_yield();
	}
}

static int cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	struct __pthread *self = __pthread_self();
	struct __pthread_waiter w;
	uint64_t deadline = 0;
	unsigned int count = 0;
	int err = 0, cp, cancelled = 0;

	if (abstime && (err = __pthread_deadline(abstime, &deadline)))
		return err;
	if (owned(m) && __atomic_load_n(&m->__m_owner, __ATOMIC_RELAXED) != self)
		return EPERM;
	if (deadline && __pthread_ticks() >= deadline)
		return ETIMEDOUT;
	cp = __cp_park_enter(self);     /* a cancellation point: one made already acts here */

	/* queued before the mutex goes: a signal after our unlock finds us */
	w.w_th = self;
	w.w_woken = 0;
	spin_lock(&c->__c_spin, &c->__c_q);
	q_add(&c->__c_q, &w);
	cond_unlock(c);
	if (owned(m)) {
		count = m->__m_count;       /* a recursive mutex goes all the way */
		m->__m_count = 0;
		__atomic_store_n(&m->__m_owner, NULL, __ATOMIC_RELAXED);
	}
	mutex_release(m);

	while (!__atomic_load_n(&w.w_woken, __ATOMIC_ACQUIRE)) {
		if ((deadline && __pthread_ticks() >= deadline) || (cancelled = __pthread_cancel_due(self))) {
			if (q_give_up(&w)) {
				spin_lock(&c->__c_spin, &c->__c_q);
				q_remove(&c->__c_q, &w);
				cond_unlock(c);     /* our last touch of c */
				err = ETIMEDOUT;
				break;
			}
			cancelled = 0;          /* woken first: the wake-up is ours, the request waits */
			/* a signal took us first: it is ours, and its waker is about to let go of w */
			wait_woken(&w, self);
			break;
		}
		__pthread_park(self, deadline);
	}

	mutex_acquire(m);
	if (owned(m)) {
		__atomic_store_n(&m->__m_owner, self, __ATOMIC_RELAXED);
		m->__m_count = count;
	}
	__cp_park_leave(self, cp);
	if (cancelled)
		pthread_exit(PTHREAD_CANCELED);   /* the mutex held again, as cleanup handlers expect */
	return err;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait(c, m, NULL);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	return cond_wait(c, m, abstime);
}

int pthread_cond_signal(pthread_cond_t *c)
{
	struct __pthread_waiter *w;
	spin_lock(&c->__c_spin, &c->__c_q);
	w = q_take(&c->__c_q);
	cond_unlock(c);
	if (w)
		wake(w);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	struct wake_list all;
	struct __pthread_waiter *w;
	wl_init(&all);
	spin_lock(&c->__c_spin, &c->__c_q);
	while ((w = q_take(&c->__c_q)))
		wl_add(&all, w);
	cond_unlock(c);
	wl_wake(&all);
	return 0;
}
