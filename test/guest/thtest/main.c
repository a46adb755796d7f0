/*
 * thtest: the POSIX threads suite, run by init after ptest as an ordinary
 * process of the proc server.  Same output as ktest and ptest: TEST
 * PASS/FAIL lines, then TESTS DONE.  Each test runs in a forked child with
 * a minute's limit, so a test that crashes or hangs fails alone.
 */
#include <unistd.h>
#include "thtest.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("thtest: starting as pid %d\n", getpid());
	return suite_run_isolated(ktests, 60) != 0;
}
