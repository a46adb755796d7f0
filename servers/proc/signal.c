/*
 * Signals: who may send one, and what it does to its target.
 *
 * The proc server applies every default action itself: terminate (the
 * wait status carries the signal), stop (every lwp suspended, the parent's
 * wait sees it with WUNTRACED), continue, ignore.  A process tells us which
 * signals it ignores or catches (PROC_SIGACTION); a caught signal is marked
 * pending and delivered once the current request is answered (sig_deliver):
 * its first lwp is interrupted and runs libc's trampoline on a frame pushed
 * below its stack pointer.
 *
 * While a process is stopped, signals other than SIGKILL and SIGCONT wait
 * (POSIX) and take effect when it continues.
 */
#include <signal.h>
#include <string.h>
#include "procsrv.h"

#define BIT(s) (1u << (s))
#define STOP_SIGS (BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU))
#define IGNORED_BY_DEFAULT (BIT(SIGCHLD) | BIT(SIGURG) | BIT(SIGWINCH) | BIT(SIGCONT))

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
	uint32_t held;
	if (!(p->p_flag & PF_STOPPED))
		return;
	for (int i = 0; i < MAX_LWPS; i++)
		if (p->p_lwp[i].l_th >= 0)
			k_thread_resume(p->p_lwp[i].l_th);
	p->p_flag = (p->p_flag | PF_WCONT) & ~(PF_STOPPED | PF_WSTOP);
	sys->sig_work = true;
	wait_notify(sys, p);
	/* what arrived while it was stopped */
	held = p->p_sigpend & ~p->p_sigcatch;
	p->p_sigpend &= p->p_sigcatch;
	for (int s = 1; s < 32 && p->p_stat == P_RUN; s++)
		if (held & BIT(s))
			proc_signal(sys, p, s);
}

void proc_signal(struct system *sys, struct proc *p, int sig)
{
	if (p->p_stat != P_RUN || sig <= 0 || sig >= 32)
		return;
	if (sig == SIGKILL) {
		proc_exit(sys, p, SIGKILL);
		return;
	}
	if (sig == SIGCONT)
		cont(sys, p);                           /* whatever its disposition */
	if (p->p_sigign & BIT(sig))
		return;
	if (p->p_sigcatch & BIT(sig)) {
		p->p_sigpend |= BIT(sig);
		sys->sig_work = true;
		return;
	}
	if (p->p_flag & PF_STOPPED) {
		if (sig != SIGCONT && !(IGNORED_BY_DEFAULT & BIT(sig)))
			p->p_sigpend |= BIT(sig);      /* takes effect when continued */
		return;
	}
	if (IGNORED_BY_DEFAULT & BIT(sig))
		return;
	if (STOP_SIGS & BIT(sig))
		stop(sys, p, sig);
	else
		proc_exit(sys, p, sig);
}

int do_sigaction(struct proc *p, int sig, int disp, uint64_t tramp)
{
	if (sig <= 0 || sig >= 32 || disp < SIGDISP_DFL || disp > SIGDISP_CATCH)
		return EINVAL;
	if (disp == SIGDISP_CATCH && (tramp < USER_VA_MIN || tramp >= USER_VA_MAX || (tramp & 1)))
		return EFAULT;
	if ((sig == SIGKILL || sig == SIGSTOP) && disp != SIGDISP_DFL)
		return EINVAL;
	p->p_sigign &= ~BIT(sig);
	p->p_sigcatch &= ~BIT(sig);
	if (disp == SIGDISP_IGN) {
		p->p_sigign |= BIT(sig);
		p->p_sigpend &= ~BIT(sig);
	} else if (disp == SIGDISP_CATCH) {
		p->p_sigcatch |= BIT(sig);
		p->p_sigtramp = tramp;
	}
	if (disp != SIGDISP_IGN)
		p->p_sigpend &= ~BIT(sig);       /* what was sent before was ignored or is now moot */
	return 0;
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

static bool can_deliver(struct system *sys, const struct proc *p)
{
	return p->p_stat == P_RUN && (p->p_sigpend & p->p_sigcatch) && !(p->p_flag & (PF_STOPPED | PF_VFORK)) &&
	       p->p_nlwp > 0 && p->p_sigtramp && !vfork_held(sys, p);
}

/* only after something set sys->sig_work: the table is not scanned on every message */
bool sig_deliverable(struct system *sys)
{
	if (!sys->sig_work)
		return false;
	for_each_proc(sys, p)
		if (can_deliver(sys, p))
			return true;
	sys->sig_work = false;            /* what is pending waits for a continue or a vfork's end */
	return false;
}

/*
 * Run sig's handler on lwp l of p: hold the lwp, end a call it waits in
 * (our own held wait answers EINTR; the kernel fails any other), push a
 * frame with its registers below its stack and start it at the trampoline.
 * A stack that cannot take the frame: the process dies of SIGSEGV.
 */
static void deliver_one(struct system *sys, struct proc *p, struct lwp *l, int sig)
{
	struct user_regs regs;
	struct sigframe f;
	uint64_t sp;

	if (k_thread_suspend(l->l_th))
		return;
	if (p->p_wait_reply >= 0 && p->p_wait_tid == l->l_tid) {
		struct msg m = { .info = IPC_INFO(EINTR, 0) };
		k_reply_send(p->p_wait_reply, &m);
		p->p_wait_reply = -1;
	}
	bool hit;
	k_thread_interrupt(l->l_th, &hit);     /* a call it was blocked in fails with EINTR, if any */
	if (k_thread_read_regs(l->l_th, &regs)) {
		k_thread_resume(l->l_th);
		return;
	}
	memset(&f, 0, sizeof(f));
	memcpy(f.regs, &regs, sizeof(f.regs));
	f.sig = (uint64_t)sig;
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
		struct lwp *l = NULL;
		if (!can_deliver(sys, p))
			continue;
		for (int j = 0; j < MAX_LWPS && !l; j++)
			if (p->p_lwp[j].l_th >= 0)
				l = &p->p_lwp[j];
		for (int s = 1; s < 32 && p->p_stat == P_RUN; s++) {
			if (!(p->p_sigpend & p->p_sigcatch & BIT(s)))
				continue;
			p->p_sigpend &= ~BIT(s);
			deliver_one(sys, p, l, s);
		}
	}
}

/* exec: a handler does not survive its image; ignoring does */
void sig_exec(struct proc *p)
{
	p->p_sigcatch = 0;
	p->p_sigpend = 0;
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
 * signal (init and the caller excepted), < -1 the group -pid.  uid 0 may
 * signal anyone, others their own uid.  sig 0 only checks.  *self: the
 * caller was among the targets and is gone or stopped (no reply now).
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
		if (p->p_uid != 0 && p->p_uid != t->p_uid) {
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
