/*
 * POSIX semaphores (lib/libc/semaphore.c).  Unnamed ones only, private to
 * their process: sem_init with pshared != 0 fails ENOSYS, since no memory
 * is shared between processes yet (no MAP_SHARED).  The named calls are
 * declared but not built: sem_open fails ENOSYS (SEM_FAILED), sem_unlink
 * ENOSYS, sem_close EINVAL (no sem_t is a named one).  sem_wait and
 * sem_timedwait fail EINTR when a signal's handler runs on the waiting
 * thread, whatever its SA_RESTART.  sem_post is async-signal-safe.
 * The type is opaque: use only the functions below.
 */
#ifndef _SEMAPHORE_H
#define _SEMAPHORE_H
#include <time.h>
#include <sys/_waitq.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int __s_spin;                  /* the queue's spinlock */
	unsigned int __s_value;        /* the count, shifted left one; bit 0: waiters may be queued */
	unsigned int __s_pend;         /* posts that found the spinlock taken, for its holder to wake */
	struct __pthread_waitq __s_q;
} sem_t;

#define SEM_FAILED ((sem_t *)-1)
#ifndef SEM_VALUE_MAX
#define SEM_VALUE_MAX 2147483647       /* INT_MAX, as illumos has it */
#endif

int sem_init(sem_t *sem, int pshared, unsigned int value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *sem, const struct timespec *abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *sem, int *sval);

/* named semaphores: not built yet (see above) */
sem_t *sem_open(const char *name, int oflag, ...);
int sem_close(sem_t *sem);
int sem_unlink(const char *name);

#ifdef __cplusplus
}
#endif
#endif
