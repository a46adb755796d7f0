/* Sessions and process groups, with POSIX's rules for setsid and setpgid. */
#include <string.h>
#include "procsrv.h"

struct session *sess_create(struct system *sys, int sid)
{
	for (int i = 0; i < NPROC_TABLE; i++) {
		struct session *s = &sys->sessions[i];
		if (s->s_sid)
			continue;
		s->s_sid = sid;
		s->s_refs = 0;
		s->s_ctty = -1;
		s->s_fg_pgid = sid;
		return s;
	}
	return NULL;
}

void sess_join(struct proc *p, struct session *s)
{
	p->p_sess = s;
	if (s)
		s->s_refs++;
}

void sess_leave(struct proc *p)
{
	struct session *s = p->p_sess;
	p->p_sess = NULL;
	if (s && --s->s_refs == 0)
		s->s_sid = 0;
}

/* has process group pgid a member (in session s, if given)?  A zombie is one until reaped. */
static bool pgrp_exists(struct system *sys, int pgid, const struct session *s)
{
	for_each_proc(sys, q)
		if (q->p_pgid == pgid && (!s || q->p_sess == s))
			return true;
	return false;
}

/* setsid: EPERM for a process group leader (or a pid some group still uses) */
int do_setsid(struct system *sys, struct proc *p, int *sid)
{
	struct session *s;
	if (p->p_pgid == p->p_pid || pgrp_exists(sys, p->p_pid, NULL))
		return EPERM;
	s = sess_create(sys, p->p_pid);
	if (!s)
		return EAGAIN;
	sess_leave(p);
	sess_join(p, s);
	p->p_pgid = p->p_pid;
	*sid = p->p_pid;
	return 0;
}

/*
 * setpgid(pid, pgid): the target is the caller or one of its children
 * (ESRCH); a child in another session (EPERM) or that has exec'd (EACCES)
 * cannot be moved; a session leader cannot be moved (EPERM); the group
 * joined must exist in the caller's session unless it is the target's own
 * pid (EPERM); pgid < 0 is EINVAL.
 */
int do_setpgid(struct system *sys, struct proc *p, int pid, int pgid)
{
	struct proc *t = pid == 0 ? p : proc_find(sys, pid);

	if (pgid < 0)
		return EINVAL;
	if (!t || t->p_stat != P_RUN || (t != p && t->p_parent != p))
		return ESRCH;
	if (t != p && t->p_sess != p->p_sess)
		return EPERM;
	if (t != p && (t->p_flag & PF_EXECED))
		return EACCES;
	if (t->p_sess && t->p_sess->s_sid == t->p_pid)
		return EPERM;
	if (pgid == 0)
		pgid = t->p_pid;
	if (pgid != t->p_pid && !pgrp_exists(sys, pgid, p->p_sess))
		return EPERM;
	t->p_pgid = pgid;
	return 0;
}

int do_getsid(struct system *sys, struct proc *p, int pid, int *sid)
{
	struct proc *t = pid == 0 ? p : proc_find(sys, pid);
	if (!t || t->p_stat == P_FREE || !t->p_sess)
		return ESRCH;
	*sid = t->p_sess->s_sid;
	return 0;
}

int do_getpgid(struct system *sys, struct proc *p, int pid, int *pgid)
{
	struct proc *t = pid == 0 ? p : proc_find(sys, pid);
	if (!t || t->p_stat == P_FREE)
		return ESRCH;
	*pgid = t->p_pgid;
	return 0;
}
