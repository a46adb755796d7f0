/*
 * bomb: a fork bomb or a thread bomb in a task of its own, for shell-test's
 * "bombs" check, in a task of project 1 (run it as uid 0); it prints nothing
 * unless something that must be refused was not.
 *
 *   bomb fork N   task.max-processes N, a process group of its own; every
 *                 process forks for ever (failed forks wait the punish delay)
 *   bomb lwp N    task.max-lwps N; first the kernel call (SYS_THREAD_CREATE,
 *                 with every handle it holds: each must be refused, it has no
 *                 address space or table handle, and none can be made), then
 *                 pthread_create until the limit says no, every thread spinning;
 *                 then it keeps asking
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "proc.h"
#include "sys.h"

static void *spin(void *arg)
{
	for (volatile int go = 1; go;)
		;
	return arg;
}

/* the kernel call, with every handle number this process could hold */
static int kernel_threads_made(void)
{
	int made = 0;
	for (int gen = 1; gen < 3; gen++)
		for (int slot = 0; slot < 128; slot++) {
			handle_t h = ((handle_t)gen << 8) | slot, as, th;
			if (thread_create(h, h, 1, -1, &th) == 0)
				made++;
			if (as_create(h, &as) == 0 || cspace_create(h, &as) == 0)
				made++;
		}
	return made;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
	pthread_t t;

	if (argc != 3 || n <= 0 || (strcmp(argv[1], "fork") && strcmp(argv[1], "lwp"))) {
		fprintf(stderr, "usage: bomb fork|lwp N\n");
		return 2;
	}
	/* project 1: the process limits do not apply in the system project 0 */
	if (proc_newtask(1) < 0 || setpgid(0, 0) < 0) {
		perror("bomb: newtask/setpgid");
		return 1;
	}
	if (argv[1][0] == 'f') {
		if (proc_setrctl(RCTL_TASK_MAX_PROCS, -1, (uint64_t)n) < 0) {
			perror("bomb: task.max-processes");
			return 1;
		}
		for (;;)
			fork();
	}
	if (proc_setrctl(RCTL_TASK_MAX_LWPS, -1, (uint64_t)n) < 0) {
		perror("bomb: task.max-lwps");
		return 1;
	}
	if (kernel_threads_made()) {
		printf("bomb: the kernel made threads for an ordinary process\n");
		return 1;
	}
	for (;;)
		pthread_create(&t, NULL, spin, NULL);
}
