/* The in-guest suites' runner: see suite.h. */
#include <stdarg.h>
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

static int run(const struct ktest *tests, int seconds)
{
	int pass = 0, fail = 0;
	for (const struct ktest *t = tests; t->fn; t++) {
		failed = 0;
		reason[0] = 0;
		if (seconds > 0)
			run_in_child(t->fn, seconds);
		else
			t->fn();
		if (failed) {
			printf("TEST FAIL %s: %s\n", t->name, reason);
			fail++;
		} else {
			printf("TEST PASS %s\n", t->name);
			pass++;
		}
	}
	printf("TESTS DONE %d %d\n", pass, fail);
	return fail;
}

int suite_run(const struct ktest *tests)
{
	return run(tests, 0);
}

int suite_run_isolated(const struct ktest *tests, int seconds)
{
	return run(tests, seconds);
}
