/*
 * The guest's signal numbers (picolibc's <signal.h>, newlib's numbering) for
 * host builds of servers/proc/signal.c and its tests: the host's <signal.h>
 * numbers them otherwise (SIGCHLD 17, SIGSTOP 19), and exit.c's SIGCHLD_BIT
 * (uapi/proc.h) is picolibc's.  Only the numbers and sigprocmask's; nothing else is used.
 */
#ifndef TEST_GUEST_SIGNAL_H
#define TEST_GUEST_SIGNAL_H
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGEMT 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGBUS 10
#define SIGSEGV 11
#define SIGSYS 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGURG 16
#define SIGSTOP 17
#define SIGTSTP 18
#define SIGCONT 19
#define SIGCHLD 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGIO 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGLOST 29
#define SIGUSR1 30
#define SIGUSR2 31
/* sigprocmask's how, picolibc's values (PROC_SIGMASK carries them) */
#define SIG_SETMASK 0
#define SIG_BLOCK 1
#define SIG_UNBLOCK 2
#endif
