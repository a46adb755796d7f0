/*
 * Scheduling: POSIX's policies and priorities on the kernel's 32 priorities
 * (higher runs first, equal ones share the hart in 5 ms slices).
 *
 *   SCHED_OTHER, priority 0   the kernel's 10, every process's by default
 *   SCHED_RR, priority 1..19  the kernel's own number; above 10 needs
 *                             effective uid 0 (illumos: PRIV_PROC_PRIOCNTL)
 *   SCHED_FIFO                refused (EINVAL): the kernel slices every
 *                             priority, there is no run-until-it-blocks class
 *
 * The servers run at 20 and above, so no process, whatever its uid, can
 * keep them from running.  Each lwp has its own policy and priority
 * (pthread_setschedparam); a process's (sched_setscheduler) is all of its
 * lwps'.  A new lwp, a fork child's lwps and an exec'd or spawned image keep
 * what their creator had (POSIX), unless pthread_create was given an
 * explicit one.
 */
#include <sched.h>
#include "procsrv.h"

int sched_kprio(int policy, int prio)
{
	return policy == SCHED_RR ? prio : SCHED_KPRIO_DEFAULT;
}

int sched_check(const struct proc *p, int policy, int prio)
{
	if (policy == SCHED_OTHER ? prio != 0 : policy != SCHED_RR || prio < SCHED_RR_MIN || prio > SCHED_RR_MAX)
		return EINVAL;
	if (sched_kprio(policy, prio) > SCHED_KPRIO_DEFAULT && p->p_uid != 0)
		return EPERM;
	return 0;
}

/* l's thread to policy, prio (checked); 0 or the kernel's errno */
static int lwp_sched(struct lwp *l, int policy, int prio)
{
	int err = k_thread_set_prio(l->l_th, sched_kprio(policy, prio));
	if (!err) {
		l->l_policy = policy;
		l->l_schedprio = prio;
	}
	return err;
}

static struct lwp *first_lwp(struct proc *p)
{
	for (int i = 0; i < MAX_LWPS; i++)
		if (p->p_lwp[i].l_th >= 0)
			return &p->p_lwp[i];
	return NULL;
}

/*
 * PROC_SCHED: an lwp of the caller's process (id 0: the caller) or a whole
 * process (pid 0: the caller's; another one needs what kill needs).  out:
 * w0 policy, w1 priority, the old ones for a SET.  A SET_PROC with policy
 * -1 keeps each lwp's policy (sched_setparam).
 */
int do_sched(struct system *sys, struct proc *p, struct lwp *l, int op, int64_t id, int policy, int prio,
	     struct msg *out)
{
	struct proc *t = p;
	struct lwp *tl = l;
	int err;

	if (op == SCHEDOP_GET_LWP || op == SCHEDOP_SET_LWP) {
		if (id && !(tl = lwp_by_id(p, (int)id)))
			return ESRCH;
	} else if (op == SCHEDOP_GET_PROC || op == SCHEDOP_SET_PROC) {
		if (id < 0 || id > INT32_MAX)
			return EINVAL;
		if (id && (!(t = proc_find(sys, (int)id)) || t->p_stat != P_RUN))
			return ESRCH;
		if (t != p && !cred_may_signal(p, t, 0))
			return EPERM;
		if (!(tl = first_lwp(t)))
			return ESRCH;
	} else {
		return EINVAL;
	}
	out->w[0] = (uint64_t)tl->l_policy;
	out->w[1] = (uint64_t)tl->l_schedprio;
	if (op == SCHEDOP_GET_LWP || op == SCHEDOP_GET_PROC)
		return 0;
	if (op == SCHEDOP_SET_PROC && policy == -1)
		policy = tl->l_policy;
	if ((err = sched_check(p, policy, prio)))
		return err;
	if (op == SCHEDOP_SET_LWP)
		return lwp_sched(tl, policy, prio) ? ESRCH : 0;
	for (int i = 0; i < MAX_LWPS; i++)
		if (t->p_lwp[i].l_th >= 0 && lwp_sched(&t->p_lwp[i], policy, prio))
			return ESRCH;
	return 0;
}
