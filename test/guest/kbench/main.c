/*
 * kbench: kernel micro-benchmarks, run by `make bench` under
 * qemu -icount shift=0,sleep=off -seed 1 on one hart, where one guest
 * instruction is one guest nanosecond.  Figures are instructions retired on
 * this hart (rdinstret) per operation, median of many; on one hart that
 * includes the kernel and the partner process.
 */
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"
#include "sys.h"
#include "../echo/echo.h"

#define ROOT_SPAWN 1
#define N 2001

static uint64_t samples[N];

static uint64_t median(void)
{
	return bench_median(samples, N);
}

static handle_t spawn_echo(void)
{
	handle_t h;
	struct msg m = { .info = IPC_INFO(ROOT_SPAWN, 1), .w = { 0 } };
	struct ipc_ext e = { .sbuf = (uint64_t)"echo", .slen = 4, .scap = -1, .scap_rights = R_RECV };
	if (ep_create(&h))
		return -1;
	e.scap = h;
	if (ipc_call(startinfo->h_extra[STARTINFO_NEXTRA - 1], &m, &e) || (long)m.w[0] < 0)
		return -1;
	return h;
}

static void same_as_server(uint64_t ep)
{
	struct msg m;
	long r = ipc_recv((handle_t)ep, &m, NULL);
	while (r == 0) {
		m.info = IPC_INFO(0, 0);
		r = ipc_replyrecv((handle_t)ep, &m, NULL);
	}
	thread_exit(0);                 /* the endpoint is gone: so are we */
}

static void report(const char *what, uint64_t med, const struct sysinfo *a, const struct sysinfo *b, int ops)
{
	printf("bench: %-44s %6lu instructions (median of %d)", what, (unsigned long)med, N);
	if (a && b)
		printf(", %lu kernel calls and %lu messages per op",
		       (unsigned long)((b->syscall_count - a->syscall_count) / ops),
		       (unsigned long)((b->ipc_count - a->ipc_count) / ops));
	printf("\n");
}

static void bench_ipc(const char *what, handle_t ep, uint32_t label, int nwords, uint64_t buflen)
{
	static char buf[256];
	struct sysinfo a, b;
	struct msg m;
	struct ipc_ext e = { .sbuf = (uint64_t)buf, .slen = buflen, .scap = -1 };

	for (int warm = 0; warm < 10; warm++) {
		m.info = IPC_INFO(label, nwords);
		ipc_call(ep, &m, buflen ? &e : NULL);
	}
	sys_info(&a);
	for (int i = 0; i < N; i++) {
		m.info = IPC_INFO(label, nwords);
		uint64_t t0 = instret();
		ipc_call(ep, &m, buflen ? &e : NULL);
		samples[i] = instret() - t0;
	}
	sys_info(&b);
	/* sys_info itself is one kernel call */
	b.syscall_count--;
	report(what, median(), &a, &b, N);
}

int umain(void *arg)
{
	struct sysinfo a, b;
	handle_t echo, ep, th;
	static char stack[8192] __attribute__((aligned(16)));
	(void)arg;

	libsys_output_debug(startinfo->h_extra[0]);   /* root's sysctl (R_DEBUG): no console yet */

	printf("bench: start (instructions retired on one hart; -icount shift=0: 1 instruction = 1 guest ns)\n");
	for (int i = 0; i < N; i++) {
		uint64_t t0 = instret();
		__asm__ volatile("" ::: "memory");
		samples[i] = instret() - t0;
	}
	report("rdinstret overhead", median(), NULL, NULL, 1);

	sys_info(&a);
	for (int i = 0; i < N; i++) {
		uint64_t t0 = instret();
		sys0(SYS_NULL);
		samples[i] = instret() - t0;
	}
	sys_info(&b);
	b.syscall_count--;
	report("null kernel call", median(), &a, &b, N);

	echo = spawn_echo();
	if (echo < 0) {
		printf("bench: cannot start echo\n");
		return 1;
	}
	bench_ipc("IPC call+reply, 0 words, two address spaces", echo, ECHO_NOP, 0, 0);
	bench_ipc("IPC call+reply, 8 words, two address spaces", echo, ECHO_ADD, 8, 0);
	bench_ipc("IPC call+reply, 256-byte buffer, two AS", echo, ECHO_SINK, 0, 256);

	if (ep_create(&ep) || thread_create(startinfo->h_as, startinfo->h_cspace, 10, -1, &th) ||
	    thread_start_fn(th, same_as_server, (uint64_t)ep, stack + sizeof(stack), 0))
		return 1;
	bench_ipc("IPC call+reply, 0 words, same address space", ep, 0, 0, 0);
	thread_destroy(th);
	handle_close(th);
	printf("bench: done\n");
	return 0;
}
