/* Process calls over IPC to the proc server: see proc.h. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <pthread.h>
#include <sys/resource.h>
#include "proc.h"
#include "libc.h"

_Static_assert(__builtin_offsetof(struct startinfo, h_proc) == 48, "vfork.S reads h_proc at 48");

/*
 * The errno of a failed request (0: it succeeded): the reply label, or for a
 * kernel error EAGAIN unless it has a meaning of its own (ipcerr.c), as
 * illumos answers a fork that could not be done.
 */
static int proc_errno(long kerr, uint64_t info)
{
	return __ipc_errno(kerr, info, EAGAIN, EAGAIN);
}

/* one request: 0, or -1 with errno (proc_errno) */
int __proc_call(uint32_t op, struct msg *m, unsigned nwords, struct ipc_ext *e)
{
	long r;
	int err;
	if (!startinfo || startinfo->h_proc < 0) {
		errno = ENOSYS;
		return -1;
	}
	m->info = IPC_INFO(op, nwords);
	r = ipc_call(startinfo->h_proc, m, e);
	if ((err = proc_errno(r, m->info))) {
		errno = err;
		return -1;
	}
	return 0;
}
#define rpc __proc_call

/* ---- fork, with pthread_atfork's handlers around it ---- */
#define NATFORK 16
static struct { void (*prepare)(void), (*parent)(void), (*child)(void); } atfork[NATFORK];
static int natfork;

int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	if (natfork == NATFORK)
		return ENOMEM;
	atfork[natfork].prepare = prepare;
	atfork[natfork].parent = parent;
	atfork[natfork].child = child;
	natfork++;
	return 0;
}

/*
 * the library's own state a child must not share (notification handles,
 * threads).  The thread library (pthread.c) takes its locks and picolibc's
 * (malloc) after the prepare handlers, so the child gets them consistent,
 * and lets go of them before the parent and child handlers run; a fork1
 * child keeps only the calling thread, a forkall child every thread.
 */
__attribute__((weak)) void __libc_child_reset(bool forkall) { (void)forkall; }
__attribute__((weak)) void __pthread_fork_prepare(void) {}
__attribute__((weak)) void __pthread_fork_parent(void) {}
__attribute__((weak)) void __pthread_child_reset(void) {}
__attribute__((weak)) void __pthread_forkall_child(void) {}

static int forksys(int subcode, int flags)
{
	struct msg m = { .w = { (uint64_t)subcode, (uint64_t)flags } };
	int r, err;

	/* prepare handlers run in reverse order of registration, the others in order */
	for (int i = natfork - 1; i >= 0; i--)
		if (atfork[i].prepare)
			atfork[i].prepare();
	__pthread_fork_prepare();
	r = rpc(PROC_FORKSYS, &m, 2, NULL) ? -1 : m.w[1] == 1 ? 0 : (int)m.w[0];
	err = errno;
	if (r == 0) {
		/* illumos: the parent gets (pid, 0), the child (ppid, 1) */
		__libc_child_reset(subcode == FORK_FORKALL);
		if (subcode != FORK_FORKALL)
			__pthread_child_reset();
		else
			__pthread_forkall_child();
	} else {
		__pthread_fork_parent();
	}
	for (int i = 0; i < natfork; i++) {
		void (*h)(void) = r == 0 ? atfork[i].child : atfork[i].parent;
		if (h)
			h();
	}
	errno = err;
	return r;
}

pid_t fork(void) { return forksys(FORK_FORK1, 0); }
pid_t fork1(void) { return forksys(FORK_FORK1, 0); }
pid_t forkall(void) { return forksys(FORK_FORKALL, 0); }
pid_t forkx(int flags) { return forksys(FORK_FORK1, flags); }
pid_t forkallx(int flags) { return forksys(FORK_FORKALL, flags); }

/* vfork.S lands here when the call failed: kerr the kernel's status, info the reply's
   (vfork.S passes only its label) */
int __vfork_fail(long kerr, uint64_t info)
{
	errno = proc_errno(kerr, info);
	return -1;
}

/* ---- wait: our option and idtype values are the proc server's ---- */
_Static_assert(WNOHANG == PW_NOHANG && WEXITED == PW_EXITED && WSTOPPED == PW_STOPPED &&
	       WCONTINUED == PW_CONTINUED && WNOWAIT == PW_NOWAIT, "sys/wait.h matches uapi/proc.h");
_Static_assert(P_PID == IDT_PID && P_PGID == IDT_PGID && P_ALL == IDT_ALL, "idtype_t matches uapi/proc.h");

/* every wait; a handler with SA_RESTART that interrupted it: wait again */
static int waitid__body(int idtype, int id, int options, int *code, int *status, uint64_t *times)
{
	struct msg m;
	int r;
	do {
		m = (struct msg){ .w = { (uint64_t)idtype, (uint64_t)id, (uint64_t)options } };
		__sig_restart_arm();
		r = rpc(PROC_WAITID, &m, 3, NULL);
	} while (r && errno == EINTR && __sig_restart());
	if (r)
		return -1;
	if (code)
		*code = (int)m.w[1];
	if (status)
		*status = (int)m.w[3];
	if (times) {                    /* the child's CPU time, with its waited-for children's */
		times[0] = m.w[0] ? m.w[4] : 0;
		times[1] = m.w[0] ? m.w[5] : 0;
	}
	return (int)m.w[0];
}

/* a cancellation point */
static int waitid_t(int idtype, int id, int options, int *code, int *status, uint64_t *times)
{
	int cp = __cp_enter();
	int r = waitid__body(idtype, id, options, code, status, times);
	__cp_leave(cp);
	return r;
}

int waitid_(int idtype, int id, int options, int *code, int *status)
{
	return waitid_t(idtype, id, options, code, status, NULL);
}

/* waitpid, and the rusage of the child it reports (only the times are counted) */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	int idtype = P_PID, id = pid, r;
	uint64_t t[2];
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOWAIT)) {
		errno = EINVAL;
		return -1;
	}
	if (pid == -1) {
		idtype = P_ALL;
		id = 0;
	} else if (pid == 0) {
		idtype = P_PGID;
		id = getpgid(0);
	} else if (pid < -1) {
		idtype = P_PGID;
		id = -pid;
	}
	r = waitid_t(idtype, id, WEXITED | options, NULL, status, t);
	if (r >= 0 && ru) {
		memset(ru, 0, sizeof(*ru));
		__ns_timeval(t[0], &ru->ru_utime);
		__ns_timeval(t[1], &ru->ru_stime);
	}
	return r;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait3(int *status, int options, struct rusage *ru)
{
	return wait4(-1, status, options, ru);
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	int code, status, pid;
	if ((idtype != P_PID && idtype != P_PGID && idtype != P_ALL) || !(options & (WEXITED | WSTOPPED | WCONTINUED))) {
		errno = EINVAL;
		return -1;
	}
	pid = waitid_(idtype, id, options, &code, &status);
	if (pid < 0)
		return -1;
	if (info) {
		memset(info, 0, sizeof(*info));
		if (pid > 0) {
			info->si_signo = SIGCHLD;
			info->si_code = code;
			info->si_pid = pid;
			info->si_status = code == CLD_EXITED ? WEXITSTATUS(status) : code == CLD_STOPPED ?
					  WSTOPSIG(status) : code == CLD_CONTINUED ? SIGCONT : WTERMSIG(status);
		}
	}
	return 0;
}

int proc_ids(uint64_t out[8])
{
	struct msg m = { 0 };
	if (rpc(PROC_GETPID, &m, 0, NULL))
		return -1;
	memcpy(out, m.w, 8 * sizeof(uint64_t));
	return 0;
}

pid_t getpid(void) { uint64_t w[8]; return proc_ids(w) ? -1 : (int)w[0]; }
pid_t getppid(void) { uint64_t w[8]; return proc_ids(w) ? -1 : (int)w[1]; }
uid_t getuid(void) { uint64_t w[8]; return proc_ids(w) ? (uid_t)-1 : (uid_t)w[4]; }
gid_t getgid(void) { uint64_t w[8]; return proc_ids(w) ? (gid_t)-1 : (gid_t)w[5]; }

/* ---- credentials: the proc server keeps them (PROC_GETCRED, PROC_SETCRED, PROC_SETGROUPS) ---- */

static int rpc_int(uint32_t op, unsigned n, uint64_t a, uint64_t b, uint64_t c);

/* w: ruid, euid, suid, rgid, egid, sgid, ngroups; groups: up to max of them */
static int getcred(uint64_t w[7], gid_t *groups, int max)
{
	uint32_t g[NGROUPS_MAX];
	struct msg m = { 0 };
	struct ipc_ext e = { .rbuf = (uint64_t)g, .rlen = sizeof(g), .scap = -1 };
	if (rpc(PROC_GETCRED, &m, 0, &e))
		return -1;
	memcpy(w, m.w, 7 * sizeof(uint64_t));
	for (int i = 0; i < max && i < (int)w[6] && i < NGROUPS_MAX; i++)
		groups[i] = (gid_t)g[i];
	return 0;
}

uid_t geteuid(void) { uint64_t w[7]; return getcred(w, NULL, 0) ? (uid_t)-1 : (uid_t)w[1]; }
gid_t getegid(void) { uint64_t w[7]; return getcred(w, NULL, 0) ? (gid_t)-1 : (gid_t)w[4]; }

/* not POSIX: BSD's and Linux's, for the saved ids */
int getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	uint64_t w[7];
	if (getcred(w, NULL, 0))
		return -1;
	*r = (uid_t)w[0], *e = (uid_t)w[1], *s = (uid_t)w[2];
	return 0;
}

int getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	uint64_t w[7];
	if (getcred(w, NULL, 0))
		return -1;
	*r = (gid_t)w[3], *e = (gid_t)w[4], *s = (gid_t)w[5];
	return 0;
}

int getgroups(int size, gid_t list[])
{
	uint64_t w[7];
	if (size < 0) {
		errno = EINVAL;
		return -1;
	}
	if (getcred(w, list, size))
		return -1;
	if (size && (int)w[6] > size) {
		errno = EINVAL;
		return -1;
	}
	return (int)w[6];
}

int setgroups(int n, const gid_t *list)
{
	uint32_t g[NGROUPS_MAX];
	struct msg m = { 0 };
	struct ipc_ext e = { .sbuf = (uint64_t)g, .scap = -1 };
	if (n < 0 || n > NGROUPS_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (int i = 0; i < n; i++)
		g[i] = (uint32_t)list[i];
	e.slen = (uint64_t)n * sizeof(g[0]);
	return rpc(PROC_SETGROUPS, &m, 0, n ? &e : NULL);
}

static int setcred(int op, uint32_t a, uint32_t b)
{
	return rpc_int(PROC_SETCRED, 3, (uint64_t)op, a, b) < 0 ? -1 : 0;
}

/* (uid_t)-1 is "unchanged"; picolibc's uid_t and gid_t are 16 bits wide, the proc server's 32 */
#define ID_ARG(id, type) ((id) == (type)-1 ? 0xffffffffu : (uint32_t)(id))
int setuid(uid_t uid) { return setcred(CRED_SETUID, ID_ARG(uid, uid_t), 0); }
int seteuid(uid_t uid) { return setcred(CRED_SETEUID, ID_ARG(uid, uid_t), 0); }
int setreuid(uid_t r, uid_t e) { return setcred(CRED_SETREUID, ID_ARG(r, uid_t), ID_ARG(e, uid_t)); }
int setgid(gid_t gid) { return setcred(CRED_SETGID, ID_ARG(gid, gid_t), 0); }
int setegid(gid_t gid) { return setcred(CRED_SETEGID, ID_ARG(gid, gid_t), 0); }
int setregid(gid_t r, gid_t e) { return setcred(CRED_SETREGID, ID_ARG(r, gid_t), ID_ARG(e, gid_t)); }

static int rpc_int(uint32_t op, unsigned n, uint64_t a, uint64_t b, uint64_t c)
{
	struct msg m = { .w = { a, b, c } };
	return rpc(op, &m, n, NULL) ? -1 : (int)m.w[0];
}

pid_t setsid(void) { return rpc_int(PROC_SETSID, 0, 0, 0, 0); }
int setpgid(pid_t pid, pid_t pgid) { return rpc_int(PROC_SETPGID, 2, (uint64_t)pid, (uint64_t)pgid, 0) < 0 ? -1 : 0; }
pid_t getsid(pid_t pid) { return rpc_int(PROC_GETSID, 1, (uint64_t)pid, 0, 0); }
pid_t getpgid(pid_t pid) { return rpc_int(PROC_GETPGID, 1, (uint64_t)pid, 0, 0); }
pid_t getpgrp(void) { return getpgid(0); }
int proc_newtask(int64_t project) { return rpc_int(PROC_NEWTASK, 1, (uint64_t)project, 0, 0); }
int proc_setuid(uint32_t uid, uint32_t gid) { return rpc_int(PROC_SETUID, 2, uid, gid, 0) < 0 ? -1 : 0; }
int proc_sysconf(int which, int64_t v) { return rpc_int(PROC_SYSCONF, 2, (uint64_t)which, (uint64_t)v, 0); }
int proc_fault_inject(uint64_t n) { return rpc_int(PROC_FAULT_INJECT, 1, n, 0, 0) < 0 ? -1 : 0; }
int proc_poweroff(void) { return rpc_int(PROC_POWEROFF, 0, 0, 0, 0); }
pid_t proc_console(void) { return rpc_int(PROC_CONSOLE, 0, 0, 0, 0); }
void *proc_sbrk(uint64_t incr)
{
	struct msg m = { .w = { incr } };
	return rpc(PROC_SBRK, &m, 1, NULL) ? (void *)-1 : (void *)m.w[0];
}

uint32_t proc_sigpoll(void) { return (uint32_t)rpc_int(PROC_SIGPOLL, 0, 0, 0, 0); }

int proc_getrctl(int rctl, int64_t id, uint64_t *val)
{
	struct msg m = { .w = { (uint64_t)rctl, (uint64_t)id } };
	if (rpc(PROC_RCTL_GET, &m, 2, NULL))
		return -1;
	*val = m.w[0];
	return 0;
}

int proc_rctl_usage(int rctl, int64_t id, uint64_t *usage)
{
	struct msg m = { .w = { (uint64_t)rctl, (uint64_t)id } };
	if (rpc(PROC_RCTL_GET, &m, 2, NULL))
		return -1;
	*usage = m.w[2];
	return 0;
}

int proc_setrctl(int rctl, int64_t id, uint64_t val)
{
	return rpc_int(PROC_RCTL_SET, 3, (uint64_t)rctl, (uint64_t)id, val) < 0 ? -1 : 0;
}

int proc_forkstat(int64_t zone, uint64_t out[5])
{
	struct msg m = { .w = { (uint64_t)zone } };
	if (rpc(PROC_FORKSTAT, &m, 1, NULL))
		return -1;
	memcpy(out, m.w, 5 * sizeof(uint64_t));
	return 0;
}

int proc_trace(int op, uint64_t first, struct trace_rec *recs, int max, uint64_t out[2])
{
	struct msg m = { .w = { (uint64_t)op, first } };
	struct ipc_ext e = { .rbuf = (uint64_t)recs, .rlen = (uint64_t)max * sizeof(*recs), .scap = -1 };
	if (rpc(PROC_TRACE, &m, 2, op == TRACE_READ ? &e : NULL))
		return -1;
	if (out) {
		out[0] = m.w[0];
		out[1] = m.w[1];
	}
	return op == TRACE_READ ? (int)(e.rbytes / sizeof(*recs)) : 0;
}

int proc_list(struct proc_info *out, int max)
{
	struct msg m = { 0 };
	struct ipc_ext e = { .rbuf = (uint64_t)out, .rlen = (uint64_t)max * sizeof(*out), .scap = -1 };
	if (rpc(PROC_LIST, &m, 0, &e))
		return -1;
	return (int)(e.rbytes / sizeof(*out));
}

/* fn(arg) in a new lwp on stack_top, with tp its thread pointer (its TLS block) */
int __lwp_create_tp(void (*fn)(uint64_t), uint64_t arg, void *stack_top, void *tp, uint64_t sched)
{
	uint64_t *sp = (uint64_t *)((uint64_t)stack_top & ~15ul) - 2;
	struct msg m = { 0 };

	sp[0] = (uint64_t)fn;
	sp[1] = arg;
	m.w[0] = (uint64_t)__thread_entry;
	m.w[1] = (uint64_t)sp;
	m.w[2] = 0;
	m.w[3] = (uint64_t)tp;
	m.w[4] = sched;
	return rpc(PROC_LWP_CREATE, &m, 5, NULL) ? -1 : (int)m.w[0];
}

/* the new lwp shares our TLS block (pthread_create gives each thread its own) */
int lwp_create(void (*fn)(uint64_t), uint64_t arg, void *stack_top)
{
	void *tp;
	__asm__ volatile("mv %0, tp" : "=r"(tp));
	return __lwp_create_tp(fn, arg, stack_top, tp, 0);
}

void lwp_exit(void)
{
	struct msg m = { 0 };
	rpc(PROC_LWP_EXIT, &m, 0, NULL);
	thread_exit(0);
}
