/* The in-guest kernel test suite: a table of tests, each reporting TEST PASS / TEST FAIL. */
#ifndef KTEST_H
#define KTEST_H
#include <stdio.h>
#include "sys.h"

extern const char *ktest_fail_reason;
#define CHECK(cond) do { if (!(cond)) { ktest_fail(__LINE__, #cond); return; } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { ktest_fail_eq(__LINE__, #a, a_, b_); return; } } while (0)
void ktest_fail(int line, const char *what);
void ktest_fail_eq(int line, const char *what, long long got, long long want);

struct ktest { void (*fn)(void); const char *name; };
extern const struct ktest ktests[];

/* helpers (main.c) */
handle_t echo_ep(void);                      /* endpoint served by an echo process */
handle_t start_thread(void (*fn)(uint64_t), uint64_t arg, int prio, handle_t fault_ep);
handle_t start_thread_on(void (*fn)(uint64_t), uint64_t arg, int prio, handle_t fault_ep, void *stack_top);
uint64_t free_pages(void);
uint64_t kernel_objects(void);
#define KTEST_PRIO 10
#endif
