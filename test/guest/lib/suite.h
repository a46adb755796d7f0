/*
 * The in-guest test suites' common part: a table of tests, CHECK macros,
 * and the runner printing TEST PASS / TEST FAIL lines and TESTS DONE.
 */
#ifndef SUITE_H
#define SUITE_H
#include <stdio.h>
#include "sys.h"

#define CHECK(cond) do { if (!(cond)) { ktest_fail(__LINE__, #cond); return; } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { ktest_fail_eq(__LINE__, #a, a_, b_); return; } } while (0)
void ktest_fail(int line, const char *what);
void ktest_fail_eq(int line, const char *what, long long got, long long want);

struct ktest { void (*fn)(void); const char *name; };
extern const struct ktest ktests[];

/* run every test of the table; returns the number that failed */
int suite_run(const struct ktest *tests);

uint64_t free_pages(void);
uint64_t kernel_objects(void);
#endif
