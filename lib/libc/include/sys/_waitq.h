/*
 * The wait queue inside every blocking object of the library: pthread.h's
 * mutexes, condition variables, read-write locks and barriers, and
 * semaphore.h's semaphores (lib/libc/waitq.h works on it).  Not for
 * programs: the fields are the library's.
 */
#ifndef _SYS__WAITQ_H
#define _SYS__WAITQ_H

/* a list of blocked threads, changed under a spinlock kept beside it */
struct __pthread_waitq {
	unsigned int __q_gen;          /* the fork generation the list belongs to */
	struct __pthread_waiter *__q_head, *__q_tail;
};

#define __PTHREAD_WAITQ_INITIALIZER { 0, 0, 0 }
#endif
