/*
 * Credentials, as illumos keeps them in a process's cred_t: real, effective
 * and saved uid and gid and the supplementary groups, with POSIX's rules for
 * changing them (_POSIX_SAVED_IDS; setreuid and setregid as XSI has them).
 * The effective ids are p_uid and p_gid, which every privilege check reads:
 * effective uid 0 is the one privilege (illumos: PRIV_PROC_SETID and the
 * rest).  The per-user process count is kept by real uid, as illumos's
 * upcount is.  fork copies all of it (getproc), exec sets the saved ids to
 * the effective ones.
 */
#include <signal.h>
#include <string.h>
#include "procsrv.h"

#define UNCHANGED 0xffffffffu       /* (uid_t)-1 */

static bool privileged(const struct proc *p)
{
	return p->p_uid == 0;
}

/* the real uid changes: the process is counted for its new user */
static void set_ruid(struct system *sys, struct proc *p, uint32_t ruid)
{
	if (ruid == p->p_ruid)
		return;
	upcount_dec(sys, p->p_ruid);
	p->p_ruid = ruid;
	upcount_inc(sys, ruid);
}

void cred_set_all(struct system *sys, struct proc *p, uint32_t uid, uint32_t gid)
{
	set_ruid(sys, p, uid);
	p->p_uid = p->p_suid = uid;
	p->p_rgid = p->p_gid = p->p_sgid = gid;
}

/*
 * One of the set*id calls on a triple (r, e, s), uid or gid alike; priv:
 * the caller has effective uid 0.  0, or EPERM or EINVAL with the triple unchanged.
 */
static int set_ids(int op, bool priv, uint32_t *r, uint32_t *e, uint32_t *s, uint64_t a, uint64_t b)
{
	uint32_t nr = *r, ne = *e;

	switch (op) {
	case CRED_SETUID:
	case CRED_SETGID:
		if (a > MAXUID)
			return EINVAL;
		if (priv) {
			*r = *e = *s = (uint32_t)a;       /* all three */
			return 0;
		}
		if (a != *r && a != *s)
			return EPERM;
		*e = (uint32_t)a;
		return 0;
	case CRED_SETEUID:
	case CRED_SETEGID:
		if (a > MAXUID)
			return EINVAL;
		if (!priv && a != *r && a != *s)
			return EPERM;
		*e = (uint32_t)a;
		return 0;
	case CRED_SETREUID:
	case CRED_SETREGID:
		if ((a != UNCHANGED && a > MAXUID) || (b != UNCHANGED && b > MAXUID))
			return EINVAL;
		if (a != UNCHANGED) {
			if (!priv && a != *r && a != *e)
				return EPERM;
			nr = (uint32_t)a;
		}
		if (b != UNCHANGED) {
			if (!priv && b != *r && b != *e && b != *s)
				return EPERM;
			ne = (uint32_t)b;
		}
		/* XSI: the saved id follows a new real id, or an effective id set away from the real */
		if (a != UNCHANGED || (b != UNCHANGED && b != *r))
			*s = ne;
		*r = nr;
		*e = ne;
		return 0;
	}
	return EINVAL;
}

int do_setcred(struct system *sys, struct proc *p, int op, uint64_t a, uint64_t b)
{
	bool priv = privileged(p);
	uint32_t r, e, s;
	int err;

	a = (uint32_t)a == UNCHANGED ? UNCHANGED : a;
	b = (uint32_t)b == UNCHANGED ? UNCHANGED : b;
	if (op == CRED_SETUID || op == CRED_SETEUID || op == CRED_SETREUID) {
		r = p->p_ruid, e = p->p_uid, s = p->p_suid;
		if ((err = set_ids(op, priv, &r, &e, &s, a, b)))
			return err;
		set_ruid(sys, p, r);
		p->p_uid = e;
		p->p_suid = s;
		return 0;
	}
	r = p->p_rgid, e = p->p_gid, s = p->p_sgid;
	if ((err = set_ids(op, priv, &r, &e, &s, a, b)))
		return err;
	p->p_rgid = r;
	p->p_gid = e;
	p->p_sgid = s;
	return 0;
}

int do_setgroups(struct proc *p, const uint32_t *gids, uint64_t n)
{
	if (!privileged(p))
		return EPERM;
	if (n > NGROUPS_PROC)
		return EINVAL;
	for (uint64_t i = 0; i < n; i++)
		if (gids[i] > MAXUID)
			return EINVAL;
	memcpy(p->p_groups, gids, n * sizeof(gids[0]));
	p->p_ngroups = (int)n;
	return 0;
}

void cred_exec(struct proc *p)
{
	p->p_suid = p->p_uid;
	p->p_sgid = p->p_gid;
}

/*
 * kill's permission (POSIX): effective uid 0, or the sender's real or
 * effective uid is the target's real or saved uid; SIGCONT also within the
 * sender's session.
 */
bool cred_may_signal(const struct proc *from, const struct proc *to, int sig)
{
	if (privileged(from))
		return true;
	if (from->p_ruid == to->p_ruid || from->p_ruid == to->p_suid || from->p_uid == to->p_ruid ||
	    from->p_uid == to->p_suid)
		return true;
	return sig == SIGCONT && from->p_sess && from->p_sess == to->p_sess;
}
