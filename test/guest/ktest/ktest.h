/* The in-guest kernel test suite (tests.c), run by the root task with the boot privileges. */
#ifndef KTEST_H
#define KTEST_H
#include "suite.h"

/* helpers (main.c) */
handle_t echo_ep(void);                      /* endpoint served by an echo process */
handle_t start_thread(void (*fn)(uint64_t), uint64_t arg, int prio, handle_t fault_ep);
handle_t start_thread_on(void (*fn)(uint64_t), uint64_t arg, int prio, handle_t fault_ep, void *stack_top);
#define KTEST_PRIO 10
#define KTEST_SYSCTL (startinfo->h_extra[2])    /* R_CONTROL: address spaces and handle tables */
#endif
