/*
 * init: pid 1, made by the proc server in its own task.  It starts the
 * first program (the process test suite with bootargs "test", the demo
 * otherwise), restarts the demo when it ends, and reaps every orphan.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include "proc.h"

static const char *arg_word(int n)
{
	const char *a = startinfo->args;
	for (int i = 0; i < n && *a; i++)
		a += strlen(a) + 1;
	return a;
}

int umain(void *arg)
{
	bool testing = false, bench = false;
	const char *first = "hello";
	int child, status;
	(void)arg;

	for (int i = 1; *arg_word(i); i++) {
		testing |= strcmp(arg_word(i), "test") == 0;
		bench |= strcmp(arg_word(i), "bench") == 0;
	}
	if (testing)
		first = "ptest";
	else if (bench)
		first = "pbench";
	child = proc_spawn(first, -1);
	if (child < 0)
		printf("init: cannot start %s (errno %d)\n", first, errno);
	for (;;) {
		int pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == ECHILD && (testing || bench)) {
				proc_poweroff();
				return 0;
			}
			if (errno != ECHILD)
				printf("init: wait failed (errno %d)\n", errno);
			child = proc_spawn(first, -1);       /* nothing left: start it again */
			continue;
		}
		if (pid == child) {
			if (testing || bench) {
				/* the suite is done; reap what it left, then power off */
				while (waitpid(-1, &status, WNOHANG) > 0)
					;
				proc_poweroff();
				return 0;
			}
			printf("init: %s exited (status %d); starting it again\n", first, status);
			child = proc_spawn(first, -1);
		}
	}
}
