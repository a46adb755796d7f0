/*
 * sysconf: the limits and options as this system has them.  Limits the
 * proc server keeps are asked for (the per-user process limit, the
 * descriptor limit); the machine's from SYS_SYSINFO; the rest are what
 * libc itself allows.  An option that is not there answers -1 with errno
 * unchanged, an unknown name -1 with EINVAL (POSIX).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "sys.h"
#include "uapi/proc.h"
#include "proc.h"
#include "libc.h"

/* one rctl of the caller's process (RCTL_GET, entity -1), -1 if it cannot be had */
static long own_rctl(int rctl)
{
	struct msg m = { .w = { (uint64_t)rctl, (uint64_t)-1 } };
	if (!startinfo || startinfo->h_proc < 0 || __proc_call(PROC_RCTL_GET, &m, 2, NULL))
		return -1;
	return m.w[0] > LONG_MAX ? -1 : (long)m.w[0];
}

static long info(int which)
{
	struct sysinfo si;
	if (sys_info(&si))
		return -1;
	switch (which) {
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN: return (long)si.ncpus;
	case _SC_PHYS_PAGES: return (long)si.total_pages;
	default: return (long)si.free_pages;
	}
}

long sysconf(int name)
{
	long v;

	switch (name) {
	/* limits */
	case _SC_ARG_MAX: return IPC_MAX_BUF;                 /* exec's one request: path, argv, envp */
	case _SC_CHILD_MAX:
		v = startinfo && startinfo->h_proc >= 0 ? proc_sysconf(SYSCONF_MAXUP, -1) : -1;
		return v < 0 ? -1 : v;
	case _SC_CLK_TCK: return 100;
	case _SC_NGROUPS_MAX: return 16;                      /* NGROUPS_PROC */
	case _SC_OPEN_MAX: return own_rctl(RCTL_PROCESS_MAX_FD);
	case _SC_PAGESIZE: return 4096;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
	case _SC_PHYS_PAGES:
	case _SC_AVPHYS_PAGES: return info(name);
	case _SC_RTSIG_MAX: return SIGRTMAX - SIGRTMIN + 1;
	case _SC_SIGQUEUE_MAX: return PROC_SIGQUEUE_MAX;
	case _SC_SEM_VALUE_MAX: return SEM_VALUE_MAX;
	case _SC_SEM_NSEMS_MAX: return -1;                    /* no limit but memory */
	case _SC_THREAD_KEYS_MAX: return PTHREAD_KEYS_MAX;
	case _SC_THREAD_STACK_MIN: return PTHREAD_STACK_MIN;
	case _SC_THREAD_THREADS_MAX: return 16;               /* the proc server's MAX_LWPS */
	case _SC_THREAD_DESTRUCTOR_ITERATIONS: return PTHREAD_DESTRUCTOR_ITERATIONS;
	case _SC_LINE_MAX: return 2048;
	case _SC_HOST_NAME_MAX: return 255;
	case _SC_LOGIN_NAME_MAX: return 32;
	case _SC_TTY_NAME_MAX: return 32;
	case _SC_TZNAME_MAX: return 6;
	case _SC_STREAM_MAX: return own_rctl(RCTL_PROCESS_MAX_FD);   /* a stream per descriptor */
	case _SC_ATEXIT_MAX: return 32;
	case _SC_IOV_MAX: return 16;
	case _SC_SYMLOOP_MAX: return 8;
	case _SC_GETGR_R_SIZE_MAX:
	case _SC_GETPW_R_SIZE_MAX: return 1024;
	case _SC_RE_DUP_MAX: return 255;
	case _SC_BC_BASE_MAX: return 99;
	case _SC_BC_DIM_MAX: return 2048;
	case _SC_BC_SCALE_MAX: return 99;
	case _SC_BC_STRING_MAX: return 1000;
	case _SC_COLL_WEIGHTS_MAX: return 2;
	case _SC_EXPR_NEST_MAX: return 32;
	case _SC_DELAYTIMER_MAX:
	case _SC_TIMER_MAX:
	case _SC_MQ_OPEN_MAX:
	case _SC_MQ_PRIO_MAX:
	case _SC_AIO_LISTIO_MAX:
	case _SC_AIO_MAX:
	case _SC_AIO_PRIO_DELTA_MAX:
	case _SC_SS_REPL_MAX:
	case _SC_TRACE_EVENT_NAME_MAX:
	case _SC_TRACE_NAME_MAX:
	case _SC_TRACE_SYS_MAX:
	case _SC_TRACE_USER_EVENT_MAX: return -1;             /* what they limit is not there */
	/* options there */
	case _SC_VERSION: return _POSIX_VERSION;
	case _SC_THREADS: return _POSIX_THREADS;
	case _SC_THREAD_ATTR_STACKSIZE: return _POSIX_THREAD_ATTR_STACKSIZE;
	case _SC_REALTIME_SIGNALS: return _POSIX_REALTIME_SIGNALS;
	case _SC_BARRIERS: return _POSIX_BARRIERS;
	case _SC_SPIN_LOCKS: return _POSIX_SPIN_LOCKS;
	case _SC_READER_WRITER_LOCKS: return _POSIX_READER_WRITER_LOCKS;
	case _SC_MONOTONIC_CLOCK: return _POSIX_MONOTONIC_CLOCK;
	case _SC_CLOCK_SELECTION: return _POSIX_CLOCK_SELECTION;
	case _SC_TIMEOUTS: return _POSIX_TIMEOUTS;
	case _SC_CPUTIME: return _POSIX_CPUTIME;
	case _SC_THREAD_CPUTIME: return _POSIX_THREAD_CPUTIME;
	case _SC_JOB_CONTROL: return _POSIX_JOB_CONTROL;
	case _SC_SAVED_IDS: return _POSIX_SAVED_IDS;
	/* options not there, or not whole: SCHED_FIFO is refused, no named semaphores, not
	   every _r function */
	case _SC_PRIORITY_SCHEDULING:
	case _SC_THREAD_PRIORITY_SCHEDULING:
	case _SC_SEMAPHORES:
	case _SC_THREAD_SAFE_FUNCTIONS:
	case _SC_ASYNCHRONOUS_IO:
	case _SC_FSYNC:
	case _SC_MAPPED_FILES:
	case _SC_MEMLOCK:
	case _SC_MEMLOCK_RANGE:
	case _SC_MEMORY_PROTECTION:
	case _SC_MESSAGE_PASSING:
	case _SC_PRIORITIZED_IO:
	case _SC_SHARED_MEMORY_OBJECTS:
	case _SC_SYNCHRONIZED_IO:
	case _SC_TIMERS:
	case _SC_THREAD_ATTR_STACKADDR:
	case _SC_THREAD_PRIO_INHERIT:
	case _SC_THREAD_PRIO_PROTECT:
	case _SC_THREAD_PROCESS_SHARED:
	case _SC_ADVISORY_INFO:
	case _SC_IPV6:
	case _SC_RAW_SOCKETS:
	case _SC_REGEXP:
	case _SC_SHELL:
	case _SC_SPAWN:
	case _SC_SPORADIC_SERVER:
	case _SC_THREAD_SPORADIC_SERVER:
	case _SC_TRACE:
	case _SC_TRACE_EVENT_FILTER:
	case _SC_TRACE_INHERIT:
	case _SC_TRACE_LOG:
	case _SC_TYPED_MEMORY_OBJECTS:
	case _SC_XOPEN_CRYPT:
	case _SC_XOPEN_ENH_I18N:
	case _SC_XOPEN_LEGACY:
	case _SC_XOPEN_REALTIME:
	case _SC_XOPEN_REALTIME_THREADS:
	case _SC_XOPEN_SHM:
	case _SC_XOPEN_STREAMS:
	case _SC_XOPEN_UNIX:
	case _SC_XOPEN_VERSION:
	case _SC_2_CHAR_TERM:
	case _SC_2_C_BIND:
	case _SC_2_C_DEV:
	case _SC_2_FORT_DEV:
	case _SC_2_FORT_RUN:
	case _SC_2_LOCALEDEF: return -1;
	case _SC_V7_LP64_OFF64: return 1;                     /* the one programming environment */
	case _SC_V7_ILP32_OFF32:
	case _SC_V7_ILP32_OFFBIG:
	case _SC_V7_LPBIG_OFFBIG: return -1;
	default:
		errno = EINVAL;
		return -1;
	}
}
