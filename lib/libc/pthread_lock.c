/*
 * picolibc's locks (malloc, atexit, the environment, time zones, stdio's
 * fdopen) as pthread mutexes.  picolibc's own are empty stubs in one member
 * of its archive; a program that uses threads pulls this file in with
 * pthread.c, before picolibc's archive is searched, and with it every
 * symbol of that member, so the stubs are never linked beside these.
 * (Our stdout and stderr, lib/libc/stdio.c, take no lock.)
 */
#include <stdlib.h>
#include <pthread.h>
#include <sys/lock.h>

struct __lock {
	pthread_mutex_t l_m;
};

struct __lock __lock___libc_recursive_mutex = { PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP };

static void lock_new(_LOCK_T *lock, int type)
{
	pthread_mutexattr_t a;
	if (!(*lock = malloc(sizeof(**lock))))
		return;             /* then the lock is a no-op, as picolibc's own are */
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
	if (lock)
		pthread_mutex_lock(&lock->l_m);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	if (lock)
		pthread_mutex_lock(&lock->l_m);
}

/* 1 if taken, as picolibc's stubs say */
int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return !lock || pthread_mutex_trylock(&lock->l_m) == 0;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return !lock || pthread_mutex_trylock(&lock->l_m) == 0;
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (lock)
		pthread_mutex_unlock(&lock->l_m);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (lock)
		pthread_mutex_unlock(&lock->l_m);
}
