/*
 * picolibc's locks (malloc, atexit, the environment, time zones, stdio's
 * fdopen) as pthread mutexes.  picolibc's own are empty stubs in one member
 * of its archive, which libc.a is built without (scripts/mklibc.sh), so every
 * program's malloc calls these.
 *
 * They name the mutex calls weakly: a weak reference pulls no archive member.
 * A program that makes threads links pthread_sync.c (pthread.c takes its
 * mutexes), and then these are real locks; a program that does not gets the
 * no-ops it needs, and neither pthread.c nor its fork hooks come with malloc
 * (they would cost every fork1 child a copy-on-write fault).  A program that
 * makes threads only with lwp_create and no mutex gets no-ops too, as with
 * picolibc's own.  (Our stdout and stderr, lib/libc/stdio.c, take no lock.)
 */
#include <stdlib.h>
#include <pthread.h>
#include <sys/lock.h>

#pragma weak pthread_mutex_init
#pragma weak pthread_mutex_lock
#pragma weak pthread_mutex_trylock
#pragma weak pthread_mutex_unlock
#pragma weak pthread_mutexattr_init
#pragma weak pthread_mutexattr_settype

/* pthread_sync.c is in the program */
static inline int threaded(void)
{
	return pthread_mutex_lock != NULL;
}

struct __lock {
	pthread_mutex_t l_m;
};

struct __lock __lock___libc_recursive_mutex = { PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP };

static void lock_new(_LOCK_T *lock, int type)
{
	pthread_mutexattr_t a;
	*lock = NULL;               /* a NULL lock is a no-op, as picolibc's own are */
	if (!threaded() || !(*lock = malloc(sizeof(**lock))))
		return;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, type);
	pthread_mutex_init(&(*lock)->l_m, &a);
}

void __retarget_lock_init(_LOCK_T *lock) { lock_new(lock, PTHREAD_MUTEX_NORMAL); }
void __retarget_lock_init_recursive(_LOCK_T *lock) { lock_new(lock, PTHREAD_MUTEX_RECURSIVE); }
void __retarget_lock_close(_LOCK_T lock) { free(lock); }
void __retarget_lock_close_recursive(_LOCK_T lock) { free(lock); }

void __retarget_lock_acquire(_LOCK_T lock)
{
	if (lock && threaded())
		pthread_mutex_lock(&lock->l_m);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	if (lock && threaded())
		pthread_mutex_lock(&lock->l_m);
}

/* 1 if taken, as picolibc's stubs say */
int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return !lock || !threaded() || pthread_mutex_trylock(&lock->l_m) == 0;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return !lock || !threaded() || pthread_mutex_trylock(&lock->l_m) == 0;
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (lock && threaded())
		pthread_mutex_unlock(&lock->l_m);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (lock && threaded())
		pthread_mutex_unlock(&lock->l_m);
}
