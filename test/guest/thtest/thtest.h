/* The in-guest POSIX threads suite (tests.c), run by init as an ordinary process. */
#ifndef THTEST_H
#define THTEST_H
#include "suite.h"

/* sync.c: read-write locks, barriers, spin locks, semaphores */
void test_rwlock_basic(void);
void test_rwlock_readers(void);
void test_rwlock_writer_preference(void);
void test_rwlock_timed(void);
void test_rwlock_contention(void);
void test_rwlock_signal(void);
void test_rwlock_fork(void);
void test_barrier_rounds(void);
void test_barrier_errors(void);
void test_spin(void);
void test_sem_basic(void);
void test_sem_timedwait(void);
void test_sem_prodcons(void);
void test_sem_waiters(void);
void test_sem_eintr(void);
void test_sem_fork(void);
void test_mutex_timedlock(void);
/* cancel.c: cancellation */
void test_cancel_read(void);
void test_cancel_cond(void);
void test_cancel_disabled(void);
void test_cancel_deferred(void);
void test_cancel_async(void);
void test_cancel_cleanup_order(void);
void test_cancel_points(void);
void test_cancel_errors(void);
#endif
