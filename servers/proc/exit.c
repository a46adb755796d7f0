/*
 * Process exit, wait and reaping.  An exiting process gives back everything
 * the kernel holds for it at once (lwps, address space, handle table) and
 * stays a zombie, still counted against its task, project, zone and user,
 * until its parent waits for it.  Its children go to init (pid 1).
 */
#include <signal.h>
#include <string.h>
#include "procsrv.h"
#include "uapi/fs.h"

#define INIT_PID 1

/* relvm: a vfork child stops borrowing; its parent's fork call returns now */
void vfork_release(struct system *sys, struct proc *cp)
{
	if (!(cp->p_flag & PF_VFORK))
		return;
	cp->p_flag &= ~PF_VFORK;
	sys->sig_work = true;             /* its parent may take signals again */
	if (cp->p_vfwait >= 0) {
		struct msg m = { .info = IPC_INFO(0, 2), .w = { (uint64_t)cp->p_pid, 0 } };
		k_reply_send(cp->p_vfwait, &m);
		cp->p_vfwait = -1;
	}
}

static bool wait_matches(const struct proc *c, int idtype, int id)
{
	switch (idtype) {
	case IDT_PID:
		return c->p_pid == id;
	case IDT_PGID:
		return c->p_pgid == id && !(c->p_flag & PF_WAITPID);
	default:
		return !(c->p_flag & PF_WAITPID);   /* only a wait naming it reaps it */
	}
}

/* what a wait with these options would report of c: a PCLD_* code, 0 nothing */
static int wait_event(const struct proc *c, int options)
{
	if (c->p_stat == P_ZOMB)
		return (options & PW_EXITED) ? ((c->p_wstat & 0x7f) ? PCLD_KILLED : PCLD_EXITED) : 0;
	if (c->p_stat == P_RUN && (c->p_flag & PF_WSTOP) && (options & PW_STOPPED))
		return PCLD_STOPPED;
	if (c->p_stat == P_RUN && (c->p_flag & PF_WCONT) && (options & PW_CONTINUED))
		return PCLD_CONTINUED;
	return 0;
}

/* the reply of a wait that found c (event from wait_event); consumes the event unless PW_NOWAIT */
static void wait_result(struct system *sys, struct proc *c, int event, int options, struct msg *out)
{
	int wstat = event == PCLD_STOPPED ? (c->p_stopsig << 8) | 0x7f : event == PCLD_CONTINUED ? 0xffff : c->p_wstat;
	uint64_t u, s;
	proc_times(c, &u, &s);
	out->info = IPC_INFO(0, 6);
	out->w[4] = u + c->p_cutime;       /* wait3, wait4: the child's and its waited-for children's */
	out->w[5] = s + c->p_cstime;
	out->w[0] = (uint64_t)c->p_pid;
	out->w[1] = (uint64_t)event;
	out->w[2] = event == PCLD_EXITED ? (uint64_t)((wstat >> 8) & 0xff) : event == PCLD_KILLED ?
		    (uint64_t)(wstat & 0x7f) : (uint64_t)c->p_stopsig;
	out->w[3] = (uint64_t)wstat;
	if (options & PW_NOWAIT)
		return;
	if (event == PCLD_STOPPED)
		c->p_flag &= ~PF_WSTOP;
	else if (event == PCLD_CONTINUED)
		c->p_flag &= ~PF_WCONT;
	else {
		c->p_parent->p_cutime += out->w[4];   /* times(), RUSAGE_CHILDREN: waited-for children */
		c->p_parent->p_cstime += out->w[5];
		proc_reap(sys, c);
	}
}

/* a zombie's last resources: slot, pid, counters, session */
void proc_reap(struct system *sys, struct proc *c)
{
	struct task *tk = c->p_task;
	tk->tk_nprocs--;
	tk->tk_proj->kpj_nprocs--;
	c->p_zone->z_nprocs--;
	task_rele(tk);
	upcount_dec(sys, c->p_ruid);
	sess_leave(c);
	sys->nproc--;
	c->p_stat = P_FREE;
}

/* the parent of c may be waiting for it: answer that wait */
static void wake_waiter(struct system *sys, struct proc *pp, struct proc *c)
{
	struct msg m;
	int event;
	if (pp->p_wait_reply < 0 || !wait_matches(c, pp->p_wait_idtype, pp->p_wait_id) ||
	    !(event = wait_event(c, pp->p_wait_opts)))
		return;
	wait_result(sys, c, event, pp->p_wait_opts, &m);
	k_reply_send(pp->p_wait_reply, &m);
	pp->p_wait_reply = -1;
}

/* pp's held wait, if no child of pp matches it any more, fails with ECHILD (POSIX, SA_NOCLDWAIT) */
static void wake_childless(struct system *sys, struct proc *pp)
{
	struct msg m = { .info = IPC_INFO(ECHILD, 0) };
	if (pp->p_wait_reply < 0)
		return;
	for_each_proc(sys, c)
		if (c->p_parent == pp && c->p_stat != P_FREE && wait_matches(c, pp->p_wait_idtype, pp->p_wait_id))
			return;
	k_reply_send(pp->p_wait_reply, &m);
	pp->p_wait_reply = -1;
}

/* SIGCHLD to pp about child c: its exit (code -1: from c's wait status), stop or continue */
static void chld_signal(struct system *sys, struct proc *pp, struct proc *c, int code)
{
	struct ksiginfo info = { .code = code, .pid = c->p_pid, .uid = c->p_ruid };
	if (code == SICODE_CLD_STOPPED)
		info.status = c->p_stopsig;
	else if (code == SICODE_CLD_CONTINUED)
		info.status = SIGCONT;
	else if (c->p_wstat & 0x7f) {
		info.code = SICODE_CLD_KILLED;
		info.status = c->p_wstat & 0x7f;
	} else {
		info.code = SICODE_CLD_EXITED;
		info.status = (c->p_wstat >> 8) & 0xff;
	}
	proc_signal_info(sys, pp, SIGCHLD, &info);
}

void proc_exit(struct system *sys, struct proc *p, int wstat)
{
	struct proc *init = proc_find(sys, INIT_PID);
	struct proc *pp = p->p_parent;

	if (p->p_stat != P_RUN)
		return;
	/* everything the kernel holds for it */
	lwp_destroy_all(sys, p);
	sig_proc_gone(sys, p);
	vfork_release(sys, p);
	if (p->p_h_fs >= 0) {
		k_fs_ctl(FS_PEXIT, (uint64_t)p->p_pid, 0);   /* its descriptors close: pipes see EOF */
		p->p_h_fs = -1;
	}
	if (p->p_cs >= 0) {
		k_cspace_clear(p->p_cs);
		k_handle_close(p->p_cs);
		p->p_cs = -1;
	}
	if (p->p_as >= 0) {
		k_handle_close(p->p_as);         /* a vfork child's is only a second handle */
		p->p_as = -1;
	}
	mem_release(sys, p, p->p_vsize);
	if (p->p_wait_reply >= 0) {
		k_handle_close(p->p_wait_reply);
		p->p_wait_reply = -1;
	}
	p->p_wstat = wstat;
	p->p_stat = P_ZOMB;

	/* orphans go to init; zombies among them are init's to reap */
	for_each_proc(sys, c) {
		if (c->p_parent != p)
			continue;
		c->p_parent = init && init != p ? init : NULL;
		if (!c->p_parent) {
			if (c->p_stat == P_ZOMB)
				proc_reap(sys, c);
			continue;
		}
		c->p_flag &= ~PF_WAITPID;          /* init reaps whatever it gets */
		if (c->p_stat == P_ZOMB) {
			chld_signal(sys, init, c, -1);
			wake_waiter(sys, init, c);
		}
	}

	/* tell the parent */
	if (!pp || pp->p_stat != P_RUN) {
		proc_reap(sys, p);                      /* nobody will wait for it */
		return;
	}
	if (!(p->p_flag & PF_NOSIGCHLD))
		chld_signal(sys, pp, p, -1);
	if (pp->p_nocldwait || (pp->p_sigign & (1ull << SIGCHLD))) {
		/* SA_NOCLDWAIT, or SIGCHLD ignored (XSI): no zombie; a wait left with nothing: ECHILD */
		proc_reap(sys, p);
		wake_childless(sys, pp);
		return;
	}
	wake_waiter(sys, pp, p);
}

/* c stopped or continued: its parent hears of it (SIGCHLD unless SA_NOCLDSTOP, a waiting wait) */
void wait_notify(struct system *sys, struct proc *c)
{
	struct proc *pp = c->p_parent;
	if (!pp || pp->p_stat != P_RUN)
		return;
	if (!pp->p_nocldstop)
		chld_signal(sys, pp, c, c->p_flag & PF_STOPPED ? SICODE_CLD_STOPPED : SICODE_CLD_CONTINUED);
	wake_waiter(sys, pp, c);
}

int do_waitid(struct system *sys, struct proc *p, int idtype, int id, int options, struct msg *out)
{
	bool any = false;
	int event;

	if (!(options & (PW_EXITED | PW_TRAPPED | PW_STOPPED | PW_CONTINUED)) ||
	    (options & ~(PW_EXITED | PW_TRAPPED | PW_STOPPED | PW_CONTINUED | PW_NOHANG | PW_NOWAIT)))
		return EINVAL;
	if (idtype != IDT_PID && idtype != IDT_PGID && idtype != IDT_ALL)
		return EINVAL;
	for_each_proc(sys, c) {
		if (c->p_stat == P_IDLE || c->p_parent != p || !wait_matches(c, idtype, id))
			continue;
		any = true;
		if ((event = wait_event(c, options))) {
			wait_result(sys, c, event, options, out);
			return 0;
		}
	}
	if (!any)
		return ECHILD;
	if (options & PW_NOHANG) {
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
