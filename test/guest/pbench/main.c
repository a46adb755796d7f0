/*
 * pbench: process benchmarks, run by init under `make bench` (qemu -icount
 * shift=0,sleep=off -seed 1, one hart: one instruction = one guest ns).
 * Figures are instructions retired on the hart per operation, median of
 * many; they include the kernel, the proc server and the child.
 */
#include <stdio.h>
#include <stdlib.h>
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

int umain(void *arg)
{
	static char stacks[3][8192] __attribute__((aligned(16)));
	uint64_t mapped = 0;
	static const uint64_t sizes[] = { 1, 4, 16 };
	(void)arg;

	printf("bench: process benchmarks (fork+_exit+waitpid through the proc server)\n");
	fork_bench("fork1+_exit+wait", 0, 201);
	fork_bench("vfork+_exit+wait", 2, 201);
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
