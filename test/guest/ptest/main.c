/*
 * ptest: the process test suite, run by init (pid 1) as an ordinary process
 * of the proc server.  Same output as ktest: TEST PASS/FAIL lines, then
 * TESTS DONE.  Run as "ptest exit N" it just exits with N (an exec target).
 */
#include <stdlib.h>
#include <string.h>
#include "ptest.h"
#include "proc.h"

static char reason[160];
static int failed;

void ktest_fail(int line, const char *what)
{
	snprintf(reason, sizeof(reason), "line %d: %s", line, what);
	failed = 1;
}

void ktest_fail_eq(int line, const char *what, long long got, long long want)
{
	snprintf(reason, sizeof(reason), "line %d: %s is %lld, expected %lld", line, what, got, want);
	failed = 1;
}

uint64_t free_pages(void)
{
	struct sysinfo si;
	sys_info(&si);
	return si.free_pages;
}

uint64_t kernel_objects(void)
{
	struct sysinfo si;
	sys_info(&si);
	return si.kmem_objects;
}

int umain(void *arg)
{
	int pass = 0, fail = 0;
	const char *a1 = startinfo->args + strlen(startinfo->args) + 1;
	(void)arg;

	if (strcmp(a1, "exit") == 0)
		return atoi(a1 + strlen(a1) + 1);
	printf("ptest: starting as pid %d\n", getpid());
	/* limits apply outside the system project: run in a task of project 1 */
	if (proc_newtask(1) < 0)
		printf("ptest: newtask failed\n");
	for (const struct ktest *t = ktests; t->fn; t++) {
		failed = 0;
		t->fn();
		if (failed) {
			printf("TEST FAIL %s: %s\n", t->name, reason);
			fail++;
		} else {
			printf("TEST PASS %s\n", t->name);
			pass++;
		}
	}
	printf("TESTS DONE %d %d\n", pass, fail);
	return fail != 0;
}
