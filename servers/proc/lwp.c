/* A process's lwps: the kernel threads the proc server made for it. */
#include <stdio.h>
#include <string.h>
#include "procsrv.h"


struct lwp *lwp_find(struct proc *p, uint64_t tid)
{
	for (int i = 0; i < MAX_LWPS; i++)
		if (p->p_lwp[i].l_th >= 0 && p->p_lwp[i].l_tid == tid)
			return &p->p_lwp[i];
	return NULL;
}

/* while the IPC trace is on, a thread's name is "name[pid]" (the name cut to fit) */
void lwp_name(struct proc *p, handle_t th)
{
	char name[16];
	int n = snprintf(name, sizeof(name), "[%d]", p->p_pid);
	int keep = (int)sizeof(name) - 1 - n;
	int len = (int)strnlen(p->p_name, sizeof(p->p_name));
	if (len > keep)
		len = keep;
	memmove(name + len, name, (size_t)n + 1);
	memcpy(name, p->p_name, (size_t)len);
	k_thread_name(th, name, strlen(name));
}

/* record a thread as an lwp of p and charge it; EAGAIN if p has no room */
int lwp_add(struct system *sys, struct proc *p, handle_t th, uint64_t tid)
{
	for (int i = 0; i < MAX_LWPS; i++) {
		struct lwp *l = &p->p_lwp[i];
		if (l->l_th >= 0)
			continue;
		memset(l, 0, sizeof(*l));
		l->l_th = th;
		l->l_tid = tid;
		l->l_id = ++p->p_lwpcnt;         /* fork and exec set it again */
		l->l_sigwait = -1;
		p->p_nlwp++;
		p->p_task->tk_nlwps++;
		p->p_task->tk_proj->kpj_nlwps++;
		p->p_zone->z_nlwps++;
		if (sys->tracing)
			lwp_name(p, th);
		return 0;
	}
	return EAGAIN;
}

/* what l's thread ran (while its handle is open: callers close it after) goes to p */
void lwp_remove(struct system *sys, struct proc *p, struct lwp *l)
{
	uint64_t u, s;
	if (l->l_th >= 0 && k_thread_times(l->l_th, &u, &s) == 0) {
		p->p_utime += u;
		p->p_stime += s;
	}
	sig_lwp_gone(sys, p, l);
	l->l_th = -1;
	l->l_tid = 0;
	p->p_nlwp--;
	p->p_task->tk_nlwps--;
	p->p_task->tk_proj->kpj_nlwps--;
	p->p_zone->z_nlwps--;
}

/* *fault: a handle to our endpoint badged FAULT_BADGE | pid, what p's threads report faults and exits to */
int lwp_fault_ep(struct system *sys, struct proc *p, handle_t *fault)
{
	return k_handle_dup(sys->proc_ep, R_SEND, FAULT_BADGE | (uint64_t)p->p_pid, fault);
}

/*
 * A new thread for p in as at prio, its faults and exit reported to us
 * (lwp_fault_ep): not started, not yet one of p's lwps.  0 or the
 * kernel's errno; nothing is left behind on failure.
 */
int lwp_new(struct system *sys, struct proc *p, handle_t as, int prio, handle_t *th, uint64_t *tid)
{
	handle_t fault;
	int err = lwp_fault_ep(sys, p, &fault);
	if (err)
		return err;
	err = k_thread_create(as, p->p_cs, prio, fault, th);
	k_handle_close(fault);
	if (!err && (err = k_thread_tid(*th, tid)))
		k_handle_close(*th);
	return err;
}

/* lwp_new, and the thread recorded as one of p's lwps (not started): 0, the kernel's errno or EAGAIN */
int lwp_make(struct system *sys, struct proc *p, handle_t as, int prio, handle_t *th, uint64_t *tid)
{
	int err = lwp_new(sys, p, as, prio, th, tid);
	if (!err && (err = lwp_add(sys, p, *th, *tid)))
		k_handle_close(*th);
	return err;
}

/*
 * A new lwp in p, starting at pc with sp, a0 = arg, tp; checked against the
 * lwp rctls.  It blocks what its creator blocks and has nothing pending; its
 * scheduling is its creator's (sched 0) or 1 + (policy << 8 | priority)
 * (sched.c's rules).  *id: its lwp id.
 */
int do_lwp_create(struct system *sys, struct proc *p, struct lwp *caller, uint64_t pc, uint64_t sp, uint64_t arg,
		  uint64_t tp, uint64_t sched, uint64_t *id)
{
	struct task *tk = p->p_task;
	struct lwp *l;
	uint64_t tid;
	int policy = caller->l_policy, prio = caller->l_schedprio, err;
	handle_t th;

	if (sched) {
		if (sched - 1 > 0xffff)
			return EINVAL;
		policy = (int)((sched - 1) >> 8);
		prio = (int)((sched - 1) & 0xff);
		if ((err = sched_check(p, policy, prio)))
			return err;
	}

	if ((uint64_t)tk->tk_nlwps >= tk->tk_max_lwps || (uint64_t)tk->tk_proj->kpj_nlwps >= tk->tk_proj->kpj_max_lwps ||
	    (uint64_t)p->p_zone->z_nlwps >= p->p_zone->z_max_lwps || p->p_nlwp >= MAX_LWPS)
		return EAGAIN;
	if (lwp_make(sys, p, p->p_as, sched_kprio(policy, prio), &th, &tid))
		return EAGAIN;                   /* _lwp_create's one error for want of anything */
	l = lwp_find(p, tid);
	l->l_sigmask = caller->l_sigmask;
	l->l_policy = policy;
	l->l_schedprio = prio;
	if (k_thread_start(th, pc, sp, arg, tp)) {
		lwp_remove(sys, p, l);
		k_handle_close(th);
		return EAGAIN;
	}
	*id = (uint64_t)l->l_id;
	return 0;
}

/* p's lwp with lwp id id, NULL if none */
struct lwp *lwp_by_id(struct proc *p, int id)
{
	for (int i = 0; i < MAX_LWPS; i++)
		if (p->p_lwp[i].l_th >= 0 && p->p_lwp[i].l_id == id)
			return &p->p_lwp[i];
	return NULL;
}

/* every lwp of p destroyed and forgotten (exit, exec, a failed fork's child) */
void lwp_destroy_all(struct system *sys, struct proc *p)
{
	for (int i = 0; i < MAX_LWPS; i++) {
		struct lwp *l = &p->p_lwp[i];
		if (l->l_th < 0)
			continue;
		handle_t th = l->l_th;
		k_thread_destroy(th);
		lwp_remove(sys, p, l);
		k_handle_close(th);
	}
}

/* p's CPU time: its lwps gone, and those there now */
void proc_times(const struct proc *p, uint64_t *user_ns, uint64_t *sys_ns)
{
	uint64_t u, s;
	*user_ns = p->p_utime;
	*sys_ns = p->p_stime;
	for (int i = 0; i < MAX_LWPS; i++)
		if (p->p_lwp[i].l_th >= 0 && k_thread_times(p->p_lwp[i].l_th, &u, &s) == 0) {
			*user_ns += u;
			*sys_ns += s;
		}
}
