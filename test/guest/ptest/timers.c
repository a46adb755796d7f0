/*
 * ITIMER_REAL and sysconf: alarm and setitimer send SIGALRM (by default it
 * terminates), getitimer and alarm report what is left, an interval
 * repeats, a cancelled alarm never comes; a fork child has none, an exec
 * keeps it.  sysconf answers what the system has and -1/EINVAL for names
 * it does not know.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "ptest.h"
#include "proc.h"

static int wait_status(int pid)
{
	int status = -1;
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

static sigset_t alrm(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	return s;
}

static volatile int rang;
static void on_alarm(int sig)
{
	(void)sig;
	rang++;
}

/* alarm: the handler runs (pause returns), alarm reports what is left, alarm(0) cancels */
void test_timer_alarm(void)
{
	struct sigaction sa = { 0 };
	sigset_t s = alrm();
	struct timespec two = { 2, 0 };
	unsigned left;

	sa.sa_handler = on_alarm;
	CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	CHECK_EQ(alarm(1), 0);                               /* none before */
	while (!rang)
		pause();
	CHECK_EQ(rang, 1);
	CHECK_EQ(alarm(0), 0);                               /* it went: nothing left */
	CHECK_EQ(alarm(100), 0);
	left = alarm(50);
	CHECK(left >= 1 && left <= 100);
	left = alarm(0);
	CHECK(left >= 1 && left <= 50);
	/* cancelled: it never comes */
	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, NULL), 0);
	CHECK_EQ(alarm(1), 0);
	CHECK(alarm(0) >= 1);
	CHECK_EQ(sigtimedwait(&s, NULL, &two), -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(rang, 1);
}

/* setitimer with an interval: SIGALRM again and again; getitimer says so; errors */
void test_timer_setitimer(void)
{
	struct itimerval v = { .it_interval = { 0, 20000 }, .it_value = { 0, 20000 } }, o;
	sigset_t s = alrm();
	siginfo_t si;

	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, NULL), 0);
	CHECK_EQ(setitimer(ITIMER_REAL, &v, &o), 0);
	CHECK_EQ(o.it_value.tv_sec | o.it_value.tv_usec, 0);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(sigwaitinfo(&s, &si), SIGALRM);
		CHECK_EQ(si.si_signo, SIGALRM);
	}
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0);
	CHECK_EQ(o.it_interval.tv_sec, 0);
	CHECK(o.it_interval.tv_usec >= 19000 && o.it_interval.tv_usec <= 21000);
	CHECK(o.it_value.tv_sec == 0 && o.it_value.tv_usec > 0);   /* armed: never 0 */
	v = (struct itimerval){ 0 };
	CHECK_EQ(setitimer(ITIMER_REAL, &v, &o), 0);          /* off */
	CHECK(o.it_interval.tv_usec > 0);
	CHECK_EQ(getitimer(ITIMER_REAL, &o), 0);
	CHECK_EQ(o.it_value.tv_sec | o.it_value.tv_usec | o.it_interval.tv_usec, 0);
	/* errors: a bad time, a timer that needs CPU time (not accounted yet) */
	v.it_value.tv_usec = 1000000;
	CHECK_EQ(setitimer(ITIMER_REAL, &v, NULL), -1);
	CHECK_EQ(errno, EINVAL);
	v.it_value.tv_usec = 0;
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &v, NULL), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(getitimer(7, &o), -1);
	CHECK_EQ(errno, EINVAL);
}

/* the default action ends the process; a fork child has no timer; exec keeps it */
void test_timer_fork_exec(void)
{
	int pid, st;

	pid = fork();
	if (pid == 0) {
		alarm(1);
		for (;;)
			pause();
	}
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGALRM);

	CHECK_EQ(alarm(100), 0);
	pid = fork();
	if (pid == 0) {
		struct itimerval o;
		_exit(getitimer(ITIMER_REAL, &o) == 0 && o.it_value.tv_sec == 0 && o.it_value.tv_usec == 0 ? 0 : 1);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK(alarm(0) > 0);

	pid = fork();
	if (pid == 0) {
		alarm(1);
		proc_exec("/test/ptest alarmcheck");
		_exit(9);
	}
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st));                             /* the new image got the alarm */
	CHECK_EQ(WTERMSIG(st), SIGALRM);
}

/* "ptest alarmcheck": exec'd with an alarm running; it sees it and waits for it */
int alarmcheck_main(void)
{
	struct itimerval o;
	if (getitimer(ITIMER_REAL, &o) || (o.it_value.tv_sec == 0 && o.it_value.tv_usec == 0))
		return 2;
	for (;;)
		pause();
}

/* sysconf: the machine, the limits, the options; EINVAL for a name it does not know */
void test_sysconf(void)
{
	errno = 0;
	CHECK_EQ(sysconf(_SC_PAGESIZE), 4096);
	CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
	CHECK(sysconf(_SC_PHYS_PAGES) > sysconf(_SC_AVPHYS_PAGES));
	CHECK(sysconf(_SC_ARG_MAX) >= 4096);                 /* _POSIX_ARG_MAX */
	CHECK(sysconf(_SC_CHILD_MAX) >= 25);                 /* _POSIX_CHILD_MAX */
	CHECK(sysconf(_SC_OPEN_MAX) >= 20);                  /* _POSIX_OPEN_MAX */
	CHECK_EQ(sysconf(_SC_NGROUPS_MAX), 16);
	CHECK_EQ(sysconf(_SC_SIGQUEUE_MAX), 32);
	CHECK(sysconf(_SC_RTSIG_MAX) >= 8);
	CHECK_EQ(sysconf(_SC_CLK_TCK), 100);
	CHECK_EQ(sysconf(_SC_VERSION), 200809L);
	CHECK_EQ(sysconf(_SC_THREADS), 200809L);
	CHECK_EQ(sysconf(_SC_REALTIME_SIGNALS), _POSIX_REALTIME_SIGNALS);   /* as <unistd.h> says */
	CHECK_EQ(sysconf(_SC_BARRIERS), _POSIX_BARRIERS);
	CHECK_EQ(sysconf(_SC_JOB_CONTROL), 1);
	CHECK_EQ(errno, 0);
	CHECK_EQ(sysconf(_SC_TIMERS), -1);                   /* not there yet: -1, errno kept */
	CHECK_EQ(sysconf(_SC_SEMAPHORES), -1);               /* no named semaphores yet */
	CHECK_EQ(sysconf(_SC_MAPPED_FILES), -1);
	CHECK_EQ(errno, 0);
	CHECK_EQ(sysconf(-1), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sysconf(100000), -1);
	/* the clocks there are, and their resolution; an unknown one is EINVAL */
	struct timespec r = { 5, 5 };
	CHECK_EQ(clock_getres(CLOCK_MONOTONIC, &r), 0);
	CHECK(r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 1000000);
	CHECK_EQ(clock_getres(CLOCK_REALTIME, NULL), 0);
	errno = 0;
	CHECK_EQ(clock_gettime((clockid_t)99, &r), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(clock_getres((clockid_t)99, &r), -1);
	/* clock_nanosleep: relative, absolute (a time past returns at once); errors are returned */
	struct timespec d = { 0, 2000000 }, now;
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL), 0);
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &now), 0);
	now.tv_nsec += 2000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_nsec -= 1000000000;
		now.tv_sec++;
	}
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &now, NULL), 0);
	struct timespec later;
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &later), 0);
	CHECK(later.tv_sec > now.tv_sec || (later.tv_sec == now.tv_sec && later.tv_nsec >= now.tv_nsec));
	d = (struct timespec){ 0, 0 };
	CHECK_EQ(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &d, NULL), 0);   /* long past */
	d.tv_nsec = 1000000000;
	errno = 0;
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL), EINVAL);
	CHECK_EQ(errno, 0);                                  /* the error is returned, errno kept */
	d.tv_nsec = 0;
	CHECK_EQ(clock_nanosleep((clockid_t)99, 0, &d, NULL), EINVAL);
	CHECK_EQ(sysconf(_SC_TIMEOUTS), _POSIX_TIMEOUTS);
	CHECK_EQ(sysconf(_SC_CLOCK_SELECTION), _POSIX_CLOCK_SELECTION);
}
