/*
 * pbench: process benchmarks, run by init under `make bench` (qemu -icount
 * shift=0,sleep=off -seed 1, one hart: one instruction = one guest ns).
 * Figures are instructions retired on the hart per operation, median of
 * many; they include the kernel, the proc server and the child (and the
 * file server for exec and pipes).  The power-on-to-prompt figure is the
 * shell's (servers/bin/sh/main.c, a boot of its own: scripts/bench.sh).
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include "bench.h"
#include "proc.h"

static uint64_t samples[501];

static uint64_t median(int n)
{
	return bench_median(samples, n);
}

static void report(const char *what, uint64_t med, int n, const struct sysinfo *a, const struct sysinfo *b)
{
	printf("bench: %-44s %8lu instructions (median of %d)", what, (unsigned long)med, n);
	if (a && b)
		printf(", %lu kernel calls and %lu messages per op",
		       (unsigned long)((b->syscall_count - a->syscall_count) / (uint64_t)n),
		       (unsigned long)((b->ipc_count - a->ipc_count) / (uint64_t)n));
	printf("\n");
}

static volatile int lwp_up;
static void lwp_idle(uint64_t a)
{
	handle_t n = -1;
	uint64_t bits;
	(void)a;
	ntfn_create(&n);
	__atomic_fetch_add(&lwp_up, 1, __ATOMIC_SEQ_CST);
	for (;;)
		ntfn_wait(n, &bits);
}

/* one timed fork of the given kind, child _exits at once, parent waits */
static void fork_bench(const char *what, int kind, int n)
{
	struct sysinfo a, b;
	int status;
	sys_info(&a);
	/* volatile: a vfork child runs in this frame before the parent resumes */
	for (volatile int i = 0; i < n; i++) {
		uint64_t t0 = instret();
		int pid = kind == 0 ? fork1() : kind == 1 ? forkall() : vfork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, &status, 0);
		samples[i] = instret() - t0;
	}
	sys_info(&b);
	b.syscall_count -= 1;
	report(what, median(n), n, &a, &b);
}

/* the program the exec benchmarks run: it exits at once (servers/bin/true.c) */
static char *const true_argv[] = { "true", NULL };
static char *const true_envp[] = { "PATH=/bin", NULL };
#define TRUE_PATH "/bin/true"

/* fork (kind 0: fork1, 1: vfork, 2: posix_spawn), the child execs /bin/true, parent waits */
static void exec_bench(const char *what, int kind, int n)
{
	struct sysinfo a, b;
	int status = 0;
	sys_info(&a);
	for (volatile int i = 0; i < n; i++) {
		uint64_t t0 = instret();
		pid_t pid;
		if (kind == 2) {
			if (posix_spawn(&pid, TRUE_PATH, NULL, NULL, true_argv, true_envp) != 0) {
				printf("bench: posix_spawn failed\n");
				return;
			}
		} else {
			pid = kind == 0 ? fork1() : vfork();
			if (pid == 0) {
				execve(TRUE_PATH, true_argv, true_envp);
				_exit(127);
			}
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("bench: %s: the child failed (pid %d status 0x%x)\n", what, (int)pid, status);
			return;
		}
		samples[i] = instret() - t0;
	}
	sys_info(&b);
	b.syscall_count -= 1;
	report(what, median(n), n, &a, &b);
}

/*
 * a 1-byte round trip through two pipes: the child reads a byte and writes
 * it back; the parent times its write and the read of the answer
 */
static void pipe_bench(int n)
{
	struct sysinfo a, b;
	int down[2], up[2], status;
	char c = 'x';
	pid_t pid;

	if (pipe(down) || pipe(up)) {
		printf("bench: pipe failed\n");
		return;
	}
	pid = fork1();
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		while (read(down[0], &c, 1) == 1)
			if (write(up[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	for (int i = 0; i < 10; i++)           /* warm up: the child is running, its pages copied */
		if (write(down[1], &c, 1) != 1 || read(up[0], &c, 1) != 1)
			goto fail;
	sys_info(&a);
	for (int i = 0; i < n; i++) {
		uint64_t t0 = instret();
		if (write(down[1], &c, 1) != 1 || read(up[0], &c, 1) != 1)
			goto fail;
		samples[i] = instret() - t0;
	}
	sys_info(&b);
	b.syscall_count -= 1;
	close(down[1]);
	close(up[0]);
	waitpid(pid, &status, 0);
	report("pipe round trip, 1 byte, two processes", median(n), n, &a, &b);
	return;
fail:
	printf("bench: pipe round trip failed\n");
	close(down[1]);
	close(up[0]);
	waitpid(pid, &status, 0);
}

int umain(void *arg)
{
	static char stacks[3][8192] __attribute__((aligned(16)));
	uint64_t mapped = 0;
	static const uint64_t sizes[] = { 1, 4, 16 };
	(void)arg;

	printf("bench: process benchmarks (fork+_exit+waitpid through the proc server)\n");
	fork_bench("fork1+_exit+wait", 0, 201);
	fork_bench("vfork+_exit+wait", 2, 201);
	exec_bench("fork1+exec /bin/true+wait", 0, 101);
	exec_bench("vfork+exec /bin/true+wait", 1, 101);
	exec_bench("posix_spawn /bin/true+wait", 2, 101);
	pipe_bench(501);
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint64_t want = sizes[k] << 20;
		char *heap = proc_sbrk(want - mapped);
		char label[64];
		if (heap == (void *)-1) {
			printf("bench: sbrk failed\n");
			break;
		}
		mapped = want;
		heap = (char *)HEAP_BASE;
		for (uint64_t off = 0; off < want; off += 4096)
			heap[off] = 1;                  /* touch every page */
		snprintf(label, sizeof(label), "fork1+_exit+wait, %lu MiB heap touched", (unsigned long)sizes[k]);
		fork_bench(label, 0, sizes[k] >= 16 ? 21 : 51);
	}
	for (int i = 0; i < 3; i++)
		lwp_create(lwp_idle, 0, stacks[i] + sizeof(stacks[i]));
	while (lwp_up < 3)
		sys_yield();
	fork_bench("forkall+_exit+wait, 4 lwps, 16 MiB heap", 1, 21);
	printf("bench: done\n");
	return 0;
}
