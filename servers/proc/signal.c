/*
 * Signals: who may send one, where it goes, and what it does.
 *
 * As in illumos, a signal is sent either to a process (kill, the terminal,
 * a child's SIGCHLD) or to one of its lwps (pthread_kill, raise), and every
 * lwp has a mask of its own.  A signal sent to an lwp waits on that lwp; one
 * sent to the process is taken by an lwp in sigwait for it, else by the
 * first lwp that does not block it, and waits on the process while every
 * lwp blocks it.  Whenever a signal is sent or a mask changes, sig_dispatch
 * acts on what an lwp can take now:
 *   - an lwp in sigwait for it gets it as its answer;
 *   - a default action is taken at once: terminate (the wait status carries
 *     the signal), stop (every lwp suspended, the parent's wait sees it with
 *     WUNTRACED), or nothing (SIGCHLD and the others ignored by default);
 *   - a caught one: an lwp in sigsuspend is answered with it (libc runs the
 *     handler and returns EINTR); otherwise it is left for sig_deliver,
 *     which runs after the current request is answered: the lwp is
 *     interrupted and starts libc's trampoline on a frame pushed below its
 *     stack pointer.  When the taking lwp itself asked (kill, pthread_kill,
 *     sigprocmask), the reply names the signal instead (sig_take_now) and
 *     libc runs the handler before the call returns, as POSIX wants.
 * A handler runs with its lwp's mask widened by sa_mask and, without
 * SA_NODEFER, the signal itself; the mask to put back travels with it (the
 * frame, or the reply) and libc puts it back with PROC_SIGMASK when the
 * handler returns.  While a process is stopped, signals other than SIGKILL
 * and SIGCONT wait and take effect when it continues.
 */
#include <signal.h>
#include <string.h>
#include "procsrv.h"

#define BIT(s) (1u << (s))
#define STOP_SIGS (BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU))
#define IGNORED_BY_DEFAULT (BIT(SIGCHLD) | BIT(SIGURG) | BIT(SIGWINCH) | BIT(SIGCONT))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
#define ALL_SIGS 0xfffffffeu

static int lowest(uint32_t set)
{
	return set ? __builtin_ctz(set) : 0;
}

static void stop(struct system *sys, struct proc *p, int sig)
{
	if (p->p_flag & PF_STOPPED)
		return;
	for (int i = 0; i < MAX_LWPS; i++)
		if (p->p_lwp[i].l_th >= 0)
			k_thread_suspend(p->p_lwp[i].l_th);
	p->p_flag = (p->p_flag | PF_STOPPED | PF_WSTOP) & ~PF_WCONT;
	p->p_stopsig = sig;
	wait_notify(sys, p);
}

static void cont(struct system *sys, struct proc *p)
{
	if (!(p->p_flag & PF_STOPPED))
		return;
	for (int i = 0; i < MAX_LWPS; i++)
		if (p->p_lwp[i].l_th >= 0)
			k_thread_resume(p->p_lwp[i].l_th);
	p->p_flag = (p->p_flag | PF_WCONT) & ~(PF_STOPPED | PF_WSTOP);
	sys->sig_work = true;
	wait_notify(sys, p);
}

/* set off every pending set of p, the process's and its lwps' */
static void drop_pending(struct proc *p, uint32_t set)
{
	p->p_sigpend &= ~set;
	for (int i = 0; i < MAX_LWPS; i++)
		p->p_lwp[i].l_sigpend &= ~set;
}

static bool in_sigwait_for(const struct lwp *l, int sig)
{
	return l->l_sigwait >= 0 && (l->l_waitset & BIT(sig));
}

/* the lwp that takes sig sent to p: one in sigwait for it, else the first that does not block it */
static struct lwp *taker(struct proc *p, int sig)
{
	struct lwp *first = NULL;
	for (int i = 0; i < MAX_LWPS; i++) {
		struct lwp *l = &p->p_lwp[i];
		if (l->l_th < 0)
			continue;
		if (in_sigwait_for(l, sig))
			return l;
		if (!first && !(l->l_sigmask & BIT(sig)))
			first = l;
	}
	return first;
}

/* take sig off l's own pending set if it is there, else off the process's */
static void take(struct proc *p, struct lwp *l, int sig)
{
	if (l->l_sigpend & BIT(sig))
		l->l_sigpend &= ~BIT(sig);
	else
		p->p_sigpend &= ~BIT(sig);
}

/* l is about to run sig's handler: what it blocks meanwhile; SA_RESETHAND's reset */
static void handler_start(struct proc *p, struct lwp *l, int sig)
{
	uint32_t more = p->p_sigact_mask[sig] | ((p->p_signodefer & BIT(sig)) ? 0 : BIT(sig));
	l->l_sigmask |= more & ~UNBLOCKABLE;
	if (p->p_sigreset & BIT(sig)) {
		p->p_sigcatch &= ~BIT(sig);
		p->p_sigreset &= ~BIT(sig);
		p->p_signodefer &= ~BIT(sig);
		p->p_sigact_mask[sig] = 0;
	}
}

/* a held sigsuspend or sigwait reply goes out now */
static void answer_held(struct lwp *l, uint32_t label, uint64_t w0, uint64_t w1, uint64_t w2)
{
	struct msg m = { .info = IPC_INFO(label, 3), .w = { w0, w1, w2 } };
	k_reply_send(l->l_sigwait, &m);
	l->l_sigwait = -1;
	l->l_waitset = 0;
	l->l_sigdue = 0;
}

/*
 * l can take sig now: act on it.  False when it is left pending for
 * sig_deliver (a caught signal for an lwp that is not held here).
 */
static bool act(struct system *sys, struct proc *p, struct lwp *l, int sig)
{
	if (in_sigwait_for(l, sig)) {
		take(p, l, sig);
		answer_held(l, 0, (uint64_t)sig, 0, 0);
		return true;
	}
	if (p->p_sigcatch & BIT(sig)) {
		if (l->l_sigwait >= 0 && !l->l_waitset) {
			/* sigsuspend: the handler runs as it returns, then the old mask is back */
			uint32_t back = l->l_oldmask;
			take(p, l, sig);
			handler_start(p, l, sig);
			answer_held(l, 0, 0, (uint64_t)sig, back);
		} else if (l->l_sigwait >= 0) {
			answer_held(l, EINTR, 0, 0, 0);   /* sigwait for others: interrupted, then the handler */
		}
		sys->sig_work = true;
		return false;
	}
	take(p, l, sig);
	if (IGNORED_BY_DEFAULT & BIT(sig))
		return true;
	if (STOP_SIGS & BIT(sig))
		stop(sys, p, sig);
	else
		proc_exit(sys, p, sig);
	return true;
}

/* one signal acted on: false when nothing is left that can be */
static bool dispatch_one(struct system *sys, struct proc *p)
{
	for (int i = 0; i < MAX_LWPS; i++) {
		struct lwp *l = &p->p_lwp[i];
		if (l->l_th < 0)
			continue;
		for (uint32_t set = l->l_sigpend | p->p_sigpend; set; set &= set - 1) {
			int sig = lowest(set);
			bool mine = l->l_sigpend & BIT(sig);
			if (mine ? !in_sigwait_for(l, sig) && (l->l_sigmask & BIT(sig)) : taker(p, sig) != l)
				continue;
			if (act(sys, p, l, sig))
				return true;
		}
	}
	return false;
}

void sig_dispatch(struct system *sys, struct proc *p)
{
	/* each pass takes one signal off a pending set, or ends */
	for (int n = 0; n <= 32 * (MAX_LWPS + 1); n++)
		if (p->p_stat != P_RUN || (p->p_flag & PF_STOPPED) || !dispatch_one(sys, p))
			return;
}

/* sig sent to p (l NULL) or to its lwp l */
static void send(struct system *sys, struct proc *p, struct lwp *l, int sig)
{
	if (p->p_stat != P_RUN || sig <= 0 || sig >= 32)
		return;
	p->p_sigpoll |= BIT(sig);
	if (sig == SIGKILL) {
		proc_exit(sys, p, SIGKILL);
		return;
	}
	if (sig == SIGCONT) {
		drop_pending(p, STOP_SIGS);
		cont(sys, p);                           /* whatever its disposition or mask */
	} else if (STOP_SIGS & BIT(sig)) {
		drop_pending(p, BIT(SIGCONT));
	}
	if (p->p_sigign & BIT(sig))
		return;                                 /* ignored: discarded, blocked or not */
	if (l)
		l->l_sigpend |= BIT(sig);
	else
		p->p_sigpend |= BIT(sig);
	sig_dispatch(sys, p);
}

void proc_signal(struct system *sys, struct proc *p, int sig)
{
	send(sys, p, NULL, sig);
}

void lwp_signal(struct system *sys, struct proc *p, struct lwp *l, int sig)
{
	send(sys, p, l, sig);
}

int do_sigaction(struct proc *p, int sig, int disp, uint64_t tramp, uint32_t mask, uint32_t flags)
{
	if (sig <= 0 || sig >= 32 || disp < SIGDISP_DFL || disp > SIGDISP_CATCH)
		return EINVAL;
	if (disp == SIGDISP_CATCH && (tramp < USER_VA_MIN || tramp >= USER_VA_MAX || (tramp & 1)))
		return EFAULT;
	if ((sig == SIGKILL || sig == SIGSTOP) && disp != SIGDISP_DFL)
		return EINVAL;
	p->p_sigign &= ~BIT(sig);
	p->p_sigcatch &= ~BIT(sig);
	p->p_sigreset &= ~BIT(sig);
	p->p_signodefer &= ~BIT(sig);
	p->p_sigact_mask[sig] = 0;
	if (sig == SIGCHLD) {
		p->p_nocldstop = flags & SIGACT_NOCLDSTOP;
		p->p_nocldwait = flags & SIGACT_NOCLDWAIT;
	}
	if (disp == SIGDISP_IGN) {
		p->p_sigign |= BIT(sig);
		drop_pending(p, BIT(sig));       /* POSIX: a pending signal set to SIG_IGN is discarded */
	} else if (disp == SIGDISP_CATCH) {
		p->p_sigcatch |= BIT(sig);
		p->p_sigtramp = tramp;
		p->p_sigact_mask[sig] = mask & ALL_SIGS & ~UNBLOCKABLE;
		if (flags & SIGACT_RESETHAND)
			p->p_sigreset |= BIT(sig);
		if (flags & SIGACT_NODEFER)
			p->p_signodefer |= BIT(sig);
	}
	return 0;
}

/* ---- masks and waits: PROC_SIGMASK, PROC_SIGSUSPEND, PROC_SIGWAIT ---- */

/*
 * A caught signal l may take now, taken and named in the reply (w1 the
 * signal, w2 the mask libc puts back after its handler): libc runs it before
 * the call returns.  False if there is none.
 */
bool sig_take_now(struct proc *p, struct lwp *l, struct msg *out)
{
	uint32_t can = (l->l_sigpend | p->p_sigpend) & p->p_sigcatch & ~l->l_sigmask;
	int sig;

	if (!can || p->p_stat != P_RUN || (p->p_flag & (PF_STOPPED | PF_VFORK)) || !p->p_sigtramp)
		return false;
	sig = lowest(can);
	out->info = IPC_INFO(IPC_LABEL(out->info), 3);
	out->w[1] = (uint64_t)sig;
	out->w[2] = l->l_sigmask;
	take(p, l, sig);
	handler_start(p, l, sig);
	return true;
}

int do_sigmask(struct system *sys, struct proc *p, struct lwp *l, int how, uint32_t set, struct msg *out)
{
	uint32_t old = l->l_sigmask, mask;

	switch (how) {
	case SIG_BLOCK: mask = old | set; break;
	case SIG_UNBLOCK: mask = old & ~set; break;
	case SIG_SETMASK: mask = set; break;
	default: return EINVAL;
	}
	l->l_sigmask = mask & ALL_SIGS & ~UNBLOCKABLE;
	out->info = IPC_INFO(0, 3);
	out->w[0] = old;
	out->w[1] = out->w[2] = 0;
	sig_dispatch(sys, p);                 /* a default action now unblocked is taken */
	if (p->p_stat != P_RUN)
		return NOREPLY;
	sig_take_now(p, l, out);
	return 0;
}

/* held until a signal ends it: a caught one (w1, w2 as sig_take_now) or one that terminates */
int do_sigsuspend(struct system *sys, struct proc *p, struct lwp *l, uint32_t mask)
{
	if (k_reply_save(&l->l_sigwait)) {
		l->l_sigwait = -1;
		return EAGAIN;
	}
	l->l_waitset = 0;
	l->l_sigdue = 0;
	l->l_oldmask = l->l_sigmask;
	l->l_sigmask = mask & ALL_SIGS & ~UNBLOCKABLE;
	sig_dispatch(sys, p);
	return HELD;
}

/*
 * sigwait: a signal of set taken off the pending sets (w0), at once or when
 * one comes; due 1: only what is pending now (EAGAIN if none), else 0 (no
 * limit) or the time (rdtime) at which EAGAIN answers it.
 */
int do_sigwait(struct system *sys, struct proc *p, struct lwp *l, uint32_t set, uint64_t due, struct msg *out)
{
	uint32_t now;

	set &= ALL_SIGS & ~UNBLOCKABLE;
	if (!set)
		return EINVAL;
	if ((now = (l->l_sigpend | p->p_sigpend) & set)) {
		int sig = lowest(now);
		take(p, l, sig);
		out->w[0] = (uint64_t)sig;
		return 0;
	}
	if (due == 1)
		return EAGAIN;
	if (k_reply_save(&l->l_sigwait)) {
		l->l_sigwait = -1;
		return EAGAIN;
	}
	l->l_waitset = set;
	l->l_sigdue = due;
	return HELD;
}

void sig_timeout(struct system *sys, uint64_t now)
{
	for_each_proc(sys, p)
		for (int i = 0; i < MAX_LWPS; i++) {
			struct lwp *l = &p->p_lwp[i];
			if (l->l_th >= 0 && l->l_sigwait >= 0 && l->l_sigdue && l->l_sigdue <= now)
				answer_held(l, EAGAIN, 0, 0, 0);
		}
}

uint64_t sig_next_due(struct system *sys)
{
	uint64_t first = 0;
	for_each_proc(sys, p)
		for (int i = 0; i < MAX_LWPS; i++) {
			struct lwp *l = &p->p_lwp[i];
			if (l->l_th >= 0 && l->l_sigwait >= 0 && l->l_sigdue && (!first || l->l_sigdue < first))
				first = l->l_sigdue;
		}
	return first;
}

void sig_lwp_gone(struct lwp *l)
{
	if (l->l_sigwait >= 0)
		k_handle_close(l->l_sigwait);
	l->l_sigwait = -1;
	l->l_waitset = 0;
	l->l_sigdue = 0;
}

/* ---- delivery of caught signals ---- */

/* p's lwp is held by its vfork child (sharing its stack): nothing may run on it yet */
static bool vfork_held(struct system *sys, const struct proc *p)
{
	for_each_proc(sys, c)
		if (c->p_stat == P_RUN && c->p_parent == p && (c->p_flag & PF_VFORK))
			return true;
	return false;
}

/* what sig_deliver would run on l: caught, not blocked, and l not held here */
static uint32_t deliverable_to(const struct proc *p, const struct lwp *l)
{
	if (l->l_th < 0 || l->l_sigwait >= 0)
		return 0;
	return (l->l_sigpend | p->p_sigpend) & p->p_sigcatch & ~l->l_sigmask;
}

static bool can_deliver(struct system *sys, const struct proc *p)
{
	bool any = false;
	if (p->p_stat != P_RUN || (p->p_flag & (PF_STOPPED | PF_VFORK)) || p->p_nlwp == 0 || !p->p_sigtramp)
		return false;
	for (int i = 0; i < MAX_LWPS && !any; i++)
		any = deliverable_to(p, &p->p_lwp[i]) != 0;
	return any && !vfork_held(sys, p);
}

/* only after something set sys->sig_work: the table is not scanned on every message */
bool sig_deliverable(struct system *sys)
{
	if (!sys->sig_work)
		return false;
	for_each_proc(sys, p)
		if (can_deliver(sys, p))
			return true;
	sys->sig_work = false;            /* what is pending waits for a mask, a continue or a vfork's end */
	return false;
}

/*
 * Run sig's handler on lwp l of p: hold the lwp, end a call it waits in
 * (our own held wait answers EINTR; the kernel fails any other), push a
 * frame with its registers and the mask to put back (back) below its stack
 * and start it at the trampoline.  A stack that cannot take the frame: the
 * process dies of SIGSEGV.
 */
static void deliver_one(struct system *sys, struct proc *p, struct lwp *l, int sig, uint32_t back)
{
	struct user_regs regs;
	struct sigframe f;
	uint64_t sp;
	bool hit;

	if (k_thread_suspend(l->l_th))
		return;
	if (p->p_wait_reply >= 0 && p->p_wait_tid == l->l_tid) {
		struct msg m = { .info = IPC_INFO(EINTR, 0) };
		k_reply_send(p->p_wait_reply, &m);
		p->p_wait_reply = -1;
	}
	k_thread_interrupt(l->l_th, &hit);     /* a call it was blocked in fails with EINTR, if any */
	if (k_thread_read_regs(l->l_th, &regs)) {
		k_thread_resume(l->l_th);
		return;
	}
	memset(&f, 0, sizeof(f));
	memcpy(f.regs, &regs, sizeof(f.regs));
	f.sig = (uint64_t)sig;
	f.mask = back;
	sp = ((regs.x[2] - sizeof(f)) & ~15ull);
	if (regs.x[2] < USER_VA_MIN + sizeof(f) || k_as_copy(p->p_as, sp, &f, sizeof(f))) {
		k_thread_resume(l->l_th);
		proc_exit(sys, p, SIGSEGV);
		return;
	}
	regs.pc = p->p_sigtramp;
	regs.x[2] = sp;
	regs.x[10] = (uint64_t)sig;
	regs.x[11] = sp;
	k_thread_write_regs(l->l_th, &regs);
	k_thread_resume(l->l_th);
}

void sig_deliver(struct system *sys)
{
	for_each_proc(sys, p) {
		if (!can_deliver(sys, p))
			continue;
		for (int i = 0; i < MAX_LWPS && p->p_stat == P_RUN; i++) {
			struct lwp *l = &p->p_lwp[i];
			uint32_t can;
			/* one frame on another: the last pushed runs first */
			for (int n = 0; n < 32 && p->p_stat == P_RUN && (can = deliverable_to(p, l)); n++) {
				int sig = lowest(can);
				uint32_t back = l->l_sigmask;
				take(p, l, sig);
				handler_start(p, l, sig);
				deliver_one(sys, p, l, sig, back);
			}
		}
	}
}

/* exec: a handler does not survive its image; ignoring does, and so does what is pending */
void sig_exec(struct proc *p)
{
	p->p_sigcatch = 0;
	p->p_sigreset = p->p_signodefer = 0;
	p->p_nocldstop = p->p_nocldwait = false;     /* flags go as Linux's do; SIG_IGN stays */
	memset(p->p_sigact_mask, 0, sizeof(p->p_sigact_mask));
}

/*
 * The terminal's requests (badge PROC_BADGE_TTY): a signal to a process
 * group typed at the keyboard, and what the console needs to know to keep
 * the terminal's session and foreground group (tcsetpgrp's checks).
 */
int do_tty_kill(struct system *sys, int pgid, int sig)
{
	static const uint32_t allowed = BIT(SIGINT) | BIT(SIGQUIT) | BIT(SIGTSTP) | BIT(SIGTTIN) |
					BIT(SIGTTOU) | BIT(SIGHUP) | BIT(SIGCONT) | BIT(SIGWINCH);
	int n = 0;
	if (pgid <= 1 || sig <= 0 || sig >= 32 || !(allowed & BIT(sig)))
		return EINVAL;
	for_each_proc(sys, t)
		if (t->p_stat == P_RUN && t->p_pgid == pgid && t->p_pid != 1) {
			proc_signal(sys, t, sig);
			n++;
		}
	return n ? 0 : ESRCH;
}

int do_tty_query(struct system *sys, int pid, int pgid, int tty_sid, bool take, uint64_t out[4])
{
	struct proc *p = proc_find(sys, pid);
	out[0] = out[1] = out[2] = out[3] = 0;
	if (!p || p->p_stat != P_RUN || !p->p_sess)
		return ESRCH;
	out[0] = (uint64_t)p->p_sess->s_sid;
	out[3] = (uint64_t)p->p_pgid;
	for_each_proc(sys, t) {
		if (t->p_stat == P_RUN && t->p_pgid == pgid && t->p_sess)
			out[1] = (uint64_t)t->p_sess->s_sid;
		if (t->p_sess && t->p_sess->s_sid == tty_sid && tty_sid)
			out[2] = 1;
	}
	if (take) {
		if (p->p_sess->s_sid != p->p_pid)
			return EPERM;                  /* only a session leader acquires a terminal */
		p->p_sess->s_ctty = TTY_CONSOLE;
	}
	return 0;
}

/*
 * kill: pid > 0 one process, 0 the caller's group, -1 every process we may
 * signal (init and the caller excepted), < -1 the group -pid.  Who may
 * signal whom: cred_may_signal (real and saved ids, POSIX).  sig 0 only
 * checks.  *self: the caller was among the targets and is gone (no reply).
 */
int do_kill(struct system *sys, struct proc *p, int pid, int sig, bool *self)
{
	int n = 0, denied = 0;
	bool hit_self = false;

	*self = false;
	if (sig < 0 || sig >= 32)
		return EINVAL;
	if (pid == 0)
		pid = -p->p_pgid;
	for_each_proc(sys, t) {
		bool match = pid > 0 ? t->p_pid == pid : pid == -1 ? t->p_pid != 1 && t != p : t->p_pgid == -pid;
		if (t->p_stat != P_RUN || !match)
			continue;
		if (t->p_pid == 1 && sig != 0 && !(t->p_sigcatch & BIT(sig)) && sig != SIGCHLD) {
			denied++;                      /* init gets only what it asked for */
			continue;
		}
		if (!cred_may_signal(p, t, sig)) {
			denied++;
			continue;
		}
		n++;
		if (t == p)
			hit_self = true;               /* last, after everyone else */
		else if (sig)
			proc_signal(sys, t, sig);
	}
	if (!n)
		return denied ? EPERM : ESRCH;
	if (hit_self && sig) {
		proc_signal(sys, p, sig);
		*self = p->p_stat != P_RUN;
	}
	return 0;
}
