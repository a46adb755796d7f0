/* The C library's internals, shared between its files. */
#ifndef LIBC_INTERNAL_H
#define LIBC_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include <signal.h>

/* the errno of a call to a server (0: it succeeded): the reply label, or the kernel's
   status kerr turned; nosrv for E_BADF, lost for the kernel errors without a fixed meaning */
int __ipc_errno(long kerr, uint64_t info, int nosrv, int lost);   /* ipcerr.c */
int __fd_kind(int fd);                          /* FS_KIND_* or -1 (EBADF) */
void __fd_forget(int fd);                       /* the fd's kind may have changed */
long __tty_read(void *buf, size_t n);           /* the console, or -errno */
int __getdents(int fd, void *buf, size_t max);
void __stdio_flush(void);                       /* stdout and stderr */
void __sig_after_fork(void);                    /* in a new child */
extern char **environ;

/* a new lwp running fn(arg) on stack_top with tp as its thread pointer (proc.c) */
int __lwp_create_tp(void (*fn)(uint64_t), uint64_t arg, void *stack_top, void *tp);

/* threads (pthread.c): the parts pthread_sync.c and pthread_lock.c build on */
struct __pthread;
struct timespec;
struct __pthread *__pthread_self(void);         /* the caller's record (made on first use) */
void __pthread_park(struct __pthread *self, uint64_t deadline);   /* may return early */
void __pthread_unpark(struct __pthread *t);     /* after the caller made t's condition true */
uint64_t __pthread_ticks(void);                 /* now, in rdtime ticks */
int __pthread_deadline(const struct timespec *abs, uint64_t *ticks);  /* EINVAL or 0 */
extern unsigned int __pthread_gen;              /* this process's fork1 generation */
#endif
