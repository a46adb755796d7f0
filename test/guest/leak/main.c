/*
 * leak: the leak checks, run by init on the boot line "leak [FORKS [N
 * [FUZZ]]]" as an ordinary process of the proc server.  Each test counts the
 * free pages and live kernel objects before and after many rounds of one
 * thing; every delta must be 0.  FORKS (default 10000) fork+exit+waits, N
 * (default 1000) failed forks, pipes and failed execs, a fuzz pass of FUZZ
 * calls (default 5000).  TEST PASS/FAIL lines, then TESTS DONE.
 */
#include <stdlib.h>
#include <string.h>
#include "leak.h"
#include "proc.h"

struct leak_counts leak_n = { 10000, 1000, 1000, 1000, 5000 };

int main(int argc, char **argv)
{
	if (argc > 1)
		leak_n.forks = atoi(argv[1]);
	if (argc > 2)
		leak_n.failed_forks = leak_n.pipes = leak_n.failed_execs = atoi(argv[2]);
	if (argc > 3)
		leak_n.fuzz_calls = atoi(argv[3]);
	printf("leak: %d forks, %d failed forks, %d pipes, %d failed execs, a fuzz pass of %d calls\n",
	       leak_n.forks, leak_n.failed_forks, leak_n.pipes, leak_n.failed_execs, leak_n.fuzz_calls);
	/* limits apply outside the system project: run in a task of project 1 */
	if (proc_newtask(1) < 0)
		printf("leak: newtask failed\n");
	return suite_run(ktests) != 0;
}
