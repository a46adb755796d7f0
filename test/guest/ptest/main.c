/*
 * ptest: the process test suite, run by init (pid 1) as an ordinary process
 * of the proc server.  Same output as ktest: TEST PASS/FAIL lines, then
 * TESTS DONE.  Run as "ptest exit N" it just exits with N (an exec target);
 * "ptest sigcheck" and "ptest credcheck" check what survived exec (signals.c,
 * creds.c).
 */
#include <stdlib.h>
#include <string.h>
#include "ptest.h"
#include "proc.h"

int umain(void *arg)
{
	const char *a1 = startinfo->args + strlen(startinfo->args) + 1;
	(void)arg;

	if (strcmp(a1, "exit") == 0)
		return atoi(a1 + strlen(a1) + 1);
	if (strcmp(a1, "sigcheck") == 0)
		return sigcheck_main();
	if (strcmp(a1, "credcheck") == 0)
		return credcheck_main();
	if (strcmp(a1, "schedcheck") == 0)
		return schedcheck_main();
	if (strcmp(a1, "alarmcheck") == 0)
		return alarmcheck_main();
	if (strcmp(a1, "cpucheck") == 0)
		return cpucheck_main();
	if (strcmp(a1, "umaskcheck") == 0)
		return umaskcheck_main();
	printf("ptest: starting as pid %d\n", getpid());
	/* limits apply outside the system project: run in a task of project 1 */
	if (proc_newtask(1) < 0)
		printf("ptest: newtask failed\n");
	return suite_run_isolated(ktests, 120) != 0;
}
