/* picolibc's <signal.h>, with the sigaction flags our libc honours */
#ifndef LIBC_SIGNAL_H
#define LIBC_SIGNAL_H
#include_next <signal.h>
#ifndef SA_RESTART
#define SA_RESTART   0x10     /* read, write and wait are made again after the handler */
#endif
#ifndef SA_NODEFER
#define SA_NODEFER   0x40     /* the signal is not blocked during its handler */
#endif
#ifndef SA_RESETHAND
#define SA_RESETHAND 0x80     /* the default action is back once the handler starts */
#endif
#ifndef SA_NOCLDWAIT
#define SA_NOCLDWAIT 0x20     /* SIGCHLD: children leave no zombie to wait for */
#endif
int sigsuspend(const sigset_t *mask);
int pause(void);
struct __pthread;
int pthread_kill(struct __pthread *thread, int sig);   /* pthread_t (POSIX declares it here) */
#endif
