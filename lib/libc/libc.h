/* The C library's internals, shared between its files. */
#ifndef LIBC_INTERNAL_H
#define LIBC_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <signal.h>

/* the errno of a call to a server (0: it succeeded): the reply label, or the kernel's
   status kerr turned; nosrv for E_BADF, lost for the kernel errors without a fixed meaning */
int __ipc_errno(long kerr, uint64_t info, int nosrv, int lost);   /* ipcerr.c */
struct msg;
struct ipc_ext;
/* one request to the proc server: 0, or -1 with errno (proc.c) */
int __proc_call(uint32_t op, struct msg *m, unsigned nwords, struct ipc_ext *e);
int __fd_kind(int fd);                          /* FS_KIND_* or -1 (EBADF) */
void __fd_forget(int fd);                       /* the fd's kind may have changed */
ssize_t __tty_read(void *buf, size_t n);        /* stdio.c: the console; -1 with errno */
ssize_t __tty_write(const void *buf, size_t n);
int __getdents(int fd, void *buf, size_t max);
struct timeval;
void __ns_timeval(uint64_t ns, struct timeval *tv);   /* time.c: ns as a timeval */
/* the CPU-time clock of lwp id (pthread_getcpuclockid; time.c reads it through PROC_TIMES) */
#define __CPUCLOCK_LWP(id) ((clockid_t)1 << 32 | (uint32_t)(id))
void __sig_restart_arm(void);                   /* signal.c: before a blocking call */
bool __sig_restart(void);                       /* after its EINTR: SA_RESTART asks to make it again */
int __lwp_kill(int id, int sig);                /* signal.c: to lwp id (0: us) -> 0 or an errno */
void __sigtramp(void);                          /* sigtramp.S: where a caught signal's lwp starts */
void __libc_wake_pause(void);                   /* time.c: a handler ran, pause() returns */
int main(int argc, char **argv, char **envp);   /* the program's; main.c's umain calls it */

/*
 * What fork does to the library's own state (proc.c's forksys calls them; it
 * has weak empty ones for a program that links no threads or sleeps):
 */
void __libc_child_reset(bool forkall);          /* time.c: in a new child (forkall: every thread copied) */
void __pthread_fork_prepare(void);              /* pthread.c: take its locks and picolibc's */
void __pthread_fork_parent(void);               /* let go of them (the parent; both children) */
void __pthread_child_reset(void);               /* a fork1 child: only the calling thread */
void __pthread_forkall_child(void);             /* a forkall child: every thread */
extern char **environ;

/* a new lwp running fn(arg) on stack_top with tp as its thread pointer (proc.c); sched 0 or
   1 + (policy << 8 | priority) (PROC_LWP_CREATE w4) */
int __lwp_create_tp(void (*fn)(uint64_t), uint64_t arg, void *stack_top, void *tp, uint64_t sched);
int __sched(int op, int64_t id, int policy, int prio, int *opolicy, int *oprio);   /* sched.c: 0 or errno */

/* threads (pthread.c): the parts pthread_sync.c and pthread_lock.c build on */
struct __pthread;
struct timespec;
struct __pthread *__pthread_self(void);         /* the caller's record (made on first use) */
void __pthread_park(struct __pthread *self, uint64_t deadline);   /* may return early */
void __pthread_unpark(struct __pthread *t);     /* after the caller made t's condition true */
uint64_t __pthread_ticks(void);                 /* now, in rdtime ticks */
int __pthread_deadline(const struct timespec *abs, uint64_t *ticks);  /* EINVAL or 0 */
void __pthread_sig_ran(void);                   /* signal.c: a handler ran on this thread */
unsigned int __pthread_nsig(struct __pthread *self);   /* handlers run on self so far */
int __pthread_cancel_due(struct __pthread *self);   /* a cancellation to act on now */
void __pthread_cancel_handler(void);            /* signal.c: PROC_SIGCANCEL came */
/*
 * A cancellation point that is one call begins (acting on a request made
 * already: the old state to put back) and ends.  pthread.c's, through weak
 * references: a program without threads links none of it.
 */
int __pthread_cp_enter(void) __attribute__((weak));
void __pthread_cp_leave(int was) __attribute__((weak));
static inline int __cp_enter(void)
{
	return __pthread_cp_enter ? __pthread_cp_enter() : 0;
}
static inline void __cp_leave(int was)
{
	if (__pthread_cp_leave)
		__pthread_cp_leave(was);
}
int __cp_park_enter(struct __pthread *self);    /* the same for a wait that parks (it acts itself) */
void __cp_park_leave(struct __pthread *self, int was);
int __sig_cancel_install(void);                 /* signal.c: the handler of PROC_SIGCANCEL */
extern unsigned int __pthread_gen;              /* this process's fork1 generation */
#endif
