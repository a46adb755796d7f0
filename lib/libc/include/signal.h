/*
 * <signal.h>: ours, in place of picolibc's (whose struct sigaction has no
 * sa_sigaction, whose siginfo_t has three fields and which has no realtime
 * signals on this target).  The numbers are picolibc's (newlib's) 1..31, so
 * the rest of picolibc agrees; 32 is libc's own (thread cancellation); 33..63
 * are the realtime signals, queued with their values.  Every signal's state
 * is the proc server's (servers/proc/signal.c, docs/proc-protocol.md); the
 * siginfo codes are illumos's.  ISO C's names always, POSIX's when
 * <sys/features.h> makes them visible (not under plain -std=c99).
 */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_
#define _SYS_SIGNAL_H                    /* picolibc's <sys/signal.h> is never wanted with ours */
#include <sys/features.h>
#include <sys/types.h>
#include <sys/_sigset.h>
#include <sys/_timespec.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int sig_atomic_t;
typedef void (*_sig_func_ptr)(int);

#define SIG_DFL ((_sig_func_ptr)0)
#define SIG_IGN ((_sig_func_ptr)1)
#define SIG_ERR ((_sig_func_ptr)-1)

#include "uapi/signo.h"                /* 1..31, shared with the proc server */
/* 32: libc's own (pthread_cancel); kill and sigqueue refuse it */
#define SIGRTMIN  33
#define SIGRTMAX  63
#define NSIG      64                     /* one more than the highest */

_sig_func_ptr signal(int sig, _sig_func_ptr func);
int raise(int sig);

#if __POSIX_VISIBLE
#ifndef _SIGSET_T_DECLARED
#define _SIGSET_T_DECLARED
typedef __sigset_t sigset_t;             /* signal s at bit s */
#endif

union sigval {
	int sival_int;
	void *sival_ptr;
};

struct sigevent {
	int sigev_notify;                    /* SIGEV_* */
	int sigev_signo;
	union sigval sigev_value;
	void (*sigev_notify_function)(union sigval);
	void *sigev_notify_attributes;       /* a pthread_attr_t *, or NULL */
};
#define SIGEV_NONE   1
#define SIGEV_SIGNAL 2
#define SIGEV_THREAD 3

typedef struct {
	int si_signo;
	int si_code;                         /* SI_* or the signal's own codes below */
	int si_errno;
	pid_t si_pid;                        /* the sender, or the child (SIGCHLD) */
	uid_t si_uid;                        /* the sender's real uid */
	void *si_addr;                       /* faults: the address */
	int si_status;                       /* SIGCHLD: the exit code or the signal */
	long si_band;
	union sigval si_value;               /* sigqueue's, a timer's */
} siginfo_t;

/* si_code: how it was sent (illumos's values; <= 0: by a process) */
#define SI_USER    0                     /* kill */
#define SI_LWP     (-1)                  /* pthread_kill, raise */
#define SI_QUEUE   (-2)                  /* sigqueue */
#define SI_TIMER   (-3)
#define SI_ASYNCIO (-4)
#define SI_MESGQ   (-5)
#define SI_NOINFO  32767                 /* sent by the system with nothing to tell */
#define SI_FROMUSER(sip) ((sip)->si_code <= 0)
#define SI_FROMKERNEL(sip) ((sip)->si_code > 0)
/* ... and what happened, by signal */
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define ILL_ILLADR 3
#define ILL_ILLTRP 4
#define ILL_PRVOPC 5
#define ILL_PRVREG 6
#define ILL_COPROC 7
#define ILL_BADSTK 8
#define FPE_INTDIV 1
#define FPE_INTOVF 2
#define FPE_FLTDIV 3
#define FPE_FLTOVF 4
#define FPE_FLTUND 5
#define FPE_FLTRES 6
#define FPE_FLTINV 7
#define FPE_FLTSUB 8
#define SEGV_MAPERR 1                    /* nothing mapped there */
#define SEGV_ACCERR 2                    /* not allowed there */
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define BUS_OBJERR 3
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_DUMPED    3
#define CLD_TRAPPED   4
#define CLD_STOPPED   5
#define CLD_CONTINUED 6
#define POLL_IN  1
#define POLL_OUT 2
#define POLL_MSG 3
#define POLL_ERR 4
#define POLL_PRI 5
#define POLL_HUP 6

struct sigaction {
	union {
		void (*__sa_handler)(int);
		void (*__sa_sigaction)(int, siginfo_t *, void *);
	} __sa_u;
	sigset_t sa_mask;
	int sa_flags;
};
#define sa_handler   __sa_u.__sa_handler
#define sa_sigaction __sa_u.__sa_sigaction

#define SA_NOCLDSTOP 0x1                 /* SIGCHLD: none for a child's stop or continue */
#define SA_SIGINFO   0x2                 /* the handler is sa_sigaction(sig, info, context) */
#define SA_ONSTACK   0x4                 /* the handler runs on the alternate stack (sigaltstack) */
#define SA_RESTART   0x10                /* read, write and wait are made again after the handler */
#define SA_NOCLDWAIT 0x20                /* SIGCHLD: children leave no zombie to wait for */
#define SA_NODEFER   0x40                /* the signal is not blocked during its handler */
#define SA_RESETHAND 0x80                /* the default action is back once the handler starts */

/* SIG_SETMASK, SIG_BLOCK, SIG_UNBLOCK: uapi/signo.h */

typedef struct {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;
#define SS_ONSTACK  1
#define SS_DISABLE  2
#define MINSIGSTKSZ 2048
#define SIGSTKSZ    8192

/* the machine context a handler is given (and may change: it is resumed) */
typedef struct {
	unsigned long __gregs[32];           /* [0] the pc, [n] register xn */
	double __fpregs[32];
	unsigned int __fcsr;
} mcontext_t;

typedef struct __ucontext {
	struct __ucontext *uc_link;
	sigset_t uc_sigmask;                 /* the mask to put back when the handler returns */
	stack_t uc_stack;
	mcontext_t uc_mcontext;
} ucontext_t;

int kill(pid_t pid, int sig);
int killpg(pid_t pgrp, int sig);
int sigaction(int sig, const struct sigaction *__restrict act, struct sigaction *__restrict oact);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigismember(const sigset_t *set, int sig);
int sigpending(sigset_t *set);
int sigprocmask(int how, const sigset_t *__restrict set, sigset_t *__restrict oset);
int pthread_sigmask(int how, const sigset_t *__restrict set, sigset_t *__restrict oset);
int sigsuspend(const sigset_t *mask);
int sigwait(const sigset_t *__restrict set, int *__restrict sig);
int sigwaitinfo(const sigset_t *__restrict set, siginfo_t *__restrict info);
int sigtimedwait(const sigset_t *__restrict set, siginfo_t *__restrict info,
		 const struct timespec *__restrict timeout);
int sigqueue(pid_t pid, int sig, const union sigval value);
int sigaltstack(const stack_t *__restrict ss, stack_t *__restrict oss);
int pause(void);
void psignal(int sig, const char *s);
void psiginfo(const siginfo_t *info, const char *s);
int siginterrupt(int sig, int flag);
struct __pthread;
int pthread_kill(struct __pthread *thread, int sig);   /* pthread_t (POSIX declares it here) */
#endif /* __POSIX_VISIBLE */

#ifdef __cplusplus
}
#endif
#endif
