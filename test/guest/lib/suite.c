/* The in-guest suites' runner: see suite.h. */
#include "suite.h"

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

/* the system's figures once no dead address space is still being freed (a step per kernel exit) */
static void settled_info(struct sysinfo *si)
{
	for (sys_info(si); si->as_pending; sys_info(si))
		sys_yield();
}

uint64_t free_pages(void)
{
	struct sysinfo si;
	settled_info(&si);
	return si.free_pages;
}

uint64_t kernel_objects(void)
{
	struct sysinfo si;
	settled_info(&si);
	return si.kmem_objects;
}

int suite_run(const struct ktest *tests)
{
	int pass = 0, fail = 0;
	for (const struct ktest *t = tests; t->fn; t++) {
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
	return fail;
}
