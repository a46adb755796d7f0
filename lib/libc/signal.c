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
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "proc.h"
#include "libc.h"

/* pthread.c, if the program has it: a weak reference pulls no archive member */
#pragma weak __pthread_sig_ran

_Static_assert(SYS_THREAD_SETCONTEXT == 48, "sigtramp.S has the call number");
_Static_assert(sizeof(struct sigframe) % 16 == 0, "frames keep the stack aligned");

#define UNBLOCKABLE ((1ul << SIGKILL) | (1ul << SIGSTOP))
#define ALL_SIGS 0xfffffffeul

static struct sigaction actions[NSIG];
static sigset_t local_mask;              /* no proc server only */
static __thread int restart_ok;          /* the last handler this thread ran had SA_RESTART */

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

static int bad_sig(int sig)
{
	return sig <= 0 || sig >= NSIG;
}

/* the handler, with errno as the interrupted code left it */
static void call_handler(int sig)
{
	struct sigaction *a = action(sig);
	void (*h)(int) = a->sa_handler;
	int saved = errno, restart = (a->sa_flags & SA_RESTART) != 0;

	if (a->sa_flags & SA_RESETHAND) {
		a->sa_handler = SIG_DFL;     /* the server has reset its own copy */
		a->sa_flags &= ~SA_RESETHAND;
	}
	if (h != SIG_DFL && h != SIG_IGN)
		h(sig);
	errno = saved;
	restart_ok = restart;            /* after it: calls it made itself must not clear it */
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

/* put the mask back; 0 or the next signal taken for us (*back: its mask to put back) */
static int mask_back(sigset_t mask, sigset_t *back)
{
	struct msg m = { .w = { SIG_SETMASK, mask & ALL_SIGS } };
	*back = mask;
	if (__proc_call(PROC_SIGMASK, &m, 2, NULL))
		return 0;
	*back = m.w[2];
	return (int)m.w[1];
}

/* a reply named sig (0: none), taken for this lwp: run it and whatever putting the mask back frees */
static void run_taken(uint64_t sig, sigset_t back)
{
	for (int n = 0; sig > 0 && sig < NSIG && n < 64; n++) {
		call_handler((int)sig);
		sig = (uint64_t)mask_back(back, &back);
	}
}

/* from the trampoline, with the interrupted context in frame */
void __sig_handle(int sig, struct sigframe *frame)
{
	sigset_t back = 0;
	int next;

	if (bad_sig(sig))
		return;
	call_handler(sig);
	next = mask_back((sigset_t)frame->mask, &back);
	run_taken((uint64_t)next, back);
	__libc_wake_pause();
	if (__pthread_sig_ran)
		__pthread_sig_ran();        /* a sem_wait in progress or about to block fails EINTR */
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
					(uint64_t)__sigtramp, act->sa_mask & ALL_SIGS,
					((act->sa_flags & SA_RESETHAND) ? SIGACT_RESETHAND : 0) |
					((act->sa_flags & SA_NODEFER) ? SIGACT_NODEFER : 0) |
					((act->sa_flags & SA_NOCLDSTOP) ? SIGACT_NOCLDSTOP : 0) |
					((act->sa_flags & SA_NOCLDWAIT) ? SIGACT_NOCLDWAIT : 0) } };
		struct sigaction was = *action(sig);
		actions[sig] = *act;         /* before the proc server can send it */
		if (have_proc() && __proc_call(PROC_SIGACTION, &m, 5, NULL)) {
			actions[sig] = was;
			return -1;
		}
	}
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

/* a signal to lwp id (0: ourselves); a handler taken for us runs before we return */
int __lwp_kill(int id, int sig)
{
	struct msg m = { .w = { (uint64_t)id, (uint64_t)sig } };
	if (bad_sig(sig) && sig != 0)
		return EINVAL;
	if (!have_proc()) {
		if (id != 0)
			return ESRCH;
		if (sig == 0 || action(sig)->sa_handler == SIG_IGN || sig == SIGCHLD || sig == SIGURG ||
		    sig == SIGWINCH || sig == SIGCONT)
			return 0;                /* ignored, or ignored by default (no proc server: no stops) */
		if (action(sig)->sa_handler == SIG_DFL)
			_exit(128 + sig);
		call_handler(sig);
		return 0;
	}
	if (__proc_call(PROC_LWP_KILL, &m, 2, NULL))
		return errno;
	run_taken(m.w[1], m.w[2]);
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
	run_taken(m.w[1], m.w[2]);
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

#undef sigemptyset
#undef sigfillset
#undef sigaddset
#undef sigdelset
#undef sigismember
int sigemptyset(sigset_t *s) { *s = 0; return 0; }
int sigfillset(sigset_t *s) { *s = ALL_SIGS; return 0; }

int sigaddset(sigset_t *s, int sig)
{
	if (bad_sig(sig))
		return errno = EINVAL, -1;
	*s |= 1ul << sig;
	return 0;
}

int sigdelset(sigset_t *s, int sig)
{
	if (bad_sig(sig))
		return errno = EINVAL, -1;
	*s &= ~(1ul << sig);
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
		m.w[1] = *set & ALL_SIGS;
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
		*old = (sigset_t)m.w[0];
	run_taken(m.w[1], m.w[2]);          /* unblocked and pending: handled before we return */
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
	*s = (sigset_t)m.w[0];
	return 0;
}

/* wait for a caught signal with the mask *mask for the time being; its handler runs first */
int sigsuspend(const sigset_t *mask)
{
	struct msg m = { .w = { *mask & ALL_SIGS } };
	if (!have_proc()) {
		errno = ENOSYS;
		return -1;
	}
	if (__proc_call(PROC_SIGSUSPEND, &m, 1, NULL))
		return -1;
	run_taken(m.w[1], m.w[2]);
	errno = EINTR;
	return -1;
}

/* one signal of set taken; ns: a time limit (timed), 0 with timed: only what is pending */
static int wait_for(const sigset_t *set, bool timed, uint64_t ns, int *sig)
{
	struct msg m = { .w = { *set & ALL_SIGS, ns, timed ? 1 : 0 } };
	if (!have_proc()) {
		errno = ENOSYS;
		return -1;
	}
	if (__proc_call(PROC_SIGWAIT, &m, 3, NULL))
		return -1;
	*sig = (int)m.w[0];
	return 0;
}

int sigwait(const sigset_t *set, int *sig)
{
	int r;
	while ((r = wait_for(set, false, 0, sig)) && errno == EINTR)
		;                             /* sigwait is never interrupted (POSIX) */
	return r ? errno : 0;
}

static void fill_info(siginfo_t *info, int sig)
{
	if (!info)
		return;
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_USER;
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	int sig;
	if (wait_for(set, false, 0, &sig))
		return -1;
	fill_info(info, sig);
	return sig;
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *ts)
{
	int sig;
	if (!ts)
		return sigwaitinfo(set, info);
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000) {
		errno = EINVAL;
		return -1;
	}
	if (wait_for(set, true, (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec, &sig))
		return -1;
	fill_info(info, sig);
	return sig;
}
