/*
 * Nothing an ordinary process does many times leaves anything behind: free
 * pages and live kernel objects are the same before and after each test's
 * rounds (and the proc server's process count).  Each test first does a few
 * rounds unmeasured, so what any first time leaves (our heap and stack pages,
 * the servers' buffers and tables) is already there.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "leak.h"
#include "proc.h"

#define WARM 10

static uint64_t t_start;

static uint64_t now_ms(void)
{
	struct sysinfo si;
	sys_info(&si);
	return si.timebase_hz ? si.time / (si.timebase_hz / 1000) : 0;
}

/* failed forks' replies wait out their punish delay, exits are messages: let them go */
static void settle(void)
{
	uint64_t fs[5], p0, o0;
	for (int i = 0; i < 2000; i++) {
		if (proc_forkstat(-1, fs) == 0 && fs[4] == 0)
			break;
		usleep(2000);
	}
	p0 = free_pages();
	o0 = kernel_objects();
	for (int i = 0; i < 50; i++) {
		usleep(20000);
		if (free_pages() == p0 && kernel_objects() == o0)
			break;
		p0 = free_pages();
		o0 = kernel_objects();
	}
}

struct count { uint64_t pages, objs; int nproc; };

static struct count count_now(void)
{
	struct count c;
	settle();
	c.pages = free_pages();
	c.objs = kernel_objects();
	c.nproc = proc_sysconf(SYSCONF_NPROC, -1);
	t_start = now_ms();
	return c;
}

/* the figures a test prints: what it did, how long it took (not a check) */
static void say_done(const char *what, int n)
{
	uint64_t ms = now_ms() - t_start;
	printf("leak: %d %s in %llu ms\n", n, what, (unsigned long long)ms);
}

#define CHECK_SAME(before) do { struct count after_ = count_now(); \
	CHECK_EQ(after_.pages, (before).pages); CHECK_EQ(after_.objs, (before).objs); \
	CHECK_EQ(after_.nproc, (before).nproc); } while (0)

static int fork_exit_wait(int i)
{
	int status = -1, pid = fork();
	if (pid == 0)
		_exit(i & 0xff);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void test_fork_exit_wait(void)
{
	struct count before;
	for (int i = 0; i < WARM; i++)
		CHECK_EQ(fork_exit_wait(i), (i & 0xff) << 8);
	before = count_now();
	for (int i = 0; i < leak_n.forks; i++)
		CHECK_EQ(fork_exit_wait(i), (i & 0xff) << 8);
	say_done("fork+exit+waits", leak_n.forks);
	CHECK_SAME(before);
}

/* our own task, so its limit is ours alone: 1 (us) and every fork fails */
static void test_failed_forks(void)
{
	struct count before;
	uint64_t old, ff0[5], ff1[5];
	CHECK(proc_newtask(-1) > 0);
	CHECK_EQ(proc_getrctl(RCTL_TASK_MAX_PROCS, -1, &old), 0);
	CHECK_EQ(proc_setrctl(RCTL_TASK_MAX_PROCS, -1, 1), 0);
	for (int i = 0; i < WARM; i++)
		CHECK_EQ(fork(), -1);
	before = count_now();
	proc_forkstat(-1, ff0);
	for (int i = 0; i < leak_n.failed_forks; i++) {
		int pid = fork();
		if (pid == 0)
			_exit(0);
		CHECK_EQ(pid, -1);
		CHECK_EQ(errno, EAGAIN);
	}
	proc_forkstat(-1, ff1);
	say_done("failed forks", leak_n.failed_forks);
	CHECK_EQ(proc_setrctl(RCTL_TASK_MAX_PROCS, -1, old), 0);
	CHECK_EQ(ff1[0] - ff0[0], (uint64_t)leak_n.failed_forks);   /* each counted as a cap failure */
	CHECK_SAME(before);
}

static int pipe_round(void)
{
	int fds[2];
	char c = 'p', d = 0;
	if (pipe(fds))
		return -1;
	if (write(fds[1], &c, 1) != 1 || read(fds[0], &d, 1) != 1 || d != 'p')
		return -2;
	if (close(fds[0]) || close(fds[1]))
		return -3;
	return 0;
}

static void test_pipes(void)
{
	struct count before;
	for (int i = 0; i < WARM; i++)
		CHECK_EQ(pipe_round(), 0);
	before = count_now();
	for (int i = 0; i < leak_n.pipes; i++)
		CHECK_EQ(pipe_round(), 0);
	say_done("pipes", leak_n.pipes);
	CHECK_SAME(before);
}

/* a path that is not there, a file that is no ELF, an ELF header cut short */
static int failed_exec(int i)
{
	static const char *const paths[] = { "/nonexistent", "/test/notelf", "/test/truncated" };
	static const int errs[] = { ENOENT, ENOEXEC, ENOEXEC };
	char *const argv[] = { "x", NULL };
	char *const envp[] = { NULL };
	execve(paths[i % 3], argv, envp);
	return errno == errs[i % 3] ? 0 : errno;
}

static void test_failed_execs(void)
{
	struct count before;
	for (int i = 0; i < WARM; i++)
		CHECK_EQ(failed_exec(i), 0);
	before = count_now();
	for (int i = 0; i < leak_n.failed_execs; i++)
		CHECK_EQ(failed_exec(i), 0);
	say_done("failed execs", leak_n.failed_execs);
	CHECK_SAME(before);
}

/* /test/fuzz SEED COUNT, every call, as our child -> its wait status */
static int fuzz_pass(const char *seed, int calls)
{
	char count[16];
	int status = -1, pid;

	snprintf(count, sizeof(count), "%d", calls);
	pid = fork();
	if (pid == 0) {
		char *const argv[] = { "/test/fuzz", (char *)seed, count, "quiet", NULL };
		char *const envp[] = { NULL };
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/*
 * A fuzz pass, counted here as well as by the fuzzer itself.  A short one
 * first, unmeasured: the fuzzer's own warm-up fills /tmp and makes every pipe
 * it can, and the file server keeps those heap pages.
 */
static void test_after_fuzz(void)
{
	struct count before;
	CHECK_EQ(fuzz_pass("8", 200), 0);
	before = count_now();
	CHECK_EQ(fuzz_pass("7", leak_n.fuzz_calls), 0);    /* the fuzzer found nothing itself */
	say_done("fuzz calls asked for", leak_n.fuzz_calls);
	CHECK_SAME(before);
}

const struct ktest ktests[] = {
	{ test_fork_exit_wait, "leak-fork-exit-wait" },
	{ test_failed_forks, "leak-failed-forks" },
	{ test_pipes, "leak-pipes" },
	{ test_failed_execs, "leak-failed-execs" },
	{ test_after_fuzz, "leak-after-fuzz" },
	{ NULL, NULL },
};
