/*
 * picolibc's <sched.h>, with the calls our libc has (lib/libc/sched.c):
 * picolibc declares them only under _POSIX_PRIORITY_SCHEDULING, which its
 * <sys/features.h> does not set for this target.
 */
#ifndef LIBC_SCHED_H
#define LIBC_SCHED_H
#include_next <sched.h>
#include <sys/types.h>
struct timespec;
int sched_setparam(pid_t pid, const struct sched_param *param);
int sched_getparam(pid_t pid, struct sched_param *param);
int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param);
int sched_getscheduler(pid_t pid);
int sched_get_priority_max(int policy);
int sched_get_priority_min(int policy);
int sched_rr_get_interval(pid_t pid, struct timespec *interval);
int sched_yield(void);
#endif
