/*
 * POSIX threads (lib/libc/pthread.c, pthread_sync.c, pthread_rwlock.c):
 * each thread is an lwp of the process.  Mutexes, condition variables,
 * read-write locks and barriers block on the waiting thread's own
 * notification; uncontended locking makes no kernel call.  The types are
 * opaque: use only the initializers and functions below.  Every object is
 * private to its process: PTHREAD_PROCESS_SHARED is refused (ENOTSUP),
 * since there is no memory processes share yet.
 */
#ifndef _PTHREAD_H
#define _PTHREAD_H
#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include <sched.h>
#include <sys/_waitq.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * POSIX lets <pthread.h> show what <time.h> and <sched.h> have: picolibc's
 * declare neither of these for us (its <time.h> hides clock_gettime behind
 * _POSIX_TIMERS), and a timed wait needs the first.
 */
int clock_gettime(clockid_t clock_id, struct timespec *tp);
int sched_yield(void);

/* limits (POSIX puts them in <limits.h>; picolibc has none) */
#ifndef PTHREAD_KEYS_MAX
#define PTHREAD_KEYS_MAX 128
#endif
#ifndef PTHREAD_DESTRUCTOR_ITERATIONS
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#endif
#ifndef PTHREAD_STACK_MIN
#define PTHREAD_STACK_MIN 4096
#endif

typedef struct __pthread *pthread_t;
typedef unsigned int pthread_key_t;

typedef struct {
	size_t __a_stacksize;
	int __a_detachstate;
	int __a_inheritsched, __a_policy, __a_priority;
} pthread_attr_t;

#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1
#define PTHREAD_EXPLICIT_SCHED  0       /* illumos's values */
#define PTHREAD_INHERIT_SCHED   1
#define PTHREAD_SCOPE_PROCESS   0
#define PTHREAD_SCOPE_SYSTEM    1       /* the only scope: every thread is an lwp */

typedef struct {
	int __m_state;                 /* locked, waited for, and the queue's spinlock */
	int __m_type;
	unsigned int __m_count;        /* recursive locks beyond the first */
	struct __pthread *__m_owner;   /* RECURSIVE and ERRORCHECK only */
	struct __pthread_waitq __m_q;
} pthread_mutex_t;

typedef struct {
	int __ma_type;
} pthread_mutexattr_t;

#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_ERRORCHECK 1
#define PTHREAD_MUTEX_RECURSIVE  2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL

#define PTHREAD_MUTEX_INITIALIZER { 0, PTHREAD_MUTEX_NORMAL, 0, NULL, { 0, NULL, NULL } }
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP { 0, PTHREAD_MUTEX_RECURSIVE, 0, NULL, { 0, NULL, NULL } }
#define PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP { 0, PTHREAD_MUTEX_ERRORCHECK, 0, NULL, { 0, NULL, NULL } }

#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED  1

typedef struct {
	int __c_spin;                  /* the queue's spinlock */
	clockid_t __c_clock;
	struct __pthread_waitq __c_q;
} pthread_cond_t;

typedef struct {
	clockid_t __ca_clock;
} pthread_condattr_t;

#define PTHREAD_COND_INITIALIZER { 0, CLOCK_REALTIME, { 0, NULL, NULL } }

typedef struct {
	int __o_state;                 /* 0 not run, 1 running, 2 done */
} pthread_once_t;

#define PTHREAD_ONCE_INIT { 0 }

/* read-write locks (pthread_rwlock.c): a waiting writer holds back new readers */
typedef struct {
	int __rw_spin;                 /* the queue's spinlock; all below are changed under it */
	unsigned int __rw_readers;     /* read locks held, a thread's recursive ones each counted */
	struct __pthread *__rw_writer; /* the write lock's holder, or NULL */
	struct __pthread_waitq __rw_q;
} pthread_rwlock_t;

typedef struct {
	int __rwa_pshared;
} pthread_rwlockattr_t;

#define PTHREAD_RWLOCK_INITIALIZER { 0, 0, NULL, __PTHREAD_WAITQ_INITIALIZER }

/* barriers */
typedef struct {
	int __b_spin;                  /* the queue's spinlock */
	unsigned int __b_count;        /* threads a round takes */
	unsigned int __b_arrived;      /* this round's so far: every one but the last is queued */
	struct __pthread_waitq __b_q;
} pthread_barrier_t;

typedef struct {
	int __ba_pshared;
} pthread_barrierattr_t;

#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

/* spin locks: a word, spun on (with sched_yield on one hart or after a while) */
typedef struct {
	struct __pthread *__sp_owner;  /* the holder, or NULL */
} pthread_spinlock_t;

/* threads */
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
int pthread_join(pthread_t thread, void **retval);
int pthread_detach(pthread_t thread);
__attribute__((noreturn)) void pthread_exit(void *retval);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void));

/*
 * Cancellation (pthread.c): deferred by default, acted on at the
 * cancellation points (read, write, open, close, the waits, the sleeps,
 * pause, sigsuspend, sigwait*, pthread_join, pthread_cond_*wait, sem_*wait,
 * pthread_testcancel); asynchronous at any instruction.  The request is
 * libc's signal 32, which no program can block or name.
 */
#define PTHREAD_CANCEL_ENABLE       0   /* illumos's values */
#define PTHREAD_CANCEL_DISABLE      1
#define PTHREAD_CANCEL_DEFERRED     0
#define PTHREAD_CANCEL_ASYNCHRONOUS 2
#define PTHREAD_CANCELED ((void *)-19)
int pthread_cancel(pthread_t thread);
int pthread_setcancelstate(int state, int *oldstate);
int pthread_setcanceltype(int type, int *oldtype);
void pthread_testcancel(void);

/* cleanup handlers: run (last pushed first) on cancellation and by pthread_exit */
struct __pthread_cleanup {
	void (*__fn)(void *);
	void *__arg;
	struct __pthread_cleanup *__next;
};
void __pthread_cleanup_push(struct __pthread_cleanup *c, void (*fn)(void *), void *arg);
void __pthread_cleanup_pop(struct __pthread_cleanup *c, int execute);
#define pthread_cleanup_push(fn, arg) \
	{ struct __pthread_cleanup __pthread_cb; __pthread_cleanup_push(&__pthread_cb, (fn), (arg));
#define pthread_cleanup_pop(execute) \
	__pthread_cleanup_pop(&__pthread_cb, (execute)); }

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
int pthread_attr_setinheritsched(pthread_attr_t *attr, int inherit);
int pthread_attr_getinheritsched(const pthread_attr_t *attr, int *inherit);
int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy);
int pthread_attr_getschedpolicy(const pthread_attr_t *attr, int *policy);
int pthread_attr_setschedparam(pthread_attr_t *attr, const struct sched_param *param);
int pthread_attr_getschedparam(const pthread_attr_t *attr, struct sched_param *param);
int pthread_attr_setscope(pthread_attr_t *attr, int scope);
int pthread_attr_getscope(const pthread_attr_t *attr, int *scope);
int pthread_getschedparam(pthread_t thread, int *policy, struct sched_param *param);
/* its CPU-time clock, for clock_gettime and clock_getres (ESRCH: it has ended) */
int pthread_getcpuclockid(pthread_t thread, clockid_t *clock_id);
int pthread_setschedparam(pthread_t thread, int policy, const struct sched_param *param);
int pthread_setschedprio(pthread_t thread, int prio);

/* mutexes */
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_timedlock(pthread_mutex_t *__restrict m, const struct timespec *__restrict abstime);
int pthread_mutex_unlock(pthread_mutex_t *m);
int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);

/* condition variables: CLOCK_REALTIME and CLOCK_MONOTONIC are the same clock here */
int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);
int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock);

/*
 * read-write locks.  A thread may take a read lock it holds again, even
 * while a writer waits (as illumos allows); a thread holds read locks on at
 * most 32 read-write locks at once (EAGAIN beyond).  EDEADLK: a write lock
 * asked by a thread holding the lock (for writing or reading), a read lock
 * by its writer.  Timed: CLOCK_REALTIME.  Never EINTR.
 */
int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr);
int pthread_rwlock_destroy(pthread_rwlock_t *rw);
int pthread_rwlock_rdlock(pthread_rwlock_t *rw);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw);
int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime);
int pthread_rwlock_wrlock(pthread_rwlock_t *rw);
int pthread_rwlock_trywrlock(pthread_rwlock_t *rw);
int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime);
int pthread_rwlock_unlock(pthread_rwlock_t *rw);
int pthread_rwlockattr_init(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *attr, int *pshared);
int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared);

/* barriers: count > 0; one thread of each round gets PTHREAD_BARRIER_SERIAL_THREAD */
int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr, unsigned int count);
int pthread_barrier_destroy(pthread_barrier_t *b);
int pthread_barrier_wait(pthread_barrier_t *b);
int pthread_barrierattr_init(pthread_barrierattr_t *attr);
int pthread_barrierattr_destroy(pthread_barrierattr_t *attr);
int pthread_barrierattr_getpshared(const pthread_barrierattr_t *attr, int *pshared);
int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared);

/* spin locks: EDEADLK for the holder's lock, EPERM for another's unlock */
int pthread_spin_init(pthread_spinlock_t *lock, int pshared);
int pthread_spin_destroy(pthread_spinlock_t *lock);
int pthread_spin_lock(pthread_spinlock_t *lock);
int pthread_spin_trylock(pthread_spinlock_t *lock);
int pthread_spin_unlock(pthread_spinlock_t *lock);

/* once, thread-specific data */
int pthread_once(pthread_once_t *once, void (*fn)(void));
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

#ifdef __cplusplus
}
#endif
#endif
