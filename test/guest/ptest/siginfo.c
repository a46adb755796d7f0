/*
 * siginfo and its company: SA_SIGINFO handlers and what their siginfo_t
 * says (kill, sigqueue, raise, SIGCHLD, faults), realtime signals queued in
 * order with their values, sigwaitinfo/sigtimedwait, fault handlers that
 * step past the instruction or siglongjmp out, SA_ONSTACK with sigaltstack.
 * The assertions follow what the Open POSIX Test Suite checks of sigaction,
 * sigqueue, sigwaitinfo and sigaltstack; each test runs in a child of its own.
 */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ptest.h"

#define MAXREC 40
static volatile int nrec;
static volatile int rec_sig[MAXREC], rec_code[MAXREC], rec_pid[MAXREC], rec_uid[MAXREC], rec_status[MAXREC];
static volatile intptr_t rec_value[MAXREC];
static void *volatile rec_addr[MAXREC];
static volatile int rec_onalt[MAXREC], rec_ssflags[MAXREC], rec_inmask[MAXREC];
static char *volatile alt_base;
static volatile size_t alt_size;

static void on_info(int sig, siginfo_t *si, void *ctx)
{
	int n = nrec;
	char here;
	stack_t ss;
	sigset_t m;
	(void)ctx;
	if (n >= MAXREC)
		return;
	nrec = n + 1;                  /* first: a handler it calls into (nested) takes the next slot */
	rec_sig[n] = si->si_signo == sig ? sig : -1;
	rec_code[n] = si->si_code;
	rec_pid[n] = si->si_pid;
	rec_uid[n] = si->si_uid;
	rec_status[n] = si->si_status;
	rec_value[n] = si->si_value.sival_int;
	rec_addr[n] = si->si_addr;
	rec_onalt[n] = alt_base && &here >= alt_base && &here < alt_base + alt_size;
	rec_ssflags[n] = sigaltstack(NULL, &ss) == 0 ? ss.ss_flags : -1;
	sigprocmask(SIG_BLOCK, NULL, &m);
	rec_inmask[n] = sigismember(&m, sig);
}

/* on_info for sig, blocking mask meanwhile (with no others blocked, its calls may run them nested) */
static void catch_info_mask(int sig, int flags, sigset_t mask)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | flags;
	sa.sa_mask = mask;
	sigaction(sig, &sa, NULL);
}

static void catch_info(int sig, int flags)
{
	sigset_t none;
	sigemptyset(&none);
	catch_info_mask(sig, flags, none);
}

static sigset_t one(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

static int wait_status(int pid)
{
	int status = -1;
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* the numbers and sets: realtime signals exist, 32 (libc's) is no signal a program names */
void test_siginfo_numbers(void)
{
	sigset_t s;
	CHECK(SIGRTMAX - SIGRTMIN + 1 >= 8);                  /* _POSIX_RTSIG_MAX */
	CHECK_EQ(sigfillset(&s), 0);
	CHECK_EQ(sigismember(&s, SIGRTMIN), 1);
	CHECK_EQ(sigismember(&s, SIGRTMAX), 1);
	CHECK_EQ(sigismember(&s, SIGUSR2), 1);
	CHECK_EQ(sigaddset(&s, SIGRTMAX + 1), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sigaddset(&s, 32), -1);
	CHECK_EQ(kill(getpid(), 32), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(kill(getpid(), NSIG), -1);
	CHECK_EQ(sigaction(32, NULL, NULL), -1);
	/* a realtime signal's default action terminates */
	int pid = fork();
	if (pid == 0) {
		raise(SIGRTMIN + 3);
		_exit(0);
	}
	int st = wait_status(pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGRTMIN + 3);
}

/* SA_SIGINFO: kill says SI_USER with our pid and real uid; raise SI_LWP; the signal blocked in it */
void test_siginfo_kill_raise(void)
{
	catch_info(SIGUSR1, 0);
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	CHECK_EQ(nrec, 1);                                    /* before kill returned */
	CHECK_EQ(rec_sig[0], SIGUSR1);
	CHECK_EQ(rec_code[0], SI_USER);
	CHECK_EQ(rec_pid[0], getpid());
	CHECK_EQ(rec_uid[0], getuid());
	CHECK_EQ(rec_inmask[0], 1);
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(nrec, 2);
	CHECK_EQ(rec_code[1], SI_LWP);
	CHECK(SI_FROMUSER(&(siginfo_t){ .si_code = SI_QUEUE }));
	/* from another process: its pid, delivered by a frame while we wait in sigsuspend (blocked
	   until then: a signal between the test of nrec and a pause would leave pause waiting) */
	sigset_t usr1 = one(SIGUSR1), old;
	CHECK_EQ(sigprocmask(SIG_BLOCK, &usr1, &old), 0);
	int pid = fork();
	if (pid == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	while (nrec < 3)
		sigsuspend(&old);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	CHECK_EQ(rec_pid[2], pid);
	CHECK_EQ(rec_code[2], SI_USER);
	CHECK_EQ(wait_status(pid), 0);
}

/* sigqueue: the value arrives; realtime signals queue, lowest number first, in order per signal */
void test_siginfo_sigqueue_order(void)
{
	sigset_t b;
	union sigval v;
	int a = SIGRTMIN, c = SIGRTMIN + 1;

	sigemptyset(&b);
	sigaddset(&b, a);
	sigaddset(&b, c);
	sigaddset(&b, SIGUSR1);
	catch_info_mask(a, 0, b);                             /* one at a time: the order is the server's */
	catch_info_mask(c, 0, b);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &b, NULL), 0);
	v.sival_int = 1; CHECK_EQ(sigqueue(getpid(), c, v), 0);
	v.sival_int = 2; CHECK_EQ(sigqueue(getpid(), a, v), 0);
	v.sival_int = 3; CHECK_EQ(sigqueue(getpid(), c, v), 0);
	v.sival_int = 4; CHECK_EQ(sigqueue(getpid(), a, v), 0);
	catch_info_mask(SIGUSR1, 0, b);
	v.sival_int = 5; CHECK_EQ(sigqueue(getpid(), SIGUSR1, v), 0);
	v.sival_int = 6; CHECK_EQ(sigqueue(getpid(), SIGUSR1, v), 0);   /* standard: not queued again */
	CHECK_EQ(nrec, 0);
	CHECK_EQ(sigprocmask(SIG_UNBLOCK, &b, NULL), 0);
	CHECK_EQ(nrec, 5);
	CHECK_EQ(rec_sig[0], SIGUSR1);                        /* 30 before 33 */
	CHECK_EQ(rec_value[0], 5);
	CHECK_EQ(rec_code[0], SI_QUEUE);
	CHECK_EQ(rec_sig[1], a);
	CHECK_EQ(rec_value[1], 2);
	CHECK_EQ(rec_sig[2], a);
	CHECK_EQ(rec_value[2], 4);
	CHECK_EQ(rec_sig[3], c);
	CHECK_EQ(rec_value[3], 1);
	CHECK_EQ(rec_sig[4], c);
	CHECK_EQ(rec_value[4], 3);
	CHECK_EQ(rec_pid[4], getpid());
	/* errors */
	CHECK_EQ(sigqueue(getpid(), NSIG, v), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sigqueue(999999, a, v), -1);
	CHECK_EQ(errno, ESRCH);
	CHECK_EQ(sigqueue(1, a, v), -1);                      /* init catches none of these */
	CHECK_EQ(errno, EPERM);
	CHECK_EQ(sigqueue(getpid(), 0, v), 0);                /* a check only */
}

/* SIGQUEUE_MAX of one signal queued, the next EAGAIN; sigwaitinfo drains them in order */
void test_siginfo_queue_limit(void)
{
	sigset_t b = one(SIGRTMIN + 4), p;
	siginfo_t si;
	union sigval v;
	int n = 0;

	CHECK_EQ(sigprocmask(SIG_BLOCK, &b, NULL), 0);
	for (;;) {
		v.sival_int = 1000 + n;
		if (sigqueue(getpid(), SIGRTMIN + 4, v))
			break;
		n++;
		CHECK(n <= 1024);
	}
	CHECK_EQ(errno, EAGAIN);
	CHECK(n >= 32);                                       /* _POSIX_SIGQUEUE_MAX */
	for (int i = 0; i < n; i++) {
		memset(&si, 0, sizeof(si));
		CHECK_EQ(sigwaitinfo(&b, &si), SIGRTMIN + 4);
		CHECK_EQ(si.si_signo, SIGRTMIN + 4);
		CHECK_EQ(si.si_code, SI_QUEUE);
		CHECK_EQ(si.si_value.sival_int, 1000 + i);
		CHECK_EQ(si.si_pid, getpid());
	}
	CHECK_EQ(sigpending(&p), 0);
	CHECK(!sigismember(&p, SIGRTMIN + 4));
	v.sival_int = 7;
	CHECK_EQ(sigqueue(getpid(), SIGRTMIN + 4, v), 0);     /* room again */
	struct timespec zero = { 0, 0 };
	CHECK_EQ(sigtimedwait(&b, &si, &zero), SIGRTMIN + 4);
	CHECK_EQ(si.si_value.sival_int, 7);
	CHECK_EQ(sigtimedwait(&b, &si, &zero), -1);
	CHECK_EQ(errno, EAGAIN);
}

/* sigwaitinfo from another process: its pid; a fork child has nothing of ours pending */
void test_siginfo_wait_other(void)
{
	sigset_t b = one(SIGUSR2);
	siginfo_t si;
	union sigval v = { .sival_int = 99 };
	int pid, st;

	sigaddset(&b, SIGRTMIN);                              /* before the child can send it */
	CHECK_EQ(sigprocmask(SIG_BLOCK, &b, NULL), 0);
	b = one(SIGUSR2);
	CHECK_EQ(sigqueue(getpid(), SIGUSR2, v), 0);
	pid = fork();
	if (pid == 0) {
		sigset_t p;
		if (sigpending(&p) || sigismember(&p, SIGUSR2))
			_exit(1);
		sigqueue(getppid(), SIGRTMIN, v);
		_exit(0);
	}
	CHECK_EQ(sigwaitinfo(&b, &si), SIGUSR2);
	CHECK_EQ(si.si_pid, getpid());
	CHECK_EQ(si.si_value.sival_int, 99);
	b = one(SIGRTMIN);
	st = wait_status(pid);
	CHECK_EQ(st, 0);
	CHECK_EQ(sigwaitinfo(&b, &si), SIGRTMIN);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_code, SI_QUEUE);
	CHECK_EQ(si.si_uid, getuid());
}

/* SIGCHLD's siginfo: the child, CLD_EXITED with its code, CLD_KILLED with the signal */
void test_siginfo_sigchld(void)
{
	sigset_t b = one(SIGCHLD);
	siginfo_t si;
	int pid;

	catch_info(SIGCHLD, 0);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &b, NULL), 0);
	pid = fork();
	if (pid == 0)
		_exit(7);
	CHECK_EQ(sigwaitinfo(&b, &si), SIGCHLD);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_status, 7);
	CHECK_EQ(wait_status(pid), 7 << 8);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK_EQ(kill(pid, SIGTERM), 0);
	sigset_t waitmask;                                     /* SIGCHLD open only while we wait */
	CHECK_EQ(sigprocmask(SIG_BLOCK, NULL, &waitmask), 0);
	sigdelset(&waitmask, SIGCHLD);
	while (nrec < 1)
		sigsuspend(&waitmask);
	CHECK_EQ(sigprocmask(SIG_UNBLOCK, &b, NULL), 0);
	CHECK_EQ(rec_sig[0], SIGCHLD);
	CHECK_EQ(rec_code[0], CLD_KILLED);
	CHECK_EQ(rec_pid[0], pid);
	CHECK_EQ(rec_status[0], SIGTERM);
	CHECK_EQ(wait_status(pid), SIGTERM);
}

/* ---- faults ---- */

static void *volatile bad_ptr = (void *)0x10;
static volatile int faults;
static void *volatile fault_addr;
static volatile int fault_code;

/* step past the instruction at the pc (2 or 4 bytes), as a debugger would */
static void skip_insn(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uint16_t insn = *(uint16_t *)uc->uc_mcontext.__gregs[0];
	(void)sig;
	faults++;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	uc->uc_mcontext.__gregs[0] += (insn & 3) == 3 ? 4 : 2;
}

/* a SIGSEGV handler sees the address and the code, and returning past the load goes on */
void test_siginfo_fault_skip(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = skip_insn;
	sa.sa_flags = SA_SIGINFO;
	CHECK_EQ(sigaction(SIGSEGV, &sa, NULL), 0);
	(void)*(volatile int *)bad_ptr;
	CHECK_EQ(faults, 1);
	CHECK(fault_addr == bad_ptr);
	CHECK_EQ(fault_code, SEGV_MAPERR);
	*(volatile int *)((char *)bad_ptr + 8) = 5;           /* a store too */
	CHECK_EQ(faults, 2);
	CHECK(fault_addr == (char *)bad_ptr + 8);
	/* SIGILL: an illegal instruction, si_addr its address */
	CHECK_EQ(sigaction(SIGILL, &sa, NULL), 0);
	__asm__ volatile("unimp");
	CHECK_EQ(faults, 3);
	CHECK_EQ(fault_code, ILL_ILLOPC);
	CHECK(fault_addr != NULL);
}

static sigjmp_buf jb;
static void jump_out(int sig)
{
	siglongjmp(jb, sig);
}

/* a handler that leaves by siglongjmp: the mask from sigsetjmp is back; a blocked fault kills */
void test_siginfo_fault_longjmp(void)
{
	struct sigaction sa = { 0 };
	sigset_t m;
	int pid, st;

	sa.sa_handler = jump_out;
	CHECK_EQ(sigaction(SIGSEGV, &sa, NULL), 0);
	for (int round = 0; round < 3; round++) {
		if (sigsetjmp(jb, 1) == 0) {
			(void)*(volatile int *)bad_ptr;
			CHECK(0);                             /* not reached */
		}
		CHECK_EQ(sigprocmask(SIG_BLOCK, NULL, &m), 0);
		CHECK(!sigismember(&m, SIGSEGV));             /* so the next fault is caught again */
	}
	/* blocked: the fault ends the process with SIGSEGV all the same */
	pid = fork();
	if (pid == 0) {
		sigset_t b = one(SIGSEGV);
		sigprocmask(SIG_BLOCK, &b, NULL);
		(void)*(volatile int *)bad_ptr;
		_exit(0);
	}
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGSEGV);
	/* caught by a parent that waits: the child's SIGSEGV death says so in SIGCHLD too */
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		(void)*(volatile int *)bad_ptr;
		_exit(0);
	}
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGSEGV);
}

/* ---- the alternate stack ---- */

/* sigaltstack's checks; SA_ONSTACK handlers run on it (both ways of delivery), SS_ONSTACK inside */
void test_siginfo_altstack(void)
{
	stack_t ss, old;
	char *mem = malloc(4 * SIGSTKSZ);
	int pid;

	CHECK(mem != NULL);
	CHECK_EQ(sigaltstack(NULL, &old), 0);
	CHECK_EQ(old.ss_flags, SS_DISABLE);                    /* none to start with */
	ss.ss_sp = mem;
	ss.ss_size = MINSIGSTKSZ - 1;
	ss.ss_flags = 0;
	CHECK_EQ(sigaltstack(&ss, NULL), -1);
	CHECK_EQ(errno, ENOMEM);
	ss.ss_size = 4 * SIGSTKSZ;
	ss.ss_flags = SS_ONSTACK;
	CHECK_EQ(sigaltstack(&ss, NULL), -1);
	CHECK_EQ(errno, EINVAL);
	ss.ss_flags = 0;
	CHECK_EQ(sigaltstack(&ss, &old), 0);
	CHECK_EQ(sigaltstack(NULL, &old), 0);
	CHECK(old.ss_sp == mem);
	CHECK_EQ(old.ss_size, 4 * SIGSTKSZ);
	CHECK_EQ(old.ss_flags, 0);
	alt_base = mem;
	alt_size = 4 * SIGSTKSZ;

	catch_info(SIGUSR1, SA_ONSTACK);
	catch_info(SIGUSR2, 0);
	CHECK_EQ(raise(SIGUSR1), 0);                           /* run by libc during the call */
	CHECK_EQ(raise(SIGUSR2), 0);                           /* no SA_ONSTACK: the usual stack */
	CHECK_EQ(nrec, 2);
	CHECK_EQ(rec_onalt[0], 1);
	CHECK_EQ(rec_ssflags[0], SS_ONSTACK);
	CHECK_EQ(rec_onalt[1], 0);
	CHECK_EQ(rec_ssflags[1], 0);
	pid = fork();                                          /* a frame pushed by the proc server */
	if (pid == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	while (nrec < 3)                                       /* not pause: it could come just before */
		sched_yield();
	CHECK_EQ(rec_onalt[2], 1);
	CHECK_EQ(rec_ssflags[2], SS_ONSTACK);
	CHECK_EQ(wait_status(pid), 0);
	/* a fork child has it too; SS_DISABLE takes it away */
	pid = fork();
	if (pid == 0) {
		stack_t o;
		if (sigaltstack(NULL, &o) || o.ss_sp != mem || o.ss_flags != 0)
			_exit(1);
		_exit(0);
	}
	CHECK_EQ(wait_status(pid), 0);
	ss.ss_flags = SS_DISABLE;
	CHECK_EQ(sigaltstack(&ss, NULL), 0);
	CHECK_EQ(sigaltstack(NULL, &old), 0);
	CHECK_EQ(old.ss_flags, SS_DISABLE);
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(rec_onalt[3], 0);
}

static void try_change(int sig)
{
	stack_t ss = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = SS_DISABLE };
	(void)sig;
	rec_status[0] = sigaltstack(&ss, NULL) == -1 ? errno : 0;
	nrec = 1;
}

static volatile int depth_reached, depth_limit = 1 << 30;
static void recurse(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	depth_reached = n;
	if (n < depth_limit)           /* never reached: the stack ends first */
		recurse(n + 1);
	(void)pad[0];
}

/* on it, it cannot be changed (EPERM); a stack overflow's SIGSEGV is caught on it */
void test_siginfo_altstack_overflow(void)
{
	char *mem = malloc(4 * SIGSTKSZ);
	stack_t ss = { .ss_sp = mem, .ss_size = 4 * SIGSTKSZ, .ss_flags = 0 };
	struct sigaction sa = { 0 };
	int pid, st;

	CHECK(mem != NULL);
	CHECK_EQ(sigaltstack(&ss, NULL), 0);
	alt_base = mem;
	alt_size = 4 * SIGSTKSZ;
	sa.sa_handler = try_change;
	sa.sa_flags = SA_ONSTACK;
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(nrec, 1);
	CHECK_EQ(rec_status[0], EPERM);
	/* overflow the stack in a child: without an alternate stack it dies of SIGSEGV ... */
	pid = fork();
	if (pid == 0) {
		ss.ss_flags = SS_DISABLE;
		sigaltstack(&ss, NULL);
		signal(SIGSEGV, jump_out);
		if (sigsetjmp(jb, 1) == 0)
			recurse(0);
		_exit(3);
	}
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGSEGV);
	/* ... and with one its handler runs and gets out */
	pid = fork();
	if (pid == 0) {
		sa.sa_handler = jump_out;
		sa.sa_flags = SA_ONSTACK;
		sigaction(SIGSEGV, &sa, NULL);
		if (sigsetjmp(jb, 1) == 0)
			recurse(0);
		_exit(depth_reached > 10 ? 4 : 5);
	}
	st = wait_status(pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 4);
}
