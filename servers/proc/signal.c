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
 *
 * What siginfo_t tells of a signal travels with it: every signal pending
 * has an entry on its process's queue (struct sigq, from the pool in struct
 * system) with the sender's pid and real uid, the code and the value.  A
 * standard signal sent again while pending is the same signal (one entry);
 * a realtime one (PROC_SIGRTMIN..MAX) is queued once per send, up to
 * PROC_SIGQUEUE_MAX per process (then sigqueue fails EAGAIN), and taken in
 * the order sent.  With the pool empty a standard signal is still pending,
 * only its siginfo says SI_NOINFO.  A fault (an lwp's fault message) whose
 * signal is caught and not blocked runs its handler on the faulting lwp
 * with the address; otherwise it ends the process, as in illumos.
 */
#include <signal.h>
#include <string.h>
#include "procsrv.h"

#define BIT(s) (1ull << (s))
#define STOP_SIGS (BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU))
#define IGNORED_BY_DEFAULT (BIT(SIGCHLD) | BIT(SIGURG) | BIT(SIGWINCH) | BIT(SIGCONT) | BIT(PROC_SIGCANCEL))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
#define ALL_SIGS (~1ull)               /* 1..PROC_NSIG-1 */
#define IS_RT(s) ((s) >= PROC_SIGRTMIN)

static const struct ksiginfo noinfo = { .code = SI_NOINFO_CODE };

static int lowest(uint64_t set)
{
	return set ? __builtin_ctzll(set) : 0;
}

/* ---- the siginfo queue ---- */

void sig_init(struct system *sys)
{
	for (int i = 1; i < NSIGQ; i++)
		sys->sigq[i].q_next = (uint16_t)(i + 1 < NSIGQ ? i + 1 : 0);
	sys->sigq_free = 1;
}

/* sig for lwp id (0: the process) goes on the end of p's queue; false if the pool is empty */
static bool q_add(struct system *sys, struct proc *p, int id, int sig, const struct ksiginfo *info)
{
	uint16_t i = sys->sigq_free, *at = &p->p_sigq;
	struct sigq *q;

	if (!i)
		return false;
	q = &sys->sigq[i];
	sys->sigq_free = q->q_next;
	*q = (struct sigq){ .q_sig = (uint8_t)sig, .q_lwp = id, .q_code = info->code, .q_pid = info->pid,
			    .q_uid = info->uid, .q_status = info->status, .q_value = info->value };
	while (*at)
		at = &sys->sigq[*at].q_next;
	*at = i;
	if (IS_RT(sig))
		p->p_nsigq_rt++;
	return true;
}

static void q_unlink(struct system *sys, struct proc *p, uint16_t *at)
{
	struct sigq *q = &sys->sigq[*at];
	uint16_t i = *at;
	if (IS_RT(q->q_sig))
		p->p_nsigq_rt--;
	*at = q->q_next;
	q->q_next = sys->sigq_free;
	sys->sigq_free = i;
}

/* the first of sig for lwp id taken off p's queue into *info (none: SI_NOINFO); true if another is left */
static bool q_take(struct system *sys, struct proc *p, int id, int sig, struct ksiginfo *info)
{
	bool found = false;
	*info = noinfo;
	for (uint16_t *at = &p->p_sigq; *at; ) {
		struct sigq *q = &sys->sigq[*at];
		if (q->q_sig != sig || q->q_lwp != id) {
			at = &q->q_next;
			continue;
		}
		if (found)
			return true;
		found = true;
		*info = (struct ksiginfo){ q->q_code, q->q_pid, q->q_uid, q->q_status, q->q_value };
		q_unlink(sys, p, at);
	}
	return false;
}

/* every entry of p's queue for a signal of set, for lwp id (-1: for anyone) */
static void q_drop(struct system *sys, struct proc *p, int id, uint64_t set)
{
	for (uint16_t *at = &p->p_sigq; *at; ) {
		struct sigq *q = &sys->sigq[*at];
		if ((set & BIT(q->q_sig)) && (id < 0 || q->q_lwp == id))
			q_unlink(sys, p, at);
		else
			at = &q->q_next;
	}
}

void sig_proc_gone(struct system *sys, struct proc *p)
{
	q_drop(sys, p, -1, ALL_SIGS);
	p->p_sigpend = 0;
}

/* what waits for lwp old_id waits for new_id (exec: the lwp that exec'd is lwp 1 of the new image) */
void sig_retag(struct system *sys, struct proc *p, int old_id, int new_id)
{
	for (uint16_t i = p->p_sigq; i; i = sys->sigq[i].q_next)
		if (sys->sigq[i].q_lwp == old_id)
			sys->sigq[i].q_lwp = new_id;
}

static void info_words(const struct ksiginfo *i, uint64_t w[3])
{
	w[0] = SIGINFO_W0(i->code, i->pid);
	w[1] = SIGINFO_W1(i->uid, i->status);
	w[2] = i->value;
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
static void drop_pending(struct system *sys, struct proc *p, uint64_t set)
{
	p->p_sigpend &= ~set;
	for (int i = 0; i < MAX_LWPS; i++)
		p->p_lwp[i].l_sigpend &= ~set;
	q_drop(sys, p, -1, set);
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

/* take sig off l's own pending set if it is there, else off the process's; *info what it carried */
static void take(struct system *sys, struct proc *p, struct lwp *l, int sig, struct ksiginfo *info)
{
	bool mine = (l->l_sigpend & BIT(sig)) != 0;
	uint64_t *pend = mine ? &l->l_sigpend : &p->p_sigpend;
	if (!q_take(sys, p, mine ? l->l_id : 0, sig, info))
		*pend &= ~BIT(sig);              /* a realtime one sent again stays pending */
}

/* l is about to run sig's handler: what it blocks meanwhile; SA_RESETHAND's reset */
static void handler_start(struct proc *p, struct lwp *l, int sig)
{
	uint64_t more = p->p_sigact_mask[sig] | ((p->p_signodefer & BIT(sig)) ? 0 : BIT(sig));
	l->l_sigmask |= more & ~UNBLOCKABLE;
	if (p->p_sigreset & BIT(sig)) {
		p->p_sigcatch &= ~BIT(sig);
		p->p_sigreset &= ~BIT(sig);
		p->p_signodefer &= ~BIT(sig);
		p->p_sigonstack &= ~BIT(sig);
		p->p_sigact_mask[sig] = 0;
	}
}

/* a held sigsuspend or sigwait reply goes out now; info: the signal's siginfo (w3..w5) */
static void answer_held(struct lwp *l, uint32_t label, uint64_t w0, uint64_t w1, uint64_t w2,
			const struct ksiginfo *info)
{
	struct msg m = { .info = IPC_INFO(label, 6), .w = { w0, w1, w2 } };
	if (info)
		info_words(info, &m.w[3]);
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
	struct ksiginfo info;

	if (in_sigwait_for(l, sig)) {
		take(sys, p, l, sig, &info);
		answer_held(l, 0, (uint64_t)sig, 0, 0, &info);
		return true;
	}
	if (p->p_sigcatch & BIT(sig)) {
		if (l->l_sigwait >= 0 && !l->l_waitset) {
			/* sigsuspend: the handler runs as it returns, then the old mask is back */
			uint64_t back = l->l_oldmask;
			take(sys, p, l, sig, &info);
			handler_start(p, l, sig);
			answer_held(l, 0, 0, (uint64_t)sig, back, &info);
		} else if (l->l_sigwait >= 0) {
			answer_held(l, EINTR, 0, 0, 0, NULL);   /* sigwait for others: interrupted, then the handler */
		}
		sys->sig_work = true;
		return false;
	}
	take(sys, p, l, sig, &info);
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
		for (uint64_t set = l->l_sigpend | p->p_sigpend; set; set &= set - 1) {
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
	for (int n = 0; n <= (PROC_NSIG + PROC_SIGQUEUE_MAX) * (MAX_LWPS + 1); n++)
		if (p->p_stat != P_RUN || (p->p_flag & PF_STOPPED) || !dispatch_one(sys, p))
			return;
}

/*
 * sig sent to p (l NULL) or to its lwp l, with what its siginfo says (NULL:
 * nothing).  EAGAIN: a realtime signal that could not be queued.
 */
static int send(struct system *sys, struct proc *p, struct lwp *l, int sig, const struct ksiginfo *info)
{
	uint64_t *pend = l ? &l->l_sigpend : &p->p_sigpend;
	int id = l ? l->l_id : 0;

	if (p->p_stat != P_RUN || sig <= 0 || sig >= PROC_NSIG)
		return 0;
	if (!info)
		info = &noinfo;
	p->p_sigpoll |= BIT(sig);
	if (sig == SIGKILL) {
		proc_exit(sys, p, SIGKILL);
		return 0;
	}
	if (sig == SIGCONT) {
		drop_pending(sys, p, STOP_SIGS);
		cont(sys, p);                           /* whatever its disposition or mask */
	} else if (STOP_SIGS & BIT(sig)) {
		drop_pending(sys, p, BIT(SIGCONT));
	}
	if (p->p_sigign & BIT(sig))
		return 0;                               /* ignored: discarded, blocked or not */
	if (IS_RT(sig)) {
		if (p->p_nsigq_rt >= PROC_SIGQUEUE_MAX || !q_add(sys, p, id, sig, info))
			return EAGAIN;
	} else if (!(*pend & BIT(sig))) {
		q_add(sys, p, id, sig, info);           /* the pool empty: pending all the same, SI_NOINFO */
	}
	*pend |= BIT(sig);
	sig_dispatch(sys, p);
	return 0;
}

void proc_signal(struct system *sys, struct proc *p, int sig)
{
	send(sys, p, NULL, sig, NULL);
}

void proc_signal_info(struct system *sys, struct proc *p, int sig, const struct ksiginfo *info)
{
	send(sys, p, NULL, sig, info);
}

void lwp_signal(struct system *sys, struct proc *p, struct lwp *l, int sig, const struct ksiginfo *info)
{
	send(sys, p, l, sig, info);
}

int do_sigaction(struct system *sys, struct proc *p, int sig, int disp, uint64_t tramp, uint64_t mask, uint32_t flags)
{
	if (sig <= 0 || sig >= PROC_NSIG || disp < SIGDISP_DFL || disp > SIGDISP_CATCH)
		return EINVAL;
	if (disp == SIGDISP_CATCH && (tramp < USER_VA_MIN || tramp >= USER_VA_MAX || (tramp & 1)))
		return EFAULT;
	if ((sig == SIGKILL || sig == SIGSTOP) && disp != SIGDISP_DFL)
		return EINVAL;
	p->p_sigign &= ~BIT(sig);
	p->p_sigcatch &= ~BIT(sig);
	p->p_sigreset &= ~BIT(sig);
	p->p_signodefer &= ~BIT(sig);
	p->p_sigonstack &= ~BIT(sig);
	p->p_sigact_mask[sig] = 0;
	if (sig == SIGCHLD) {
		p->p_nocldstop = flags & SIGACT_NOCLDSTOP;
		p->p_nocldwait = flags & SIGACT_NOCLDWAIT;
	}
	if (disp == SIGDISP_IGN) {
		p->p_sigign |= BIT(sig);
		drop_pending(sys, p, BIT(sig));  /* POSIX: a pending signal set to SIG_IGN is discarded */
	} else if (disp == SIGDISP_CATCH) {
		p->p_sigcatch |= BIT(sig);
		p->p_sigtramp = tramp;
		p->p_sigact_mask[sig] = mask & ALL_SIGS & ~UNBLOCKABLE;
		if (flags & SIGACT_RESETHAND)
			p->p_sigreset |= BIT(sig);
		if (flags & SIGACT_NODEFER)
			p->p_signodefer |= BIT(sig);
		if (flags & SIGACT_ONSTACK)
			p->p_sigonstack |= BIT(sig);
	}
	return 0;
}

/* ---- masks and waits: PROC_SIGMASK, PROC_SIGSUSPEND, PROC_SIGWAIT ---- */

/*
 * A caught signal l may take now, taken and named in the reply (w1 the
 * signal, w2 the mask libc puts back after its handler, w3..w5 its
 * siginfo): libc runs it before the call returns.  False if there is none.
 */
bool sig_take_now(struct system *sys, struct proc *p, struct lwp *l, struct msg *out)
{
	uint64_t can = (l->l_sigpend | p->p_sigpend) & p->p_sigcatch & ~l->l_sigmask;
	struct ksiginfo info;
	int sig;

	if (!can || p->p_stat != P_RUN || (p->p_flag & (PF_STOPPED | PF_VFORK)) || !p->p_sigtramp)
		return false;
	sig = lowest(can);
	out->info = IPC_INFO(IPC_LABEL(out->info), 6);
	out->w[1] = (uint64_t)sig;
	out->w[2] = l->l_sigmask;
	take(sys, p, l, sig, &info);
	info_words(&info, &out->w[3]);
	handler_start(p, l, sig);
	return true;
}

int do_sigmask(struct system *sys, struct proc *p, struct lwp *l, int how, uint64_t set, struct msg *out)
{
	uint64_t old = l->l_sigmask, mask;

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
	sig_take_now(sys, p, l, out);
	return 0;
}

/* held until a signal ends it: a caught one (w1, w2 as sig_take_now) or one that terminates */
int do_sigsuspend(struct system *sys, struct proc *p, struct lwp *l, uint64_t mask)
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
 * sigwait: a signal of set taken off the pending sets (w0, its siginfo
 * w3..w5), at once or when one comes; due 1: only what is pending now
 * (EAGAIN if none), else 0 (no limit) or the time (rdtime) at which EAGAIN
 * answers it.
 */
int do_sigwait(struct system *sys, struct proc *p, struct lwp *l, uint64_t set, uint64_t due, struct msg *out)
{
	uint64_t now;

	set &= ALL_SIGS & ~UNBLOCKABLE;
	if (!set)
		return EINVAL;
	if ((now = (l->l_sigpend | p->p_sigpend) & set)) {
		int sig = lowest(now);
		struct ksiginfo info;
		take(sys, p, l, sig, &info);
		out->info = IPC_INFO(0, 6);
		out->w[0] = (uint64_t)sig;
		info_words(&info, &out->w[3]);
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

/* ---- ITIMER_REAL: alarm and setitimer ---- */

static uint64_t tick_len(const struct system *sys)
{
	return sys->tick_len ? sys->tick_len : 100000;     /* 10 ms of a 10 MHz time CSR */
}

uint64_t ns_to_ticks(const struct system *sys, uint64_t ns)
{
	if (ns > 100ull * 365 * 86400 * 1000000000ull)
		ns = 100ull * 365 * 86400 * 1000000000ull;
	return ns / 10000000 * tick_len(sys) + ns % 10000000 * tick_len(sys) / 10000000;
}

static uint64_t ticks_to_ns(const struct system *sys, uint64_t t)
{
	return t / tick_len(sys) * 10000000 + t % tick_len(sys) * 10000000 / tick_len(sys);
}

/*
 * The process's ITIMER_REAL: SIGALRM when it runs out, then every interval.
 * The old setting answers (w0 time left, w1 interval, in ns).  Not inherited
 * by a fork child; kept by exec (POSIX).  ITIMER_VIRTUAL and ITIMER_PROF
 * need CPU time the kernel does not account yet: EINVAL.
 */
int do_setitimer(struct system *sys, struct proc *p, int which, bool set, uint64_t value_ns,
		 uint64_t interval_ns, struct msg *out)
{
	uint64_t now = proc_clock();

	if (which != 0)
		return EINVAL;
	out->info = IPC_INFO(0, 2);
	out->w[0] = p->p_itreal_due ? ticks_to_ns(sys, p->p_itreal_due > now ? p->p_itreal_due - now : 1) : 0;
	out->w[1] = ticks_to_ns(sys, p->p_itreal_interval);
	if (!set)
		return 0;
	p->p_itreal_due = value_ns ? now + (ns_to_ticks(sys, value_ns) ?: 1) : 0;
	p->p_itreal_interval = value_ns && interval_ns ? (ns_to_ticks(sys, interval_ns) ?: 1) : 0;
	timer_rearm(sys);
	return 0;
}

void sig_timeout(struct system *sys, uint64_t now)
{
	for_each_proc(sys, p) {
		if (p->p_stat == P_RUN && p->p_itreal_due && p->p_itreal_due <= now) {
			if (p->p_itreal_interval) {
				uint64_t late = now - p->p_itreal_due;      /* ticks missed are not made up */
				p->p_itreal_due += (late / p->p_itreal_interval + 1) * p->p_itreal_interval;
			} else {
				p->p_itreal_due = 0;
			}
			proc_signal(sys, p, SIGALRM);
			if (p->p_stat != P_RUN)
				continue;
		}
		for (int i = 0; i < MAX_LWPS; i++) {
			struct lwp *l = &p->p_lwp[i];
			if (l->l_th >= 0 && l->l_sigwait >= 0 && l->l_sigdue && l->l_sigdue <= now)
				answer_held(l, EAGAIN, 0, 0, 0, NULL);
		}
	}
}

uint64_t sig_next_due(struct system *sys)
{
	uint64_t first = 0;
	for_each_proc(sys, p) {
		if (p->p_stat == P_RUN && p->p_itreal_due && (!first || p->p_itreal_due < first))
			first = p->p_itreal_due;
		for (int i = 0; i < MAX_LWPS; i++) {
			struct lwp *l = &p->p_lwp[i];
			if (l->l_th >= 0 && l->l_sigwait >= 0 && l->l_sigdue && (!first || l->l_sigdue < first))
				first = l->l_sigdue;
		}
	}
	return first;
}

void sig_lwp_gone(struct system *sys, struct proc *p, struct lwp *l)
{
	if (l->l_sigwait >= 0)
		k_handle_close(l->l_sigwait);
	l->l_sigwait = -1;
	l->l_waitset = 0;
	l->l_sigdue = 0;
	l->l_sigpend = 0;
	q_drop(sys, p, l->l_id, ALL_SIGS);
}

/*
 * sigaltstack: the lwp's alternate signal stack.  A handler of a signal
 * with SA_ONSTACK runs on it unless the lwp is on it already; it cannot be
 * changed while the caller (its sp) is on it (EPERM).  Not inherited by new
 * threads; kept by fork; gone at exec.
 */
int do_sigaltstack(struct proc *p, struct lwp *l, bool set, uint64_t base, uint64_t size, uint64_t flags,
		   uint64_t sp, struct msg *out)
{
	bool on = l->l_altsize && sp - l->l_altbase < l->l_altsize;
	(void)p;
	out->info = IPC_INFO(0, 3);
	out->w[0] = l->l_altbase;
	out->w[1] = l->l_altsize;
	out->w[2] = on ? SIGSTACK_ONSTACK : l->l_altsize ? 0 : SIGSTACK_DISABLE;
	if (!set)
		return 0;
	if (flags & ~(uint64_t)SIGSTACK_DISABLE)
		return EINVAL;
	if (on)
		return EPERM;
	if (flags & SIGSTACK_DISABLE) {
		l->l_altbase = l->l_altsize = 0;
		return 0;
	}
	if (size < SIGSTACK_MIN)
		return ENOMEM;
	if (base < USER_VA_MIN || base >= USER_VA_MAX || size > USER_VA_MAX - base)
		return EFAULT;
	l->l_altbase = base;
	l->l_altsize = size;
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

/* what sig_deliver would run on l: caught, not blocked, and l not held here */
static uint64_t deliverable_to(const struct proc *p, const struct lwp *l)
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
 * Push sig's frame for lwp l stopped at *regs (its registers, the mask to
 * put back, the siginfo) and point *regs at the trampoline: below its stack
 * pointer, or at the top of its alternate stack for SA_ONSTACK if it is not
 * on it already.  False if the stack cannot take the frame.
 */
static bool push_frame(struct proc *p, struct lwp *l, int sig, uint64_t back, const struct ksiginfo *info,
		       bool onstack, struct user_regs *regs)
{
	struct sigframe f;
	uint64_t top = regs->x[2], sp;

	if (onstack && l->l_altsize && regs->x[2] - l->l_altbase >= l->l_altsize)
		top = l->l_altbase + l->l_altsize;
	if (top < USER_VA_MIN + sizeof(f))
		return false;
	memset(&f, 0, sizeof(f));
	memcpy(f.regs, regs, sizeof(f.regs));
	f.sig = (uint64_t)sig;
	f.mask = back;
	info_words(info, f.info);
	sp = (top - sizeof(f)) & ~15ull;
	if (k_as_copy(p->p_as, sp, &f, sizeof(f)))
		return false;
	regs->pc = p->p_sigtramp;
	regs->x[2] = sp;
	regs->x[10] = (uint64_t)sig;
	regs->x[11] = sp;
	return true;
}

/*
 * Run sig's handler on lwp l of p: hold the lwp, end a call it waits in
 * (our own held wait answers EINTR; the kernel fails any other), push its
 * frame and start it at the trampoline.  A stack that cannot take the
 * frame: the process dies of SIGSEGV.
 */
static void deliver_one(struct system *sys, struct proc *p, struct lwp *l, int sig, uint64_t back,
			const struct ksiginfo *info, bool onstack)
{
	struct user_regs regs;
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
	if (!push_frame(p, l, sig, back, info, onstack, &regs)) {
		k_thread_resume(l->l_th);
		proc_exit(sys, p, SIGSEGV);
		return;
	}
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
			uint64_t can;
			/* one frame on another: the last pushed runs first */
			for (int n = 0; n < PROC_NSIG && p->p_stat == P_RUN && (can = deliverable_to(p, l)); n++) {
				int sig = lowest(can);
				uint64_t back = l->l_sigmask;
				bool onstack = (p->p_sigonstack & BIT(sig)) != 0;
				struct ksiginfo info;
				take(sys, p, l, sig, &info);
				handler_start(p, l, sig);
				deliver_one(sys, p, l, sig, back, &info, onstack);
			}
		}
	}
}

/*
 * A fault of lwp l (the kernel's fault message m, its reply ours to send):
 * the signal and siginfo it makes (RISC-V's scause), and when that signal
 * is caught and l does not block it, its handler runs on l at once with the
 * faulting context in its frame; returning retries the instruction.  False:
 * not caught, blocked, ignored (a fault cannot be) or no room for the frame:
 * the caller ends the process with *sig.
 */
bool sig_fault(struct system *sys, struct proc *p, struct lwp *l, const struct msg *m, int *sig)
{
	uint64_t scause = m->w[0], stval = m->w[1], back = l->l_sigmask;
	struct ksiginfo info = { .pid = p->p_pid, .uid = p->p_ruid, .value = stval };
	struct user_regs regs;
	handle_t reply;
	bool onstack;
	int s;

	switch (scause) {
	case 2: s = SIGILL; info.code = SICODE_ILL_ILLOPC; info.value = m->w[2]; break;
	case 3: s = SIGTRAP; info.code = SICODE_TRAP_BRKPT; info.value = m->w[2]; break;
	case 0: s = SIGBUS; info.code = SICODE_BUS_ADRALN; break;      /* instruction misaligned */
	case 4: case 6: s = SIGBUS; info.code = SICODE_BUS_ADRALN; break;
	case 1: case 5: case 7: s = SIGSEGV; info.code = SICODE_SEGV_ACCERR; break;   /* access faults */
	default: s = SIGSEGV; info.code = SICODE_SEGV_MAPERR; break;   /* page faults the kernel did not resolve */
	}
	*sig = s;
	if (!(p->p_sigcatch & BIT(s)) || (l->l_sigmask & BIT(s)) || !p->p_sigtramp ||
	    (p->p_flag & (PF_VFORK | PF_STOPPED)))
		return false;
	if (k_reply_save(&reply))
		return false;
	if (k_thread_read_regs(l->l_th, &regs))
		goto fail;
	onstack = (p->p_sigonstack & BIT(s)) != 0;
	handler_start(p, l, s);
	if (!push_frame(p, l, s, back, &info, onstack, &regs) || k_thread_write_regs(l->l_th, &regs))
		goto fail;
	struct msg go = { .info = IPC_INFO(0, 0) };
	k_reply_send(reply, &go);            /* it resumes, at the trampoline */
	return true;
fail:
	k_handle_close(reply);
	return false;
}

/* exec: a handler does not survive its image; ignoring does, and so does what is pending */
void sig_exec(struct proc *p)
{
	p->p_sigcatch = 0;
	p->p_sigreset = p->p_signodefer = p->p_sigonstack = 0;
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
	static const uint64_t allowed = BIT(SIGINT) | BIT(SIGQUIT) | BIT(SIGTSTP) | BIT(SIGTTIN) |
					BIT(SIGTTOU) | BIT(SIGHUP) | BIT(SIGCONT) | BIT(SIGWINCH);
	int n = 0;
	if (pgid <= 1 || sig <= 0 || sig >= PROC_NSIG || !(allowed & BIT(sig)))
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
 * The siginfo says SI_USER, the caller's pid and real uid.
 */
int do_kill(struct system *sys, struct proc *p, int pid, int sig, bool *self)
{
	struct ksiginfo info = { .code = SICODE_SI_USER, .pid = p->p_pid, .uid = p->p_ruid };
	int n = 0, denied = 0;
	bool hit_self = false;

	*self = false;
	if (sig < 0 || sig >= PROC_NSIG || sig == PROC_SIGCANCEL)
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
			send(sys, t, NULL, sig, &info);
	}
	if (!n)
		return denied ? EPERM : ESRCH;
	if (hit_self && sig) {
		send(sys, p, NULL, sig, &info);
		*self = p->p_stat != P_RUN;
	}
	return 0;
}

/*
 * sigqueue: sig with a value to process pid (SI_QUEUE), under kill's
 * permission rules; EAGAIN when a realtime signal cannot be queued (the
 * target has PROC_SIGQUEUE_MAX, or the pool is empty).
 */
int do_sigqueue(struct system *sys, struct proc *p, int pid, int sig, uint64_t value, bool *self)
{
	struct ksiginfo info = { .code = SICODE_SI_QUEUE, .pid = p->p_pid, .uid = p->p_ruid, .value = value };
	struct proc *t = pid > 0 ? proc_find(sys, pid) : NULL;
	int err;

	*self = false;
	if (sig < 0 || sig >= PROC_NSIG || sig == PROC_SIGCANCEL)
		return EINVAL;
	if (!t || t->p_stat != P_RUN)
		return ESRCH;
	if ((t->p_pid == 1 && sig != 0 && !(t->p_sigcatch & BIT(sig)) && sig != SIGCHLD) || !cred_may_signal(p, t, sig))
		return EPERM;
	if (!sig)
		return 0;
	err = send(sys, t, NULL, sig, &info);
	*self = t == p && p->p_stat != P_RUN;
	return err;
}
