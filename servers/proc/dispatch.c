/*
 * The proc server's requests: one table, checked in a fixed order (who is
 * it, may it send this label, then the handler), and the handlers, each
 * given the system and its request.  Nothing here receives or replies:
 * main.c's loop does, so the host tests (test/host/test_proc.c) call
 * proc_dispatch() as the loop does, with the kernel faked.
 */
#include <stdio.h>
#include <string.h>
#include "procsrv.h"

/* ---- handlers: each takes its request, returns 0, an errno, HELD or NOREPLY ---- */

static int h_forksys(struct system *sys, struct req *r)
{
	return do_forksys(sys, r->p, r->l, (int)r->in->w[0], (int)r->in->w[1], r->out);
}

static int h_exit(struct system *sys, struct req *r)
{
	proc_exit(sys, r->p, (int)((r->in->w[0] & 0xff) << 8));
	return NOREPLY;
}

static int h_waitid(struct system *sys, struct req *r)
{
	int err = do_waitid(sys, r->p, (int)r->in->w[0], (int)r->in->w[1], (int)r->in->w[2], r->out);
	if (err == HELD)
		r->p->p_wait_tid = r->l->l_tid;     /* a signal for this lwp answers it with EINTR */
	return err;
}

static int h_getpid(struct system *sys, struct req *r)
{
	struct proc *p = r->p;
	r->out->info = IPC_INFO(0, 8);
	r->out->w[0] = (uint64_t)p->p_pid;
	r->out->w[1] = p->p_parent ? (uint64_t)p->p_parent->p_pid : 0;
	r->out->w[2] = (uint64_t)p->p_pgid;
	r->out->w[3] = p->p_sess ? (uint64_t)p->p_sess->s_sid : 0;
	r->out->w[4] = p->p_ruid;               /* getuid, getgid: the real ids */
	r->out->w[5] = p->p_rgid;
	r->out->w[6] = (uint64_t)p->p_task->tk_id;
	r->out->w[7] = (uint64_t)p->p_task->tk_proj->kpj_id;
	return 0;
}

static int h_setsid(struct system *sys, struct req *r)
{
	int sid, err = do_setsid(sys, r->p, &sid);
	r->out->w[0] = (uint64_t)sid;
	return err;
}

static int h_setpgid(struct system *sys, struct req *r) { return do_setpgid(sys, r->p, (int)r->in->w[0], (int)r->in->w[1]); }

static int h_getsid(struct system *sys, struct req *r)
{
	int sid = 0, err = do_getsid(sys, r->p, (int)r->in->w[0], &sid);
	r->out->w[0] = (uint64_t)sid;
	return err;
}

static int h_getpgid(struct system *sys, struct req *r)
{
	int pgid = 0, err = do_getpgid(sys, r->p, (int)r->in->w[0], &pgid);
	r->out->w[0] = (uint64_t)pgid;
	return err;
}

static int h_lwp_create(struct system *sys, struct req *r)
{
	return do_lwp_create(sys, r->p, r->l, r->in->w[0], r->in->w[1], r->in->w[2], r->in->w[3],
			     IPC_NWORDS(r->in->info) > 4 ? r->in->w[4] : 0, &r->out->w[0]);
}

static int h_lwp_exit(struct system *sys, struct req *r)
{
	struct proc *p = r->p;
	handle_t th = r->l->l_th;
	k_thread_destroy(th);
	lwp_remove(sys, p, r->l);
	k_handle_close(th);
	if (p->p_nlwp == 0)
		proc_exit(sys, p, 0);
	return NOREPLY;
}

static int h_rctl_get(struct system *sys, struct req *r)
{
	int64_t eid = 0;
	int err = rctl_get(sys, r->p, (int)r->in->w[0], (int64_t)r->in->w[1], &r->out->w[0], &eid, &r->out->w[2]);
	r->out->w[1] = (uint64_t)eid;
	r->out->info = IPC_INFO(0, 3);
	return err;
}

static int h_rctl_set(struct system *sys, struct req *r) { return rctl_set(sys, r->p, (int)r->in->w[0], (int64_t)r->in->w[1], r->in->w[2]); }

static int h_newtask(struct system *sys, struct req *r)
{
	int tk = 0, err = do_newtask(sys, r->p, (int64_t)r->in->w[0], &tk);
	r->out->w[0] = (uint64_t)tk;
	return err;
}

static int h_setuid(struct system *sys, struct req *r)
{
	if (r->p->p_uid != 0)
		return EPERM;
	if (r->in->w[0] > MAXUID || r->in->w[1] > MAXUID)
		return EINVAL;
	cred_set_all(sys, r->p, (uint32_t)r->in->w[0], (uint32_t)r->in->w[1]);
	return 0;
}

/* the credentials, the groups in the buffer */
static int h_getcred(struct system *sys, struct req *r)
{
	struct proc *p = r->p;
	r->out->info = IPC_INFO(0, 7);
	r->out->w[0] = p->p_ruid;
	r->out->w[1] = p->p_uid;
	r->out->w[2] = p->p_suid;
	r->out->w[3] = p->p_rgid;
	r->out->w[4] = p->p_gid;
	r->out->w[5] = p->p_sgid;
	r->out->w[6] = (uint64_t)p->p_ngroups;
	r->obuf = p->p_groups;                  /* sent before the next request can change them */
	r->olen = (uint64_t)p->p_ngroups * sizeof(p->p_groups[0]);
	return 0;
}

static int h_setcred(struct system *sys, struct req *r)
{
	return do_setcred(sys, r->p, (int)r->in->w[0], r->in->w[1], r->in->w[2]);
}

static int h_sched(struct system *sys, struct req *r)
{
	r->out->info = IPC_INFO(0, 2);
	return do_sched(sys, r->p, r->l, (int)r->in->w[0], (int64_t)r->in->w[1], (int)r->in->w[2], (int)r->in->w[3],
			r->out);
}

/* the buffer: the gids; none came is an empty list */
static int h_setgroups(struct system *sys, struct req *r)
{
	static uint32_t gids[NGROUPS_PROC];
	if (r->buflen % sizeof(uint32_t) || r->buflen > sizeof(gids))
		return EINVAL;
	memcpy(gids, r->buf, r->buflen);
	return do_setgroups(r->p, gids, r->buflen / sizeof(uint32_t));
}

/* a handle that comes with the request goes to the child (its h_extra[0]) */
static int h_spawn(struct system *sys, struct req *r)
{
	struct image_req rq;
	struct spawn_kit kit = { .ngive = r->cap >= 0, .give = { r->cap }, .mask = { R_ALL }, .bind = -1, .dev = -1,
				 .sigmask = r->l->l_sigmask, .sched_policy = r->l->l_policy,
				 .sched_prio = r->l->l_schedprio };
	int pid = 0, err = image_req_parse(r->buf, r->buflen, r->in->w[0], r->in->w[1], &rq);
	if (!err)
		err = do_spawn(sys, r->p, &rq, &kit, &pid);
	r->out->w[0] = (uint64_t)pid;
	return err;
}

/*
 * The console server, a child of the caller (init), from /sbin/console with
 * the UART's "compatible" as its argument.  Its h_extra: 0 the console
 * endpoint (it receives there; everyone else's copy is badged with their
 * pid), 1 the UART's interrupt, 2 a notification bound to its thread, 3 our
 * endpoint badged PROC_BADGE_TTY; the registers at CONSOLE_UART_VA.
 */
static int h_console(struct system *sys, struct req *r)
{
	static char req[64];
	struct image_req rq;
	struct spawn_kit kit = { .ngive = 4, .mask = { R_SEND | R_RECV, R_ALL, R_ALL, R_SEND }, .prio = 20,
				 .dev = sys->cons_dev, .dev_va = CONSOLE_UART_VA, .dev_pa = sys->cons_pa, .dev_len = 4096 };
	handle_t ntfn = -1, tty = -1;
	struct proc *cp;
	int n, pid = 0, err;

	if (r->p->p_uid != 0)
		return EPERM;
	if (sys->cons_dev < 0 || sys->console_ep < 0) {
		printf("proc: no console server: root found no UART\n");
		return ENODEV;
	}
	for_each_proc(sys, q)
		if ((q->p_flag & PF_CONSOLE) && q->p_stat == P_RUN)
			return EBUSY;
	n = snprintf(req, sizeof(req), "/sbin/console%cconsole%c%s", 0, 0, sys->cons_compat) + 1;
	if ((err = image_req_parse(req, (uint64_t)n, 2, 0, &rq)))
		return err;
	if (k_ntfn_create(&ntfn))
		return EAGAIN;
	if (k_handle_dup(sys->proc_ep, R_SEND, PROC_BADGE_TTY, &tty)) {
		k_handle_close(ntfn);
		return EAGAIN;
	}
	kit.give[0] = sys->console_ep;
	kit.give[1] = sys->cons_irq;
	kit.give[2] = kit.bind = ntfn;
	kit.give[3] = tty;
	err = do_spawn(sys, r->p, &rq, &kit, &pid);
	k_handle_close(ntfn);            /* the child's copies keep them */
	k_handle_close(tty);
	if (!err && (cp = proc_find(sys, pid)))
		cp->p_flag |= PF_CONSOLE;
	if (err)
		printf("proc: cannot start the console server: %s\n", strerror(err));
	r->out->w[0] = (uint64_t)pid;
	return err;
}

static int h_exec(struct system *sys, struct req *r)
{
	struct image_req rq;
	int err = image_req_parse(r->buf, r->buflen, r->in->w[0], r->in->w[1], &rq);
	if (!err)
		err = do_exec(sys, r->p, r->l, &rq);
	return err ? err : NOREPLY;
}

static int h_list(struct system *sys, struct req *r)
{
	static struct proc_info info[NPROC_TABLE];
	int n = 0;
	for_each_proc(sys, p) {
		struct proc_info *pi = &info[n];
		memset(pi, 0, sizeof(*pi));
		pi->pid = p->p_pid;
		pi->ppid = p->p_parent ? p->p_parent->p_pid : 0;
		pi->pgid = p->p_pgid;
		pi->sid = p->p_sess ? p->p_sess->s_sid : 0;
		pi->uid = (int32_t)p->p_uid;
		pi->gid = (int32_t)p->p_gid;
		pi->task = p->p_task->tk_id;
		pi->project = p->p_task->tk_proj->kpj_id;
		pi->zone = p->p_zone->z_id;
		pi->nlwp = p->p_nlwp;
		pi->state = (p->p_flag & PF_STOPPED) && p->p_stat == P_RUN ? PS_STOP : (int)p->p_stat;
		pi->exit_status = p->p_wstat;
		memcpy(pi->name, p->p_name, sizeof(pi->name));
		n++;
	}
	r->obuf = info;
	r->olen = (uint64_t)n * sizeof(info[0]);
	if (r->olen > IPC_MAX_BUF)
		r->olen = IPC_MAX_BUF / sizeof(info[0]) * sizeof(info[0]);
	r->out->w[0] = r->olen / sizeof(info[0]);
	return 0;
}

static int h_forkstat(struct system *sys, struct req *r)
{
	struct zone *z = (int64_t)r->in->w[0] < 0 ? r->p->p_zone : zone_by_id(sys, (int)r->in->w[0]);
	if (!z)
		return ESRCH;
	r->out->info = IPC_INFO(0, 5);
	r->out->w[0] = z->z_ffcap;
	r->out->w[1] = z->z_ffnomem;
	r->out->w[2] = z->z_ffmisc;
	r->out->w[3] = z->z_ffnoproc;
	r->out->w[4] = (uint64_t)sys->fork_fail_pending;
	return 0;
}

static int h_sysconf(struct system *sys, struct req *r)
{
	int64_t v = (int64_t)r->in->w[1];
	int *slot;
	switch (r->in->w[0]) {
	case SYSCONF_MAXPID: slot = &sys->maxpid; break;
	case SYSCONF_NPROC_MAX: slot = &sys->v_proc; break;
	case SYSCONF_MAXUP: slot = &sys->v_maxup; break;
	case SYSCONF_NPROC:
		r->out->w[0] = (uint64_t)sys->nproc;
		return v < 0 ? 0 : EPERM;
	default:
		return EINVAL;
	}
	if (v >= 0) {
		if (r->p->p_uid != 0)
			return EPERM;
		if (v < 2 || (slot == &sys->v_proc && v > NPROC_TABLE) || (slot == &sys->maxpid && v > 999999))
			return EINVAL;
		*slot = (int)v;
	}
	r->out->w[0] = (uint64_t)*slot;
	return 0;
}

static int h_sigpoll(struct system *sys, struct req *r)
{
	r->out->w[0] = r->p->p_sigpoll;
	r->p->p_sigpoll = 0;
	return 0;
}

/* the knob exists in test boots only (boot argument "test"): ENOSYS otherwise */
static int h_fault_inject(struct system *sys, struct req *r)
{
	if (!sys->fault_injection)
		return ENOSYS;
	if (r->p->p_uid != 0)
		return EPERM;
	kcalls_fail_nth(r->in->w[0]);
	return 0;
}

static int h_poweroff(struct system *sys, struct req *r)
{
	if (r->p->p_uid != 0)
		return EPERM;
	printf("proc: power off requested by pid %d\n", r->p->p_pid);
	return k_poweroff(sys->h_sysctl);
}

/* the kernel's IPC trace, for ipctrace: names every lwp while it is on */

/* a trace whose owner is gone (killed, ^C) is stopped: it slows every message down */
void trace_owner_check(struct system *sys)
{
	struct proc *o = proc_find(sys, sys->trace_owner);
	if (o && o->p_stat == P_RUN)
		return;
	sys->tracing = false;
	k_trace(sys->h_sysctl, TRACE_STOP, NULL, 0, 0, NULL, NULL);
}

static int h_trace(struct system *sys, struct req *r)
{
	static struct trace_rec recs[IPC_MAX_BUF / sizeof(struct trace_rec)];
	uint64_t n = 0, dropped = 0;
	int err;

	if (r->p->p_uid != 0)
		return EPERM;
	switch (r->in->w[0]) {
	case TRACE_START:
		sys->tracing = true;
		for_each_proc(sys, p)
			for (int j = 0; p->p_stat == P_RUN && j < MAX_LWPS; j++)
				if (p->p_lwp[j].l_th >= 0)
					lwp_name(p, p->p_lwp[j].l_th);
		if ((err = k_trace(sys->h_sysctl, TRACE_START, NULL, 0, 0, NULL, NULL)))
			sys->tracing = false;
		sys->trace_owner = r->p->p_pid;
		return err;
	case TRACE_STOP:
		sys->tracing = false;
		if ((err = k_trace(sys->h_sysctl, TRACE_STOP, NULL, 0, 0, &n, &dropped)))
			return err;
		r->out->w[0] = n;
		r->out->w[1] = dropped;
		r->out->info = IPC_INFO(0, 2);
		return 0;
	case TRACE_READ:
		if ((err = k_trace(sys->h_sysctl, TRACE_READ, recs, sizeof(recs) / sizeof(recs[0]), r->in->w[1], &n, NULL)))
			return err;
		r->obuf = recs;
		r->olen = n * sizeof(recs[0]);
		r->out->w[0] = n;
		r->out->info = IPC_INFO(0, 1);
		return 0;
	}
	return EINVAL;
}

/* a signal the caller can take now runs before kill returns (POSIX): named in the reply */
static int h_kill(struct system *sys, struct req *r)
{
	bool self;
	int err = do_kill(sys, r->p, (int)r->in->w[0], (int)r->in->w[1], &self);
	if (self)
		return NOREPLY;
	if (!err)
		sig_take_now(sys, r->p, r->l, r->out);
	return err;
}

/* w3 sa_mask and w4 flags only if sent */
static int h_sigaction(struct system *sys, struct req *r)
{
	unsigned nw = IPC_NWORDS(r->in->info);
	return do_sigaction(sys, r->p, (int)r->in->w[0], (int)r->in->w[1], r->in->w[2], nw > 3 ? r->in->w[3] : 0,
			    nw > 4 ? (uint32_t)r->in->w[4] : 0);
}

static int h_sigmask(struct system *sys, struct req *r)
{
	return do_sigmask(sys, r->p, r->l, (int)r->in->w[0], r->in->w[1], r->out);
}

static int h_sigpending(struct system *sys, struct req *r)
{
	r->out->w[0] = (r->l->l_sigpend | r->p->p_sigpend) & r->l->l_sigmask;
	return 0;
}

static int h_sigsuspend(struct system *sys, struct req *r)
{
	return do_sigsuspend(sys, r->p, r->l, r->in->w[0]);
}

/* the time limit in ns becomes a time of the time CSR (main.c's clock) */
static int h_sigwait(struct system *sys, struct req *r)
{
	uint64_t ns = r->in->w[1], due = 0;
	int err;
	if (r->in->w[2] == 1) {
		if (ns == 0)
			due = 1;
		else if (ns > 100ull * 365 * 86400 * 1000000000ull)
			due = 0;                      /* a century: no limit */
		else
			due = proc_clock() + ns_to_ticks(sys, ns) + 2;
	}
	err = do_sigwait(sys, r->p, r->l, r->in->w[0], due, r->out);
	if (err == HELD && due > 1)
		timer_rearm(sys);
	return err;
}

/* pthread_kill and raise: to one lwp of the caller's own process */
static int h_lwp_kill(struct system *sys, struct req *r)
{
	int id = (int)r->in->w[0], sig = (int)r->in->w[1];
	struct lwp *l = id == 0 ? r->l : lwp_by_id(r->p, id);
	struct ksiginfo info = { .code = SICODE_SI_LWP, .pid = r->p->p_pid, .uid = r->p->p_ruid };
	if (sig < 0 || sig >= PROC_NSIG)
		return EINVAL;
	if (!l)
		return ESRCH;
	r->out->info = IPC_INFO(0, 3);
	if (sig == 0)
		return 0;
	lwp_signal(sys, r->p, l, sig, &info);
	if (r->p->p_stat != P_RUN)
		return NOREPLY;
	sig_take_now(sys, r->p, r->l, r->out);
	return 0;
}

/* sigqueue: as kill, to one process, with a value */
static int h_sigqueue(struct system *sys, struct req *r)
{
	bool self;
	int err = do_sigqueue(sys, r->p, (int)r->in->w[0], (int)r->in->w[1], r->in->w[2], &self);
	if (self)
		return NOREPLY;
	r->out->info = IPC_INFO(0, 3);
	if (!err)
		sig_take_now(sys, r->p, r->l, r->out);
	return err;
}

static int h_setitimer(struct system *sys, struct req *r)
{
	return do_setitimer(sys, r->p, (int)r->in->w[0], r->in->w[1] == 1, r->in->w[2], r->in->w[3], r->out);
}

/* CPU time: the caller's process (its lwps gone and there), its waited-for children, one lwp */
static int h_times(struct system *sys, struct req *r)
{
	struct proc *p = r->p;
	struct lwp *l = r->l;
	uint64_t *w = r->out->w;
	(void)sys;
	switch (r->in->w[0]) {
	case TIMES_SELF:
		proc_times(p, &w[0], &w[1]);
		return 0;
	case TIMES_CHILDREN:
		w[0] = p->p_cutime;
		w[1] = p->p_cstime;
		return 0;
	case TIMES_LWP:
		if (r->in->w[1] && r->in->w[1] <= INT32_MAX)
			l = lwp_by_id(p, (int)r->in->w[1]);
		else if (r->in->w[1])
			l = NULL;
		if (!l || k_thread_times(l->l_th, &w[0], &w[1]))
			return ESRCH;
		return 0;
	}
	return EINVAL;
}

/* umask: the process's file mode creation mask (libc applies it to what it creates) */
static int h_umask(struct system *sys, struct req *r)
{
	(void)sys;
	r->out->w[0] = r->p->p_cmask;
	if (r->in->w[0] == 1)
		r->p->p_cmask = (uint32_t)r->in->w[1] & 0777;
	else if (r->in->w[0] != 0)
		return EINVAL;
	return 0;
}

static int h_sigaltstack(struct system *sys, struct req *r)
{
	(void)sys;
	return do_sigaltstack(r->p, r->l, r->in->w[0] == 1, r->in->w[1], r->in->w[2], r->in->w[3], r->in->w[4], r->out);
}

/* sbrk: more zeroed heap at the break; a vfork child may not grow its parent's */
static int h_sbrk(struct system *sys, struct req *r)
{
	struct proc *p = r->p;
	uint64_t n;
	if (p->p_flag & PF_VFORK)
		return EINVAL;
	if (r->in->w[0] > HEAP_MAX)
		return ENOMEM;           /* before rounding: no wrap-around */
	n = (r->in->w[0] + 4095) & ~4095ull;
	if (p->p_brk + n > HEAP_BASE + HEAP_MAX)
		return ENOMEM;
	if (mem_reserve(sys, p, n))
		return ENOMEM;
	if (n && k_as_map(p->p_as, p->p_brk, n, PROT_R | PROT_W)) {
		mem_release(sys, p, n);
		return ENOMEM;
	}
	r->out->w[0] = p->p_brk;
	p->p_brk += n;
	return 0;
}

/* the terminal's requests (badge PROC_BADGE_TTY): a signal typed at the keyboard, tcsetpgrp's checks */
static int h_tty_kill(struct system *sys, struct req *r)
{
	return do_tty_kill(sys, -(int)r->in->w[0], (int)r->in->w[1]);
}

static int h_tty_query(struct system *sys, struct req *r)
{
	return do_tty_query(sys, (int)r->in->w[0], (int)r->in->w[1], (int)r->in->w[2], r->in->w[3] == 1, r->out->w);
}

/* fn: a process's request; tty: the terminal's (its badge names no process) */
static const struct {
	proc_handler_t *fn, *tty;
} table[PROC_NMSG] = {
	[PROC_FORKSYS] = { h_forksys, NULL },           /* fork1, forkall, vfork (fork.c) */
	[PROC_EXIT] = { h_exit, NULL },                 /* exit: no reply */
	[PROC_WAITID] = { h_waitid, NULL },             /* wait for a child (may be held) */
	[PROC_GETPID] = { h_getpid, NULL },             /* pid, ppid, pgid, sid, uid, gid, task, project */
	[PROC_SETSID] = { h_setsid, NULL },             /* a new session */
	[PROC_SETPGID] = { h_setpgid, NULL },           /* move into a process group */
	[PROC_GETSID] = { h_getsid, NULL },             /* a process's session */
	[PROC_GETPGID] = { h_getpgid, NULL },           /* a process's group */
	[PROC_LWP_CREATE] = { h_lwp_create, NULL },     /* a new lwp (lwp.c) */
	[PROC_LWP_EXIT] = { h_lwp_exit, NULL },         /* the calling lwp ends: no reply */
	[PROC_RCTL_GET] = { h_rctl_get, NULL },         /* a resource control's value (rctl.c) */
	[PROC_RCTL_SET] = { h_rctl_set, NULL },         /* ... set */
	[PROC_NEWTASK] = { h_newtask, NULL },           /* into a new task */
	[PROC_SETUID] = { h_setuid, NULL },             /* uid 0: another uid */
	[PROC_SPAWN] = { h_spawn, NULL },               /* a child running a program (spawn.c) */
	[PROC_EXEC] = { h_exec, NULL },                 /* a new image: no reply on success */
	[PROC_LIST] = { h_list, NULL },                 /* every process, for ps */
	[PROC_FORKSTAT] = { h_forkstat, NULL },         /* a zone's fork-failure counters */
	[PROC_SYSCONF] = { h_sysconf, NULL },           /* the process limits */
	[PROC_SIGPOLL] = { h_sigpoll, NULL },           /* take the pending signals */
	[PROC_FAULT_INJECT] = { h_fault_inject, NULL }, /* fail the n-th kernel call (test boots) */
	[PROC_POWEROFF] = { h_poweroff, NULL },         /* uid 0: power off */
	[PROC_KILL] = { h_kill, h_tty_kill },           /* a signal (signal.c); the terminal's: to a group */
	[PROC_SBRK] = { h_sbrk, NULL },                 /* more heap */
	[PROC_SIGACTION] = { h_sigaction, NULL },       /* a signal's disposition */
	[PROC_TTY_QUERY] = { NULL, h_tty_query },       /* the terminal only: session and group checks */
	[PROC_TRACE] = { h_trace, NULL },               /* the kernel's IPC trace */
	[PROC_CONSOLE] = { h_console, NULL },           /* start the console server */
	[PROC_SIGMASK] = { h_sigmask, NULL },           /* the calling lwp's signal mask */
	[PROC_SIGPENDING] = { h_sigpending, NULL },     /* what waits, blocked */
	[PROC_SIGSUSPEND] = { h_sigsuspend, NULL },     /* wait for a signal with a mask (held) */
	[PROC_SIGWAIT] = { h_sigwait, NULL },           /* take a signal of a set (may be held) */
	[PROC_LWP_KILL] = { h_lwp_kill, NULL },         /* a signal to one lwp: pthread_kill, raise */
	[PROC_GETCRED] = { h_getcred, NULL },           /* real, effective, saved ids; groups (cred.c) */
	[PROC_SETCRED] = { h_setcred, NULL },           /* setuid, seteuid, setreuid and the gid ones */
	[PROC_SETGROUPS] = { h_setgroups, NULL },       /* uid 0: the supplementary groups */
	[PROC_SCHED] = { h_sched, NULL },               /* scheduling policy and priority (sched.c) */
	[PROC_SIGQUEUE] = { h_sigqueue, NULL },         /* a signal with a value (signal.c) */
	[PROC_SIGALTSTACK] = { h_sigaltstack, NULL },   /* the calling lwp's alternate signal stack */
	[PROC_SETITIMER] = { h_setitimer, NULL },       /* ITIMER_REAL: alarm, setitimer (signal.c) */
	[PROC_TIMES] = { h_times, NULL },               /* CPU time: times, getrusage, the CPU-time clocks */
	[PROC_UMASK] = { h_umask, NULL },               /* the file mode creation mask */
};

/*
 * One request, as main.c's loop received it (r->in, r->buf, r->cap), checked
 * in this order: who is it -- the terminal's badge, else a running process
 * (the badge is its pid) and one of its lwps (a7, the kernel's): EPERM if
 * not; then the label: one the caller may send (ENOSYS; the terminal gets
 * EPERM); then the handler.  *r->out is first the default reply (two words,
 * the terminal's four); r->p and r->l are set for a process.  A handle that
 * came with the request is closed after the handler (one that wants it
 * copies it).  Returns 0 or an errno (the reply's label), HELD or NOREPLY.
 */
int proc_dispatch(struct system *sys, struct req *r)
{
	uint32_t label = IPC_LABEL(r->in->info);
	int err;

	memset(r->out, 0, sizeof(*r->out));
	r->out->info = IPC_INFO(0, 2);
	if (r->in->badge == PROC_BADGE_TTY) {
		r->out->info = IPC_INFO(0, 4);
		err = label < PROC_NMSG && table[label].tty ? table[label].tty(sys, r) : EPERM;
	} else {
		r->p = proc_find(sys, (int)r->in->badge);
		r->l = r->p ? lwp_find(r->p, r->in->tid) : NULL;
		if (!r->p || r->p->p_stat != P_RUN || !r->l)
			err = EPERM;
		else if (label == 0 || label >= PROC_NMSG || !table[label].fn)
			err = ENOSYS;
		else
			err = table[label].fn(sys, r);
	}
	if (r->cap >= 0)
		k_handle_close(r->cap);
	return err;
}

/* a thread of process pid faulted or exited (kernel messages, FAULT_BADGE) */
void lwp_event(struct system *sys, int pid, const struct msg *m)
{
	struct proc *p = proc_find(sys, pid);
	uint32_t label = IPC_LABEL(m->info);
	struct lwp *l;

	if (!p || p->p_stat != P_RUN)
		return;
	if (label == LABEL_FAULT) {
		int sig;
		if ((l = lwp_find(p, m->w[3])) && sig_fault(sys, p, l, m, &sig))
			return;                          /* its handler runs */
		if (!l)
			sig = m->w[0] == 2 ? SIGILL_NO : SIGSEGV_NO;
		printf("proc: pid %d (%s) fault scause %lu at pc 0x%lx addr 0x%lx: killed\n", p->p_pid,
		       p->p_name, (unsigned long)m->w[0], (unsigned long)m->w[2], (unsigned long)m->w[1]);
		proc_exit(sys, p, sig);
		return;
	}
	/* LABEL_EXIT: the thread ended itself (thread_exit) */
	if ((l = lwp_find(p, m->w[1]))) {
		handle_t th = l->l_th;
		lwp_remove(sys, p, l);
		k_handle_close(th);
	}
	if (p->p_nlwp == 0)
		proc_exit(sys, p, (int)((m->w[0] & 0xff) << 8));
}
