/*
 * Signals.  The proc server keeps every signal's state (servers/proc/signal.c):
 * the process's dispositions (PROC_SIGACTION), each lwp's mask
 * (PROC_SIGMASK) and what is pending for the process and for each lwp
 * (PROC_SIGPENDING), so a blocked signal waits there whoever sent it, and a
 * default action is taken there without our help.  Here are the handlers
 * themselves and the calls' POSIX faces.
 *
 * A caught signal reaches us two ways.  Sent while the lwp runs, it arrives
 * through the trampoline (sigtramp.S) at __sig_handle with a frame holding
 * the mask to put back.  Taken for the lwp during a call of its own
 * (sigprocmask unblocking it, kill or raise of itself, sigsuspend), the
 * reply names it (w1) with the mask to put back (w2), and run_taken runs
 * the handler before the call returns.  Either way the server has already
 * widened the mask by the handler's sa_mask (and the signal itself); putting
 * the mask back is a PROC_SIGMASK, whose reply may name the next signal.
 *
 * A program without a proc server (the system servers) keeps a mask here
 * and nothing is ever sent to it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "proc.h"
#include "libc.h"

/* pthread.c, if the program has it: a weak reference pulls no archive member */
#pragma weak __pthread_sig_ran
#pragma weak __pthread_cancel_handler

_Static_assert(SYS_THREAD_SETCONTEXT == 48, "sigtramp.S has the call number");
_Static_assert(sizeof(struct sigframe) % 16 == 0, "frames keep the stack aligned");
_Static_assert(NSIG == PROC_NSIG && SIGRTMIN == PROC_SIGRTMIN && SIGRTMAX == PROC_SIGRTMAX, "the server's numbers");
_Static_assert(SS_ONSTACK == SIGSTACK_ONSTACK && SS_DISABLE == SIGSTACK_DISABLE && MINSIGSTKSZ == SIGSTACK_MIN,
	       "PROC_SIGALTSTACK's flags are <signal.h>'s");
_Static_assert(SI_USER == SICODE_SI_USER && SI_QUEUE == SICODE_SI_QUEUE && SI_LWP == SICODE_SI_LWP &&
	       CLD_EXITED == SICODE_CLD_EXITED && CLD_KILLED == SICODE_CLD_KILLED && SEGV_MAPERR == SICODE_SEGV_MAPERR &&
	       SI_NOINFO == SI_NOINFO_CODE, "the server's siginfo codes are <signal.h>'s");

#define BIT(s) (1ul << (s))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
#define ALL_SIGS (~1ul)                  /* 1..63 */
#define USER_SIGS (ALL_SIGS & ~BIT(PROC_SIGCANCEL))   /* what a program may name in a set */

static struct sigaction actions[NSIG];
static sigset_t local_mask;              /* no proc server only */
static __thread int restart_ok;          /* the last handler this thread ran had SA_RESTART */
static __thread stack_t altstack = { .ss_flags = SS_DISABLE };   /* this thread's (sigaltstack) */

void __sig_onstack(void (*fn)(void *), void *arg, void *top);    /* sigtramp.S */

/* the table, first time round: what the proc server kept ignored across exec is SIG_IGN here too */
static struct sigaction *action(int sig)
{
	static bool filled;
	if (!filled) {
		filled = true;
		for (int s = 1; startinfo && s < NSIG; s++)
			if (startinfo->sig_ignored & (1ull << s))
				actions[s].sa_handler = SIG_IGN;
	}
	return &actions[sig];
}

static bool have_proc(void)
{
	return startinfo && startinfo->h_proc >= 0;
}

/* a signal a program may name (0 is kill's check-only signal: callers allow it themselves) */
static int bad_sig(int sig)
{
	return sig <= 0 || sig >= NSIG || sig == PROC_SIGCANCEL;
}

/* the three words a reply or a frame carries (SIGINFO_W*) as a siginfo_t */
static void info_from(siginfo_t *si, int sig, const uint64_t w[3])
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = (int32_t)(uint32_t)w[0];
	si->si_pid = (pid_t)(int32_t)(w[0] >> 32);
	si->si_uid = (uid_t)(uint32_t)w[1];
	si->si_status = (int32_t)(w[1] >> 32);
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
		if (si->si_code > 0)
			si->si_addr = (void *)w[2];
	} else {
		si->si_value.sival_ptr = (void *)w[2];
	}
}

struct call {
	int sig;
	void (*fn)(int, siginfo_t *, void *);
	siginfo_t *si;
	ucontext_t *uc;
};

static void call_on(void *arg)
{
	struct call *c = arg;
	c->fn(c->sig, c->si, c->uc);
}

/*
 * The handler, with errno as the interrupted code left it: sa_sigaction
 * with the siginfo (w) and the context uc for SA_SIGINFO, else sa_handler.
 * onstack: run it on this thread's alternate stack (a handler libc runs
 * itself, taken during a call; the proc server put a frame there already).
 */
static void call_handler(int sig, const uint64_t w[3], ucontext_t *uc, bool onstack)
{
	struct sigaction *a = action(sig);
	struct sigaction act = *a;
	int saved = errno, restart = (act.sa_flags & SA_RESTART) != 0;
	siginfo_t si;

	if (sig == PROC_SIGCANCEL) {
		/* pthread_cancel's: acts (pthread_exit) or wakes a wait; not a handler a wait counts */
		if (__pthread_cancel_handler)
			__pthread_cancel_handler();
		errno = saved;
		restart_ok = 1;              /* not acted on: the call it interrupted is made again */
		return;
	}

	if (a->sa_flags & SA_RESETHAND) {
		a->sa_handler = SIG_DFL;     /* the server has reset its own copy */
		a->sa_flags &= ~(SA_RESETHAND | SA_SIGINFO);
	}
	if (act.sa_handler != SIG_DFL && act.sa_handler != SIG_IGN) {
		struct call c = { sig, act.sa_sigaction, &si, uc };
		char *sp = (char *)__builtin_frame_address(0);
		info_from(&si, sig, w);
		if (!(act.sa_flags & SA_SIGINFO))
			c.fn = (void (*)(int, siginfo_t *, void *))(void *)act.sa_handler;
		if (onstack && (act.sa_flags & SA_ONSTACK) && !(altstack.ss_flags & SS_DISABLE) &&
		    !(sp >= (char *)altstack.ss_sp && sp < (char *)altstack.ss_sp + altstack.ss_size)) {
			altstack.ss_flags |= SS_ONSTACK;
			__sig_onstack(call_on, &c, (char *)altstack.ss_sp + altstack.ss_size);
			altstack.ss_flags &= ~SS_ONSTACK;
		} else {
			call_on(&c);
		}
	}
	errno = saved;
	restart_ok = restart;            /* after it: calls it made itself must not clear it */
	if (__pthread_sig_ran)
		__pthread_sig_ran();         /* a sem_wait in progress or about to block fails EINTR */
}

/*
 * SA_RESTART: a blocking call (read, write, wait) clears this before it asks,
 * and when it fails with EINTR asks again if the handler that interrupted it
 * had SA_RESTART.  (sigsuspend, pause, sleeps and sigwait never restart.)
 */
void __sig_restart_arm(void)
{
	restart_ok = 0;
}

bool __sig_restart(void)
{
	int r = restart_ok;
	restart_ok = 0;
	return r;
}

/* put the mask back; the reply may name the next signal taken for us (m->w[1], as run_taken) */
static void mask_back(sigset_t mask, struct msg *m)
{
	*m = (struct msg){ .w = { SIG_SETMASK, mask & ALL_SIGS } };
	if (__proc_call(PROC_SIGMASK, m, 2, NULL))
		m->w[1] = 0;
}

/* a context for a handler libc runs itself: the mask it puts back and the stack, no registers */
static void plain_context(ucontext_t *uc, sigset_t back)
{
	memset(uc, 0, sizeof(*uc));
	uc->uc_sigmask = back;
	uc->uc_stack = altstack;
}

/*
 * A reply whose w1 named a signal (0: none) taken for this lwp, w2 the mask
 * to put back, w3..w5 its siginfo: run it and whatever putting the mask
 * back frees.
 */
static void run_taken(const struct msg *reply)
{
	struct msg m = *reply;
	for (int n = 0; m.w[1] > 0 && m.w[1] < NSIG && n < 64; n++) {
		ucontext_t uc;
		plain_context(&uc, (sigset_t)m.w[2]);
		call_handler((int)m.w[1], &m.w[3], &uc, true);
		mask_back(uc.uc_sigmask, &m);
	}
}

/*
 * From the trampoline, with the interrupted context in frame: the handler
 * gets it as a ucontext_t, and what it leaves there (registers, mask) is
 * what resumes.
 */
void __sig_handle(int sig, struct sigframe *frame)
{
	ucontext_t uc;
	struct msg m;

	if (sig <= 0 || sig >= NSIG)
		return;
	plain_context(&uc, (sigset_t)frame->mask);
	uc.uc_mcontext.__gregs[0] = frame->regs[0];
	for (int i = 1; i < 32; i++)
		uc.uc_mcontext.__gregs[i] = frame->regs[1 + i];
	memcpy(uc.uc_mcontext.__fpregs, frame->fregs, sizeof(uc.uc_mcontext.__fpregs));
	uc.uc_mcontext.__fcsr = (unsigned int)frame->fcsr;
	call_handler(sig, frame->info, &uc, false);
	frame->regs[0] = uc.uc_mcontext.__gregs[0];
	for (int i = 1; i < 32; i++)
		frame->regs[1 + i] = uc.uc_mcontext.__gregs[i];
	memcpy(frame->fregs, uc.uc_mcontext.__fpregs, sizeof(frame->fregs));
	frame->fcsr = uc.uc_mcontext.__fcsr;
	mask_back(uc.uc_sigmask, &m);
	run_taken(&m);
	if (sig != PROC_SIGCANCEL)
		__libc_wake_pause();     /* pause returns after a handler; cancellation's is none */
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (bad_sig(sig) || (act && (sig == SIGKILL || sig == SIGSTOP) && act->sa_handler != SIG_DFL)) {
		errno = EINVAL;
		return -1;
	}
	if (old)
		*old = *action(sig);
	if (act) {
		struct msg m = { .w = { (uint64_t)sig, act->sa_handler == SIG_DFL ? SIGDISP_DFL :
					act->sa_handler == SIG_IGN ? SIGDISP_IGN : SIGDISP_CATCH,
					(uint64_t)__sigtramp, act->sa_mask & USER_SIGS,
					((act->sa_flags & SA_RESETHAND) ? SIGACT_RESETHAND : 0) |
					((act->sa_flags & SA_NODEFER) ? SIGACT_NODEFER : 0) |
					((act->sa_flags & SA_NOCLDSTOP) ? SIGACT_NOCLDSTOP : 0) |
					((act->sa_flags & SA_NOCLDWAIT) ? SIGACT_NOCLDWAIT : 0) |
					((act->sa_flags & SA_ONSTACK) ? SIGACT_ONSTACK : 0) } };
		struct sigaction was = *action(sig);
		actions[sig] = *act;         /* before the proc server can send it */
		actions[sig].sa_mask &= USER_SIGS;
		if (have_proc() && __proc_call(PROC_SIGACTION, &m, 5, NULL)) {
			actions[sig] = was;
			return -1;
		}
	}
	return 0;
}

/* pthread_cancel's signal: caught (by call_handler's own case), once per process; fork keeps it */
int __sig_cancel_install(void)
{
	struct msg m = { .w = { PROC_SIGCANCEL, SIGDISP_CATCH, (uint64_t)__sigtramp, 0, 0 } };
	struct sigaction *a = action(PROC_SIGCANCEL);
	if (a->sa_handler != SIG_DFL)
		return 0;
	if (!have_proc())
		return ENOSYS;
	if (__proc_call(PROC_SIGACTION, &m, 5, NULL))
		return errno;
	a->sa_handler = (_sig_func_ptr)2;    /* "installed": the handler is call_handler's case */
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr fn)
{
	struct sigaction act = { 0 }, old;
	act.sa_handler = fn;
	if (sigaction(sig, &act, &old))
		return SIG_ERR;
	return old.sa_handler;
}

/* XSI: flag 1, calls the handler interrupts fail EINTR; 0, they are made again (SA_RESTART) */
int siginterrupt(int sig, int flag)
{
	struct sigaction act;
	if (sigaction(sig, NULL, &act))
		return -1;
	if (flag)
		act.sa_flags &= ~SA_RESTART;
	else
		act.sa_flags |= SA_RESTART;
	return sigaction(sig, &act, NULL);
}

/* a signal to lwp id (0: ourselves); a handler taken for us runs before we return */
int __lwp_kill(int id, int sig)
{
	struct msg m = { .w = { (uint64_t)id, (uint64_t)sig } };
	if (bad_sig(sig) && !(sig == 0 || (sig == PROC_SIGCANCEL && id != 0)))
		return EINVAL;
	if (!have_proc()) {
		static const uint64_t noinfo[3] = { SIGINFO_W0(SI_LWP, 0), 0, 0 };
		ucontext_t uc;
		if (id != 0)
			return ESRCH;
		if (sig == 0 || action(sig)->sa_handler == SIG_IGN || sig == SIGCHLD || sig == SIGURG ||
		    sig == SIGWINCH || sig == SIGCONT)
			return 0;                /* ignored, or ignored by default (no proc server: no stops) */
		if (action(sig)->sa_handler == SIG_DFL)
			_exit(128 + sig);
		plain_context(&uc, local_mask);
		call_handler(sig, noinfo, &uc, true);
		return 0;
	}
	if (__proc_call(PROC_LWP_KILL, &m, 2, NULL))
		return errno;
	run_taken(&m);
	return 0;
}

int raise(int sig)
{
	int err = __lwp_kill(0, sig);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int kill(pid_t pid, int sig)
{
	struct msg m = { .w = { (uint64_t)pid, (uint64_t)sig } };
	if (__proc_call(PROC_KILL, &m, 2, NULL))
		return -1;
	run_taken(&m);
	return 0;
}

/* illumos: kill(-pgrp); a negative group does not exist */
int killpg(pid_t pgrp, int sig)
{
	if (pgrp < 0) {
		errno = EINVAL;
		return -1;
	}
	return kill(-pgrp, sig);
}

/* sig with a value to process pid: queued if realtime (EAGAIN: the target has SIGQUEUE_MAX) */
int sigqueue(pid_t pid, int sig, const union sigval value)
{
	struct msg m = { .w = { (uint64_t)pid, (uint64_t)sig, (uint64_t)value.sival_ptr } };
	if (sig != 0 && bad_sig(sig)) {
		errno = EINVAL;
		return -1;
	}
	if (__proc_call(PROC_SIGQUEUE, &m, 3, NULL))
		return -1;
	run_taken(&m);
	return 0;
}

/* this thread's alternate signal stack, kept by the proc server (which puts frames on it) */
int sigaltstack(const stack_t *ss, stack_t *old)
{
	char here;
	struct msg m = { .w = { ss ? 1 : 0, ss ? (uint64_t)ss->ss_sp : 0, ss ? ss->ss_size : 0,
				ss ? (uint64_t)(ss->ss_flags & SS_DISABLE) : 0, (uint64_t)&here } };
	if (ss && (ss->ss_flags & ~SS_DISABLE)) {
		errno = EINVAL;
		return -1;
	}
	if (!have_proc()) {
		errno = ENOSYS;
		return -1;
	}
	if (__proc_call(PROC_SIGALTSTACK, &m, 5, NULL))
		return -1;
	if (old) {
		old->ss_sp = (void *)m.w[0];
		old->ss_size = m.w[1];
		old->ss_flags = (int)m.w[2];
	}
	if (ss) {
		altstack = *ss;
		if (ss->ss_flags & SS_DISABLE)
			altstack = (stack_t){ .ss_flags = SS_DISABLE };
	}
	return 0;
}

#undef sigemptyset
#undef sigfillset
#undef sigaddset
#undef sigdelset
#undef sigismember
int sigemptyset(sigset_t *s) { *s = 0; return 0; }
int sigfillset(sigset_t *s) { *s = USER_SIGS; return 0; }

int sigaddset(sigset_t *s, int sig)
{
	if (bad_sig(sig))
		return errno = EINVAL, -1;
	*s |= BIT(sig);
	return 0;
}

int sigdelset(sigset_t *s, int sig)
{
	if (bad_sig(sig))
		return errno = EINVAL, -1;
	*s &= ~BIT(sig);
	return 0;
}

int sigismember(const sigset_t *s, int sig)
{
	if (bad_sig(sig))
		return errno = EINVAL, -1;
	return (*s >> sig) & 1;
}

/* the calling thread's mask: every thread has its own, kept by the proc server */
int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	struct msg m = { .w = { SIG_BLOCK, 0 } };        /* no set: only look */

	if (set) {
		if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK) {
			errno = EINVAL;
			return -1;
		}
		m.w[0] = (uint64_t)how;
		m.w[1] = *set & USER_SIGS;           /* cancellation's signal is never blocked */
	}
	if (!have_proc()) {
		if (old)
			*old = local_mask;
		local_mask = how == SIG_BLOCK ? local_mask | m.w[1] : how == SIG_UNBLOCK ? local_mask & ~m.w[1] : m.w[1];
		local_mask &= ~UNBLOCKABLE;
		return 0;
	}
	if (__proc_call(PROC_SIGMASK, &m, 2, NULL))
		return -1;
	if (old)
		*old = (sigset_t)m.w[0] & USER_SIGS;
	run_taken(&m);          /* unblocked and pending: handled before we return */
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return sigprocmask(how, set, old) ? errno : 0;
}

int sigpending(sigset_t *s)
{
	struct msg m = { 0 };
	if (!have_proc()) {
		*s = 0;
		return 0;
	}
	if (__proc_call(PROC_SIGPENDING, &m, 0, NULL))
		return -1;
	*s = (sigset_t)m.w[0] & USER_SIGS;
	return 0;
}

/* wait for a caught signal with the mask *mask for the time being; its handler runs first */
static int sigsuspend_body(const sigset_t *mask)
{
	struct msg m = { .w = { *mask & USER_SIGS } };
	if (!have_proc()) {
		errno = ENOSYS;
		return -1;
	}
	if (__proc_call(PROC_SIGSUSPEND, &m, 1, NULL))
		return -1;
	run_taken(&m);
	errno = EINTR;
	return -1;
}

/* a cancellation point */
int sigsuspend(const sigset_t *mask)
{
	int cp = __cp_enter();
	int r = sigsuspend_body(mask);
	__cp_leave(cp);
	return r;
}

/* one signal of set taken (*info); ns: a time limit (timed), 0 with timed: only what is pending */
static int wait_for_body(const sigset_t *set, bool timed, uint64_t ns, siginfo_t *info)
{
	struct msg m = { .w = { *set & USER_SIGS, ns, timed ? 1 : 0 } };
	if (!have_proc()) {
		errno = ENOSYS;
		return -1;
	}
	if (__proc_call(PROC_SIGWAIT, &m, 3, NULL))
		return -1;
	info_from(info, (int)m.w[0], &m.w[3]);
	return (int)m.w[0];
}

/* a cancellation point */
static int wait_for(const sigset_t *set, bool timed, uint64_t ns, siginfo_t *info)
{
	int cp = __cp_enter();
	int r = wait_for_body(set, timed, ns, info);
	__cp_leave(cp);
	return r;
}

int sigwait(const sigset_t *set, int *sig)
{
	siginfo_t info;
	int r;
	while ((r = wait_for(set, false, 0, &info)) < 0 && errno == EINTR)
		;                             /* sigwait is never interrupted (POSIX) */
	if (r < 0)
		return errno;
	*sig = r;
	return 0;
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	siginfo_t mine;
	return wait_for(set, false, 0, info ? info : &mine);
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *ts)
{
	siginfo_t mine;
	if (!ts)
		return sigwaitinfo(set, info);
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000) {
		errno = EINVAL;
		return -1;
	}
	return wait_for(set, true, (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec, info ? info : &mine);
}

/* sigsetjmp's other half (<setjmp.h>): the mask it kept, then the jump */
void siglongjmp(sigjmp_buf env, int val)
{
	if (env->__saved)
		sigprocmask(SIG_SETMASK, &env->__mask, NULL);
	longjmp(env->__jb, val);
}
