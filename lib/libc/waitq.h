/*
 * Wait queues, the part every blocking object of the library shares
 * (pthread_sync.c: mutexes, condition variables; pthread_rwlock.c:
 * read-write locks, barriers; semaphore.c).  pthread.c parks and unparks.
 *
 * A queue is a list of waiters, each on its thread's stack, changed only
 * under a spinlock (the A extension's atomics).  A waiter leaves only once
 * its waker has set w_woken, the waker's last use of it; the waker then
 * signals the thread's notification (pthread.c's unpark).  A waiter that
 * gives up (a timeout, a signal) moves itself from W_QUEUED to W_TIMEDOUT
 * first and unlinks itself under the spinlock; losing that race means a
 * waker took it, and it waits for w_woken as any other.
 *
 * The spinlock word holds the fork generation of its holder.  A fork1
 * child starts a new generation: a queue lock held by a thread the child
 * does not have is taken over, and a queue of an older generation is
 * emptied when next locked, since its waiters are not in the child.  What
 * an object keeps about its waiters beside the queue must therefore be
 * worked out from the queue (or be reset with it), never counted apart.
 */
#ifndef LIBC_WAITQ_H
#define LIBC_WAITQ_H
#include <pthread.h>
#include "sys.h"
#include "libc.h"

struct __pthread_waiter {
	struct __pthread_waiter *w_next;
	struct __pthread *w_th;
	int w_state;                    /* W_QUEUED, then one of the other two (atomic) */
	int w_woken;                    /* atomic: set by the waker after its last use of this */
	int w_kind;                     /* what it waits for, the object's own (pthread_rwlock.c) */
};
enum { W_QUEUED = 1, W_DEQUEUED, W_TIMEDOUT };

/* a spinlock word: two flags of the object's own, the lock, its holder's generation above */
#define M_LOCKED  1
#define M_WAITERS 2                     /* (a mutex's: the queue is not empty) */
#define M_SPIN    4                     /* the queue is being changed */
#define M_FLAGS   (M_LOCKED | M_WAITERS)
#define SPIN_WORD(gen) (M_SPIN | (int)(((gen) & 0x0fffffffu) << 3))

static inline int nharts(void)
{
	return startinfo && startinfo->ncpus > 1 ? (int)startinfo->ncpus : 1;
}

static inline void backoff(int *n)
{
	if (++*n >= 100 || nharts() == 1) {
		sys_yield();            /* the holder may not be running */
		*n = 0;
	}
}

/* the caller holds q's spinlock: a queue of an older generation is dropped */
static inline void q_renew(struct __pthread_waitq *q, unsigned int gen)
{
	if (q->__q_gen != gen) {
		q->__q_head = q->__q_tail = NULL;
		q->__q_gen = gen;
	}
}

/*
 * Take the spinlock in *word (flags outside M_SPIN and the generation are
 * kept) for q; returns the flags the word had.  A fresh or older
 * generation's queue is emptied.
 */
static inline int spin_lock(int *word, struct __pthread_waitq *q)
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
	q_renew(q, gen);
	return v & M_FLAGS;
}

/*
 * One try at spin_lock: 1 if the spinlock is now ours (its flags kept, q
 * renewed), 0 if a thread of this generation holds it.
 */
static inline int spin_trylock(int *word, struct __pthread_waitq *q)
{
	unsigned int gen = __atomic_load_n(&__pthread_gen, __ATOMIC_RELAXED);
	int mine = SPIN_WORD(gen), v = __atomic_load_n(word, __ATOMIC_RELAXED);

	do {
		if ((v & M_SPIN) && (v & ~M_FLAGS) == mine)
			return 0;
	} while (!__atomic_compare_exchange_n(word, &v, (v & M_FLAGS) | mine, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	q_renew(q, gen);
	return 1;
}

static inline void q_add(struct __pthread_waitq *q, struct __pthread_waiter *w)
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
static inline void q_unlink(struct __pthread_waitq *q, struct __pthread_waiter *prev, struct __pthread_waiter *w)
{
	if (prev)
		prev->w_next = w->w_next;
	else
		q->__q_head = w->w_next;
	if (q->__q_tail == w)
		q->__q_tail = prev;
}

/* unlink w if it is on q (a waiter that gave up, under the spinlock) */
static inline void q_remove(struct __pthread_waitq *q, struct __pthread_waiter *w)
{
	struct __pthread_waiter *prev = NULL, *x;
	for (x = q->__q_head; x && x != w; prev = x, x = x->w_next)
		;
	if (x)
		q_unlink(q, prev, w);
}

/*
 * Mark w, still W_QUEUED, W_DEQUEUED (it is its waker's now); 0 if it has
 * given up (W_TIMEDOUT: it unlinks itself).
 */
static inline int q_claim(struct __pthread_waiter *w)
{
	int s = W_QUEUED;
	return __atomic_compare_exchange_n(&w->w_state, &s, W_DEQUEUED, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/*
 * The first waiter still W_QUEUED, taken off the queue and marked
 * W_DEQUEUED, or NULL.  A timed-out waiter (W_TIMEDOUT) stays: it unlinks
 * itself.
 */
static inline struct __pthread_waiter *q_take(struct __pthread_waitq *q)
{
	struct __pthread_waiter *prev = NULL, *w;
	for (w = q->__q_head; w; prev = w, w = w->w_next) {
		if (q_claim(w)) {
			q_unlink(q, prev, w);
			return w;
		}
	}
	return NULL;
}

/*
 * The waiter gives up: 1 if it was still W_QUEUED (now W_TIMEDOUT: it must
 * unlink itself under the spinlock), 0 if a waker took it first.
 */
static inline int q_give_up(struct __pthread_waiter *w)
{
	int s = W_QUEUED;
	return __atomic_compare_exchange_n(&w->w_state, &s, W_TIMEDOUT, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* w was taken off its queue: let it go (it may vanish at once) and wake its thread */
static inline void wake(struct __pthread_waiter *w)
{
	struct __pthread *th = w->w_th;
	__atomic_store_n(&w->w_woken, 1, __ATOMIC_RELEASE);
	__pthread_unpark(th);
}

static inline void wait_woken(struct __pthread_waiter *w, struct __pthread *self)
{
	while (!__atomic_load_n(&w->w_woken, __ATOMIC_ACQUIRE))
		__pthread_park(self, 0);
}

/* a list of waiters taken off their queue, to be woken once the spinlock is let go */
struct wake_list {
	struct __pthread_waiter *head, **tail;
};

static inline void wl_init(struct wake_list *l)
{
	l->head = NULL;
	l->tail = &l->head;
}

static inline void wl_add(struct wake_list *l, struct __pthread_waiter *w)
{
	w->w_next = NULL;
	*l->tail = w;
	l->tail = &w->w_next;
}

static inline void wl_wake(struct wake_list *l)
{
	struct __pthread_waiter *w;
	while ((w = l->head)) {
		l->head = w->w_next;        /* before w may vanish */
		wake(w);
	}
}
#endif
