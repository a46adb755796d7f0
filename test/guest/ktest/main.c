/*
 * ktest: runs every test in ktests[] (tests.c) in order, prints
 * TEST PASS name / TEST FAIL name: reason, then TESTS DONE npass nfail.
 * Started by the root task when the kernel's bootargs say "test".
 */
#include <stdlib.h>
#include <string.h>
#include "ktest.h"
#include "../echo/echo.h"

#define ROOT_SPAWN 1
/* ask the root task for an echo process serving a fresh endpoint */
handle_t echo_ep(void)
{
	static handle_t ep = -1;
	handle_t h;
	struct msg m = { .info = IPC_INFO(ROOT_SPAWN, 1), .w = { 0 } };
	struct ipc_ext e = { .sbuf = (uint64_t)"echo", .slen = 4, .scap = -1 };

	if (ep >= 0)
		return ep;
	if (ep_create(&h))
		return -1;
	e.scap = h;
	e.scap_rights = R_RECV;
	if (ipc_call(startinfo->h_extra[STARTINFO_NEXTRA - 1], &m, &e) || (long)m.w[0] < 0)
		return -1;
	ep = h;
	return ep;
}

/* threads in our own address space; fn must end in thread_exit */
handle_t start_thread(void (*fn)(uint64_t), uint64_t arg, int prio, handle_t fault_ep)
{
	enum { STACK = 16384 };
	char *stack = aligned_alloc(16, STACK);
	if (!stack)
		return -E_NOMEM;
	/* stacks are not reclaimed: tests start few threads this way */
	return start_thread_on(fn, arg, prio, fault_ep, stack + STACK);
}

handle_t start_thread_on(void (*fn)(uint64_t), uint64_t arg, int prio, handle_t fault_ep, void *stack_top)
{
	handle_t th;
	long r = thread_create(startinfo->h_as, startinfo->h_cspace, prio, fault_ep, &th);
	if (r)
		return r;
	r = thread_start_fn(th, fn, arg, stack_top, 0);
	if (r) {
		handle_close(th);
		return r;
	}
	return th;
}

int umain(void *arg)
{
	(void)arg;
	libsys_output_debug(startinfo->h_extra[0]);   /* root's sysctl (R_DEBUG): no console yet */
	printf("ktest: starting\n");
	return suite_run_threads(ktests, 120) != 0;   /* no fork here: each test on a thread */
}
