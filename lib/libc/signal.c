/*
 * Signals.  The proc server keeps each process's dispositions (default,
 * ignore, catch) so that it applies default actions — terminate, stop,
 * continue, ignore — without the process's help; PROC_SIGACTION tells it.
 * A caught signal arrives through the trampoline (sigtramp.S) at
 * __sig_handle, on whichever lwp the proc server interrupted.
 *
 * The signal mask lives here only: a caught signal that arrives while
 * blocked is kept pending here and its handler runs when sigprocmask
 * unblocks it.  (A blocked signal whose action is the default one is not
 * held back: the proc server applies it at once.)
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "proc.h"
#include "libc.h"

_Static_assert(SYS_THREAD_SETCONTEXT == 48, "sigtramp.S has the call number");
_Static_assert(sizeof(struct sigframe) % 16 == 0, "frames keep the stack aligned");

static struct sigaction actions[NSIG];
static volatile sigset_t blocked, pending;

static void run_handler(int sig, void *ctx)
{
	struct sigaction *a = &actions[sig];
	sigset_t old = blocked;
	void (*h)(int) = a->sa_handler;

	if (h == SIG_DFL || h == SIG_IGN)
		return;                      /* changed since it was sent */
	blocked |= a->sa_mask | ((a->sa_flags & SA_NODEFER) ? 0 : 1ul << sig);
	if (a->sa_flags & SA_RESETHAND)
		signal(sig, SIG_DFL);
	(void)ctx;                       /* no SA_SIGINFO: picolibc's struct sigaction has no sa_sigaction */
	h(sig);
	blocked = old;
}

/* handlers of signals that were kept pending and are not blocked any more */
static void run_pending(void)
{
	for (int s = 1; s < NSIG; s++) {
		if ((pending & ~blocked) & (1ul << s)) {
			pending &= ~(1ul << s);
			run_handler(s, NULL);
		}
	}
}

/* from the trampoline, with the interrupted context in frame */
void __sig_handle(int sig, struct sigframe *frame)
{
	if (sig <= 0 || sig >= NSIG)
		return;
	if (blocked & (1ul << sig)) {
		pending |= 1ul << sig;
		return;
	}
	run_handler(sig, frame);
	run_pending();
	__libc_wake_pause();
}

static int bad_sig(int sig)
{
	return sig <= 0 || sig >= NSIG;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (bad_sig(sig) || (act && (sig == SIGKILL || sig == SIGSTOP) && act->sa_handler != SIG_DFL)) {
		errno = EINVAL;
		return -1;
	}
	if (old)
		*old = actions[sig];
	if (act) {
		struct msg m = { .w = { (uint64_t)sig, act->sa_handler == SIG_DFL ? SIGDISP_DFL :
					act->sa_handler == SIG_IGN ? SIGDISP_IGN : SIGDISP_CATCH,
					(uint64_t)__sigtramp } };
		actions[sig] = *act;         /* before the proc server can send it */
		if (startinfo && startinfo->h_proc >= 0 && __proc_call(PROC_SIGACTION, &m, 3, NULL)) {
			if (old)
				actions[sig] = *old;
			return -1;
		}
		if (act->sa_handler == SIG_IGN || act->sa_handler == SIG_DFL)
			pending &= ~(1ul << sig);
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

int raise(int sig)
{
	if (bad_sig(sig)) {
		errno = EINVAL;
		return -1;
	}
	if (actions[sig].sa_handler == SIG_IGN)
		return 0;
	if (actions[sig].sa_handler != SIG_DFL) {
		if (blocked & (1ul << sig))
			pending |= 1ul << sig;
		else
			run_handler(sig, NULL);
		return 0;
	}
	if (startinfo && startinfo->h_proc >= 0)
		return kill(getpid(), sig);
	_exit(128 + sig);
}

#undef sigemptyset
#undef sigfillset
#undef sigaddset
#undef sigdelset
#undef sigismember
int sigemptyset(sigset_t *s) { *s = 0; return 0; }
int sigfillset(sigset_t *s) { *s = ~(sigset_t)0; return 0; }

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

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	if (old)
		*old = blocked;
	if (!set)
		return 0;
	switch (how) {
	case SIG_BLOCK: blocked |= *set; break;
	case SIG_UNBLOCK: blocked &= ~*set; break;
	case SIG_SETMASK: blocked = *set; break;
	default: errno = EINVAL; return -1;
	}
	blocked &= ~((1ul << SIGKILL) | (1ul << SIGSTOP));
	run_pending();
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return sigprocmask(how, set, old) ? errno : 0;
}

int sigpending(sigset_t *s)
{
	*s = pending;
	return 0;
}

/* wait for a signal with the mask set to *mask for the time being */
int sigsuspend(const sigset_t *mask)
{
	sigset_t old = blocked;
	blocked = *mask & ~((1ul << SIGKILL) | (1ul << SIGSTOP));
	if (!(pending & ~blocked))
		pause();
	run_pending();
	blocked = old;
	errno = EINTR;
	return -1;
}

