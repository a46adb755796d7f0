/*
 * CPU time: the kernel counts each thread's (SYS_THREAD_TIMES), the proc server
 * a process's lwps that are gone and its waited-for children (PROC_TIMES).
 * The CPU-time clocks move while a thread runs and not while it sleeps; a
 * process's clock holds its threads', the ended ones' too; wait4/wait3 and
 * getrusage(RUSAGE_CHILDREN) and times() report a waited-for child's time; a
 * fork child starts at nothing, an exec keeps what the process had.  No
 * assertion is about speed: the spins run until a CPU clock says enough.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include "ptest.h"
#include "proc.h"

#define MS 1000000ull

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* run until clock id has gone on by ns */
static void spin_for(clockid_t id, uint64_t ns)
{
	uint64_t end = clock_ns(id) + ns;
	while (clock_ns(id) < end)
		;
}

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000ull + (uint64_t)tv->tv_usec * 1000ull;
}

/* the clocks: they move with work, not with sleep; getres; bad ids and sleeps refused */
void test_cputime_clocks(void)
{
	struct timespec ts, res, nap = { 0, 200 * 1000000 };
	uint64_t t0, p0, t1, p1;
	clockid_t id;

	t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(t0 > 0 && p0 >= t0);                       /* this process has run already */
	spin_for(CLOCK_MONOTONIC, 50 * MS);
	t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(t1 > t0);
	CHECK(p1 > p0 && p1 >= t1);                     /* its one thread, read before */
	/* a sleep of 200 ms costs the sleeper far less than 200 ms of CPU */
	CHECK_EQ(nanosleep(&nap, NULL), 0);
	CHECK(clock_ns(CLOCK_THREAD_CPUTIME_ID) - t1 < 200 * MS);

	CHECK_EQ(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res), 0);
	CHECK(res.tv_sec == 0 && res.tv_nsec > 0);
	CHECK_EQ(clock_getres(CLOCK_THREAD_CPUTIME_ID, &res), 0);
	CHECK_EQ(clock_getcpuclockid(0, &id), 0);
	CHECK_EQ(id, CLOCK_PROCESS_CPUTIME_ID);
	CHECK_EQ(clock_getcpuclockid(getpid(), &id), 0);
	CHECK_EQ(clock_getcpuclockid(1, &id), EPERM);    /* another process's: not given */
	CHECK_EQ(clock_getcpuclockid(30000, &id), ESRCH);
	CHECK_EQ(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &nap, NULL), EINVAL);
	CHECK_EQ(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &nap, NULL), ENOTSUP);
	errno = 0;
	CHECK_EQ(clock_gettime((clockid_t)77, &ts), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(clock_gettime((clockid_t)1 << 32 | 9999, &ts), -1);   /* an lwp clock of no lwp */
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sysconf(_SC_CPUTIME), 200809L);
	CHECK_EQ(sysconf(_SC_THREAD_CPUTIME), 200809L);
}

static volatile int spinner_stop;
static void *spinner(void *arg)
{
	(void)arg;
	spin_for(CLOCK_THREAD_CPUTIME_ID, 30 * MS);
	while (!spinner_stop)
		sched_yield();
	return NULL;
}

/* another thread's clock; the process's holds both, and keeps an ended thread's */
void test_cputime_threads(void)
{
	pthread_t t;
	clockid_t id;
	struct timespec ts;
	uint64_t mine, its, proc, after;

	spinner_stop = 0;
	CHECK_EQ(pthread_create(&t, NULL, spinner, NULL), 0);
	CHECK_EQ(pthread_getcpuclockid(t, &id), 0);
	while (clock_ns(id) < 30 * MS)
		sched_yield();
	CHECK_EQ(pthread_getcpuclockid(pthread_self(), &id), 0);
	CHECK(clock_ns(id) > 0);
	mine = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	CHECK_EQ(pthread_getcpuclockid(t, &id), 0);
	its = clock_ns(id);
	proc = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(its >= 30 * MS);
	CHECK(proc >= mine + its);
	spinner_stop = 1;
	CHECK_EQ(pthread_join(t, NULL), 0);
	/* ended: its clock is no more once its lwp is gone (join may return just before the
	   proc server has heard the last of it), and its time stays the process's */
	while (clock_gettime(id, &ts) == 0)
		sched_yield();
	CHECK_EQ(errno, EINVAL);
	after = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(after >= proc);
}

/* a child's time: wait4's rusage, then RUSAGE_CHILDREN and times(); a fork child starts at 0 */
void test_cputime_children(void)
{
	struct rusage before, ru, after, own;
	struct tms t0, t1;
	int st = -1, pid;
	long tck = sysconf(_SC_CLK_TCK);
	uint64_t at_fork;

	spin_for(CLOCK_PROCESS_CPUTIME_ID, 60 * MS);
	at_fork = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK_EQ(getrusage(RUSAGE_CHILDREN, &before), 0);
	CHECK(times(&t0) != (clock_t)-1);
	pid = fork();
	if (pid == 0) {
		struct tms c;
		struct rusage r;
		/* a new process: nothing of its parent's, no children's */
		if (clock_ns(CLOCK_PROCESS_CPUTIME_ID) >= at_fork ||
		    times(&c) == (clock_t)-1 || c.tms_cutime || c.tms_cstime ||
		    getrusage(RUSAGE_CHILDREN, &r) || tv_ns(&r.ru_utime) || tv_ns(&r.ru_stime))
			_exit(1);
		spin_for(CLOCK_PROCESS_CPUTIME_ID, 60 * MS);
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK_EQ(wait4(pid, &st, 0, &ru), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime) >= 60 * MS);
	CHECK_EQ(getrusage(RUSAGE_CHILDREN, &after), 0);
	CHECK(tv_ns(&after.ru_utime) + tv_ns(&after.ru_stime) >=
	      tv_ns(&before.ru_utime) + tv_ns(&before.ru_stime) + 60 * MS);
	CHECK(times(&t1) != (clock_t)-1);
	CHECK((t1.tms_cutime + t1.tms_cstime) - (t0.tms_cutime + t0.tms_cstime) >= (clock_t)(4 * tck / 100));   /* 60 ms, each count cut down to ticks */
	CHECK(t1.tms_utime + t1.tms_stime >= t0.tms_utime + t0.tms_stime);

	/* wait3 too; a child that only exits adds little */
	if ((pid = fork()) == 0)
		_exit(5);
	CHECK_EQ(wait3(&st, 0, &ru), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	CHECK(tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime) < 60 * MS);

	CHECK_EQ(getrusage(RUSAGE_SELF, &own), 0);
	CHECK(tv_ns(&own.ru_utime) + tv_ns(&own.ru_stime) > 0);
	errno = 0;
	CHECK_EQ(getrusage(7, &own), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(wait4(-1, &st, 0, &ru), -1);           /* no children left */
	CHECK_EQ(errno, ECHILD);
}

/* exec keeps the process's CPU time: "ptest cpucheck" sees what the child spun before it */
void test_cputime_exec(void)
{
	int st = -1, pid = fork();
	if (pid == 0) {
		spin_for(CLOCK_PROCESS_CPUTIME_ID, 50 * MS);
		proc_exec("/test/ptest cpucheck");
		_exit(9);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
}

int cpucheck_main(void)
{
	return clock_ns(CLOCK_PROCESS_CPUTIME_ID) >= 50 * MS ? 0 : 1;
}
