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
/* the CPU-time clocks (picolibc's numbers; it defines them only when _POSIX_CPUTIME is) */
#ifndef CLOCK_PROCESS_CPUTIME_ID
#define CLOCK_PROCESS_CPUTIME_ID ((clockid_t)2)
#endif
#ifndef CLOCK_THREAD_CPUTIME_ID
#define CLOCK_THREAD_CPUTIME_ID ((clockid_t)3)
#endif
int clock_getcpuclockid(pid_t pid, clockid_t *clock_id);
#endif
