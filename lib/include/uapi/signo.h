/*
 * The signal numbers 1..31 (picolibc's, newlib's numbering) and
 * sigprocmask's how values: what the proc server's messages carry.  libc's
 * <signal.h> and the host tests' copy of it (test/host/guest-libc) both
 * take them from here; 32..63 are in uapi/proc.h (PROC_SIGCANCEL,
 * PROC_SIGRTMIN..MAX).
 */
#ifndef UAPI_SIGNO_H
#define UAPI_SIGNO_H
#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGIOT    6
#define SIGABRT   6
#define SIGEMT    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGBUS    10
#define SIGSEGV   11
#define SIGSYS    12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGURG    16
#define SIGSTOP   17
#define SIGTSTP   18
#define SIGCONT   19
#define SIGCHLD   20
#define SIGCLD    20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGIO     23
#define SIGPOLL   SIGIO
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGLOST   29
#define SIGUSR1   30
#define SIGUSR2   31

#define SIG_SETMASK 0                    /* PROC_SIGMASK's w0 */
#define SIG_BLOCK   1
#define SIG_UNBLOCK 2
#endif
