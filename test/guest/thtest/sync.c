/*
 * Read-write locks, barriers, spin locks and semaphores (lib/libc/
 * pthread_rwlock.c, semaphore.c), checked for what the Open POSIX Test
 * Suite asks of them: readers side by side and a writer kept out,
 * writers preferred (yet a reader's second read lock does not wait),
 * EBUSY, EDEADLK, EPERM, ETIMEDOUT and EINVAL where POSIX has them, one
 * serial thread per barrier round, semaphore counts and limits, EINTR from
 * a handler, and each object used again in a fork1 child whose parent had
 * threads waiting on it.
 *
 * Where a test must know that a thread is blocked it waits for what only
 * a blocked thread explains (a tryrdlock's EBUSY behind a queued writer),
 * or it only checks what must hold whether the thread blocked yet or not.
 * Nothing here times anything: a timed call's ETIMEDOUT is its result.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/fork.h>
#include <sys/wait.h>
#include "thtest.h"

/* an absolute CLOCK_REALTIME time ms from now */
static struct timespec in_ms(long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

static int load(int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void store(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static int bump(int *p)
{
	return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);
}

/* until *p >= v, for at most about 5 s; 1 if it got there */
static int await(int *p, int v)
{
	for (int i = 0; i < 5000; i++) {
		if (load(p) >= v)
			return 1;
		usleep(1000);
	}
	return load(p) >= v;
}

static int wait_for(int pid)
{
	int status = -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* ---------- read-write locks ---------- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int rw_got, rw_seq, rw_inside;

void test_rwlock_basic(void)
{
	pthread_rwlockattr_t a;
	pthread_rwlock_t l, many[33];
	int ps = -1;

	CHECK_EQ(pthread_rwlockattr_init(&a), 0);
	CHECK_EQ(pthread_rwlockattr_getpshared(&a, &ps), 0);
	CHECK_EQ(ps, PTHREAD_PROCESS_PRIVATE);
	CHECK_EQ(pthread_rwlockattr_setpshared(&a, PTHREAD_PROCESS_SHARED), ENOTSUP);
	CHECK_EQ(pthread_rwlockattr_setpshared(&a, 42), EINVAL);
	CHECK_EQ(pthread_rwlockattr_setpshared(&a, PTHREAD_PROCESS_PRIVATE), 0);
	CHECK_EQ(pthread_rwlock_init(&l, &a), 0);
	CHECK_EQ(pthread_rwlockattr_destroy(&a), 0);

	/* read locks: several at once from one thread */
	CHECK_EQ(pthread_rwlock_rdlock(&l), 0);
	CHECK_EQ(pthread_rwlock_rdlock(&l), 0);
	CHECK_EQ(pthread_rwlock_tryrdlock(&l), 0);
	CHECK_EQ(pthread_rwlock_trywrlock(&l), EBUSY);
	CHECK_EQ(pthread_rwlock_wrlock(&l), EDEADLK);           /* it would wait for ourselves */
	CHECK_EQ(pthread_rwlock_destroy(&l), EBUSY);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_rwlock_unlock(&l), 0);
	CHECK_EQ(pthread_rwlock_unlock(&l), EPERM);             /* none left */

	/* the write lock */
	CHECK_EQ(pthread_rwlock_wrlock(&l), 0);
	CHECK_EQ(pthread_rwlock_wrlock(&l), EDEADLK);
	CHECK_EQ(pthread_rwlock_rdlock(&l), EDEADLK);
	CHECK_EQ(pthread_rwlock_trywrlock(&l), EBUSY);
	CHECK_EQ(pthread_rwlock_tryrdlock(&l), EBUSY);
	CHECK_EQ(pthread_rwlock_destroy(&l), EBUSY);
	CHECK_EQ(pthread_rwlock_unlock(&l), 0);
	CHECK_EQ(pthread_rwlock_unlock(&l), EPERM);
	CHECK_EQ(pthread_rwlock_trywrlock(&l), 0);
	CHECK_EQ(pthread_rwlock_unlock(&l), 0);
	CHECK_EQ(pthread_rwlock_destroy(&l), 0);

	/* the static initializer; a thread holds read locks on 32 locks at most */
	CHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	for (int i = 0; i < 33; i++)
		CHECK_EQ(pthread_rwlock_init(&many[i], NULL), 0);
	for (int i = 0; i < 32; i++)
		CHECK_EQ(pthread_rwlock_rdlock(&many[i]), 0);
	CHECK_EQ(pthread_rwlock_rdlock(&many[32]), EAGAIN);
	CHECK_EQ(pthread_rwlock_rdlock(&many[5]), 0);           /* one it holds: no new entry */
	CHECK_EQ(pthread_rwlock_unlock(&many[5]), 0);
	CHECK_EQ(pthread_rwlock_unlock(&many[0]), 0);
	CHECK_EQ(pthread_rwlock_rdlock(&many[32]), 0);          /* room again */
	for (int i = 1; i < 33; i++)
		CHECK_EQ(pthread_rwlock_unlock(&many[i]), 0);
	for (int i = 0; i < 33; i++)
		CHECK_EQ(pthread_rwlock_destroy(&many[i]), 0);
}

/* four readers must all be inside at once: each waits in its read lock for the rest */
static void *reader_meets(void *arg)
{
	(void)arg;
	TCHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	bump(&rw_inside);
	TCHECK(await(&rw_inside, 4));
	TCHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	return NULL;
}

static void *try_write(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_rwlock_trywrlock(&rw);
}

static void *try_read(void *arg)
{
	(void)arg;
	int err = pthread_rwlock_tryrdlock(&rw);
	if (err == 0)
		pthread_rwlock_unlock(&rw);
	return (void *)(long)err;
}

static void *timed_read_20ms(void *arg)
{
	struct timespec ts = in_ms(20);
	(void)arg;
	return (void *)(long)pthread_rwlock_timedrdlock(&rw, &ts);
}

static void *writer(void *arg)
{
	(void)arg;
	TCHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
	store(&rw_got, 1);
	bump(&rw_seq);
	TCHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	return NULL;
}

void test_rwlock_readers(void)
{
	pthread_t th[4], t;
	void *r;

	rw_inside = 0;
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, reader_meets, NULL), 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
	CHECK_EQ(rw_inside, 4);

	/* read-held: another thread's trywrlock is EBUSY, its tryrdlock is not */
	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	CHECK_EQ(pthread_create(&t, NULL, try_write, NULL), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, EBUSY);
	CHECK_EQ(pthread_create(&t, NULL, try_read, NULL), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, 0);

	/* a writer waits for the readers to go */
	rw_got = 0;
	CHECK_EQ(pthread_create(&t, NULL, writer, NULL), 0);
	usleep(20000);
	CHECK_EQ(load(&rw_got), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(rw_got, 1);

	/* write-held: readers are kept out too */
	CHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
	CHECK_EQ(pthread_create(&t, NULL, try_read, NULL), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, EBUSY);
	CHECK_EQ(pthread_create(&t, NULL, timed_read_20ms, NULL), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, ETIMEDOUT);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
}

static int pref_reader_got;

/* tries until a queued writer keeps it out, then waits behind it */
static void *reader_behind_writer(void *arg)
{
	int err = 0;
	(void)arg;
	for (int i = 0; i < 5000; i++) {
		if ((err = pthread_rwlock_tryrdlock(&rw)) != 0)
			break;
		pthread_rwlock_unlock(&rw);
		usleep(1000);
	}
	TCHECK_EQ(err, EBUSY);
	store(&pref_reader_got, 1);             /* seen it */
	TCHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	store(&pref_reader_got, 2 + bump(&rw_seq));
	TCHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	return NULL;
}

/* writers first: a reader that asks while a writer waits gets in after it */
void test_rwlock_writer_preference(void)
{
	pthread_t w, r;

	rw_got = rw_seq = pref_reader_got = 0;
	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	CHECK_EQ(pthread_create(&w, NULL, writer, NULL), 0);
	CHECK_EQ(pthread_create(&r, NULL, reader_behind_writer, NULL), 0);
	CHECK(await(&pref_reader_got, 1));      /* the writer is queued */
	/* a second read lock of ours does not wait behind the writer, which waits for us */
	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_tryrdlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	usleep(20000);
	CHECK_EQ(load(&rw_got), 0);
	CHECK(load(&pref_reader_got) < 2);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_join(w, NULL), 0);
	CHECK_EQ(pthread_join(r, NULL), 0);
	CHECK_EQ(rw_got, 1);
	CHECK_EQ(pref_reader_got, 2 + 2);       /* second, after the writer */
}

static int tw_done;

static void *timed_write(void *ms)
{
	struct timespec ts = in_ms((long)ms);
	int err;
	bump(&rw_inside);
	err = pthread_rwlock_timedwrlock(&rw, &ts);
	store(&tw_done, 1);
	return (void *)(long)err;
}

/*
 * Tries until the timed writer keeps it out (or has given up already: a
 * slow host may let its time pass first), then waits for a read lock.
 */
static void *reader_after_timed_writer(void *arg)
{
	(void)arg;
	while (!load(&tw_done) && pthread_rwlock_tryrdlock(&rw) == 0) {
		pthread_rwlock_unlock(&rw);
		usleep(1000);
	}
	TCHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	store(&pref_reader_got, 1);
	TCHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	return NULL;
}

void test_rwlock_timed(void)
{
	struct timespec ts;
	pthread_t w, r;
	void *ret;

	/* write-held by us: past, bad and short deadlines */
	CHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
	CHECK_EQ(pthread_create(&w, NULL, timed_write, (void *)50L), 0);
	CHECK_EQ(pthread_join(w, &ret), 0);
	CHECK_EQ((long)ret, ETIMEDOUT);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec--;
	CHECK_EQ(pthread_rwlock_timedwrlock(&rw, &ts), EDEADLK);        /* ours: not a wait */
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);

	/* free: a bad abstime is not looked at, since nothing waits */
	ts.tv_nsec = 1000000000;
	CHECK_EQ(pthread_rwlock_timedwrlock(&rw, &ts), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	ts.tv_nsec = -1;
	CHECK_EQ(pthread_rwlock_timedrdlock(&rw, &ts), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);

	/* held by another thread: EINVAL for the bad one, ETIMEDOUT for a past one */
	rw_got = 0;
	CHECK_EQ(pthread_create(&w, NULL, try_write, NULL), 0);  /* takes it and keeps it */
	CHECK_EQ(pthread_join(w, &ret), 0);
	CHECK_EQ((long)ret, 0);
	ts.tv_nsec = 1000000000;
	CHECK_EQ(pthread_rwlock_timedrdlock(&rw, &ts), EINVAL);
	CHECK_EQ(pthread_rwlock_timedwrlock(&rw, &ts), EINVAL);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec -= 1;
	CHECK_EQ(pthread_rwlock_timedrdlock(&rw, &ts), ETIMEDOUT);
	CHECK_EQ(pthread_rwlock_timedwrlock(&rw, &ts), ETIMEDOUT);
	CHECK_EQ(pthread_rwlock_unlock(&rw), EPERM);            /* its holder is gone, not us */
	CHECK_EQ(pthread_rwlock_init(&rw, NULL), 0);

	/* a writer that gives up lets in the readers queued behind it: no unlock needed */
	pref_reader_got = rw_inside = tw_done = 0;
	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	CHECK_EQ(pthread_create(&w, NULL, timed_write, (void *)300L), 0);   /* time for r to queue */
	CHECK(await(&rw_inside, 1));
	CHECK_EQ(pthread_create(&r, NULL, reader_after_timed_writer, NULL), 0);
	CHECK_EQ(pthread_join(w, &ret), 0);
	CHECK_EQ((long)ret, ETIMEDOUT);
	CHECK_EQ(pthread_join(r, NULL), 0);                     /* while we still hold ours */
	CHECK_EQ(pref_reader_got, 1);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_destroy(&rw), 0);
}

/* writers add two to both halves, readers check they agree: 4 threads, each both */
static long rw_a, rw_b;

static void *rw_mix(void *arg)
{
	long bad = 0;
	(void)arg;
	for (int i = 0; i < 4000; i++) {
		if (i % 4 == 0) {
			TCHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
			rw_a++;
			sched_yield();
			rw_b++;
			TCHECK_EQ(pthread_rwlock_unlock(&rw), 0);
		} else {
			TCHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
			bad += __atomic_load_n(&rw_a, __ATOMIC_RELAXED) != __atomic_load_n(&rw_b, __ATOMIC_RELAXED);
			TCHECK_EQ(pthread_rwlock_unlock(&rw), 0);
		}
	}
	return (void *)bad;
}

void test_rwlock_contention(void)
{
	pthread_t th[4];
	void *bad;

	rw_a = rw_b = 0;
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, rw_mix, NULL), 0);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(pthread_join(th[i], &bad), 0);
		CHECK_EQ((long)bad, 0);
	}
	CHECK_EQ(rw_a, 4 * 1000);
	CHECK_EQ(rw_b, 4 * 1000);
	CHECK_EQ(pthread_rwlock_destroy(&rw), 0);
}

/* a handler while a writer waits does not end its wait (POSIX: never EINTR) */
static int sig_count;

static void count_sig(int sig)
{
	(void)sig;
	bump(&sig_count);
}

static void catch_usr1(int flags)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = count_sig;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

void test_rwlock_signal(void)
{
	pthread_t w;

	sig_count = rw_got = rw_seq = 0;
	catch_usr1(0);
	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	CHECK_EQ(pthread_create(&w, NULL, writer, NULL), 0);
	usleep(20000);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(pthread_kill(w, SIGUSR1), 0);
		CHECK(await(&sig_count, i + 1));
	}
	usleep(20000);
	CHECK_EQ(load(&rw_got), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_join(w, NULL), 0);
	CHECK_EQ(rw_got, 1);
}

/*
 * fork1 while we hold a read lock and a writer waits for it (a reader
 * behind it): in the child those two are not there.  Our read lock, copied,
 * is ours to let go, and then the lock is free: had the child kept the
 * parent's queue, the unlock would hand it to the missing writer.  (First,
 * before a thread of the child's reuses the missing threads' stacks, where
 * the parent's waiters were.)
 */
static int rw_fork_child(void)
{
	pthread_t t;
	void *r;

	if (pthread_rwlock_unlock(&rw))
		return 10;
	if (pthread_rwlock_tryrdlock(&rw) || pthread_rwlock_unlock(&rw))
		return 11;
	if (pthread_rwlock_trywrlock(&rw) || pthread_rwlock_unlock(&rw))
		return 12;
	if (pthread_rwlock_rdlock(&rw))
		return 13;
	if (pthread_create(&t, NULL, try_read, NULL) || pthread_join(t, &r) || (long)r != 0)
		return 14;
	rw_got = 0;
	if (pthread_create(&t, NULL, writer, NULL))
		return 15;
	usleep(10000);
	if (load(&rw_got) || pthread_rwlock_unlock(&rw) || pthread_join(t, NULL) || !rw_got)
		return 16;
	return pthread_rwlock_destroy(&rw) ? 17 : 0;
}

void test_rwlock_fork(void)
{
	pthread_t w, r;
	int pid;

	rw_got = rw_seq = pref_reader_got = 0;
	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	CHECK_EQ(pthread_create(&w, NULL, writer, NULL), 0);
	CHECK_EQ(pthread_create(&r, NULL, reader_behind_writer, NULL), 0);
	CHECK(await(&pref_reader_got, 1));      /* the writer is queued, the reader behind it */
	usleep(10000);
	pid = fork1();
	if (pid == 0)
		_exit(rw_fork_child());
	CHECK(pid > 0);
	CHECK_EQ(WEXITSTATUS(wait_for(pid)), 0);
	CHECK_EQ(load(&rw_got), 0);             /* ours are as they were */
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_join(w, NULL), 0);
	CHECK_EQ(pthread_join(r, NULL), 0);
	CHECK_EQ(rw_got, 1);
}

/* ---------- barriers ---------- */

#define B_THREADS 5
#define B_ROUNDS 6
static pthread_barrier_t bar;
static int b_arrived[B_ROUNDS], b_serial[B_ROUNDS], b_early[B_ROUNDS];

static void *barrier_rounds(void *arg)
{
	(void)arg;
	for (int k = 0; k < B_ROUNDS; k++) {
		bump(&b_arrived[k]);
		int r = pthread_barrier_wait(&bar);
		TCHECK(r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD);
		if (r == PTHREAD_BARRIER_SERIAL_THREAD)
			bump(&b_serial[k]);
		if (load(&b_arrived[k]) != B_THREADS)
			bump(&b_early[k]);      /* left before everyone came */
		if (k & 1)
			sched_yield();
	}
	return NULL;
}

void test_barrier_rounds(void)
{
	pthread_t th[B_THREADS - 1];

	CHECK_EQ(pthread_barrier_init(&bar, NULL, B_THREADS), 0);
	for (int i = 0; i < B_THREADS - 1; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, barrier_rounds, NULL), 0);
	barrier_rounds(NULL);
	for (int i = 0; i < B_THREADS - 1; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
	for (int k = 0; k < B_ROUNDS; k++) {
		CHECK_EQ(b_serial[k], 1);
		CHECK_EQ(b_early[k], 0);
		CHECK_EQ(b_arrived[k], B_THREADS);
	}
	CHECK_EQ(pthread_barrier_destroy(&bar), 0);
}

static void *barrier_once(void *arg)
{
	return (void *)(long)pthread_barrier_wait((pthread_barrier_t *)arg);
}

void test_barrier_errors(void)
{
	pthread_barrierattr_t a;
	pthread_barrier_t b;
	pthread_t t;
	void *r;
	int ps = -1;

	CHECK_EQ(pthread_barrier_init(&b, NULL, 0), EINVAL);
	CHECK_EQ(pthread_barrierattr_init(&a), 0);
	CHECK_EQ(pthread_barrierattr_getpshared(&a, &ps), 0);
	CHECK_EQ(ps, PTHREAD_PROCESS_PRIVATE);
	CHECK_EQ(pthread_barrierattr_setpshared(&a, PTHREAD_PROCESS_SHARED), ENOTSUP);
	CHECK_EQ(pthread_barrierattr_setpshared(&a, -3), EINVAL);
	CHECK_EQ(pthread_barrierattr_setpshared(&a, PTHREAD_PROCESS_PRIVATE), 0);

	/* one thread a round: every wait is the serial one */
	CHECK_EQ(pthread_barrier_init(&b, &a, 1), 0);
	CHECK_EQ(pthread_barrierattr_destroy(&a), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_barrier_wait(&b), PTHREAD_BARRIER_SERIAL_THREAD);
	CHECK_EQ(pthread_barrier_destroy(&b), 0);

	/* busy while one waits; the round's other thread ends it */
	CHECK_EQ(pthread_barrier_init(&b, NULL, 2), 0);
	CHECK_EQ(pthread_create(&t, NULL, barrier_once, &b), 0);
	/* (ours changes nothing when it succeeds, so it may be asked until the thread is there) */
	for (int i = 0; i < 5000 && pthread_barrier_destroy(&b) == 0; i++)
		usleep(1000);
	CHECK_EQ(pthread_barrier_destroy(&b), EBUSY);
	int mine = pthread_barrier_wait(&b);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ(mine + (long)r, PTHREAD_BARRIER_SERIAL_THREAD);  /* one of us, not both */
	CHECK_EQ(pthread_barrier_destroy(&b), 0);
}

/* ---------- spin locks ---------- */

static pthread_spinlock_t spin;
static volatile long spin_counter;

static void *spin_add(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		TCHECK_EQ(pthread_spin_lock(&spin), 0);
		spin_counter = spin_counter + 1;
		TCHECK_EQ(pthread_spin_unlock(&spin), 0);
	}
	return NULL;
}

static void *spin_try(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_spin_trylock(&spin);
}

static void *spin_unlock_other(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_spin_unlock(&spin);
}

void test_spin(void)
{
	pthread_t th[4];
	void *r;

	CHECK_EQ(pthread_spin_init(&spin, PTHREAD_PROCESS_SHARED), ENOTSUP);
	CHECK_EQ(pthread_spin_init(&spin, 77), EINVAL);
	CHECK_EQ(pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE), 0);
	CHECK_EQ(pthread_spin_lock(&spin), 0);
	CHECK_EQ(pthread_spin_lock(&spin), EDEADLK);
	CHECK_EQ(pthread_spin_trylock(&spin), EBUSY);
	CHECK_EQ(pthread_spin_destroy(&spin), EBUSY);
	CHECK_EQ(pthread_create(&th[0], NULL, spin_try, NULL), 0);
	CHECK_EQ(pthread_join(th[0], &r), 0);
	CHECK_EQ((long)r, EBUSY);
	CHECK_EQ(pthread_create(&th[0], NULL, spin_unlock_other, NULL), 0);
	CHECK_EQ(pthread_join(th[0], &r), 0);
	CHECK_EQ((long)r, EPERM);
	CHECK_EQ(pthread_spin_unlock(&spin), 0);
	CHECK_EQ(pthread_spin_unlock(&spin), EPERM);
	CHECK_EQ(pthread_create(&th[0], NULL, spin_try, NULL), 0);
	CHECK_EQ(pthread_join(th[0], &r), 0);
	CHECK_EQ((long)r, 0);                   /* it took it and is gone with it */
	CHECK_EQ(pthread_spin_trylock(&spin), EBUSY);

	CHECK_EQ(pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE), 0);
	spin_counter = 0;
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, spin_add, NULL), 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
	CHECK_EQ(spin_counter, 4 * 20000);
	CHECK_EQ(pthread_spin_destroy(&spin), 0);
}

/* ---------- semaphores ---------- */

static sem_t sem, sem2;

void test_sem_basic(void)
{
	sem_t s;
	int v = -1;

	CHECK_EQ(sem_init(&s, 0, 3), 0);
	CHECK_EQ(sem_getvalue(&s, &v), 0);
	CHECK_EQ(v, 3);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(sem_wait(&s), 0);
	errno = 0;
	CHECK_EQ(sem_trywait(&s), -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(sem_getvalue(&s, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(sem_post(&s), 0);
	CHECK_EQ(sem_post(&s), 0);
	CHECK_EQ(sem_getvalue(&s, &v), 0);
	CHECK_EQ(v, 2);
	CHECK_EQ(sem_trywait(&s), 0);
	CHECK_EQ(sem_getvalue(&s, &v), 0);
	CHECK_EQ(v, 1);
	CHECK_EQ(sem_destroy(&s), 0);

	/* the limits */
	errno = 0;
	CHECK_EQ(sem_init(&s, 0, (unsigned int)SEM_VALUE_MAX + 1), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sem_init(&s, 0, SEM_VALUE_MAX), 0);
	errno = 0;
	CHECK_EQ(sem_post(&s), -1);
	CHECK_EQ(errno, EOVERFLOW);
	CHECK_EQ(sem_getvalue(&s, &v), 0);
	CHECK_EQ(v, SEM_VALUE_MAX);
	CHECK_EQ(sem_trywait(&s), 0);
	CHECK_EQ(sem_post(&s), 0);
	CHECK_EQ(sem_destroy(&s), 0);

	/* what is not built yet says so */
	errno = 0;
	CHECK_EQ(sem_init(&s, 1, 0), -1);
	CHECK_EQ(errno, ENOSYS);
	errno = 0;
	CHECK(sem_open("/s", 0) == SEM_FAILED);
	CHECK_EQ(errno, ENOSYS);
	errno = 0;
	CHECK_EQ(sem_unlink("/s"), -1);
	CHECK_EQ(errno, ENOSYS);
	CHECK_EQ(sem_init(&s, 0, 0), 0);
	errno = 0;
	CHECK_EQ(sem_close(&s), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sem_destroy(&s), 0);
}

static void *post_after_20ms(void *arg)
{
	usleep(20000);
	return (void *)(long)sem_post((sem_t *)arg);
}

void test_sem_timedwait(void)
{
	struct timespec ts;
	pthread_t t;
	void *r;
	int v = -1;

	CHECK_EQ(sem_init(&sem, 0, 0), 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	errno = 0;
	CHECK_EQ(sem_timedwait(&sem, &ts), -1);         /* already past */
	CHECK_EQ(errno, ETIMEDOUT);
	ts = in_ms(30);
	errno = 0;
	CHECK_EQ(sem_timedwait(&sem, &ts), -1);
	CHECK_EQ(errno, ETIMEDOUT);
	ts.tv_nsec = 1000000000;
	errno = 0;
	CHECK_EQ(sem_timedwait(&sem, &ts), -1);
	CHECK_EQ(errno, EINVAL);
	ts.tv_nsec = -1;
	errno = 0;
	CHECK_EQ(sem_timedwait(&sem, &ts), -1);
	CHECK_EQ(errno, EINVAL);
	/* a unit there: the bad time is not looked at */
	CHECK_EQ(sem_post(&sem), 0);
	CHECK_EQ(sem_timedwait(&sem, &ts), 0);
	/* posted long before the deadline */
	CHECK_EQ(pthread_create(&t, NULL, post_after_20ms, &sem), 0);
	ts = in_ms(20000);
	CHECK_EQ(sem_timedwait(&sem, &ts), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, 0);
	CHECK_EQ(sem_getvalue(&sem, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(sem_destroy(&sem), 0);
}

/* a bounded buffer: two producers, two consumers, the slots and items counted by semaphores */
#define PC_SLOTS 8
#define PC_ITEMS 3000
static sem_t pc_free, pc_full;
static pthread_mutex_t pc_lock = PTHREAD_MUTEX_INITIALIZER;
static long pc_buf[PC_SLOTS];
static int pc_in, pc_out, pc_over;

static void *producer(void *arg)
{
	long base = (long)arg;
	for (long i = 1; i <= PC_ITEMS; i++) {
		TCHECK_EQ(sem_wait(&pc_free), 0);
		pthread_mutex_lock(&pc_lock);
		if (pc_in - pc_out >= PC_SLOTS)
			pc_over = 1;
		pc_buf[pc_in++ % PC_SLOTS] = base + i;
		pthread_mutex_unlock(&pc_lock);
		TCHECK_EQ(sem_post(&pc_full), 0);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long sum = 0;
	(void)arg;
	for (int i = 0; i < PC_ITEMS; i++) {
		TCHECK_EQ(sem_wait(&pc_full), 0);
		pthread_mutex_lock(&pc_lock);
		if (pc_out >= pc_in)
			pc_over = 1;
		sum += pc_buf[pc_out++ % PC_SLOTS];
		pthread_mutex_unlock(&pc_lock);
		TCHECK_EQ(sem_post(&pc_free), 0);
	}
	return (void *)sum;
}

void test_sem_prodcons(void)
{
	pthread_t p[2], c[2];
	long total = 0;
	void *r;
	int v = -1;

	CHECK_EQ(sem_init(&pc_free, 0, PC_SLOTS), 0);
	CHECK_EQ(sem_init(&pc_full, 0, 0), 0);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(pthread_create(&c[i], NULL, consumer, NULL), 0);
		CHECK_EQ(pthread_create(&p[i], NULL, producer, (void *)(long)(i * 1000000)), 0);
	}
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(pthread_join(p[i], NULL), 0);
		CHECK_EQ(pthread_join(c[i], &r), 0);
		total += (long)r;
	}
	CHECK_EQ(pc_over, 0);
	CHECK_EQ(pc_in, 2 * PC_ITEMS);
	CHECK_EQ(total, 2L * PC_ITEMS * (PC_ITEMS + 1) / 2 + 1000000L * PC_ITEMS);
	CHECK_EQ(sem_getvalue(&pc_free, &v), 0);
	CHECK_EQ(v, PC_SLOTS);
	CHECK_EQ(sem_getvalue(&pc_full, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(sem_destroy(&pc_free), 0);
	CHECK_EQ(sem_destroy(&pc_full), 0);
}

/* many waiters, woken one post each; sem_destroy is EBUSY while they wait */
static int sw_started;

static void *sem_waiter(void *arg)
{
	bump(&sw_started);
	return (void *)(long)sem_wait((sem_t *)arg);
}

void test_sem_waiters(void)
{
	pthread_t th[6];
	void *r;
	int v = -1;

	sw_started = 0;
	CHECK_EQ(sem_init(&sem, 0, 0), 0);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, sem_waiter, &sem), 0);
	CHECK(await(&sw_started, 6));
	/* (ours changes nothing when it succeeds, so it may be asked until one is queued) */
	for (int i = 0; i < 5000 && sem_destroy(&sem) == 0; i++)
		usleep(1000);
	errno = 0;
	CHECK_EQ(sem_destroy(&sem), -1);
	CHECK_EQ(errno, EBUSY);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(sem_post(&sem), 0);
	for (int i = 0; i < 6; i++) {
		CHECK_EQ(pthread_join(th[i], &r), 0);
		CHECK_EQ((long)r, 0);
	}
	CHECK_EQ(sem_getvalue(&sem, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(sem_destroy(&sem), 0);
}

/* a handler on the waiting thread ends sem_wait and sem_timedwait with EINTR, SA_RESTART or not */
static int intr_done, intr_errno[2];

static void *intr_waiter(void *arg)
{
	struct timespec ts = in_ms(60000);
	(void)arg;
	errno = 0;
	TCHECK_EQ(sem_wait(&sem), -1);
	intr_errno[0] = errno;
	store(&intr_done, 1);
	errno = 0;
	TCHECK_EQ(sem_timedwait(&sem, &ts), -1);
	intr_errno[1] = errno;
	store(&intr_done, 2);
	return NULL;
}

/* signal t until *done reaches v (a signal that comes before the wait only runs its handler) */
static int signal_until(pthread_t t, int *done, int v)
{
	for (int i = 0; i < 500 && load(done) < v; i++) {
		if (pthread_kill(t, SIGUSR1))
			return 0;
		usleep(10000);
	}
	return load(done) >= v;
}

void test_sem_eintr(void)
{
	pthread_t t;
	int v = -1;

	sig_count = intr_done = 0;
	catch_usr1(SA_RESTART);
	CHECK_EQ(sem_init(&sem, 0, 0), 0);
	CHECK_EQ(pthread_create(&t, NULL, intr_waiter, NULL), 0);
	if (!signal_until(t, &intr_done, 1) || !signal_until(t, &intr_done, 2))
		sem_post(&sem), sem_post(&sem);  /* let it go, to fail below */
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(intr_done, 2);
	CHECK_EQ(intr_errno[0], EINTR);
	CHECK_EQ(intr_errno[1], EINTR);
	CHECK(load(&sig_count) >= 2);
	CHECK_EQ(sem_getvalue(&sem, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(sem_destroy(&sem), 0);          /* neither left itself queued */
}

/*
 * fork1 while a thread of ours waits on each of two semaphores: the
 * child's copies have no waiters (sem2 can be destroyed), and count,
 * block and wake for the child's own threads.
 */
static int sem_fork_child(void)
{
	struct timespec ts;
	pthread_t t;
	void *r;
	int v = -1;

	if (sem_destroy(&sem2) != 0)
		return 10;              /* still busy with the parent's waiter */
	if (sem_trywait(&sem) == 0 || errno != EAGAIN)
		return 11;
	if (sem_post(&sem) || sem_getvalue(&sem, &v) || v != 1)
		return 12;
	if (sem_wait(&sem))
		return 13;
	ts = in_ms(20);
	if (sem_timedwait(&sem, &ts) == 0 || errno != ETIMEDOUT)
		return 14;
	sw_started = 0;
	if (pthread_create(&t, NULL, sem_waiter, &sem))
		return 15;
	usleep(10000);
	if (sem_post(&sem) || pthread_join(t, &r) || (long)r != 0)
		return 16;
	if (sem_getvalue(&sem, &v) || v != 0)
		return 17;
	return sem_destroy(&sem) ? 18 : 0;
}

void test_sem_fork(void)
{
	pthread_t t1, t2;
	void *r;
	int pid, v = -1;

	sw_started = 0;
	CHECK_EQ(sem_init(&sem, 0, 0), 0);
	CHECK_EQ(sem_init(&sem2, 0, 0), 0);
	CHECK_EQ(pthread_create(&t1, NULL, sem_waiter, &sem), 0);
	CHECK_EQ(pthread_create(&t2, NULL, sem_waiter, &sem2), 0);
	CHECK(await(&sw_started, 2));
	usleep(20000);
	pid = fork1();
	if (pid == 0)
		_exit(sem_fork_child());
	CHECK(pid > 0);
	CHECK_EQ(WEXITSTATUS(wait_for(pid)), 0);
	CHECK_EQ(sem_getvalue(&sem, &v), 0);
	CHECK_EQ(v, 0);                         /* the child's posts were its own */
	CHECK_EQ(sem_post(&sem), 0);
	CHECK_EQ(sem_post(&sem2), 0);
	CHECK_EQ(pthread_join(t1, &r), 0);
	CHECK_EQ((long)r, 0);
	CHECK_EQ(pthread_join(t2, &r), 0);
	CHECK_EQ((long)r, 0);
	CHECK_EQ(sem_destroy(&sem), 0);
	CHECK_EQ(sem_destroy(&sem2), 0);
}

/* ---- pthread_mutex_timedlock ---- */

static pthread_mutex_t tl_m = PTHREAD_MUTEX_INITIALIZER;
static volatile int tl_held, tl_release;

static void *tl_holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&tl_m);
	tl_held = 1;
	while (!tl_release)
		sched_yield();
	pthread_mutex_unlock(&tl_m);
	return NULL;
}

/* held elsewhere: ETIMEDOUT, EINVAL for a bad time only when it must wait; free: 0; released: 0 */
void test_mutex_timedlock(void)
{
	struct timespec bad = { 0, 1000000000 }, t;
	pthread_mutexattr_t a;
	pthread_mutex_t em;
	pthread_t h;

	CHECK_EQ(pthread_mutex_timedlock(&tl_m, &bad), 0);      /* free: the time is not looked at */
	CHECK_EQ(pthread_mutex_unlock(&tl_m), 0);
	CHECK_EQ(pthread_create(&h, NULL, tl_holder, NULL), 0);
	while (!tl_held)
		sched_yield();
	t = in_ms(50);
	CHECK_EQ(pthread_mutex_timedlock(&tl_m, &t), ETIMEDOUT);
	CHECK_EQ(pthread_mutex_timedlock(&tl_m, &bad), EINVAL);
	t = (struct timespec){ 0, 0 };                           /* long past */
	CHECK_EQ(pthread_mutex_timedlock(&tl_m, &t), ETIMEDOUT);
	tl_release = 1;
	t = in_ms(60000);
	CHECK_EQ(pthread_mutex_timedlock(&tl_m, &t), 0);        /* let go meanwhile: ours */
	CHECK_EQ(pthread_mutex_unlock(&tl_m), 0);
	CHECK_EQ(pthread_join(h, NULL), 0);
	/* an error-checking mutex we hold: EDEADLK */
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	CHECK_EQ(pthread_mutex_init(&em, &a), 0);
	CHECK_EQ(pthread_mutex_lock(&em), 0);
	t = in_ms(10);
	CHECK_EQ(pthread_mutex_timedlock(&em, &t), EDEADLK);
	CHECK_EQ(pthread_mutex_unlock(&em), 0);
}
