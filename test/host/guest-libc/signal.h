/*
 * The guest's signal numbers (picolibc's <signal.h>, newlib's numbering) for
 * host builds of servers/proc/signal.c and its tests: the host's <signal.h>
 * numbers them otherwise (SIGCHLD 17, SIGSTOP 19), and exit.c's SIGCHLD_BIT
 * (uapi/proc.h) is picolibc's.  Only the numbers and sigprocmask's (uapi/signo.h, libc's too).
 */
#ifndef TEST_GUEST_SIGNAL_H
#define TEST_GUEST_SIGNAL_H
#include "uapi/signo.h"
#endif
