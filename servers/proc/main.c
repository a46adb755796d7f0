/*
 * The proc server's main loop: receive -> who is it (badge = pid, a7 =
 * thread id) -> its proc and lwp -> dispatch through the table -> reply,
 * unless the handler held the reply (vfork, wait, punish delay) or the
 * caller is gone (exit, exec).
 *
 * Started by the root task with: h_extra[0] its endpoint (receive, and the
 * object every process's proc handle names), [1] a sysctl handle for
 * power-off and printing (R_DEBUG: we print through the SBI console, never
 * through the console server, which is our child), [2] the file server,
 * [3] the console endpoint (handed out badged with the pid), [4] the UART's
 * interrupt and [5] its registers (dev_pa, dev_compat in startinfo), which
 * PROC_CONSOLE gives the console server; the boot archive at si->archive.
 * It makes init (pid 1) the way newproc does: in its own task.
 */
#include <stdio.h>
#include <string.h>
#include "sys.h"
#include "procsrv.h"

struct req {
	struct proc *p;
	struct lwp *l;
	struct msg *in, *out;
	const char *buf;             /* received buffer (NUL-terminated), or "" */
	uint64_t buflen;             /* its length without that NUL */
	handle_t cap;                /* received handle, or -1 */
	const void *obuf;            /* buffer to send with the reply */
	uint64_t olen;
};

static handle_t h_sysctl, h_timer;
static uint64_t tick_len;        /* time-CSR ticks in a 10 ms clock tick */
static struct proc p0;           /* the system: parent of init, project 0, zone 0 */

/* ---- punish delays: failed forks are answered later ---- */
#define NPUNISH 64
static struct { handle_t reply; int err; uint64_t due; } held[NPUNISH];

static uint64_t now(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static void arm_timer(struct system *sys)
{
	uint64_t first = 0;
	for (int i = 0; i < NPUNISH; i++)
		if (held[i].reply >= 0 && (!first || held[i].due < first))
			first = held[i].due;
	ntfn_timer(h_timer, 1, first);
}

int punish(struct system *sys, int err)
{
	for (int i = 0; i < NPUNISH; i++) {
		if (held[i].reply >= 0)
			continue;
		if (k_reply_save(&held[i].reply)) {
			held[i].reply = -1;
			return err;         /* answer at once rather than lose it */
		}
		held[i].err = err;
		held[i].due = now() + (uint64_t)punish_ticks(sys) * tick_len;
		sys->fork_fail_pending++;
		arm_timer(sys);
		return HELD;
	}
	return err;
}

static void punish_expire(struct system *sys)
{
	uint64_t t = now();
	for (int i = 0; i < NPUNISH; i++) {
		if (held[i].reply < 0 || held[i].due > t)
			continue;
		struct msg m = { .info = IPC_INFO((uint32_t)held[i].err, 0) };
		k_reply_send(held[i].reply, &m);
		held[i].reply = -1;
		sys->fork_fail_pending--;
	}
	arm_timer(sys);
}

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
	r->out->w[4] = p->p_uid;
	r->out->w[5] = p->p_gid;
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
	return do_lwp_create(sys, r->p, r->in->w[0], r->in->w[1], r->in->w[2], r->in->w[3], &r->out->w[0]);
}

static int h_lwp_exit(struct system *sys, struct req *r)
{
	struct proc *p = r->p;
	k_thread_destroy(r->l->l_th);
	k_handle_close(r->l->l_th);
	lwp_remove(p, r->l);
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
	upcount_dec(sys, r->p->p_uid);
	r->p->p_uid = (uint32_t)r->in->w[0];
	r->p->p_gid = (uint32_t)r->in->w[1];
	upcount_inc(sys, r->p->p_uid);
	return 0;
}

/* a handle that comes with the request goes to the child (its h_extra[0]) */
static int h_spawn(struct system *sys, struct req *r)
{
	struct image_req rq;
	struct spawn_kit kit = { .ngive = r->cap >= 0, .give = { r->cap }, .mask = { R_ALL }, .bind = -1, .dev = -1 };
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
	for (int i = 0; i < NPROC_TABLE; i++)
		if ((sys->procs[i].p_flag & PF_CONSOLE) && sys->procs[i].p_stat == P_RUN)
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
		err = do_exec(sys, r->p, &rq);
	return err ? err : NOREPLY;
}

static int h_list(struct system *sys, struct req *r)
{
	static struct proc_info info[NPROC_TABLE];
	int n = 0;
	for (int i = 0; i < NPROC_TABLE; i++) {
		struct proc *p = &sys->procs[i];
		struct proc_info *pi = &info[n];
		if (p->p_stat == P_FREE)
			continue;
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
	r->out->w[0] = r->p->p_sigpend;
	r->p->p_sigpend = 0;
	return 0;
}

/* the knob exists in test boots only (boot argument "test"): ENOSYS otherwise */
static bool fault_injection;

static int h_fault_inject(struct system *sys, struct req *r)
{
	if (!fault_injection)
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
	return k_poweroff(h_sysctl);
}

/* the kernel's IPC trace, for ipctrace: names every lwp while it is on */
static int trace_owner;          /* the pid that started it */

/* a trace whose owner is gone (killed, ^C) is stopped: it slows every message down */
static void trace_owner_check(struct system *sys)
{
	struct proc *o = proc_find(sys, trace_owner);
	if (o && o->p_stat == P_RUN)
		return;
	sys->tracing = false;
	k_trace(h_sysctl, TRACE_STOP, NULL, 0, 0, NULL, NULL);
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
		for (int i = 0; i < NPROC_TABLE; i++)
			for (int j = 0; sys->procs[i].p_stat == P_RUN && j < MAX_LWPS; j++)
				if (sys->procs[i].p_lwp[j].l_th >= 0)
					lwp_name(&sys->procs[i], sys->procs[i].p_lwp[j].l_th);
		if ((err = k_trace(h_sysctl, TRACE_START, NULL, 0, 0, NULL, NULL)))
			sys->tracing = false;
		trace_owner = r->p->p_pid;
		return err;
	case TRACE_STOP:
		sys->tracing = false;
		if ((err = k_trace(h_sysctl, TRACE_STOP, NULL, 0, 0, &n, &dropped)))
			return err;
		r->out->w[0] = n;
		r->out->w[1] = dropped;
		r->out->info = IPC_INFO(0, 2);
		return 0;
	case TRACE_READ:
		if ((err = k_trace(h_sysctl, TRACE_READ, recs, sizeof(recs) / sizeof(recs[0]), r->in->w[1], &n, NULL)))
			return err;
		r->obuf = recs;
		r->olen = n * sizeof(recs[0]);
		r->out->w[0] = n;
		r->out->info = IPC_INFO(0, 1);
		return 0;
	}
	return EINVAL;
}

static int h_kill(struct system *sys, struct req *r)
{
	bool self;
	int err = do_kill(sys, r->p, (int)r->in->w[0], (int)r->in->w[1], &self);
	return self ? NOREPLY : err;
}

static int h_sigaction(struct system *sys, struct req *r)
{
	return do_sigaction(r->p, (int)r->in->w[0], (int)r->in->w[1], r->in->w[2]);
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

static const struct {
	int (*fn)(struct system *, struct req *);
	const char *name;
} table[PROC_NMSG] = {
	[PROC_FORKSYS] = { h_forksys, "forksys" },
	[PROC_EXIT] = { h_exit, "exit" },
	[PROC_WAITID] = { h_waitid, "waitid" },
	[PROC_GETPID] = { h_getpid, "getpid" },
	[PROC_SETSID] = { h_setsid, "setsid" },
	[PROC_SETPGID] = { h_setpgid, "setpgid" },
	[PROC_GETSID] = { h_getsid, "getsid" },
	[PROC_GETPGID] = { h_getpgid, "getpgid" },
	[PROC_LWP_CREATE] = { h_lwp_create, "lwp_create" },
	[PROC_LWP_EXIT] = { h_lwp_exit, "lwp_exit" },
	[PROC_RCTL_GET] = { h_rctl_get, "rctl_get" },
	[PROC_RCTL_SET] = { h_rctl_set, "rctl_set" },
	[PROC_NEWTASK] = { h_newtask, "newtask" },
	[PROC_SETUID] = { h_setuid, "setuid" },
	[PROC_SPAWN] = { h_spawn, "spawn" },
	[PROC_EXEC] = { h_exec, "exec" },
	[PROC_LIST] = { h_list, "list" },
	[PROC_FORKSTAT] = { h_forkstat, "forkstat" },
	[PROC_SYSCONF] = { h_sysconf, "sysconf" },
	[PROC_SIGPOLL] = { h_sigpoll, "sigpoll" },
	[PROC_FAULT_INJECT] = { h_fault_inject, "fault_inject" },
	[PROC_POWEROFF] = { h_poweroff, "poweroff" },
	[PROC_KILL] = { h_kill, "kill" },
	[PROC_SBRK] = { h_sbrk, "sbrk" },
	[PROC_SIGACTION] = { h_sigaction, "sigaction" },
	[PROC_TRACE] = { h_trace, "trace" },
	[PROC_CONSOLE] = { h_console, "console" },
};

/* a thread of process pid faulted or exited (kernel messages, FAULT_BADGE) */
static void lwp_event(struct system *sys, int pid, const struct msg *m)
{
	struct proc *p = proc_find(sys, pid);
	uint32_t label = IPC_LABEL(m->info);
	struct lwp *l;

	if (!p || p->p_stat != P_RUN)
		return;
	if (label == LABEL_FAULT) {
		int sig = m->w[0] == 2 ? SIGILL_NO : SIGSEGV_NO;
		printf("proc: pid %d (%s) fault scause %lu at pc 0x%lx addr 0x%lx: killed\n", p->p_pid,
		       p->p_name, (unsigned long)m->w[0], (unsigned long)m->w[2], (unsigned long)m->w[1]);
		proc_exit(sys, p, sig);
		return;
	}
	/* LABEL_EXIT: the thread ended itself (thread_exit) */
	if ((l = lwp_find(p, m->w[1]))) {
		k_handle_close(l->l_th);
		lwp_remove(p, l);
	}
	if (p->p_nlwp == 0)
		proc_exit(sys, p, (int)((m->w[0] & 0xff) << 8));
}

/* init: "/sbin/init" with the boot arguments as its argv, an environment with PATH */
static void make_init(struct system *sys, const char *args)
{
	static char req[512];
	struct image_req rq;
	size_t n = 0;
	uint64_t argc = 0;
	int pid, tk, err = ESRCH;
	struct proc *init;

	memset(&p0, 0, sizeof(p0));
	p0.p_stat = P_RUN;
	p0.p_h_proc = p0.p_h_console = p0.p_h_fs = -1;   /* no handles, no files: init gets a fresh table */
	p0.p_zone = zone_by_id(sys, 0);
	p0.p_task = task_create(sys, project_get(sys, 0, p0.p_zone));
	p0.p_task->tk_nprocs++;                 /* the system itself, never released */
	p0.p_task->tk_proj->kpj_nprocs++;
	p0.p_sess = sess_create(sys, 0);
	p0.p_sess->s_refs++;
	for (int i = 0; i < RCTL_NPROCESS; i++)
		p0.p_rctl[i] = RCTL_UNLIMITED;
	p0.p_rctl[RCTL_PROCESS_MAX_AS] = sys->v_as_default;
	p0.p_rctl[RCTL_PROCESS_MAX_FD] = 256;
	n += (size_t)snprintf(req, sizeof(req), "/sbin/init") + 1;
	n += (size_t)snprintf(req + n, sizeof(req) - n, "init") + 1;
	argc++;
	for (const char *a = args; *a && n < sizeof(req) - 64; a += strlen(a) + 1, argc++)
		n += (size_t)snprintf(req + n, sizeof(req) - n - 32, "%s", a) + 1;
	n += (size_t)snprintf(req + n, sizeof(req) - n, "PATH=/bin") + 1;
	n += (size_t)snprintf(req + n, sizeof(req) - n, "HOME=/") + 1;
	if ((err = image_req_parse(req, n, argc, 2, &rq)) || (err = do_spawn(sys, &p0, &rq, NULL, &pid)) ||
	    !(init = proc_find(sys, pid))) {
		printf("proc: cannot start init (%s)\n", strerror(err));
		return;
	}
	/* newproc: init is a session leader in a task of its own */
	init->p_parent = NULL;
	sess_leave(init);
	sess_join(init, sess_create(sys, pid));
	init->p_pgid = pid;
	do_newtask(sys, init, 0, &tk);
}

/*
 * Reply and receive the next request into *m.  The reply goes first: a
 * caught signal is delivered after the call that sent it was answered.
 */
static long answer(struct system *sys, handle_t ep, struct msg *out, struct msg *m, struct ipc_ext *e)
{
	long r;
	if (sig_deliverable(sys)) {
		ipc_reply(out, e);
		e->slen = 0;
		sig_deliver(sys);
		return ipc_recv(ep, m, e);
	}
	r = ipc_replyrecv(ep, out, e);
	*m = *out;                       /* the next request arrived where the reply was */
	e->slen = 0;
	return r;
}

int umain(void *arg)
{
	static struct system the_system;  /* the one instance: every handler is given it */
	struct system *sys = &the_system;
	struct startinfo *si = arg;
	static char buf[IPC_MAX_BUF + 1];
	struct ipc_ext e = { .rbuf = (uint64_t)buf, .rlen = IPC_MAX_BUF, .scap = -1 };
	struct msg m, out;
	handle_t ep = si->h_extra[0];
	struct sysinfo sinfo;
	const char *words = si->args + strlen(si->args) + 1;   /* the boot arguments */
	long r;

	h_sysctl = kcalls_sysctl = si->h_extra[1];
	libsys_output_debug(h_sysctl);
	sys_info(&sinfo);
	tick_len = sinfo.timebase_hz / 100;
	for (int i = 0; i < NPUNISH; i++)
		held[i].reply = -1;
	if (ntfn_create(&h_timer) || ntfn_bind(h_timer, si->h_thread)) {
		printf("proc: no timer\n");
		return 1;
	}
	proc_system_init(sys, (int)si->ncpus, ep, si->h_extra[3]);
	sys->cons_irq = si->h_extra[4];
	sys->cons_dev = si->h_extra[5];
	sys->cons_pa = si->dev_pa;
	memcpy(sys->cons_compat, si->dev_compat, sizeof(sys->cons_compat) - 1);
	sys->fs_ep = kcalls_fs_ep = si->h_extra[2];
	mem_init(sys, sinfo.free_pages * 4096);    /* what is free now is what processes may reserve, less a reserve */
	spawn_set_archive((const void *)si->archive, si->archive_len);
	for (const char *a = words; *a; a += strlen(a) + 1)
		if (strcmp(a, "test") == 0)
			fault_injection = true;
	make_init(sys, words);                  /* init gets every word after our own name */

	r = ipc_recv(ep, &m, &e);
	for (;;) {
		struct req rq = { .in = &m, .out = &out, .buf = "", .cap = -1 };
		uint32_t label = IPC_LABEL(m.info);
		int err;

		if (sys->tracing)
			trace_owner_check(sys);
		if (r < 0) {
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		/*
		 * The kernel's messages, told by who sent them, not by label alone:
		 * our timer's tick comes from no thread on no badge, an lwp's fault
		 * or exit on the badge its fault handle has.  Neither carries a
		 * handle; one that came anyway is closed, as is any a handler
		 * below does not keep.
		 */
		if ((m.badge == 0 && m.tid == 0 && label == LABEL_NTFN) || (m.badge & FAULT_BADGE)) {
			if (m.info & IPC_GOT_CAP)
				k_handle_close(e.rcap);
			if (label == LABEL_NTFN)
				punish_expire(sys);
			else
				lwp_event(sys, (int)(m.badge & 0xffffffff), &m);
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		/* who is it: the badge names the process (or the terminal), the kernel names the thread */
		if (m.badge == PROC_BADGE_TTY) {
			memset(&out, 0, sizeof(out));
			out.info = IPC_INFO(0, 4);
			err = label == PROC_KILL ? do_tty_kill(sys, -(int)m.w[0], (int)m.w[1]) :
			      label == PROC_TTY_QUERY ? do_tty_query(sys, (int)m.w[0], (int)m.w[1], (int)m.w[2], m.w[3] == 1, out.w) :
			      EPERM;
			if (m.info & IPC_GOT_CAP)
				k_handle_close(e.rcap);
			out.info = (out.info & ~0xffffffffull) | (uint32_t)err;
			r = answer(sys, ep, &out, &m, &e);
			continue;
		}
		rq.p = proc_find(sys, (int)m.badge);
		rq.l = rq.p ? lwp_find(rq.p, m.tid) : NULL;
		memset(&out, 0, sizeof(out));
		out.info = IPC_INFO(0, 2);
		if (m.info & IPC_GOT_BUF) {
			buf[e.rbytes] = '\0';
			rq.buf = buf;
			rq.buflen = e.rbytes;
		}
		if (m.info & IPC_GOT_CAP)
			rq.cap = e.rcap;
		if (!rq.p || rq.p->p_stat != P_RUN || !rq.l)
			err = EPERM;
		else if (label == 0 || label >= PROC_NMSG || !table[label].fn)
			err = ENOSYS;
		else
			err = table[label].fn(sys, &rq);
		if (rq.cap >= 0)
			k_handle_close(rq.cap);
		if (err == HELD || err == NOREPLY) {
			if (sig_deliverable(sys))
				sig_deliver(sys);
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		out.info = (out.info & ~0xffffffffull) | (uint32_t)err;
		e.sbuf = (uint64_t)rq.obuf;
		e.slen = err ? 0 : rq.olen;
		r = answer(sys, ep, &out, &m, &e);
	}
}
