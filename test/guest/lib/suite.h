/*
 * The in-guest test suites' common part: a table of tests, CHECK macros,
 * and the runner printing TEST PASS / TEST FAIL lines and TESTS DONE.
 */
#ifndef SUITE_H
#define SUITE_H
#include <stdio.h>
#include "sys.h"

/* a failed check records the test's first failure and returns (TCHECK: from a thread function) */
#define CHECK(cond) do { if (!(cond)) { ktest_fail(__LINE__, #cond); return; } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { ktest_fail_eq(__LINE__, #a, a_, b_); return; } } while (0)
#define TCHECK(cond) do { if (!(cond)) { ktest_fail(__LINE__, #cond); return NULL; } } while (0)
#define TCHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { ktest_fail_eq(__LINE__, #a, a_, b_); return NULL; } } while (0)
void ktest_fail(int line, const char *what);
void ktest_fail_eq(int line, const char *what, long long got, long long want);
void ktest_failf(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct ktest { void (*fn)(void); const char *name; };
extern const struct ktest ktests[];

/* run every test of the table; returns the number that failed */
int suite_run(const struct ktest *tests);
/*
 * The same, each test in a forked child of the suite's process (processes of
 * the proc server only): a test that crashes or runs past `seconds` fails
 * alone and the rest still run.
 */
int suite_run_isolated(const struct ktest *tests, int seconds);
/*
 * The same without fork (a suite the root task starts): each test on a
 * thread of its own in the suite's address space, at SUITE_PRIO.  A test
 * that faults or runs past `seconds` fails alone; suite_self() is the
 * thread a test runs on.
 */
#define SUITE_PRIO 10
int suite_run_threads(const struct ktest *tests, int seconds);
handle_t suite_self(void);
/* the same from inside a test, its verdict lines into out (max bytes) instead of stdout */
int suite_run_threads_into(const struct ktest *tests, int seconds, char *out, size_t max);

uint64_t free_pages(void);
uint64_t kernel_objects(void);
#endif
