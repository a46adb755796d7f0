/* picolibc's <time.h>, and the POSIX calls our libc has that it leaves out */
#ifndef LIBC_TIME_H
#define LIBC_TIME_H
#include_next <time.h>
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_getres(clockid_t clock_id, struct timespec *res);
int clock_gettime(clockid_t clock_id, struct timespec *tp);
int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *req, struct timespec *rem);
#ifndef TIMER_ABSTIME
#define TIMER_ABSTIME 4
#endif
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
#endif
#endif
