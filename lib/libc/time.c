/*
 * Time: the time CSR (rdtime) at the device tree's timebase; sleeping on a
 * notification's timer.  Each thread has its own notification (TLS), made
 * the first time it sleeps.  A forked child's threads hold copies of their
 * parent's handles: each makes its own again (fork_gen tells an inherited
 * one), or a child's sleep would re-arm its parent's timer.
 */
#include <errno.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>
#include <string.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/resource.h>
#include "sys.h"
#include "uapi/proc.h"
#include "libc.h"

static uint64_t hz;
static __thread handle_t sleep_ntfn = -1;
static __thread unsigned sleep_ntfn_gen;    /* the fork_gen it was made in */
static __thread int sleep_ntfn_pid;         /* the process it was made in */
static __thread bool sleep_ntfn_doubt;      /* a wait was interrupted: maybe by a forkall */
static unsigned fork_gen;                   /* one more in each fork's child */

static uint64_t ticks(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static uint64_t timebase(void)
{
	if (!hz) {
		struct sysinfo si;
		hz = sys_info(&si) == 0 && si.timebase_hz ? si.timebase_hz : 10000000;
	}
	return hz;
}

/* in a fork's child: every thread's notification is its parent's */
void __libc_child_reset(bool forkall)
{
	if (sleep_ntfn >= 0) {
		handle_close(sleep_ntfn);       /* the calling thread's now; a forkall child's others below */
		sleep_ntfn = -1;
	}
	/* only a forkall child has other threads; a fork1 child writes nothing it need not (copy on write) */
	if (forkall)
		fork_gen++;
}

/*
 * Is this thread's notification its process's own?  A forkall child's copy
 * of a thread holds its parent thread's handle: it knows by the generation
 * once the child's first thread has counted the fork, and before that (the
 * copies run at once) by asking its pid after its interrupted wait.  An
 * inherited handle is closed here.
 */
static bool ntfn_mine(void)
{
	if (sleep_ntfn < 0)
		return false;
	if (sleep_ntfn_gen == fork_gen && !sleep_ntfn_doubt)
		return true;
	sleep_ntfn_doubt = false;
	if (sleep_ntfn_gen == fork_gen && getpid() == sleep_ntfn_pid)
		return true;
	handle_close(sleep_ntfn);
	sleep_ntfn = -1;
	return false;
}

static int own_ntfn(void)
{
	if (ntfn_mine())
		return 0;
	if (ntfn_create(&sleep_ntfn)) {
		sleep_ntfn = -1;
		errno = ENOMEM;
		return -1;
	}
	sleep_ntfn_gen = fork_gen;
	sleep_ntfn_pid = getpid();
	return 0;
}

/* a signal's handler ran on this thread: a pause() in progress or about to start returns */
void __libc_wake_pause(void)
{
	if (ntfn_mine())
		ntfn_signal(sleep_ntfn, 2);
}

/* until a signal's handler has run (the wait fails with EINTR, or bit 2 was set by one) */
static int pause_body(void)
{
	uint64_t bits = 0;
	if (own_ntfn())
		return -1;
	while (!(bits & 2))
		if (ntfn_wait(sleep_ntfn, &bits)) {
			sleep_ntfn_doubt = true;        /* E_INTR: a signal, or a forkall copied us */
			break;
		}
	errno = EINTR;
	return -1;
}

/* a cancellation point */
int pause(void)
{
	int cp = __cp_enter();
	int r = pause_body();
	__cp_leave(cp);
	return r;
}

/* CLOCK_REALTIME and CLOCK_MONOTONIC are the same here: time since boot (no real-time clock read yet) */
static bool known_clock(clockid_t id)
{
	return id == CLOCK_REALTIME || id == CLOCK_MONOTONIC;
}

/*
 * The CPU-time clocks: the process's (CLOCK_PROCESS_CPUTIME_ID, clock_getcpuclockid),
 * the calling thread's (CLOCK_THREAD_CPUTIME_ID: the kernel's count, SYS_THREAD_TIMES),
 * another thread's (pthread_getcpuclockid: __CPUCLOCK_LWP(lwp id)).  User and system
 * time together, ns.  EINVAL for a clock that is none of them or whose thread is gone.
 */
static bool cpu_clock(clockid_t id)
{
	return id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID ||
	       (id >> 32 == __CPUCLOCK_LWP(0) >> 32 && (uint32_t)id && (uint32_t)id <= INT32_MAX);
}

/* the proc server's counts (PROC_TIMES): which TIMES_*, lwp the id for TIMES_LWP */
static int proc_times(int which, uint32_t lwp, uint64_t *u, uint64_t *s)
{
	struct msg m = { .w = { (uint64_t)which, lwp } };
	if (__proc_call(PROC_TIMES, &m, 2, NULL))
		return -1;
	*u = m.w[0];
	*s = m.w[1];
	return 0;
}

static int cpu_clock_read(clockid_t id, uint64_t *ns)
{
	uint64_t u, s;
	int r;
	if (id == CLOCK_THREAD_CPUTIME_ID)
		r = thread_times(-1, &u, &s) ? -1 : 0;
	else if (id == CLOCK_PROCESS_CPUTIME_ID)
		r = proc_times(TIMES_SELF, 0, &u, &s);
	else
		r = proc_times(TIMES_LWP, (uint32_t)id, &u, &s);
	if (r)
		return EINVAL;
	*ns = u + s;
	return 0;
}

int clock_getres(clockid_t id, struct timespec *res)
{
	uint64_t f = timebase();
	if (!known_clock(id) && !cpu_clock(id)) {
		errno = EINVAL;
		return -1;
	}
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = (long)((1000000000ull + f - 1) / f);
	}
	return 0;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t t = ticks(), f = timebase(), ns;
	int err;
	if (cpu_clock(id)) {
		if ((err = cpu_clock_read(id, &ns))) {
			errno = err;
			return -1;
		}
		ts->tv_sec = (time_t)(ns / 1000000000ull);
		ts->tv_nsec = (long)(ns % 1000000000ull);
		return 0;
	}
	if (!known_clock(id)) {
		errno = EINVAL;
		return -1;
	}
	ts->tv_sec = (time_t)(t / f);
	ts->tv_nsec = (long)((t % f) * 1000000000ull / f);
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;
	(void)tz;
	clock_gettime(CLOCK_REALTIME, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

static int nanosleep_body(const struct timespec *req, struct timespec *rem)
{
	uint64_t f = timebase(), deadline, bits;
	if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000) {
		errno = EINVAL;
		return -1;
	}
	if (own_ntfn())
		return -1;
	deadline = ticks() + (uint64_t)req->tv_sec * f + (uint64_t)req->tv_nsec * f / 1000000000ull;
	if (ntfn_timer(sleep_ntfn, 1, deadline)) {
		errno = EINVAL;
		return -1;
	}
	while (ticks() < deadline) {
		long w = ntfn_wait(sleep_ntfn, &bits);
		if (w == -E_INTR || (bits & 2)) {
			/* a signal's handler ran (or a forkall copied us): return early with what is left */
			uint64_t left = deadline > ticks() ? deadline - ticks() : 0;
			sleep_ntfn_doubt = w == -E_INTR;
			if (ntfn_mine())        /* not in a forkall copy: the timer is ours to stop */
				ntfn_timer(sleep_ntfn, 1, 0);
			if (rem) {
				rem->tv_sec = (time_t)(left / f);
				rem->tv_nsec = (long)((left % f) * 1000000000ull / f);
			}
			errno = EINTR;
			return -1;
		}
	}
	if (rem)
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}

/* a cancellation point */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	int cp = __cp_enter();
	int r = nanosleep_body(req, rem);
	__cp_leave(cp);
	return r;
}

/*
 * nanosleep on a clock, or until a time of it (TIMER_ABSTIME): the error
 * number itself, not -1 and errno (POSIX).  Both clocks are the same here.
 */
int clock_nanosleep(clockid_t id, int flags, const struct timespec *req, struct timespec *rem)
{
	struct timespec now = { 0, 0 }, rel;
	int saved = errno, r;

	if (id == CLOCK_THREAD_CPUTIME_ID)
		return EINVAL;               /* POSIX: the caller's own CPU clock cannot move while it sleeps */
	if (cpu_clock(id))
		return ENOTSUP;              /* another CPU clock: POSIX allows refusing it */
	if (!known_clock(id))
		return EINVAL;
	if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000)
		return EINVAL;
	rel = *req;
	if (flags & TIMER_ABSTIME) {
		clock_gettime(id, &now);
		if (now.tv_sec > req->tv_sec || (now.tv_sec == req->tv_sec && now.tv_nsec >= req->tv_nsec))
			return 0;
		rel.tv_sec = req->tv_sec - now.tv_sec;
		rel.tv_nsec = req->tv_nsec - now.tv_nsec;
		if (rel.tv_nsec < 0) {
			rel.tv_nsec += 1000000000;
			rel.tv_sec--;
		}
		rem = NULL;                  /* an absolute sleep leaves nothing to report */
	}
	r = nanosleep(&rel, rem) ? errno : 0;
	errno = saved;
	return r;
}

unsigned sleep(unsigned s)
{
	struct timespec ts = { .tv_sec = s };
	nanosleep(&ts, NULL);
	return 0;
}

int usleep(useconds_t us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };
	return nanosleep(&ts, NULL);
}

int sched_yield(void)
{
	sys_yield();
	return 0;
}

/* pid's CPU-time clock: ours only (another process's: EPERM, as POSIX allows; none: ESRCH) */
int clock_getcpuclockid(pid_t pid, clockid_t *id)
{
	int saved = errno;
	if (pid != 0 && pid != getpid()) {
		int err = kill(pid, 0) == 0 || errno == EPERM ? EPERM : ESRCH;
		errno = saved;
		return err;
	}
	*id = CLOCK_PROCESS_CPUTIME_ID;
	return 0;
}

/* ---- times, getrusage: the proc server's counts (proc_times above) ---- */

/* ns in clock ticks (sysconf(_SC_CLK_TCK): 100 a second) */
static clock_t ns_clock(uint64_t ns)
{
	return (clock_t)(ns / (1000000000ull / 100));
}

clock_t times(struct tms *buf)
{
	uint64_t u, s, cu, cs;
	if (proc_times(TIMES_SELF, 0, &u, &s) || proc_times(TIMES_CHILDREN, 0, &cu, &cs))
		return (clock_t)-1;
	buf->tms_utime = ns_clock(u);
	buf->tms_stime = ns_clock(s);
	buf->tms_cutime = ns_clock(cu);
	buf->tms_cstime = ns_clock(cs);
	/* the return value: real time since an arbitrary point (boot) */
	return (clock_t)(ticks() / (timebase() / 100 ? timebase() / 100 : 1));
}

int getrusage(int who, struct rusage *ru)
{
	uint64_t u, s;
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN) {
		errno = EINVAL;
		return -1;
	}
	if (proc_times(who == RUSAGE_SELF ? TIMES_SELF : TIMES_CHILDREN, 0, &u, &s))
		return -1;
	memset(ru, 0, sizeof(*ru));
	__ns_timeval(u, &ru->ru_utime);
	__ns_timeval(s, &ru->ru_stime);
	return 0;
}

/* ---- ITIMER_REAL (the proc server's, PROC_SETITIMER): SIGALRM when it runs out ---- */

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000ull + (uint64_t)tv->tv_usec * 1000ull;
}

void __ns_timeval(uint64_t ns, struct timeval *tv)
{
	tv->tv_sec = (time_t)(ns / 1000000000ull);
	tv->tv_usec = (suseconds_t)(ns % 1000000000ull / 1000);
	if (ns && !tv->tv_sec && !tv->tv_usec)
		tv->tv_usec = 1;                /* not run out yet: never reported as 0 */
}

static int itimer_call(int which, const struct itimerval *set, struct itimerval *old)
{
	struct msg m = { .w = { (uint64_t)which, set ? 1 : 0, set ? tv_ns(&set->it_value) : 0,
				set ? tv_ns(&set->it_interval) : 0 } };
	if (__proc_call(PROC_SETITIMER, &m, 4, NULL))
		return -1;
	if (old) {
		__ns_timeval(m.w[0], &old->it_value);
		__ns_timeval(m.w[1], &old->it_interval);
	}
	return 0;
}

static bool bad_tv(const struct timeval *tv)
{
	return tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000;
}

/* ITIMER_REAL only: ITIMER_VIRTUAL and ITIMER_PROF need CPU time nobody accounts yet (EINVAL) */
int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
	if (!value || bad_tv(&value->it_value) || bad_tv(&value->it_interval)) {
		errno = EINVAL;
		return -1;
	}
	return itimer_call(which, value, old);
}

int getitimer(int which, struct itimerval *value)
{
	return itimer_call(which, NULL, value);
}

/* seconds left of the one before (rounded up: a pending alarm never answers 0) */
unsigned alarm(unsigned s)
{
	struct itimerval v = { .it_value = { .tv_sec = s } }, old;
	if (itimer_call(ITIMER_REAL, &v, &old))
		return 0;
	return (unsigned)old.it_value.tv_sec + (old.it_value.tv_usec ? 1 : 0);
}

useconds_t ualarm(useconds_t us, useconds_t interval)
{
	struct itimerval v = { .it_value = { us / 1000000, us % 1000000 },
			       .it_interval = { interval / 1000000, interval % 1000000 } }, old;
	if (itimer_call(ITIMER_REAL, &v, &old))
		return 0;
	return (useconds_t)(old.it_value.tv_sec * 1000000 + old.it_value.tv_usec);
}
