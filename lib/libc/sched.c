/*
 * Scheduling (servers/proc/sched.c has the rules): SCHED_OTHER at priority
 * 0, SCHED_RR at 1..19 (the kernel's own priorities; above 10 needs uid 0);
 * SCHED_FIFO is refused with EINVAL, as the kernel slices every priority.
 * PROC_SCHED carries every call; pthread.c's per-thread ones use __sched.
 */
#include <errno.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include "proc.h"
#include "libc.h"

#define SLICE_NS 5000000L            /* the kernel's time slice (kernel/main.c: timebase / 200) */

/* one PROC_SCHED: 0 or an errno; *policy, *prio what the server answered */
int __sched(int op, int64_t id, int policy, int prio, int *opolicy, int *oprio)
{
	struct msg m = { .w = { (uint64_t)op, (uint64_t)id, (uint64_t)policy, (uint64_t)prio } };
	if (__proc_call(PROC_SCHED, &m, 4, NULL))
		return errno;
	if (opolicy)
		*opolicy = (int)m.w[0];
	if (oprio)
		*oprio = (int)m.w[1];
	return 0;
}

static int fail(int err)
{
	if (!err)
		return 0;
	errno = err;
	return -1;
}

int sched_get_priority_min(int policy)
{
	if (policy == SCHED_OTHER)
		return 0;
	if (policy == SCHED_RR)
		return SCHED_RR_MIN;
	return fail(EINVAL);
}

int sched_get_priority_max(int policy)
{
	if (policy == SCHED_OTHER)
		return 0;
	if (policy == SCHED_RR)
		return SCHED_RR_MAX;
	return fail(EINVAL);
}

int sched_getscheduler(pid_t pid)
{
	int policy = 0;
	if (pid < 0)
		return fail(EINVAL);
	return fail(__sched(SCHEDOP_GET_PROC, pid, 0, 0, &policy, NULL)) ? -1 : policy;
}

int sched_getparam(pid_t pid, struct sched_param *param)
{
	if (pid < 0 || !param)
		return fail(EINVAL);
	return fail(__sched(SCHEDOP_GET_PROC, pid, 0, 0, NULL, &param->sched_priority));
}

/* returns the old policy (POSIX) */
int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)
{
	int old = 0;
	if (pid < 0 || !param)
		return fail(EINVAL);
	return fail(__sched(SCHEDOP_SET_PROC, pid, policy, param->sched_priority, &old, NULL)) ? -1 : old;
}

int sched_setparam(pid_t pid, const struct sched_param *param)
{
	if (pid < 0 || !param)
		return fail(EINVAL);
	return fail(__sched(SCHEDOP_SET_PROC, pid, -1, param->sched_priority, NULL, NULL));
}

int sched_rr_get_interval(pid_t pid, struct timespec *ts)
{
	if (pid < 0)
		return fail(EINVAL);
	if (pid && kill(pid, 0) && errno == ESRCH)
		return -1;
	ts->tv_sec = 0;
	ts->tv_nsec = SLICE_NS;
	return 0;
}
