/*
 * POSIX threads tests: create/join/detach, mutexes of every type under
 * contention, condition variables (producer/consumer, broadcast, timeouts),
 * once, keys, TLS, the lwp limit, exit from any thread, pthread_atfork's
 * order, threads after fork1 and forkall, and that threads leak nothing.
 * Read-write locks, barriers, spin locks and semaphores are in sync.c.
 *
 * Each test runs in a forked child with a time limit (suite_run_isolated):
 * a test that crashes or hangs fails alone.  TCHECK is CHECK for thread
 * functions.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "thtest.h"
#include "proc.h"

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* a child's own child: its wait status */
static int wait_for(int pid)
{
	int status = -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/*
 * Until only the calling thread is left: a joined thread's lwp may still be
 * on its way out through the proc server (its pages and lwp slot with it).
 */
static int wait_alone(void)
{
	static struct proc_info pi[64];
	int me = getpid();
	for (int tries = 0; tries < 500; tries++) {
		int n = proc_list(pi, 64);
		for (int i = 0; i < n; i++)
			if (pi[i].pid == me && pi[i].nlwp == 1)
				return 1;
		usleep(10000);
	}
	return 0;
}

/* ---------- create, join, self, detach ---------- */

static void *square_plus_one(void *arg)
{
	long i = (long)arg;
	sched_yield();
	return (void *)(i * i + 1);
}

/* 16 threads, joined for their values; when the lwp limit says EAGAIN, join the oldest first */
static void test_create_join(void)
{
	pthread_t th[16];
	int made = 0, joined = 0, err;
	void *ret;

	for (int tries = 0; made < 16 && tries < 1000; tries++) {
		err = pthread_create(&th[made], NULL, square_plus_one, (void *)(long)made);
		if (err == EAGAIN && joined < made) {
			CHECK_EQ(pthread_join(th[joined], &ret), 0);
			CHECK_EQ((long)ret, (long)joined * joined + 1);
			joined++;
			continue;
		}
		if (err == EAGAIN) {
			usleep(1000);           /* all joined: their lwps are still leaving */
			continue;
		}
		CHECK_EQ(err, 0);
		made++;
	}
	CHECK_EQ(made, 16);
	CHECK(joined < 8);              /* most of them ran side by side */
	for (; joined < 16; joined++) {
		CHECK_EQ(pthread_join(th[joined], &ret), 0);
		CHECK_EQ((long)ret, (long)joined * joined + 1);
	}
	CHECK_EQ(pthread_join(th[0], NULL), ESRCH);     /* joined already */
	CHECK_EQ(pthread_join(pthread_self(), NULL), EDEADLK);
}

static pthread_t seen_self[4];
static pthread_t created[4];

static void *note_self(void *arg)
{
	long i = (long)arg;
	seen_self[i] = pthread_self();
	TCHECK(pthread_equal(pthread_self(), created[i]));      /* set before the thread ran */
	return NULL;
}

static void test_self_equal(void)
{
	pthread_t me = pthread_self();
	CHECK(pthread_equal(me, pthread_self()));
	for (long i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&created[i], NULL, note_self, (void *)i), 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_join(created[i], NULL), 0);
	for (int i = 0; i < 4; i++) {
		CHECK(pthread_equal(seen_self[i], created[i]));
		CHECK(!pthread_equal(seen_self[i], me));
		for (int j = 0; j < i; j++)
			CHECK(!pthread_equal(seen_self[i], seen_self[j]));
	}
}

static pthread_mutex_t det_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t det_cond = PTHREAD_COND_INITIALIZER;
static int det_done, det_open;

static void *detached_fn(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&det_lock);
	while (!det_open)
		pthread_cond_wait(&det_cond, &det_lock);
	det_done++;
	pthread_cond_broadcast(&det_cond);
	pthread_mutex_unlock(&det_lock);
	return NULL;
}

static void test_detach(void)
{
	pthread_attr_t a;
	pthread_t t;
	int state;
	uint64_t pages, last = 0;

	CHECK_EQ(pthread_attr_init(&a), 0);
	CHECK_EQ(pthread_attr_getdetachstate(&a, &state), 0);
	CHECK_EQ(state, PTHREAD_CREATE_JOINABLE);
	CHECK_EQ(pthread_attr_setdetachstate(&a, 7), EINVAL);
	CHECK_EQ(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED), 0);
	CHECK_EQ(pthread_attr_getdetachstate(&a, &state), 0);
	CHECK_EQ(state, PTHREAD_CREATE_DETACHED);

	/* detached by attribute, and by pthread_detach after creation */
	for (int round = 0; round < 4; round++) {
		det_done = 0;
		for (int i = 0; i < 4; i++)
			CHECK_EQ(pthread_create(&t, &a, detached_fn, NULL), 0);
		for (int i = 0; i < 4; i++) {
			CHECK_EQ(pthread_create(&t, NULL, detached_fn, NULL), 0);
			CHECK_EQ(pthread_detach(t), 0);
		}
		/* all 8 at once each round, so that the heap's high-water mark is the same */
		pthread_mutex_lock(&det_lock);
		det_open = 1;
		pthread_cond_broadcast(&det_cond);
		while (det_done < 8)
			pthread_cond_wait(&det_cond, &det_lock);
		det_open = 0;
		pthread_mutex_unlock(&det_lock);
		/* their stacks are freed by later creates: after the first round nothing grows */
		CHECK(wait_alone());
		for (int i = 0; i < 100 && round > 1 && free_pages() != last; i++)
			usleep(10000);
		pages = free_pages();
		if (round > 1)
			CHECK_EQ(pages, last);
		last = pages;
	}
	CHECK_EQ(pthread_attr_destroy(&a), 0);
}

/* ---------- mutexes ---------- */

static pthread_mutex_t cnt_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;

static void *add_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&cnt_lock);
		counter = counter + 1;
		pthread_mutex_unlock(&cnt_lock);
	}
	return NULL;
}

static void test_mutex_contention(void)
{
	pthread_t th[8];
	counter = 0;
	for (int i = 0; i < 8; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, add_many, NULL), 0);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
	CHECK_EQ(counter, 8 * 20000);
	CHECK_EQ(pthread_mutex_destroy(&cnt_lock), 0);
}

static pthread_mutex_t try_lock = PTHREAD_MUTEX_INITIALIZER;

static void *try_it(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_mutex_trylock(&try_lock);
}

static void test_trylock(void)
{
	pthread_t t;
	void *r;

	CHECK_EQ(pthread_mutex_lock(&try_lock), 0);
	CHECK_EQ(pthread_mutex_trylock(&try_lock), EBUSY);     /* a normal mutex, ours */
	CHECK_EQ(pthread_create(&t, NULL, try_it, NULL), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, EBUSY);
	CHECK_EQ(pthread_mutex_destroy(&try_lock), EBUSY);
	CHECK_EQ(pthread_mutex_unlock(&try_lock), 0);
	CHECK_EQ(pthread_create(&t, NULL, try_it, NULL), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, 0);                                   /* it took it, and left it locked */
	CHECK_EQ(pthread_mutex_trylock(&try_lock), EBUSY);
}

static pthread_mutex_t typed;

static void *unlock_it(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_mutex_unlock(&typed);
}

static void test_recursive(void)
{
	pthread_mutexattr_t a;
	pthread_t t;
	void *r;
	int type;

	CHECK_EQ(pthread_mutexattr_init(&a), 0);
	CHECK_EQ(pthread_mutexattr_settype(&a, 99), EINVAL);
	CHECK_EQ(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE), 0);
	CHECK_EQ(pthread_mutexattr_gettype(&a, &type), 0);
	CHECK_EQ(type, PTHREAD_MUTEX_RECURSIVE);
	CHECK_EQ(pthread_mutex_init(&typed, &a), 0);
	CHECK_EQ(pthread_mutexattr_destroy(&a), 0);

	CHECK_EQ(pthread_mutex_lock(&typed), 0);
	CHECK_EQ(pthread_mutex_lock(&typed), 0);
	CHECK_EQ(pthread_mutex_trylock(&typed), 0);             /* three levels */
	CHECK_EQ(pthread_create(&t, NULL, unlock_it, NULL), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, EPERM);                               /* not its owner */
	CHECK_EQ(pthread_mutex_unlock(&typed), 0);
	CHECK_EQ(pthread_mutex_unlock(&typed), 0);
	CHECK_EQ(pthread_mutex_destroy(&typed), EBUSY);         /* one level left */
	CHECK_EQ(pthread_mutex_unlock(&typed), 0);
	CHECK_EQ(pthread_mutex_unlock(&typed), EPERM);          /* not locked at all */
	CHECK_EQ(pthread_mutex_destroy(&typed), 0);
}

static void test_errorcheck(void)
{
	pthread_mutexattr_t a;
	pthread_t t;
	void *r;

	CHECK_EQ(pthread_mutexattr_init(&a), 0);
	CHECK_EQ(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK), 0);
	CHECK_EQ(pthread_mutex_init(&typed, &a), 0);
	CHECK_EQ(pthread_mutex_unlock(&typed), EPERM);          /* not locked */
	CHECK_EQ(pthread_mutex_lock(&typed), 0);
	CHECK_EQ(pthread_mutex_lock(&typed), EDEADLK);
	CHECK_EQ(pthread_mutex_trylock(&typed), EBUSY);
	CHECK_EQ(pthread_create(&t, NULL, unlock_it, NULL), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, EPERM);
	CHECK_EQ(pthread_mutex_unlock(&typed), 0);
	CHECK_EQ(pthread_mutex_unlock(&typed), EPERM);
	CHECK_EQ(pthread_mutex_destroy(&typed), 0);
}

/* recursive and errorcheck mutexes under contention: 4 threads nesting two levels */
static void *add_nested(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5000; i++) {
		TCHECK_EQ(pthread_mutex_lock(&typed), 0);
		if (typed.__m_type == PTHREAD_MUTEX_RECURSIVE)
			TCHECK_EQ(pthread_mutex_lock(&typed), 0);
		counter = counter + 1;
		if (typed.__m_type == PTHREAD_MUTEX_RECURSIVE)
			TCHECK_EQ(pthread_mutex_unlock(&typed), 0);
		TCHECK_EQ(pthread_mutex_unlock(&typed), 0);
	}
	return NULL;
}

static void test_typed_contention(void)
{
	static const int types[] = { PTHREAD_MUTEX_RECURSIVE, PTHREAD_MUTEX_ERRORCHECK };
	pthread_mutexattr_t a;
	pthread_t th[4];

	for (int k = 0; k < 2; k++) {
		pthread_mutexattr_init(&a);
		pthread_mutexattr_settype(&a, types[k]);
		CHECK_EQ(pthread_mutex_init(&typed, &a), 0);
		counter = 0;
		for (int i = 0; i < 4; i++)
			CHECK_EQ(pthread_create(&th[i], NULL, add_nested, NULL), 0);
		for (int i = 0; i < 4; i++)
			CHECK_EQ(pthread_join(th[i], NULL), 0);
		CHECK_EQ(counter, 4 * 5000);
		CHECK_EQ(pthread_mutex_destroy(&typed), 0);
	}
}

/* ---------- condition variables ---------- */

#define QSIZE 8
#define PRODUCERS 4
#define CONSUMERS 4
#define PER_PRODUCER 3000
#define ITEMS (PRODUCERS * PER_PRODUCER)

static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_full, not_empty;
	int buf[QSIZE];
	int head, count, consumed;
	unsigned char seen[ITEMS];
} pq = { .lock = PTHREAD_MUTEX_INITIALIZER, .not_full = PTHREAD_COND_INITIALIZER,
	  .not_empty = PTHREAD_COND_INITIALIZER };

static void *producer(void *arg)
{
	long p = (long)arg;
	for (int i = 0; i < PER_PRODUCER; i++) {
		pthread_mutex_lock(&pq.lock);
		while (pq.count == QSIZE)
			pthread_cond_wait(&pq.not_full, &pq.lock);
		pq.buf[(pq.head + pq.count) % QSIZE] = (int)p * PER_PRODUCER + i;
		pq.count++;
		pthread_cond_signal(&pq.not_empty);
		pthread_mutex_unlock(&pq.lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long got = 0;
	(void)arg;
	pthread_mutex_lock(&pq.lock);
	for (;;) {
		while (pq.count == 0 && pq.consumed < ITEMS)
			pthread_cond_wait(&pq.not_empty, &pq.lock);
		if (pq.count == 0)
			break;                  /* all consumed */
		int v = pq.buf[pq.head];
		pq.head = (pq.head + 1) % QSIZE;
		pq.count--;
		pq.consumed++;
		if (v >= 0 && v < ITEMS)
			pq.seen[v]++;
		got++;
		pthread_cond_signal(&pq.not_full);
		if (pq.consumed == ITEMS)
			pthread_cond_broadcast(&pq.not_empty);     /* the others stop */
	}
	pthread_mutex_unlock(&pq.lock);
	return (void *)got;
}

static void test_cond_prodcons(void)
{
	pthread_t p[PRODUCERS], c[CONSUMERS];
	long total = 0;
	void *r;

	for (long i = 0; i < CONSUMERS; i++)
		CHECK_EQ(pthread_create(&c[i], NULL, consumer, (void *)i), 0);
	for (long i = 0; i < PRODUCERS; i++)
		CHECK_EQ(pthread_create(&p[i], NULL, producer, (void *)i), 0);
	for (int i = 0; i < PRODUCERS; i++)
		CHECK_EQ(pthread_join(p[i], NULL), 0);
	for (int i = 0; i < CONSUMERS; i++) {
		CHECK_EQ(pthread_join(c[i], &r), 0);
		total += (long)r;
	}
	CHECK_EQ(total, ITEMS);
	CHECK_EQ(pq.consumed, ITEMS);
	for (int i = 0; i < ITEMS; i++)
		if (pq.seen[i] != 1)
			CHECK_EQ(pq.seen[i], 1);
	CHECK_EQ(pthread_cond_destroy(&pq.not_full), 0);
	CHECK_EQ(pthread_cond_destroy(&pq.not_empty), 0);
}

static pthread_mutex_t bc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bc_cond = PTHREAD_COND_INITIALIZER;
static int bc_waiting, bc_go, bc_woken;

static void *bc_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&bc_lock);
	bc_waiting++;
	while (!bc_go)
		pthread_cond_wait(&bc_cond, &bc_lock);
	bc_woken++;
	pthread_mutex_unlock(&bc_lock);
	return NULL;
}

static void test_cond_broadcast(void)
{
	pthread_t th[6];
	for (int i = 0; i < 6; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, bc_waiter, NULL), 0);
	pthread_mutex_lock(&bc_lock);
	while (bc_waiting < 6) {
		pthread_mutex_unlock(&bc_lock);
		usleep(1000);
		pthread_mutex_lock(&bc_lock);
	}
	/* all six are queued (each queued before letting go of the mutex) */
	CHECK_EQ(pthread_cond_destroy(&bc_cond), EBUSY);
	bc_go = 1;
	CHECK_EQ(pthread_cond_broadcast(&bc_cond), 0);
	pthread_mutex_unlock(&bc_lock);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
	CHECK_EQ(bc_woken, 6);
	CHECK_EQ(pthread_cond_destroy(&bc_cond), 0);
	/* with nobody waiting, signal and broadcast do nothing */
	CHECK_EQ(pthread_cond_signal(&bc_cond), 0);
	CHECK_EQ(pthread_cond_broadcast(&bc_cond), 0);
}

static void add_ms(struct timespec *ts, long ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

static pthread_mutex_t tw_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tw_cond = PTHREAD_COND_INITIALIZER;
static int tw_flag;

static void *tw_signaller(void *arg)
{
	(void)arg;
	usleep(20000);
	pthread_mutex_lock(&tw_lock);
	tw_flag = 1;
	pthread_cond_signal(&tw_cond);
	pthread_mutex_unlock(&tw_lock);
	return NULL;
}

static void test_cond_timedwait(void)
{
	struct timespec ts;
	uint64_t t0, dt;
	pthread_t t;
	int err = 0;

	pthread_mutex_lock(&tw_lock);
	/* a deadline 50 ms away passes */
	t0 = now_ms();
	clock_gettime(CLOCK_REALTIME, &ts);
	add_ms(&ts, 50);
	CHECK_EQ(pthread_cond_timedwait(&tw_cond, &tw_lock, &ts), ETIMEDOUT);
	dt = now_ms() - t0;
	CHECK(dt >= 49 && dt < 5000);
	CHECK_EQ(pthread_mutex_trylock(&tw_lock), EBUSY);       /* ours again */
	/* one in the past, a bad one */
	clock_gettime(CLOCK_REALTIME, &ts);
	CHECK_EQ(pthread_cond_timedwait(&tw_cond, &tw_lock, &ts), ETIMEDOUT);
	ts.tv_nsec = 1000000000;
	CHECK_EQ(pthread_cond_timedwait(&tw_cond, &tw_lock, &ts), EINVAL);
	/* signalled long before its deadline: no timeout */
	CHECK_EQ(pthread_create(&t, NULL, tw_signaller, NULL), 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	add_ms(&ts, 10000);
	t0 = now_ms();
	while (!tw_flag && err == 0)
		err = pthread_cond_timedwait(&tw_cond, &tw_lock, &ts);
	CHECK_EQ(err, 0);
	CHECK(now_ms() - t0 < 5000);
	pthread_mutex_unlock(&tw_lock);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(pthread_cond_destroy(&tw_cond), 0);
}

/* many short timed waits racing signals: a timed-out waiter must unlink itself */
static volatile int tr_stop;

static void *tr_waiter(void *arg)
{
	long timeouts = 0;
	(void)arg;
	pthread_mutex_lock(&tw_lock);
	while (!tr_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		add_ms(&ts, 1);
		int err = pthread_cond_timedwait(&tw_cond, &tw_lock, &ts);
		TCHECK(err == 0 || err == ETIMEDOUT);
		timeouts += err == ETIMEDOUT;
	}
	pthread_mutex_unlock(&tw_lock);
	return (void *)timeouts;
}

static void test_cond_timedwait_race(void)
{
	pthread_t th[4];
	uint64_t t0 = now_ms();
	tr_stop = 0;
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, tr_waiter, NULL), 0);
	while (now_ms() - t0 < 300) {
		pthread_cond_signal(&tw_cond);
		if ((now_ms() & 7) == 0)
			pthread_cond_broadcast(&tw_cond);
		sched_yield();
	}
	pthread_mutex_lock(&tw_lock);
	tr_stop = 1;
	pthread_mutex_unlock(&tw_lock);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
	CHECK_EQ(pthread_cond_destroy(&tw_cond), 0);        /* nobody left queued */
}

/* ---------- once, keys, TLS ---------- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs, once_value;
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open;

static void open_gate(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_open = 1;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

static void wait_gate(void)
{
	pthread_mutex_lock(&gate_lock);
	while (!gate_open)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
}

static void once_init(void)
{
	__atomic_fetch_add(&once_runs, 1, __ATOMIC_SEQ_CST);
	usleep(20000);                  /* the others arrive while it runs */
	once_value = 42;
}

static void *once_racer(void *arg)
{
	(void)arg;
	wait_gate();
	TCHECK_EQ(pthread_once(&once, once_init), 0);
	return (void *)(long)once_value;        /* its effects are seen by all */
}

static void test_once(void)
{
	pthread_t th[8];
	void *r;
	for (int i = 0; i < 8; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, once_racer, NULL), 0);
	usleep(5000);
	open_gate();
	for (int i = 0; i < 8; i++) {
		CHECK_EQ(pthread_join(th[i], &r), 0);
		CHECK_EQ((long)r, 42);
	}
	CHECK_EQ(once_runs, 1);
	CHECK_EQ(pthread_once(&once, once_init), 0);
	CHECK_EQ(once_runs, 1);
}

static pthread_key_t key_a, key_b;
static int dtor_a_calls, dtor_b_calls, dtor_b_sum;

static void dtor_a(void *v)
{
	__atomic_fetch_add(&dtor_a_calls, 1, __ATOMIC_SEQ_CST);
	free(v);
}

/* sets its value again twice: POSIX calls it again, up to PTHREAD_DESTRUCTOR_ITERATIONS times */
static void dtor_b(void *v)
{
	long n = (long)v;
	__atomic_fetch_add(&dtor_b_calls, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&dtor_b_sum, (int)n, __ATOMIC_SEQ_CST);
	if (n < 3)
		pthread_setspecific(key_b, (void *)(n + 1));
}

static void *key_user(void *arg)
{
	long i = (long)arg;
	int *p = malloc(sizeof(int));
	TCHECK(p != NULL);
	*p = (int)i;
	TCHECK(pthread_getspecific(key_a) == NULL);
	TCHECK_EQ(pthread_setspecific(key_a, p), 0);
	TCHECK_EQ(pthread_setspecific(key_b, (void *)1), 0);
	sched_yield();
	TCHECK(pthread_getspecific(key_a) == p);                /* its own, not another's */
	TCHECK_EQ(*(int *)pthread_getspecific(key_a), i);
	return NULL;
}

static void test_keys(void)
{
	pthread_t th[6];
	pthread_key_t k;

	CHECK_EQ(pthread_key_create(&key_a, dtor_a), 0);
	CHECK_EQ(pthread_key_create(&key_b, dtor_b), 0);
	CHECK(key_a != key_b);
	for (long i = 0; i < 6; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, key_user, (void *)i), 0);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
	CHECK_EQ(dtor_a_calls, 6);
	CHECK_EQ(dtor_b_calls, 6 * 3);                  /* 1, 2, 3 */
	CHECK_EQ(dtor_b_sum, 6 * (1 + 2 + 3));
	/* the main thread's value is its own; a deleted key has none */
	CHECK(pthread_getspecific(key_a) == NULL);
	CHECK_EQ(pthread_setspecific(key_a, &k), 0);
	CHECK(pthread_getspecific(key_a) == &k);
	CHECK_EQ(pthread_key_delete(key_a), 0);
	CHECK_EQ(pthread_key_delete(key_a), EINVAL);
	CHECK_EQ(pthread_setspecific(key_a, &k), EINVAL);
	CHECK(pthread_getspecific(key_a) == NULL);
	/* a new key in the same slot starts empty */
	CHECK_EQ(pthread_key_create(&k, NULL), 0);
	CHECK(pthread_getspecific(k) == NULL);
	CHECK_EQ(pthread_key_delete(k), 0);
	CHECK_EQ(pthread_key_delete(key_b), 0);
}

static __thread int tls_init = 42;
static __thread long tls_zero;
static __thread char tls_big[300];

static void *tls_user(void *arg)
{
	long i = (long)arg;
	TCHECK_EQ(tls_init, 42);                /* .tdata copied */
	TCHECK_EQ(tls_zero, 0);                 /* .tbss cleared */
	for (int j = 0; j < (int)sizeof(tls_big); j++)
		TCHECK_EQ(tls_big[j], 0);
	tls_init = (int)i;
	tls_zero = i * 7;
	memset(tls_big, (int)i, sizeof(tls_big));
	errno = 1000 + (int)i;
	for (int k = 0; k < 20; k++)
		sched_yield();
	TCHECK_EQ(tls_init, i);
	TCHECK_EQ(tls_zero, i * 7);
	TCHECK_EQ(tls_big[sizeof(tls_big) - 1], (char)i);
	TCHECK_EQ(errno, 1000 + i);             /* picolibc's errno is per thread */
	return NULL;
}

static void test_tls(void)
{
	pthread_t th[6];
	tls_init = -1;
	errno = 5;
	for (long i = 0; i < 6; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, tls_user, (void *)(i + 1)), 0);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
	CHECK_EQ(tls_init, -1);
	CHECK_EQ(errno, 5);
}

/* ---------- attributes, limits, resources ---------- */

static void *deep_stack(void *arg)
{
	volatile char buf[10000];
	long n = (long)arg;
	for (int i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i + n);
	return (void *)(long)buf[9999];
}

static void test_stacksize(void)
{
	pthread_attr_t a;
	pthread_t t;
	size_t sz;
	void *r;

	CHECK_EQ(pthread_attr_init(&a), 0);
	CHECK_EQ(pthread_attr_getstacksize(&a, &sz), 0);
	CHECK_EQ(sz, 64 * 1024);
	CHECK_EQ(pthread_attr_setstacksize(&a, 100), EINVAL);
	CHECK_EQ(pthread_attr_setstacksize(&a, 16 * 1024), 0);
	CHECK_EQ(pthread_attr_getstacksize(&a, &sz), 0);
	CHECK_EQ(sz, 16 * 1024);
	CHECK_EQ(pthread_create(&t, &a, deep_stack, (void *)3), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, (char)(9999 + 3));
	CHECK_EQ(pthread_attr_setstacksize(&a, 1024 * 1024), 0);
	CHECK_EQ(pthread_create(&t, &a, deep_stack, (void *)5), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, (char)(9999 + 5));
}

static void *block_on_gate(void *arg)
{
	wait_gate();
	return arg;
}

/* create until the lwp limit says EAGAIN; everything made still works, and after it too */
static void test_lwp_limit(void)
{
	pthread_t th[64];
	int n = 0, err = 0;
	void *r;

	while (n < 64 && (err = pthread_create(&th[n], NULL, block_on_gate, (void *)(long)n)) == 0)
		n++;
	CHECK_EQ(err, EAGAIN);
	CHECK(n >= 4);
	open_gate();
	for (int i = 0; i < n; i++) {
		CHECK_EQ(pthread_join(th[i], &r), 0);
		CHECK_EQ((long)r, i);
	}
	CHECK(wait_alone());
	CHECK_EQ(pthread_create(&th[0], NULL, block_on_gate, (void *)7), 0);
	CHECK_EQ(pthread_join(th[0], &r), 0);
	CHECK_EQ((long)r, 7);
}

static void *nothing(void *arg)
{
	return arg;
}

/* nothing grows after 200 create/join cycles: pages, kernel objects */
static void test_no_leak(void)
{
	pthread_t t;
	uint64_t pages, objs;
	void *r;

	CHECK_EQ(pthread_create(&t, NULL, nothing, NULL), 0);   /* the heap and record pool grow once */
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK(wait_alone());
	/*
	 * this thread's first sleep makes its sleep notification (libc, one per
	 * thread, kept): make it before counting, or the sleeps below add one
	 * (seen on sifive_u, where wait_alone() above did not need to sleep)
	 */
	usleep(1);
	pages = free_pages();
	objs = kernel_objects();
	for (long i = 0; i < 200; i++) {
		CHECK_EQ(pthread_create(&t, NULL, nothing, (void *)i), 0);
		CHECK_EQ(pthread_join(t, &r), 0);
		CHECK_EQ((long)r, i);
	}
	CHECK(wait_alone());
	/* the kernel may free a thread destroyed on another hart a moment later */
	for (int i = 0; i < 100 && (free_pages() != pages || kernel_objects() != objs); i++)
		usleep(10000);
	CHECK_EQ(free_pages(), pages);
	CHECK_EQ(kernel_objects(), objs);
}

/* ---------- exit ---------- */

static void *exit_7(void *arg)
{
	(void)arg;
	usleep(10000);
	exit(7);
}

static int exit_pipe[2];

static void *write_late(void *arg)
{
	(void)arg;
	usleep(20000);
	write(exit_pipe[1], "x", 1);
	pthread_exit(NULL);
}

static void test_exit(void)
{
	pthread_t t;
	char c = 0;
	int pid;

	/* exit() from any thread ends the process, the main thread blocked in join or not */
	pid = fork();
	if (pid == 0) {
		pthread_create(&t, NULL, exit_7, NULL);
		pthread_join(t, NULL);
		_exit(1);
	}
	CHECK(pid > 0);
	CHECK_EQ(WEXITSTATUS(wait_for(pid)), 7);

	/* pthread_exit from main leaves the others running; the last one out exits 0 */
	CHECK_EQ(pipe(exit_pipe), 0);
	pid = fork();
	if (pid == 0) {
		if (pthread_create(&t, NULL, write_late, NULL))
			_exit(2);
		pthread_exit(NULL);
	}
	CHECK(pid > 0);
	close(exit_pipe[1]);
	CHECK_EQ(read(exit_pipe[0], &c, 1), 1);
	CHECK_EQ(c, 'x');
	CHECK_EQ(wait_for(pid), 0);
	close(exit_pipe[0]);
}

static void *join_main(void *arg)
{
	void *r = NULL;
	TCHECK_EQ(pthread_join((pthread_t)arg, &r), 0);
	TCHECK_EQ((long)r, 99);
	exit(8);
}

/* the initial thread can be joined */
static void test_join_main(void)
{
	pthread_t t;
	int pid = fork();
	if (pid == 0) {
		if (pthread_create(&t, NULL, join_main, pthread_self()))
			_exit(2);
		pthread_exit((void *)99);
	}
	CHECK(pid > 0);
	CHECK_EQ(WEXITSTATUS(wait_for(pid)), 8);
}

/* ---------- fork ---------- */

static char af_log[64];
static int af_len;

static void af_note(char a, char b)
{
	if (af_len < (int)sizeof(af_log) - 2) {
		af_log[af_len++] = a;
		af_log[af_len++] = b;
		af_log[af_len] = 0;
	}
}
static void prep1(void) { af_note('P', '1'); }
static void prep2(void) { af_note('P', '2'); }
static void prep3(void) { af_note('P', '3'); }
static void par1(void) { af_note('A', '1'); }
static void par2(void) { af_note('A', '2'); }
static void par3(void) { af_note('A', '3'); }
static void chi1(void) { af_note('C', '1'); }
static void chi2(void) { af_note('C', '2'); }
static void chi3(void) { af_note('C', '3'); }

/* prepare in reverse order of registration, parent and child in order (POSIX) */
static void test_atfork_order(void)
{
	pthread_t th[3];
	int pid;

	CHECK_EQ(pthread_atfork(prep1, par1, chi1), 0);
	CHECK_EQ(pthread_atfork(prep2, NULL, chi2), 0);
	CHECK_EQ(pthread_atfork(prep3, par3, NULL), 0);
	CHECK_EQ(pthread_atfork(NULL, par2, chi3), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, block_on_gate, NULL), 0);

	for (int k = 0; k < 2; k++) {
		af_len = 0;
		af_log[0] = 0;
		pid = k == 0 ? fork() : forkall();
		if (pid == 0)
			_exit(strcmp(af_log, "P3P2P1C1C2C3") == 0 ? 0 : 1);
		CHECK(pid > 0);
		if (strcmp(af_log, "P3P2P1A1A3A2") != 0) {
			ktest_failf(__LINE__, "%s: parent's log %s", k ? "forkall" : "fork", af_log);
			return;
		}
		CHECK_EQ(WEXITSTATUS(wait_for(pid)), 0);
	}
	open_gate();
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
}

/* a fork1 child of a process with threads, some blocked, makes and joins threads of its own */
static pthread_mutex_t fk_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fk_cond = PTHREAD_COND_INITIALIZER;
static int fk_waiting, fk_go, fk_woken;

static void *fk_waiter(void *arg)
{
	pthread_mutex_lock(&fk_lock);
	fk_waiting++;
	while (!fk_go)
		pthread_cond_wait(&fk_cond, &fk_lock);
	fk_woken++;
	pthread_mutex_unlock(&fk_lock);
	return arg;
}

/* wait (polling under the lock) until n waiters are queued, then a little longer so they block */
static void wait_waiting(int n)
{
	pthread_mutex_lock(&fk_lock);
	while (fk_waiting < n) {
		pthread_mutex_unlock(&fk_lock);
		usleep(1000);
		pthread_mutex_lock(&fk_lock);
	}
	pthread_mutex_unlock(&fk_lock);
	usleep(20000);
}

static void wake_all(void)
{
	pthread_mutex_lock(&fk_lock);
	fk_go = 1;
	pthread_cond_broadcast(&fk_cond);
	pthread_mutex_unlock(&fk_lock);
}

/* in a child: run the contention and condition-variable code again with threads of its own */
static int child_threads_work(void)
{
	pthread_t th[4];
	void *r;

	fk_waiting = fk_go = fk_woken = 0;
	for (long i = 0; i < 4; i++)
		if (pthread_create(&th[i], NULL, fk_waiter, (void *)i))
			return 10;
	wait_waiting(4);
	wake_all();
	for (long i = 0; i < 4; i++)
		if (pthread_join(th[i], &r) || (long)r != i)
			return 11;
	if (fk_woken != 4)
		return 12;
	counter = 0;
	for (int i = 0; i < 4; i++)
		if (pthread_create(&th[i], NULL, add_many, NULL))
			return 13;
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	return counter == 4 * 20000 ? 0 : 14;
}

static pthread_mutex_t pw_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pw_cond = PTHREAD_COND_INITIALIZER;
static int pw_done, pw_status;

/* reaps the child while the main thread waits on its notification in pthread_cond_wait */
static void *reaper(void *arg)
{
	int status = wait_for((int)(long)arg);
	pthread_mutex_lock(&pw_lock);
	pw_status = status;
	pw_done = 1;
	pthread_cond_signal(&pw_cond);
	pthread_mutex_unlock(&pw_lock);
	return NULL;
}

static int wait_child_parked(int pid)
{
	pthread_t t;
	pw_done = 0;
	if (pthread_create(&t, NULL, reaper, (void *)(long)pid))
		return -2;
	pthread_mutex_lock(&pw_lock);
	while (!pw_done)
		pthread_cond_wait(&pw_cond, &pw_lock);
	pthread_mutex_unlock(&pw_lock);
	pthread_join(t, NULL);
	return pw_status;
}

static void test_fork1_threads(void)
{
	pthread_t th[3];
	void *r;
	int pid;

	for (long i = 0; i < 3; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, fk_waiter, (void *)(i + 100)), 0);
	wait_waiting(3);
	pid = fork1();
	if (pid == 0)
		_exit(child_threads_work());
	CHECK(pid > 0);
	CHECK_EQ(WEXITSTATUS(wait_child_parked(pid)), 0);
	/* ours are untouched by it */
	CHECK_EQ(fk_woken, 0);
	wake_all();
	for (long i = 0; i < 3; i++) {
		CHECK_EQ(pthread_join(th[i], &r), 0);
		CHECK_EQ((long)r, i + 100);
	}
	CHECK_EQ(fk_woken, 3);
}

/* a forkall child's copies of threads blocked in pthread_cond_wait can be woken in the child */
static void test_forkall_cond(void)
{
	pthread_t th[3];
	void *r;
	int pid;

	for (long i = 0; i < 3; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, fk_waiter, (void *)(i + 200)), 0);
	wait_waiting(3);
	pid = forkall();
	if (pid == 0) {
		int bad = 0;
		wake_all();
		for (long i = 0; i < 3; i++)
			if (pthread_join(th[i], &r) || (long)r != i + 200)
				bad = 20 + (int)i;
		if (!bad && fk_woken != 3)
			bad = 30;
		/* and it can go on making threads of its own */
		_exit(bad ? bad : child_threads_work());
	}
	CHECK(pid > 0);
	/* the parent's stay blocked (a spurious wake-up at most) until woken here */
	CHECK_EQ(WEXITSTATUS(wait_child_parked(pid)), 0);
	CHECK_EQ(fk_woken, 0);
	wake_all();
	for (long i = 0; i < 3; i++) {
		CHECK_EQ(pthread_join(th[i], &r), 0);
		CHECK_EQ((long)r, i + 200);
	}
	CHECK_EQ(fk_woken, 3);
}

/*
 * forkall while a thread sleeps: its copy in the child is interrupted and
 * sleeps 10 ms on a notification of its own.  Had it used the one its
 * handle copy names (its parent thread's), the child's short timer would
 * have woken the parent's thread early, with its own timer gone: a sleep
 * that never ends.
 */
static int sleeper_pid, sleeper_ready;

static void *sleeper(void *arg)
{
	(void)arg;
	usleep(1000);                           /* its notification is made */
	__atomic_store_n(&sleeper_ready, 1, __ATOMIC_SEQ_CST);
	while (usleep(400000) != 0)
		if (getpid() != sleeper_pid) {  /* the copy in the forkall child */
			usleep(10000);
			return (void *)2;
		}
	return (void *)(long)(getpid() == sleeper_pid ? 1 : 3);
}

static void test_forkall_sleep(void)
{
	pthread_t t;
	void *r;
	int pid;
	sleeper_pid = getpid();
	CHECK_EQ(pthread_create(&t, NULL, sleeper, NULL), 0);
	while (!__atomic_load_n(&sleeper_ready, __ATOMIC_SEQ_CST))
		usleep(1000);
	usleep(20000);                          /* it is in its long sleep */
	pid = forkall();
	if (pid == 0) {
		_exit(pthread_join(t, &r) == 0 && (long)r == 2 ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK_EQ(wait_for(pid), 0);
	CHECK_EQ(pthread_join(t, &r), 0);       /* its sleep ends */
	CHECK_EQ((long)r, 1);
}

/* forkall while threads hammer a mutex: both sides finish their counts */
static void test_forkall_busy(void)
{
	pthread_t th[4];
	int pid;

	counter = 0;
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, add_many, NULL), 0);
	usleep(2000);
	pid = forkall();
	if (pid == 0) {
		for (int i = 0; i < 4; i++)
			pthread_join(th[i], NULL);
		_exit(counter == 4 * 20000 ? 0 : 1);
	}
	CHECK(pid > 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_join(th[i], NULL), 0);
	CHECK_EQ(counter, 4 * 20000);
	CHECK_EQ(WEXITSTATUS(wait_for(pid)), 0);
}

/* ---------- the table ---------- */


const struct ktest ktests[] = {
	{ test_create_join, "th_create_join_16" },
	{ test_self_equal, "th_self_equal" },
	{ test_detach, "th_detach" },
	{ test_mutex_contention, "th_mutex_contention" },
	{ test_trylock, "th_mutex_trylock" },
	{ test_recursive, "th_mutex_recursive" },
	{ test_errorcheck, "th_mutex_errorcheck" },
	{ test_typed_contention, "th_mutex_typed_contention" },
	{ test_cond_prodcons, "th_cond_producer_consumer" },
	{ test_cond_broadcast, "th_cond_broadcast" },
	{ test_cond_timedwait, "th_cond_timedwait" },
	{ test_cond_timedwait_race, "th_cond_timedwait_race" },
	{ test_once, "th_once" },
	{ test_keys, "th_keys" },
	{ test_tls, "th_tls" },
	{ test_stacksize, "th_stacksize" },
	{ test_lwp_limit, "th_lwp_limit" },
	{ test_no_leak, "th_no_leak_200" },
	{ test_exit, "th_exit" },
	{ test_join_main, "th_join_main" },
	{ test_atfork_order, "th_atfork_order" },
	{ test_fork1_threads, "th_fork1_child_threads" },
	{ test_forkall_cond, "th_forkall_cond_wake" },
	{ test_forkall_busy, "th_forkall_busy" },
	{ test_forkall_sleep, "th_forkall_sleep" },
	/* sync.c */
	{ test_rwlock_basic, "th_rwlock_basic" },
	{ test_rwlock_readers, "th_rwlock_readers_writer" },
	{ test_rwlock_writer_preference, "th_rwlock_writer_preference" },
	{ test_rwlock_timed, "th_rwlock_timed" },
	{ test_rwlock_contention, "th_rwlock_contention" },
	{ test_rwlock_signal, "th_rwlock_signal" },
	{ test_rwlock_fork, "th_rwlock_fork1" },
	{ test_barrier_rounds, "th_barrier_rounds" },
	{ test_barrier_errors, "th_barrier_errors" },
	{ test_spin, "th_spin" },
	{ test_sem_basic, "th_sem_basic" },
	{ test_sem_timedwait, "th_sem_timedwait" },
	{ test_sem_prodcons, "th_sem_producer_consumer" },
	{ test_sem_waiters, "th_sem_waiters" },
	{ test_sem_eintr, "th_sem_eintr" },
	{ test_sem_fork, "th_sem_fork1" },
	{ test_mutex_timedlock, "th_mutex_timedlock" },
	/* cancel.c */
	{ test_cancel_read, "th_cancel_read" },
	{ test_cancel_cond, "th_cancel_cond" },
	{ test_cancel_disabled, "th_cancel_disabled" },
	{ test_cancel_deferred, "th_cancel_deferred" },
	{ test_cancel_async, "th_cancel_async" },
	{ test_cancel_cleanup_order, "th_cancel_cleanup_order" },
	{ test_cancel_points, "th_cancel_points" },
	{ test_cancel_errors, "th_cancel_errors" },
	{ NULL, NULL }
};
