/* The in-guest suites' runner: see suite.h. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <pthread.h>             /* clock_gettime: picolibc's <time.h> hides it */
#include <sys/wait.h>
#include "suite.h"
#include "uapi/proc.h"

static char reason[200];
static int failed;

/* the first failure of a test is the one reported (any thread may fail one) */
void ktest_failf(int line, const char *fmt, ...)
{
	va_list ap;
	int zero = 0;
	int n;
	if (!__atomic_compare_exchange_n(&failed, &zero, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	n = snprintf(reason, sizeof(reason), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(reason + n, sizeof(reason) - (size_t)n, fmt, ap);
	va_end(ap);
}

void ktest_fail(int line, const char *what)
{
	ktest_failf(line, "%s", what);
}

void ktest_fail_eq(int line, const char *what, long long got, long long want)
{
	ktest_failf(line, "%s is %lld, expected %lld", what, got, want);
}

/* the system's figures once no dead address space is still being freed (a step per kernel exit) */
static void settled_info(struct sysinfo *si)
{
	for (sys_info(si); si->as_pending; sys_info(si))
		sys_yield();
}

uint64_t free_pages(void)
{
	struct sysinfo si;
	settled_info(&si);
	return si.free_pages;
}

uint64_t kernel_objects(void)
{
	struct sysinfo si;
	settled_info(&si);
	return si.kmem_objects;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Run fn in a forked child: its failure's reason comes back through a pipe;
 * a child that is killed, exits otherwise or outlives the limit fails the
 * test without ending the suite.
 */
static void run_in_child(void (*fn)(void), int seconds)
{
	int fds[2], pid, status = 0, r;
	uint64_t start = now_ms();
	ssize_t n;

	fflush(stdout);
	if (pipe(fds)) {
		ktest_fail(__LINE__, "pipe failed");
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		fn();
		if (failed)
			write(fds[1], reason, strlen(reason));
		fflush(stdout);
		_exit(failed ? 1 : 0);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		ktest_fail(__LINE__, "fork failed");
		return;
	}
	while ((r = waitpid(pid, &status, WNOHANG)) == 0) {
		if (now_ms() - start > (uint64_t)seconds * 1000) {
			kill(pid, SIGKILL_NO);
			waitpid(pid, &status, 0);
			close(fds[0]);
			ktest_failf(__LINE__, "hung: killed after %d s", seconds);
			return;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	}
	/* only a child that exited 1 wrote, and it has exited: the read cannot block */
	if (r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 1 &&
	    (n = read(fds[0], reason, sizeof(reason) - 1)) > 0) {
		reason[n] = 0;
		failed = 1;
	} else if (r == pid && WIFSIGNALED(status)) {
		ktest_failf(__LINE__, "the test's process was killed by signal %d", WTERMSIG(status));
	} else if (r != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		ktest_fail_eq(__LINE__, "the test child's wait status", status, 0);
	}
	close(fds[0]);
}

/*
 * Without fork (ktest is the root task's child, not a process of the proc
 * server): fn on a thread of its own in our address space, at SUITE_PRIO,
 * whose fault endpoint is the runner's.  A test that faults fails alone (its
 * fault message comes to the runner and its thread is closed, which ends it),
 * and so does one that runs past `seconds` (a timer on a notification bound
 * to the runner's thread).  What a test wrote over the suite's memory stays:
 * this isolates crashes and hangs, not corruption.  A runner is made per
 * suite_run_threads call, so a test may run a suite of its own.
 */
enum { TEST_STACK = 64 * 1024 };
struct runner {
	handle_t ep, send_ep, timer;    /* the test thread's exit and faults; the time limit */
	char *stack;
	handle_t th;                    /* the running test's thread */
};
static handle_t self_h = -1;            /* the thread the running test is on (suite_self) */
static void (*thread_fn)(void);

handle_t suite_self(void)
{
	return self_h >= 0 ? self_h : startinfo->h_thread;
}

/* its end is the kernel's LABEL_EXIT message on the fault endpoint */
static void test_thread(uint64_t arg)
{
	(void)arg;
	thread_fn();
	thread_exit(0);
}

static void runner_free(struct runner *rn)
{
	handle_t hs[] = { rn->ep, rn->send_ep, rn->timer };
	for (unsigned i = 0; i < sizeof(hs) / sizeof(hs[0]); i++)
		if (hs[i] >= 0)
			handle_close(hs[i]);
	free(rn->stack);
}

static long runner_new(struct runner *rn, const char **what)
{
	long r;
	*rn = (struct runner){ .ep = -1, .send_ep = -1, .timer = -1, .th = -1 };
	if ((*what = "ep_create", r = ep_create(&rn->ep)) ||
	    (*what = "handle_dup", r = handle_dup(rn->ep, R_SEND, 0, &rn->send_ep)) ||
	    (*what = "ntfn_create", r = ntfn_create(&rn->timer)) ||
	    (*what = "ntfn_bind", r = ntfn_bind(rn->timer, suite_self())) ||
	    (*what = "aligned_alloc", r = (rn->stack = aligned_alloc(16, TEST_STACK)) ? 0 : -1)) {
		runner_free(rn);
		return r;
	}
	memset(rn->stack, 0, TEST_STACK);       /* its pages now, not in a test that counts free pages */
	return 0;
}

static void run_in_thread(struct runner *rn, void (*fn)(void), int seconds)
{
	handle_t outer = self_h;
	struct msg m;
	uint64_t t0, hz = 10000000, type, rights, tid = 0;
	struct sysinfo si;
	bool ended = false;
	long r;

	if (sys_info(&si) == 0 && si.timebase_hz)
		hz = si.timebase_hz;
	thread_fn = fn;
	if ((r = thread_create(startinfo->h_as, startinfo->h_cspace, SUITE_PRIO, rn->send_ep, &rn->th)) ||
	    (r = handle_info(rn->th, &type, &rights, &tid))) {
		if (rn->th >= 0)
			handle_close(rn->th);
		rn->th = -1;
		ktest_fail_eq(__LINE__, "making the test's thread", r, 0);
		return;
	}
	/* all set before it starts: on another hart it runs at once, and asks suite_self() */
	self_h = rn->th;
	__asm__ volatile("rdtime %0" : "=r"(t0));
	ntfn_timer(rn->timer, 1, t0 + (uint64_t)seconds * hz);
	if ((r = thread_start_fn(rn->th, test_thread, 0, rn->stack + TEST_STACK, 0))) {
		ntfn_timer(rn->timer, 1, 0);
		handle_close(rn->th);
		rn->th = -1;
		self_h = outer;
		ktest_fail_eq(__LINE__, "starting the test's thread", r, 0);
		return;
	}
	for (;;) {
		m = (struct msg){ 0 };
		r = ipc_recv(rn->ep, &m, NULL);
		if (r == 0 && IPC_LABEL(m.info) == LABEL_EXIT && m.w[1] == tid) {
			ended = true;
			break;
		}
		if (r == 0 && IPC_LABEL(m.info) == LABEL_FAULT && m.w[3] == tid) {
			ktest_failf(__LINE__, "the test's thread faulted: scause %llu at pc 0x%llx addr 0x%llx",
				    (unsigned long long)m.w[0], (unsigned long long)m.w[2], (unsigned long long)m.w[1]);
			break;
		}
		if (r == 0 && IPC_LABEL(m.info) == LABEL_NTFN) {
			ktest_failf(__LINE__, "hung: stopped after %d s", seconds);
			break;
		}
	}
	ntfn_timer(rn->timer, 1, 0);
	ntfn_poll(rn->timer, &(uint64_t){ 0 }); /* a timer that fired as the test ended */
	if (!ended)
		thread_destroy(rn->th);         /* faulted (waiting for an answer) or hung */
	handle_close(rn->th);
	rn->th = -1;
	self_h = outer;
}

/* where the verdict lines go: stdout, or (suite_run_threads_into) a buffer */
static char *out_buf;
static size_t out_len, out_max;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (out_buf) {
		int n = vsnprintf(out_buf + out_len, out_max - out_len, fmt, ap);
		if (n > 0)
			out_len += (size_t)n < out_max - out_len ? (size_t)n : out_max - out_len - 1;
	} else {
		vprintf(fmt, ap);
	}
	va_end(ap);
}

static int run(const struct ktest *tests, int seconds, bool threads)
{
	struct runner rn;
	int pass = 0, fail = 0;

	const char *what = "";
	long err;
	if (threads && (err = runner_new(&rn, &what))) {
		say("TEST FAIL suite: the tests' threads: %s: %ld\nTESTS DONE 0 1\n", what, err);
		return 1;
	}
	for (const struct ktest *t = tests; t->fn; t++) {
		failed = 0;
		reason[0] = 0;
		if (threads)
			run_in_thread(&rn, t->fn, seconds);
		else if (seconds > 0)
			run_in_child(t->fn, seconds);
		else
			t->fn();
		if (failed) {
			say("TEST FAIL %s: %s\n", t->name, reason);
			fail++;
		} else {
			say("TEST PASS %s\n", t->name);
			pass++;
		}
	}
	say("TESTS DONE %d %d\n", pass, fail);
	if (threads)
		runner_free(&rn);
	return fail;
}

int suite_run(const struct ktest *tests)
{
	return run(tests, 0, false);
}

int suite_run_threads(const struct ktest *tests, int seconds)
{
	return run(tests, seconds, true);
}

int suite_run_threads_into(const struct ktest *tests, int seconds, char *out, size_t max)
{
	char saved_reason[sizeof(reason)];
	int saved_failed = failed, r;

	memcpy(saved_reason, reason, sizeof(reason));
	out_buf = out;
	out_len = 0;
	out_max = max;
	out[0] = 0;
	r = run(tests, seconds, true);
	out_buf = NULL;
	failed = saved_failed;
	memcpy(reason, saved_reason, sizeof(reason));
	return r;
}

int suite_run_isolated(const struct ktest *tests, int seconds)
{
	return run(tests, seconds, false);
}
