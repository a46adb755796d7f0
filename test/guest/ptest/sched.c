/*
 * Scheduling tests: SCHED_OTHER and SCHED_RR on the kernel's priorities,
 * per thread and per process, who may raise, and what fork, exec and a new
 * thread keep (servers/proc/sched.c).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ptest.h"
#include "proc.h"

static int code_of(int pid)
{
	int status = -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

static void *report_sched(void *arg)
{
	int policy = -1;
	struct sched_param sp = { -1 };
	(void)arg;
	if (pthread_getschedparam(pthread_self(), &policy, &sp))
		return (void *)-1;
	return (void *)(long)(policy << 8 | sp.sched_priority);
}

#define EXPECT(n, cond) do { if (!(cond)) return (n); } while (0)

static int sched_rules(void)
{
	struct sched_param sp = { 0 };
	pthread_attr_t a;
	pthread_t t;
	void *r;
	int policy;

	EXPECT(1, sched_getscheduler(0) == SCHED_OTHER);
	EXPECT(2, sched_get_priority_min(SCHED_RR) == 1 && sched_get_priority_max(SCHED_RR) == 19);
	EXPECT(3, sched_get_priority_max(SCHED_FIFO) == -1 && errno == EINVAL);
	sp.sched_priority = 15;
	EXPECT(4, sched_setscheduler(0, SCHED_RR, &sp) == SCHED_OTHER);   /* uid 0: may raise */
	EXPECT(5, sched_getscheduler(0) == SCHED_RR && sched_getparam(0, &sp) == 0 && sp.sched_priority == 15);
	/* a new thread has its creator's; an explicit one is its own */
	EXPECT(6, pthread_create(&t, NULL, report_sched, NULL) == 0 && pthread_join(t, &r) == 0);
	EXPECT(7, (long)r == (SCHED_RR << 8 | 15));
	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_RR);
	sp.sched_priority = 3;
	pthread_attr_setschedparam(&a, &sp);
	EXPECT(8, pthread_create(&t, &a, report_sched, NULL) == 0 && pthread_join(t, &r) == 0);
	EXPECT(9, (long)r == (SCHED_RR << 8 | 3));
	EXPECT(10, pthread_attr_setschedpolicy(&a, SCHED_FIFO) == ENOTSUP);
	/* a fork child keeps it; so does an exec */
	int pid = fork();
	if (pid == 0)
		_exit(sched_getscheduler(0) == SCHED_RR && sched_getparam(0, &sp) == 0 && sp.sched_priority == 15 ? 0 : 1);
	EXPECT(11, code_of(pid) == 0);
	pid = fork();
	if (pid == 0) {
		proc_exec("/test/ptest schedcheck");
		_exit(50);
	}
	EXPECT(12, code_of(pid) == 0);
	/* unprivileged: lower only; back to SCHED_OTHER is lowering */
	EXPECT(13, setuid(1000) == 0);
	sp.sched_priority = 0;
	EXPECT(14, pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp) == 0);
	sp.sched_priority = 12;
	EXPECT(15, pthread_setschedparam(pthread_self(), SCHED_RR, &sp) == EPERM);
	sp.sched_priority = 5;
	EXPECT(16, pthread_setschedparam(pthread_self(), SCHED_RR, &sp) == 0);
	EXPECT(17, pthread_getschedparam(pthread_self(), &policy, &sp) == 0 && policy == SCHED_RR && sp.sched_priority == 5);
	EXPECT(18, pthread_setschedprio(pthread_self(), 6) == 0);
	EXPECT(19, sched_getparam(0, &sp) == 0 && sp.sched_priority == 6);
	EXPECT(20, sched_setscheduler(1, SCHED_RR, &sp) == -1 && errno == EPERM);   /* init: not ours */
	EXPECT(21, sched_getparam(99999, &sp) == -1 && errno == ESRCH);
	return 0;
}

/* policies, priorities, privilege, and inheritance by threads, fork and exec */
void test_sched_rules(void)
{
	int pid = fork();
	if (pid == 0)
		_exit(sched_rules());
	CHECK(pid > 0);
	CHECK_EQ(code_of(pid), 0);
}

/* "ptest schedcheck": exec'd by sched_rules at SCHED_RR 15 */
int schedcheck_main(void)
{
	struct sched_param sp;
	if (sched_getscheduler(0) != SCHED_RR)
		return 31;
	if (sched_getparam(0, &sp) || sp.sched_priority != 15)
		return 32;
	return 0;
}
