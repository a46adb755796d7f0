/*
 * Process exit, wait and reaping.  An exiting process gives back everything
 * the kernel holds for it at once (lwps, address space, handle table) and
 * stays a zombie, still counted against its task, project, zone and user,
 * until its parent waits for it.  Its children go to init (pid 1).
 */
#include <string.h>
#include "proc.h"

#define INIT_PID 1

/* relvm: a vfork child stops borrowing; its parent's fork call returns now */
void vfork_release(struct proc *cp)
{
	if (!(cp->p_flag & PF_VFORK))
		return;
	cp->p_flag &= ~PF_VFORK;
	if (cp->p_vfwait >= 0) {
		struct msg m = { .info = IPC_INFO(0, 2), .w = { (uint64_t)cp->p_pid, 0 } };
		k_reply_send(cp->p_vfwait, &m);
		cp->p_vfwait = -1;
	}
}

static bool wait_matches(const struct proc *c, int idtype, int id)
{
	switch (idtype) {
	case P_PID:
		return c->p_pid == id;
	case P_PGID:
		return c->p_pgid == id && !(c->p_flag & PF_WAITPID);
	default:
		return !(c->p_flag & PF_WAITPID);   /* only a wait naming it reaps it */
	}
}

static void wait_result(struct proc *c, struct msg *out)
{
	int sig = c->p_wstat & 0x7f;
	out->info = IPC_INFO(0, 4);
	out->w[0] = (uint64_t)c->p_pid;
	out->w[1] = sig ? CLD_KILLED : CLD_EXITED;
	out->w[2] = sig ? (uint64_t)sig : (uint64_t)((c->p_wstat >> 8) & 0xff);
	out->w[3] = (uint64_t)c->p_wstat;
}

/* a zombie's last resources: slot, pid, counters, session */
void proc_reap(struct proc *c)
{
	struct task *tk = c->p_task;
	tk->tk_nprocs--;
	tk->tk_proj->kpj_nprocs--;
	c->p_zone->z_nprocs--;
	task_rele(tk);
	upcount_dec(c->p_uid);
	sess_leave(c);
	sys.nproc--;
	c->p_stat = P_FREE;
}

/* the parent of c may be waiting for it: answer that wait */
static void wake_waiter(struct proc *pp, struct proc *c)
{
	struct msg m;
	if (pp->p_wait_reply < 0 || !wait_matches(c, pp->p_wait_idtype, pp->p_wait_id))
		return;
	wait_result(c, &m);
	k_reply_send(pp->p_wait_reply, &m);
	pp->p_wait_reply = -1;
	if (!(pp->p_wait_opts & WNOWAIT))
		proc_reap(c);
}

void proc_exit(struct proc *p, int wstat)
{
	struct proc *init = proc_find(INIT_PID);
	struct proc *pp = p->p_parent;

	if (p->p_stat != P_RUN)
		return;
	/* everything the kernel holds for it */
	lwp_destroy_all(p);
	vfork_release(p);
	if (p->p_cs >= 0) {
		k_cspace_clear(p->p_cs);
		k_handle_close(p->p_cs);
		p->p_cs = -1;
	}
	if (p->p_as >= 0) {
		k_handle_close(p->p_as);         /* a vfork child's is only a second handle */
		p->p_as = -1;
	}
	if (p->p_wait_reply >= 0) {
		k_handle_close(p->p_wait_reply);
		p->p_wait_reply = -1;
	}
	p->p_wstat = wstat;
	p->p_stat = P_ZOMB;

	/* orphans go to init; zombies among them are init's to reap */
	for (int i = 0; i < NPROC_TABLE; i++) {
		struct proc *c = &sys.procs[i];
		if (c->p_stat == P_FREE || c->p_parent != p)
			continue;
		c->p_parent = init && init != p ? init : NULL;
		if (!c->p_parent) {
			if (c->p_stat == P_ZOMB)
				proc_reap(c);
			continue;
		}
		c->p_flag &= ~PF_WAITPID;          /* init reaps whatever it gets */
		if (c->p_stat == P_ZOMB) {
			init->p_sigpend |= SIGCHLD_BIT;
			wake_waiter(init, c);
		}
	}

	/* tell the parent */
	if (!pp || pp->p_stat != P_RUN) {
		proc_reap(p);                      /* nobody will wait for it */
		return;
	}
	if (!(p->p_flag & PF_NOSIGCHLD))
		pp->p_sigpend |= SIGCHLD_BIT;
	wake_waiter(pp, p);
}

int do_waitid(struct proc *p, int idtype, int id, int options, struct msg *out)
{
	bool any = false;

	if (!(options & (WEXITED | WTRAPPED | WSTOPPED | WCONTINUED)) ||
	    (options & ~(WEXITED | WTRAPPED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT)))
		return EINVAL;
	if (idtype != P_PID && idtype != P_PGID && idtype != P_ALL)
		return EINVAL;
	for (int i = 0; i < NPROC_TABLE; i++) {
		struct proc *c = &sys.procs[i];
		if (c->p_stat == P_FREE || c->p_stat == P_IDLE || c->p_parent != p || !wait_matches(c, idtype, id))
			continue;
		any = true;
		if (c->p_stat == P_ZOMB && (options & WEXITED)) {
			wait_result(c, out);
			if (!(options & WNOWAIT))
				proc_reap(c);
			return 0;
		}
	}
	if (!any)
		return ECHILD;
	if (options & WNOHANG) {
		out->info = IPC_INFO(0, 1);
		out->w[0] = 0;
		return 0;
	}
	if (p->p_wait_reply >= 0)
		return EAGAIN;                     /* one waiting lwp per process */
	if (k_reply_save(&p->p_wait_reply))
		return EAGAIN;
	p->p_wait_idtype = idtype;
	p->p_wait_id = id;
	p->p_wait_opts = options;
	return HELD;
}
