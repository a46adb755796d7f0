/*
 * Mutexes and condition variables over wait queues (see pthread.c for
 * parking).  A queue is a list of waiters, each on its thread's stack,
 * changed only under a spinlock (the A extension's atomics).  A waiter
 * leaves only once its waker has set w_woken, the waker's last use of it;
 * the waker then signals the thread's notification (pthread.c's unpark).
 *
 * A mutex keeps its spinlock in its state word, so that the unlock which
 * hands the mutex on and the spinlock's release are one store: after it an
 * unlocker never touches the mutex, which its next owner may destroy.
 *
 * The spinlock word holds the fork generation of its holder.  A fork1
 * child starts a new generation: a queue lock held by a thread the child
 * does not have is taken over, and a queue of an older generation is
 * emptied when next locked, since its waiters are not in the child.
 */
#include <errno.h>
#include <pthread.h>
#include "sys.h"
#include "libc.h"

struct __pthread_waiter {
	struct __pthread_waiter *w_next;
	struct __pthread *w_th;
	int w_state;                    /* W_QUEUED, then one of the other two (atomic) */
	int w_woken;                    /* atomic: set by the waker after its last use of this */
};
enum { W_QUEUED = 1, W_DEQUEUED, W_TIMEDOUT };

/* mutex state word */
#define M_LOCKED  1
#define M_WAITERS 2                     /* the queue is not empty */
#define M_SPIN    4                     /* the queue is being changed; the holder's generation above */
#define M_FLAGS   (M_LOCKED | M_WAITERS)
#define SPIN_WORD(gen) (M_SPIN | (int)(((gen) & 0x0fffffffu) << 3))

static int nharts(void)
{
	return startinfo && startinfo->ncpus > 1 ? (int)startinfo->ncpus : 1;
}

static void backoff(int *n)
{
	if (++*n >= 100 || nharts() == 1) {
		sys_yield();            /* the holder may not be running */
		*n = 0;
	}
}

/*
 * Take the spinlock in *word (flags outside M_SPIN and the generation are
 * kept) for q; returns the flags the word had.  A fresh or older
 * generation's queue is emptied.
 */
static int spin_lock(int *word, struct __pthread_waitq *q)
{
	unsigned int gen = __atomic_load_n(&__pthread_gen, __ATOMIC_RELAXED);
	int mine = SPIN_WORD(gen), v = __atomic_load_n(word, __ATOMIC_RELAXED), n = 0;

	for (;;) {
		if ((!(v & M_SPIN) || (v & ~M_FLAGS) != mine) &&
		    __atomic_compare_exchange_n(word, &v, (v & M_FLAGS) | mine, 1, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			break;
		backoff(&n);
		v = __atomic_load_n(word, __ATOMIC_RELAXED);
	}
	if (q->__q_gen != gen) {
		q->__q_head = q->__q_tail = NULL;
		q->__q_gen = gen;
	}
	return v & M_FLAGS;
}

static void q_add(struct __pthread_waitq *q, struct __pthread_waiter *w)
{
	w->w_next = NULL;
	w->w_state = W_QUEUED;
	if (q->__q_tail)
		q->__q_tail->w_next = w;
	else
		q->__q_head = w;
	q->__q_tail = w;
}

/* unlink w, whose predecessor is prev (NULL: w is the head) */
static void q_unlink(struct __pthread_waitq *q, struct __pthread_waiter *prev, struct __pthread_waiter *w)
{
	if (prev)
		prev->w_next = w->w_next;
	else
		q->__q_head = w->w_next;
	if (q->__q_tail == w)
		q->__q_tail = prev;
}

/*
 * The first waiter still W_QUEUED, taken off the queue and marked
 * W_DEQUEUED, or NULL.  A timed-out waiter (W_TIMEDOUT) stays: it unlinks
 * itself.
 */
static struct __pthread_waiter *q_take(struct __pthread_waitq *q)
{
	struct __pthread_waiter *prev = NULL, *w;
	for (w = q->__q_head; w; prev = w, w = w->w_next) {
		int s = W_QUEUED;
		if (__atomic_compare_exchange_n(&w->w_state, &s, W_DEQUEUED, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			q_unlink(q, prev, w);
			return w;
		}
	}
	return NULL;
}

/* w was taken off its queue: let it go (it may vanish at once) and wake its thread */
static void wake(struct __pthread_waiter *w)
{
	struct __pthread *th = w->w_th;
	__atomic_store_n(&w->w_woken, 1, __ATOMIC_RELEASE);
	__pthread_unpark(th);
}

static void wait_woken(struct __pthread_waiter *w, struct __pthread *self)
{
	while (!__atomic_load_n(&w->w_woken, __ATOMIC_ACQUIRE))
		__pthread_park(self, 0);
}

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

/* the mutex is ours once this returns */
static void mutex_acquire(pthread_mutex_t *m)
{
	struct __pthread_waiter w;
	struct __pthread *self = NULL;
	int v = 0;

	if (__atomic_compare_exchange_n(&m->__m_state, &v, M_LOCKED, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	/* on another hart the holder may be about to let go: spin a little first */
	for (int i = nharts() > 1 ? 100 : 0; i > 0; i--) {
		v = 0;
		if (__atomic_load_n(&m->__m_state, __ATOMIC_RELAXED) == 0 &&
		    __atomic_compare_exchange_n(&m->__m_state, &v, M_LOCKED, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
	}
	for (;;) {
		v = spin_lock(&m->__m_state, &m->__m_q);
		if (!(v & M_LOCKED)) {
			__atomic_store_n(&m->__m_state, M_LOCKED | (m->__m_q.__q_head ? M_WAITERS : 0), __ATOMIC_RELEASE);
			return;
		}
		if (!self)
			self = __pthread_self();
		w.w_th = self;
		w.w_woken = 0;
		q_add(&m->__m_q, &w);
		__atomic_store_n(&m->__m_state, M_LOCKED | M_WAITERS, __ATOMIC_RELEASE);
		wait_woken(&w, self);
	}
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
	int err = 0, s;

	if (abstime && (err = __pthread_deadline(abstime, &deadline)))
		return err;
	if (owned(m) && __atomic_load_n(&m->__m_owner, __ATOMIC_RELAXED) != self)
		return EPERM;
	if (deadline && __pthread_ticks() >= deadline)
		return ETIMEDOUT;

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
		if (deadline && __pthread_ticks() >= deadline) {
			s = W_QUEUED;
			if (__atomic_compare_exchange_n(&w.w_state, &s, W_TIMEDOUT, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
				struct __pthread_waiter *prev = NULL, *x;
				spin_lock(&c->__c_spin, &c->__c_q);
				for (x = c->__c_q.__q_head; x && x != &w; prev = x, x = x->w_next)
					;
				if (x)
					q_unlink(&c->__c_q, prev, &w);
				cond_unlock(c);     /* our last touch of c */
				err = ETIMEDOUT;
				break;
			}
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
	struct __pthread_waiter *all = NULL, **tail = &all, *w;
	spin_lock(&c->__c_spin, &c->__c_q);
	while ((w = q_take(&c->__c_q))) {
		*tail = w;
		tail = &w->w_next;
	}
	*tail = NULL;
	cond_unlock(c);
	while ((w = all)) {
		all = w->w_next;            /* before w may vanish */
		wake(w);
	}
	return 0;
}
