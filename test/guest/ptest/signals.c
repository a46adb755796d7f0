/*
 * Signal tests: masks and pending sets per thread, kept by the proc server
 * (POSIX and illumos semantics): a blocked signal waits whoever sent it and
 * whatever its action; unblocking runs a handler before sigprocmask returns;
 * a signal sent to the process goes to a thread that does not block it;
 * sigwait, sigtimedwait, sigsuspend; the fork and exec rules.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ptest.h"
#include "proc.h"

static volatile int got, got_sig;
static volatile sigset_t mask_in_handler;
static volatile pthread_t ran_on;

static void on_sig(int sig)
{
	sigset_t m;
	sigprocmask(SIG_BLOCK, NULL, &m);
	mask_in_handler = m;
	ran_on = pthread_self();
	got_sig = sig;
	got++;
}

static sigset_t set_of(int a, int b)
{
	sigset_t s;
	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	return s;
}

static sigset_t mask_now(void)
{
	sigset_t m;
	sigprocmask(SIG_BLOCK, NULL, &m);
	return m;
}

static int wait_status(int pid)
{
	int status = -1;
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

static void catch(int sig, sigset_t mask, int flags)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_sig;
	sa.sa_mask = mask;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

/* a blocked signal whose action is to terminate waits, by raise or by kill, until unblocked */
void test_sig_blocked_default_waits(void)
{
	int fds[2], pid, status;
	char c = 0;

	CHECK_EQ(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		sigset_t s = set_of(SIGTERM, 0), p;
		if (sigprocmask(SIG_BLOCK, &s, NULL) || raise(SIGTERM) || kill(getpid(), SIGTERM))
			_exit(1);
		if (sigpending(&p) || !sigismember(&p, SIGTERM) || sigismember(&p, SIGINT))
			_exit(2);
		write(fds[1], "a", 1);                  /* alive with SIGTERM pending */
		sigprocmask(SIG_UNBLOCK, &s, NULL);     /* dies here */
		_exit(3);
	}
	close(fds[1]);
	CHECK(pid > 0);
	CHECK_EQ(read(fds[0], &c, 1), 1);
	CHECK_EQ(c, 'a');
	close(fds[0]);
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGTERM);
}

static void *raise_blocked(void *arg)
{
	sigset_t s = set_of(SIGUSR1, 0), p;
	(void)arg;
	if (pthread_sigmask(SIG_BLOCK, &s, NULL) || raise(SIGUSR1))
		return (void *)1;
	if (sigpending(&p) || !sigismember(&p, SIGUSR1))
		return (void *)2;
	return NULL;                                 /* its pending SIGUSR1 goes with it */
}

/* pthread_sigmask is the thread's own: raise in a thread that blocks it kills no one */
void test_sig_thread_mask(void)
{
	int pid = fork(), status;
	if (pid == 0) {
		pthread_t t;
		void *r = (void *)9;
		sigset_t p;
		if (pthread_create(&t, NULL, raise_blocked, NULL) || pthread_join(t, &r))
			_exit(8);
		if (sigpending(&p) || sigismember(&p, SIGUSR1))
			_exit(9);                       /* not the main thread's, nor the process's */
		_exit((int)(long)r);
	}
	CHECK(pid > 0);
	status = wait_status(pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
}

/* unblocking runs the handler before sigprocmask returns, with sa_mask and the signal blocked in it */
void test_sig_unblock_runs_handler(void)
{
	sigset_t s = set_of(SIGUSR1, 0), old = mask_now(), p;
	struct sigaction sa;

	catch(SIGUSR1, set_of(SIGUSR2, 0), 0);
	got = 0;
	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, NULL), 0);
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(got, 0);
	CHECK_EQ(sigpending(&p), 0);
	CHECK(sigismember(&p, SIGUSR1));
	CHECK_EQ(sigprocmask(SIG_UNBLOCK, &s, NULL), 0);
	CHECK_EQ(got, 1);                                /* already */
	CHECK(sigismember((sigset_t *)&mask_in_handler, SIGUSR1));
	CHECK(sigismember((sigset_t *)&mask_in_handler, SIGUSR2));
	CHECK_EQ(mask_now(), old);                        /* put back after it */
	CHECK_EQ(sigpending(&p), 0);
	CHECK_EQ(p, 0);
	/* kill of ourselves, unblocked: before kill returns */
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	CHECK_EQ(got, 2);
	/* SA_NODEFER: not blocked in its handler; SA_RESETHAND: the default is back */
	catch(SIGUSR1, 0, SA_NODEFER | SA_RESETHAND);
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(got, 3);
	CHECK(!sigismember((sigset_t *)&mask_in_handler, SIGUSR1));
	CHECK_EQ(sigaction(SIGUSR1, NULL, &sa), 0);
	CHECK(sa.sa_handler == SIG_DFL);
	/* SIGKILL and SIGSTOP cannot be blocked; a bad how is EINVAL */
	s = set_of(SIGKILL, SIGSTOP);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, NULL), 0);
	CHECK_EQ(mask_now(), old);
	CHECK_EQ(sigprocmask(42, &s, NULL), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(pthread_sigmask(42, &s, NULL), EINVAL);
}

static volatile int t_ready, t_stop;

static void *idle_thread(void *arg)
{
	sigset_t s = set_of(SIGUSR1, 0);
	if (arg)
		pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	t_ready = 1;
	while (!t_stop)
		sched_yield();
	return NULL;
}

/* a signal to the process goes to the thread that does not block it; pthread_kill to the one named */
void test_sig_goes_to_unblocked_thread(void)
{
	sigset_t s = set_of(SIGUSR1, 0), old = mask_now();
	pthread_t t;

	catch(SIGUSR1, 0, 0);
	catch(SIGUSR2, 0, 0);
	got = 0;
	ran_on = 0;
	t_ready = t_stop = 0;
	CHECK_EQ(pthread_sigmask(SIG_BLOCK, &s, NULL), 0);      /* the thread inherits it ... */
	CHECK_EQ(pthread_create(&t, NULL, idle_thread, (void *)1), 0);   /* ... and unblocks it */
	while (!t_ready)
		sched_yield();
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	for (int i = 0; i < 100000 && !got; i++)
		sched_yield();
	CHECK_EQ(got, 1);
	CHECK(pthread_equal(ran_on, t));
	/* pthread_kill: that thread, whatever the others block */
	CHECK_EQ(pthread_kill(t, SIGUSR2), 0);
	for (int i = 0; i < 100000 && got < 2; i++)
		sched_yield();
	CHECK_EQ(got, 2);
	CHECK(pthread_equal(ran_on, t));
	CHECK_EQ(pthread_kill(t, 0), 0);
	CHECK_EQ(pthread_kill(t, 99), EINVAL);
	/* to ourselves: the handler runs before pthread_kill returns */
	CHECK_EQ(pthread_kill(pthread_self(), SIGUSR2), 0);
	CHECK_EQ(got, 3);
	CHECK(pthread_equal(ran_on, pthread_self()));
	t_stop = 1;
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

static void *waiter(void *arg)
{
	sigset_t s = set_of(SIGUSR1, SIGUSR2);
	int sig = 0;
	(void)arg;
	t_ready = 1;
	if (sigwait(&s, &sig))
		return (void *)-1;
	return (void *)(long)sig;
}

/* sigwait takes a blocked signal sent to the process; sigtimedwait times out or polls */
void test_sig_sigwait(void)
{
	sigset_t s = set_of(SIGUSR1, SIGUSR2), old;
	struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 }, zero = { 0 };
	siginfo_t info;
	pthread_t t;
	void *r = NULL;

	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, &old), 0);
	t_ready = 0;
	CHECK_EQ(pthread_create(&t, NULL, waiter, NULL), 0);
	while (!t_ready)
		sched_yield();
	CHECK_EQ(kill(getpid(), SIGUSR2), 0);
	CHECK_EQ(pthread_join(t, &r), 0);
	CHECK_EQ((long)r, SIGUSR2);
	/* nothing pending: EAGAIN after the limit, or at once with a zero limit */
	CHECK_EQ(sigtimedwait(&s, &info, &ts), -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(sigtimedwait(&s, &info, &zero), -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(sigtimedwait(&s, &info, &zero), SIGUSR1);
	CHECK_EQ(info.si_signo, SIGUSR1);
	ts.tv_nsec = 1000000000;
	CHECK_EQ(sigtimedwait(&s, &info, &ts), -1);
	CHECK_EQ(errno, EINVAL);
	sigemptyset(&s);
	CHECK_EQ(sigwaitinfo(&s, &info), -1);           /* an empty set */
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
}

/* sigsuspend: the handler runs, -1 EINTR, and the mask from before is back */
void test_sig_sigsuspend(void)
{
	sigset_t s = set_of(SIGUSR1, 0), old, none;
	int pid, parent = getpid();

	catch(SIGUSR1, 0, 0);
	got = 0;
	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, &old), 0);
	pid = fork();
	if (pid == 0) {
		kill(parent, SIGUSR1);                 /* before or during the sigsuspend: the same */
		_exit(0);
	}
	CHECK(pid > 0);
	sigemptyset(&none);
	CHECK_EQ(sigsuspend(&none), -1);
	CHECK_EQ(errno, EINTR);
	CHECK_EQ(got, 1);
	CHECK(!sigismember((sigset_t *)&mask_in_handler, SIGUSR2));
	CHECK(sigismember((sigset_t *)&mask_in_handler, SIGUSR1));   /* the signal itself, in its handler */
	CHECK(sigismember(&(sigset_t){ mask_now() }, SIGUSR1));       /* blocked again */
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	signal(SIGUSR1, SIG_DFL);
}

/* fork: the child has the mask and nothing pending; exec keeps mask, pending and SIG_IGN, not handlers */
void test_sig_fork_exec(void)
{
	sigset_t s = set_of(SIGUSR1, 0), old;
	int pid, status;

	catch(SIGUSR1, 0, 0);
	got = 0;
	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, &old), 0);
	CHECK_EQ(raise(SIGUSR1), 0);
	pid = fork();
	if (pid == 0) {
		sigset_t p;
		if (sigpending(&p) || sigismember(&p, SIGUSR1))
			_exit(1);
		_exit(sigismember(&(sigset_t){ mask_now() }, SIGUSR1) ? 0 : 2);
	}
	CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
	pid = vfork();
	if (pid == 0) {
		sigset_t p;
		_exit(sigpending(&p) == 0 && !sigismember(&p, SIGUSR1) ? 0 : 1);
	}
	CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
	/* exec: /test/ptest sigcheck finds SIGUSR1 blocked and pending, SIGUSR2 ignored, SIGHUP default */
	pid = fork();
	if (pid == 0) {
		signal(SIGUSR2, SIG_IGN);
		signal(SIGHUP, on_sig);
		raise(SIGUSR1);                         /* pending here: the parent's was not inherited */
		proc_exec("/test/ptest sigcheck");
		_exit(50);
	}
	status = wait_status(pid);
	CHECK_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : 0, 0);   /* sigcheck's finding, if any */
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGHUP);
	CHECK_EQ(got, 0);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);   /* our own pending SIGUSR1 runs now */
	CHECK_EQ(got, 1);
	signal(SIGUSR1, SIG_DFL);
}

/* "ptest sigcheck": exec'd by test_sig_fork_exec; an exit code names what is wrong */
int sigcheck_main(void)
{
	sigset_t p;
	if (!sigismember(&(sigset_t){ mask_now() }, SIGUSR1))
		return 11;
	if (sigpending(&p) || !sigismember(&p, SIGUSR1))
		return 12;
	struct sigaction sa;
	if (kill(getpid(), SIGUSR2))
		return 13;                             /* ignored: we go on */
	if (sigaction(SIGUSR2, NULL, &sa) || sa.sa_handler != SIG_IGN)
		return 15;                             /* and sigaction says so */
	if (sigaction(SIGHUP, NULL, &sa) || sa.sa_handler != SIG_DFL)
		return 16;
	raise(SIGHUP);                                 /* caught before exec: default now */
	return 14;
}

/* SIGCHLD's flags: SA_NOCLDWAIT leaves no zombie (wait: ECHILD); SA_NOCLDSTOP sends none for a stop */
void test_sig_sigchld_flags(void)
{
	struct sigaction sa = { 0 }, old;
	sigset_t s = set_of(SIGCHLD, 0), was, p;
	int pid, status;

	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	CHECK_EQ(sigaction(SIGCHLD, &sa, &old), 0);
	pid = fork();
	if (pid == 0)
		_exit(3);
	CHECK(pid > 0);
	CHECK_EQ(waitpid(-1, &status, 0), -1);          /* until it is gone, then nothing to wait for */
	CHECK_EQ(errno, ECHILD);
	CHECK_EQ(kill(pid, 0), -1);                     /* no zombie left */
	CHECK_EQ(errno, ESRCH);

	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, &was), 0);  /* SIGCHLD stays pending where we can see it */
	sa.sa_flags = SA_NOCLDSTOP;
	CHECK_EQ(sigaction(SIGCHLD, &sa, NULL), 0);
	pid = fork();
	if (pid == 0)
		for (;;)
			pause();
	CHECK(pid > 0);
	CHECK_EQ(kill(pid, SIGSTOP), 0);
	CHECK_EQ(waitpid(pid, &status, WUNTRACED), pid);
	CHECK(WIFSTOPPED(status));
	CHECK_EQ(sigpending(&p), 0);
	CHECK(!sigismember(&p, SIGCHLD));               /* the stop sent none */
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(sigpending(&p), 0);
	CHECK(sigismember(&p, SIGCHLD));                /* its end did */
	CHECK_EQ(sigaction(SIGCHLD, &old, NULL), 0);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &was, NULL), 0);
}

/*
 * SA_RESTART: a read blocked on an empty pipe, interrupted by a caught
 * signal, is made again and gets the byte written after; without it the
 * read fails with EINTR.  The child signals until told (the ack pipe), so
 * at least one signal comes while the read is blocked.
 */
static void signal_until_acked(int parent, int ack, bool then_write, int wfd)
{
	char c;
	for (int i = 0; i < 5; i++) {
		kill(parent, SIGUSR1);
		usleep(10000);
	}
	if (then_write)
		write(wfd, "x", 1);
	else
		for (int i = 0; i < 1000 && read(ack, &c, 1) != 1; i++)
			kill(parent, SIGUSR1), usleep(10000);
	_exit(0);
}

void test_sig_restart(void)
{
	int data[2], ack[2], pid, parent = getpid();
	char c = 0;

	for (int restart = 1; restart >= 0; restart--) {
		catch(SIGUSR1, 0, restart ? SA_RESTART : 0);
		got = 0;
		CHECK_EQ(pipe(data), 0);
		CHECK_EQ(pipe(ack), 0);
		pid = fork();
		if (pid == 0) {
			close(data[0]);
			fcntl(ack[0], F_SETFL, O_NONBLOCK);        /* it keeps signalling while it looks */
			signal_until_acked(parent, ack[0], restart, data[1]);
		}
		CHECK(pid > 0);
		close(data[1]);
		if (restart) {
			CHECK_EQ(read(data[0], &c, 1), 1);          /* through every interruption */
			CHECK_EQ(c, 'x');
		} else {
			CHECK_EQ(read(data[0], &c, 1), -1);          /* nothing is ever written */
			CHECK_EQ(errno, EINTR);
			CHECK_EQ(write(ack[1], "a", 1), 1);
		}
		CHECK(got > 0);
		sigset_t s = set_of(SIGUSR1, 0), was;
		CHECK_EQ(sigprocmask(SIG_BLOCK, &s, &was), 0);   /* its last ones must not end the wait */
		CHECK_EQ(wait_status(pid), 0);
		CHECK_EQ(sigprocmask(SIG_SETMASK, &was, NULL), 0);
		close(data[0]);
		close(ack[0]);
		close(ack[1]);
	}
	signal(SIGUSR1, SIG_DFL);
}
