/*
 * Thread cancellation: deferred (at the cancellation points: a blocked read,
 * a condition wait, sleeps, join, semaphores, sigwait, pause, waitpid, and
 * pthread_testcancel), disabled, asynchronous; cleanup handlers on cancel
 * and on pthread_exit, last pushed first; a condition wait cancelled holds
 * its mutex again for the cleanup handlers.  Modelled on what the Open
 * POSIX Test Suite checks of pthread_cancel, pthread_setcancelstate,
 * pthread_setcanceltype, pthread_testcancel and pthread_cleanup_push/pop.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "thtest.h"

static volatile int ready, cleaned, order[8], norder, reached, go;

static void note(void *arg)
{
	int n = norder;
	if (n < 8)
		order[n] = (int)(intptr_t)arg;
	norder = n + 1;
	cleaned++;
}

/* until the thread said it is about to block, and a little more: the result is the same either way */
static void wait_ready(void)
{
	while (!ready)
		sched_yield();
	for (int i = 0; i < 50; i++)
		sched_yield();
}

static int fds[2];

static void *reader(void *arg)
{
	char c;
	(void)arg;
	pthread_cleanup_push(note, (void *)1);
	ready = 1;
	read(fds[0], &c, 1);
	pthread_cleanup_pop(0);
	return NULL;                         /* not reached */
}

/* blocked in read: cancelled; its cleanup handler runs; the pipe's next byte is still there */
void test_cancel_read(void)
{
	pthread_t t;
	void *rv = NULL;
	char c = 0;

	CHECK_EQ(pipe(fds), 0);
	CHECK_EQ(pthread_create(&t, NULL, reader, NULL), 0);
	wait_ready();
	CHECK_EQ(pthread_cancel(t), 0);
	CHECK_EQ(pthread_join(t, &rv), 0);
	CHECK(rv == PTHREAD_CANCELED);
	CHECK_EQ(cleaned, 1);
	CHECK_EQ(write(fds[1], "x", 1), 1);
	CHECK_EQ(read(fds[0], &c, 1), 1);
	CHECK_EQ(c, 'x');
}

static pthread_mutex_t cm;
static pthread_cond_t cc = PTHREAD_COND_INITIALIZER;
static volatile int unlock_in_cleanup = -1;

static void unlock_it(void *arg)
{
	(void)arg;
	unlock_in_cleanup = pthread_mutex_unlock(&cm);   /* 0 only if this thread holds it */
}

static void *cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cm);
	pthread_cleanup_push(unlock_it, NULL);
	ready = 1;
	for (;;)
		pthread_cond_wait(&cc, &cm);
	pthread_cleanup_pop(0);
	return NULL;
}

/* a condition wait cancelled: the mutex is held again when the cleanup handler runs */
void test_cancel_cond(void)
{
	pthread_mutexattr_t a;
	pthread_t t;
	void *rv = NULL;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	CHECK_EQ(pthread_mutex_init(&cm, &a), 0);
	CHECK_EQ(pthread_create(&t, NULL, cond_waiter, NULL), 0);
	wait_ready();
	CHECK_EQ(pthread_cancel(t), 0);
	CHECK_EQ(pthread_join(t, &rv), 0);
	CHECK(rv == PTHREAD_CANCELED);
	CHECK_EQ(unlock_in_cleanup, 0);
	CHECK_EQ(pthread_mutex_trylock(&cm), 0);          /* free again */
	CHECK_EQ(pthread_mutex_unlock(&cm), 0);
	CHECK_EQ(pthread_cond_signal(&cc), 0);            /* no waiter left on it */
	CHECK_EQ(pthread_cond_destroy(&cc), 0);
}

static sem_t sem;
static volatile int survived, old_state = -1, old_type = -1;

static void *disabled_one(void *arg)
{
	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, (int *)&old_state);
	ready = 1;
	sem_wait(&sem);                      /* a cancellation point, disabled */
	survived = 1;
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	pthread_testcancel();
	survived = 2;
	return NULL;
}

/* disabled: the request waits; enabled again, the next cancellation point acts */
void test_cancel_disabled(void)
{
	pthread_t t;
	void *rv = NULL;

	CHECK_EQ(sem_init(&sem, 0, 0), 0);
	CHECK_EQ(pthread_create(&t, NULL, disabled_one, NULL), 0);
	wait_ready();
	CHECK_EQ(pthread_cancel(t), 0);
	for (int i = 0; i < 50; i++)
		sched_yield();
	CHECK_EQ(survived, 0);
	CHECK_EQ(sem_post(&sem), 0);
	CHECK_EQ(pthread_join(t, &rv), 0);
	CHECK(rv == PTHREAD_CANCELED);
	CHECK_EQ(survived, 1);
	CHECK_EQ(old_state, PTHREAD_CANCEL_ENABLE);
}

static void *spinner(void *arg)
{
	(void)arg;
	ready = 1;
	while (!go)
		;                                 /* no cancellation point */
	reached = 1;
	pthread_testcancel();
	reached = 2;
	return NULL;
}

/* deferred: nothing happens outside a cancellation point */
void test_cancel_deferred(void)
{
	pthread_t t;
	void *rv = NULL;

	CHECK_EQ(pthread_create(&t, NULL, spinner, NULL), 0);
	wait_ready();
	CHECK_EQ(pthread_cancel(t), 0);
	go = 1;
	CHECK_EQ(pthread_join(t, &rv), 0);
	CHECK(rv == PTHREAD_CANCELED);
	CHECK_EQ(reached, 1);
}

static volatile unsigned long spins;

static void *async_one(void *arg)
{
	(void)arg;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, (int *)&old_type);
	pthread_cleanup_push(note, (void *)7);
	ready = 1;
	for (;;)
		spins++;
	pthread_cleanup_pop(0);
	return NULL;
}

/* asynchronous: a thread in a loop without any call is cancelled, its cleanup handler runs */
void test_cancel_async(void)
{
	pthread_t t;
	void *rv = NULL;

	CHECK_EQ(pthread_create(&t, NULL, async_one, NULL), 0);
	wait_ready();
	CHECK_EQ(pthread_cancel(t), 0);
	CHECK_EQ(pthread_join(t, &rv), 0);
	CHECK(rv == PTHREAD_CANCELED);
	CHECK_EQ(old_type, PTHREAD_CANCEL_DEFERRED);
	CHECK_EQ(cleaned, 1);
	CHECK_EQ(order[0], 7);
}

static void *exits_with_three(void *arg)
{
	(void)arg;
	pthread_cleanup_push(note, (void *)1);
	pthread_cleanup_push(note, (void *)2);
	pthread_cleanup_push(note, (void *)9);
	pthread_cleanup_pop(0);              /* not run */
	pthread_cleanup_push(note, (void *)3);
	pthread_cleanup_push(note, (void *)4);
	pthread_cleanup_pop(1);              /* run now */
	pthread_exit((void *)5);
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

/* cleanup handlers: pop(1) runs one, pop(0) does not, pthread_exit runs the rest last first */
void test_cancel_cleanup_order(void)
{
	pthread_t t;
	void *rv = NULL;

	CHECK_EQ(pthread_create(&t, NULL, exits_with_three, NULL), 0);
	CHECK_EQ(pthread_join(t, &rv), 0);
	CHECK(rv == (void *)5);
	CHECK_EQ(norder, 4);
	CHECK_EQ(order[0], 4);
	CHECK_EQ(order[1], 3);
	CHECK_EQ(order[2], 2);
	CHECK_EQ(order[3], 1);
}

static void *forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static pthread_t other;
static volatile int which;

static void *blocker(void *arg)
{
	struct timespec ts = { 100000, 0 };
	sigset_t s;
	int sig;
	(void)arg;
	ready = 1;
	switch (which) {
	case 0: nanosleep(&ts, NULL); break;
	case 1: pthread_join(other, NULL); break;
	case 2: sem_wait(&sem); break;
	case 3: sigemptyset(&s); sigaddset(&s, SIGUSR2); sigwait(&s, &sig); break;
	case 4: pause(); break;
	case 5: waitpid(-1, NULL, 0); break;
	case 6: sleep(100000); break;
	}
	return (void *)1;
}

/* each kind of wait is a cancellation point: sleeps, join, sem_wait, sigwait, pause, waitpid */
void test_cancel_points(void)
{
	sigset_t s;
	int pid;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	CHECK_EQ(pthread_sigmask(SIG_BLOCK, &s, NULL), 0);
	CHECK_EQ(sem_init(&sem, 0, 0), 0);
	CHECK_EQ(pthread_create(&other, NULL, forever, NULL), 0);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK(pid > 0);
	for (which = 0; which < 7; which++) {
		pthread_t t;
		void *rv = NULL;
		ready = 0;
		CHECK_EQ(pthread_create(&t, NULL, blocker, NULL), 0);
		wait_ready();
		CHECK_EQ(pthread_cancel(t), 0);
		CHECK_EQ(pthread_join(t, &rv), 0);
		if (rv != PTHREAD_CANCELED)
			ktest_failf(__LINE__, "wait %d was not cancelled", which);
		CHECK(rv == PTHREAD_CANCELED);
	}
	CHECK_EQ(pthread_cancel(other), 0);               /* in pause, never joined: still joinable */
	void *rv = NULL;
	CHECK_EQ(pthread_join(other, &rv), 0);
	CHECK(rv == PTHREAD_CANCELED);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(waitpid(pid, NULL, 0), pid);
}

static void *self_canceller(void *arg)
{
	(void)arg;
	if (pthread_cancel(pthread_self()))
		return (void *)2;
	reached = 1;                         /* deferred: it goes on ... */
	pthread_testcancel();                /* ... to here */
	return (void *)3;
}

/* the calls' errors; cancelling oneself waits for the next cancellation point */
void test_cancel_errors(void)
{
	pthread_t t;
	void *rv = NULL;
	int old;

	CHECK_EQ(pthread_setcancelstate(5, &old), EINVAL);
	CHECK_EQ(pthread_setcanceltype(7, &old), EINVAL);
	CHECK_EQ(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old), 0);
	CHECK_EQ(old, PTHREAD_CANCEL_ENABLE);
	CHECK_EQ(pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &old), 0);
	CHECK_EQ(old, PTHREAD_CANCEL_DEFERRED);
	CHECK_EQ(pthread_create(&t, NULL, self_canceller, NULL), 0);
	CHECK_EQ(pthread_join(t, &rv), 0);
	CHECK(rv == PTHREAD_CANCELED);
	CHECK_EQ(reached, 1);
	/* a signal the program sends is no cancellation request, and 32 is no signal it may send */
	CHECK_EQ(pthread_kill(pthread_self(), 32), EINVAL);
}
