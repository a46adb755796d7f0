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
#include <sys/time.h>
#include "sys.h"
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

int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t t = ticks(), f = timebase();
	(void)id;
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
